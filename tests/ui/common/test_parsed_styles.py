"""Rules parsed ahead in a thread are the ones the UI thread then uses, for that theme only."""

from __future__ import annotations

import threading

import pytest
from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

from promptterm.ui.common.parsed_styles import KEPT, ParsedOnceStylesheet, Source

CSS = "PlanScreen { .plan-column-title { color: $accent; } }"
SOURCE = Source(CSS, ("/styles/probe.tcss", ""), False, 0, "")


def test_rules_parsed_ahead_in_a_thread_are_used_for_their_theme_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ParsedOnceStylesheet, "_parsed", LRUCache(KEPT))
    dark, light = {"accent": "#ff0000"}, {"accent": "#0000ff"}
    ahead = threading.Thread(target=ParsedOnceStylesheet.parse_ahead, args=(dark, [SOURCE]))
    ahead.start()
    ahead.join()

    same = ParsedOnceStylesheet(variables=dict(dark))
    assert same.holds(SOURCE)
    rules = same._parse_rules(*SOURCE)
    # What Textual itself parses here, on this thread, for that theme.
    assert [rule.css for rule in rules] == [
        rule.css for rule in Stylesheet(variables=dict(dark))._parse_rules(*SOURCE)
    ]
    assert "#FF0000" in rules[-1].css.upper()
    other = ParsedOnceStylesheet(variables=dict(light))
    assert not other.holds(SOURCE)
    assert "#0000FF" in other._parse_rules(*SOURCE)[-1].css.upper()
