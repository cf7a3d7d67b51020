"""Counts in words, the same in the TUI, the CLI and the services' messages: "1 version",
"2 versions", "1,204 messages". One helper, so no screen says "1 versions"."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` and ``noun``, pluralized unless ``n`` is 1; ``many`` for a noun that does not
    take a plain s ("match", "matches")."""
    return f"{n:,} {noun_for(n, noun, many)}"


def noun_for(n: int, noun: str, many: str | None = None) -> str:
    """The noun alone, for sentences that place the number elsewhere."""
    return noun if n == 1 else (many or f"{noun}s")
