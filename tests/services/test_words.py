"""Counts in words: one helper for every screen, command and message."""

from __future__ import annotations

from promptterm.services.words import noun_for, plural


def test_plural_says_one_thing_and_many_things() -> None:
    assert plural(1, "version") == "1 version"
    assert plural(0, "version") == "0 versions"
    assert plural(2, "version") == "2 versions"
    assert plural(1204, "message") == "1,204 messages"
    assert plural(1, "more match", "more matches") == "1 more match"
    assert plural(3, "more match", "more matches") == "3 more matches"
    assert noun_for(1, "day") == "day" and noun_for(5, "day") == "days"
