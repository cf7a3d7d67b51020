"""`promptterm usage` and `billing status` on the lean path (db/lean.py): the same figures,
JSON and text as the services, through a billing period: usage across models (priced,
unpriced, estimated) with a call on each side of the period's start, plan limits, a budget
and a price override; the period's end (the services close it first: the lean read leaves
that write to them), a yearly plan's trial and its end, a later month of that year and a
downgrade waiting for the period's end. On PostgreSQL (team mode) the services answer, with
the same output as ever."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from promptterm import locations
from promptterm.config import Budget
from promptterm.db import lean
from promptterm.db.engine import Database
from promptterm.services.billing import lean_status
from promptterm.services.chat.pricing import GenaiPrices
from promptterm.services.facade import Services
from support.cli_in_process import run
from support.clock import DEFAULT_NOW, FixedClock
from support.prices import PINNED_PRICES

VERBS = [
    ("usage",),
    ("usage", "--json"),
    ("billing", "status"),
    ("billing", "status", "--json"),
]


def _record(services: Services, provider: str, model: str, cost: str | None, **kw: Any) -> None:
    services.billing.record_usage(
        tokens_in=kw.pop("tokens_in", 1000),
        tokens_out=kw.pop("tokens_out", 500),
        provider=provider,
        model=model,
        cost_usd=None if cost is None else Decimal(cost),
        **kw,
    )


def _seed(url: str, clock: FixedClock) -> None:
    """The user's period starts at DEFAULT_NOW; one call lands a second before it."""
    services = Services.open(url)
    try:
        services.billing.summary()  # the subscription, from DEFAULT_NOW
        clock.set(DEFAULT_NOW - timedelta(seconds=1))
        _record(services, "openai", "gpt-4o", "9.99")  # the period before: not counted
        clock.set(DEFAULT_NOW)
        _record(services, "openai", "gpt-4o", "0.25")  # the period's first moment: counted
        clock.advance(hours=3)
        _record(services, "openai", "gpt-4o", "0.5")
        _record(services, "anthropic", "claude-3-5-haiku-latest", "0.1234", tokens_in=7)
        _record(services, "lab", "mystery-7b", None, tokens_in=10, tokens_out=5)
        _record(services, "local", "quiet", "0", tokens_in=40, tokens_out=8, estimated=True)
        role = services.components.create("role", "Expert", "You are an expert.")
        services.presets.create("Full", role=role.id)
        acme = services.workspaces.create("Acme")
        site = services.projects.create(acme.id, "Site")
        services.files.create(site.id, "index.html", "<h1>hi</h1>" * 50)
    finally:
        services.close()


@contextmanager
def _no_lean(_url: str, _now: Any = None) -> Iterator[None]:
    yield None


class Compare:
    """Each verb answered with the lean read allowed (noting which opened the services),
    then by the services alone; their answers must be the same, byte for byte."""

    def __init__(
        self,
        capsys: pytest.CaptureFixture[str],
        url: str,
        clock: FixedClock,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        self.capsys, self.url, self.clock, self.monkeypatch = capsys, url, clock, monkeypatch
        self.opened: list[tuple[str, ...]] = []
        self.running: tuple[str, ...] = ()
        real_open = Services.open

        def counted(*args: Any, **kwargs: Any) -> Services:
            self.opened.append(self.running)
            return real_open(*args, **kwargs)

        monkeypatch.setattr(Services, "open", counted)
        # The services are given the pinned table; the lean read names the bundled one.
        monkeypatch.setattr(GenaiPrices, "version", lambda _self: PINNED_PRICES.version())

    def __call__(self) -> tuple[list[tuple[int, str, str]], list[tuple[str, ...]]]:
        """The services' answers, and the verbs the lean read answered."""
        real_open = lean.open_lean

        def on_clock(url: str, now: Any = None) -> Any:
            return real_open(url, self.clock())  # the services' clock, as in the CLI

        self.opened.clear()
        with self.monkeypatch.context() as patch:
            patch.setattr(lean, "open_lean", on_clock)
            answered = []
            for argv in VERBS:
                self.running = argv
                answered.append(run(self.capsys, self.url, *argv))
        lean_answered = [argv for argv in VERBS if argv not in self.opened]
        with self.monkeypatch.context() as patch:
            patch.setattr(lean, "open_lean", _no_lean)
            ordinary = [run(self.capsys, self.url, *argv) for argv in VERBS]
        for argv, want, got in zip(VERBS, ordinary, answered, strict=True):
            assert want[0] == 0, (argv, want)
            assert got == want, argv
        return ordinary, lean_answered


def _declines_at(url: str, clock: FixedClock) -> bool:
    with lean.open_lean(url, clock()) as read:
        assert read is not None
        try:
            lean_status(read, read.now, Budget())
        except lean.Declined:
            return True
        return False


def test_usage_and_billing_status_read_lean_what_the_services_print(
    capsys: pytest.CaptureFixture[str],
    database: Database,
    db_backend: str,
    fixed_clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = database.url
    _seed(url, fixed_clock)
    run(capsys, url, "billing", "budget", "set", "--spend", "1", "--tokens", "3000")
    with locations.config_file().open("a", encoding="utf-8") as config:
        config.write('\n[prices."lab/*"]\ninput_per_mtok = 1\noutput_per_mtok = 2\n')
    compare = Compare(capsys, url, fixed_clock, monkeypatch)
    sqlite = db_backend == "sqlite"

    # Mid-period: the lean read answers every verb.
    fixed_clock.set(DEFAULT_NOW + timedelta(days=5))
    ordinary, lean_answered = compare()
    assert lean_answered == (VERBS if sqlite else [])
    text, data = ordinary[0][1], json.loads(ordinary[1][1])
    assert "Period   2026-01-15 to 2026-02-15" in text
    assert "Spend this period: $0.8734 (+1 unpriced call)" in text
    assert "~40" in text and "1 / 5" in text
    assert "overrides in config: lab/*" in text
    assert [(m["model"], m["calls"]) for m in data["spend"]["by_model"]] == [
        ("gpt-4o", 2),
        ("claude-3-5-haiku-latest", 1),
        ("quiet", 1),
        ("mystery-7b", 1),
    ]
    assert data["budget"]["state"] == "full" and data["lines"][4]["used"] > 0
    assert data["prices"] == {"table": "pinned test prices", "overrides": ["lab/*"]}

    # The period has ended: closing it is a write, so the first read is the services'.
    fixed_clock.set(DEFAULT_NOW + timedelta(days=31, seconds=1))
    if sqlite:
        assert _declines_at(url, fixed_clock)
    ordinary, lean_answered = compare()
    assert lean_answered == (VERBS[1:] if sqlite else [])
    assert "Period   2026-02-15 to 2026-03-15" in ordinary[0][1]
    assert "Spend this period: $0.00" in ordinary[0][1]

    # Pro, billed yearly: a trial, then (its end rolled by the services) a later month.
    services = Services.open(url)
    try:
        services.billing.set_plan("pro", "yearly")
        _record(services, "openai", "gpt-4o-mini", "0.002")
    finally:
        services.close()
    fixed_clock.advance(days=1)
    ordinary, lean_answered = compare()
    assert lean_answered == (VERBS if sqlite else [])
    assert "Plan     Pro (trialing, billed yearly)" in ordinary[0][1]
    assert "Trial    ends" in ordinary[0][1]
    fixed_clock.advance(days=20)
    if sqlite:
        assert _declines_at(url, fixed_clock)  # the trial has ended: the services say so
    ordinary, lean_answered = compare()
    assert lean_answered == (VERBS[1:] if sqlite else [])
    assert "Plan     Pro (active, billed yearly)" in ordinary[0][1]
    fixed_clock.advance(days=40)
    services = Services.open(url)
    try:
        _record(services, "openai", "gpt-4o", "0.01", tokens_in=100, tokens_out=23)
    finally:
        services.close()
    ordinary, lean_answered = compare()
    assert lean_answered == (VERBS if sqlite else [])
    data = json.loads(ordinary[1][1])
    assert data["lines"][0]["used"] == 123  # this month of the year only
    assert data["budget"]["tokens_used"] == 123 and data["spend"]["calls"] == 2

    # A downgrade waits for the period's end.
    services = Services.open(url)
    try:
        services.billing.set_plan("free")
    finally:
        services.close()
    ordinary, lean_answered = compare()
    assert lean_answered == (VERBS if sqlite else [])
    assert "moves to Free at the end of this period" in ordinary[0][1]
