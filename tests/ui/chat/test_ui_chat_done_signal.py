"""A long answer that finishes while the user is in another area rings the bell or asks for
a desktop notification (issue 21, item 5): once, only when away, only past the threshold on
the services' clock, never when off. The answer comes from the loopback LLM server, held
open until the test lets it finish."""

from __future__ import annotations

import threading

import pytest

from promptterm.config import DoneNotice, parse_done_notice
from promptterm.services.facade import Services
from promptterm.ui.common.attention import done_sequence
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from ui.chat.scenarios import chat_llm, live, open_chat, views, wait_for
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text
from ui.scenarios import SMALL

__all__ = ["chat_llm", "live"]  # fixtures

pytestmark = pytest.mark.anyio

OSC9_READY = "\x1b]9;promptterm: The answer is ready: Why is the sky blue?\a"


async def _answer(
    make_app: AppFactory,
    chat_llm: LLMServer,
    clock: FixedClock,
    notice: DoneNotice,
    *,
    wait_seconds: float,
    leave_for: str | None,
) -> list[str]:
    """Ask, let ``wait_seconds`` pass on the clock mid-answer, go to ``leave_for`` (or stay),
    let the answer finish; what the app wrote to the terminal meanwhile."""
    release = threading.Event()
    chat_llm.push(Script(tokens=[" Rayleigh", " scattering."], hold_after=1, hold=release))
    app = make_app(done_notice=notice)
    written: list[str] = []
    try:
        async with app.run_test(size=SMALL) as pilot:
            pilot.app._driver.write = written.append  # type: ignore[method-assign,union-attr]
            screen = await open_chat(pilot)
            await type_text(pilot, "Why is the sky blue?")
            await pilot.press("ctrl+j")
            await wait_for(
                pilot, lambda: len(views(app)) == 2 and "Rayleigh" in views(app)[1].content
            )
            clock.advance(seconds=wait_seconds)
            if leave_for is not None:
                await pilot.press("alt+1" if leave_for == "explorer" else "alt+4")
                await wait_for(pilot, lambda: app.current_mode == leave_for)
            release.set()
            await wait_for(pilot, lambda: screen.job is None)
            await settle(pilot)
    finally:
        release.set()
    return [w for w in written if w == "\a" or w.startswith(("\x1b]9;", "\x1b]777;"))]


async def test_a_long_answer_finished_in_another_area_is_signalled_once(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, clock: FixedClock
) -> None:
    notice = DoneNotice(kind="osc9", after_seconds=10)
    signals = await _answer(
        make_app, chat_llm, clock, notice, wait_seconds=11, leave_for="explorer"
    )
    assert signals == [OSC9_READY]


@pytest.mark.parametrize(
    ("kind", "wait_seconds", "leave_for", "expected"),
    [
        ("bell", 30, "library", ["\a"]),
        ("bell", 30, None, []),  # the user watched it finish
        ("bell", 5, "library", []),  # quicker than notify_after_seconds
        ("off", 30, "library", []),
    ],
    ids=["bell-away", "in-chat", "quick", "off"],
)
async def test_signalled_only_when_on_away_and_long(
    make_app: AppFactory,
    live: Services,
    chat_llm: LLMServer,
    clock: FixedClock,
    kind: str,
    wait_seconds: float,
    leave_for: str | None,
    expected: list[str],
) -> None:
    notice = DoneNotice(kind=kind, after_seconds=10)
    got = await _answer(
        make_app, chat_llm, clock, notice, wait_seconds=wait_seconds, leave_for=leave_for
    )
    assert got == expected


def test_the_sequences_carry_no_control_character_from_a_title() -> None:
    title = "evil\x1b]52;c;cm0=\x07;x"
    assert done_sequence("osc9", "promptterm", title) == "\x1b]9;promptterm: evil ]52;c;cm0= ;x\a"
    assert (
        done_sequence("osc777", "prompt;term", title)
        == "\x1b]777;notify;prompt,term;evil ]52;c;cm0= ;x\a"
    )
    assert done_sequence("off", "promptterm", title) is None


def test_the_config_values_and_their_mistakes() -> None:
    assert parse_done_notice({}) == DoneNotice("off", 10.0)
    assert parse_done_notice({"notify_when_done": "osc777", "notify_after_seconds": 3}) == (
        DoneNotice("osc777", 3.0)
    )
    wrong = parse_done_notice({"notify_when_done": "loud", "notify_after_seconds": "soon"})
    assert wrong.kind == "off" and wrong.after_seconds == 10.0
    assert wrong.problem is not None
    assert '"off", "bell", "osc9", "osc777"' in wrong.problem and "'soon'" in wrong.problem


async def test_a_config_mistake_is_said_once_and_the_app_runs(
    make_app: AppFactory, live: Services
) -> None:
    notice = parse_done_notice({"notify_when_done": "loud"})
    app = make_app(done_notice=notice)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        said = [n for n in notes(app) if "notify_when_done" in n]
        assert said == [f"{notice.problem} Notifications stay off."]
