"""Plain-text search over a document's lines: smart case (a capital letter in the query makes
it case-sensitive), wrapping around the end, matches within one line."""

from __future__ import annotations

import re
from collections.abc import Callable

Location = tuple[int, int]
Match = tuple[Location, Location]


def _pattern(query: str) -> re.Pattern[str]:
    flags = 0 if any(ch.isupper() for ch in query) else re.IGNORECASE
    return re.compile(re.escape(query), flags)


def find_next(
    line_count: int,
    get_line: Callable[[int], str],
    query: str,
    start: Location,
    *,
    forward: bool = True,
) -> Match | None:
    """The next match after ``start`` (or the previous one before it), wrapping around."""
    if not query or line_count == 0:
        return None
    pattern = _pattern(query)
    row, col = start
    for step in range(line_count + 1):
        r = (row + step) % line_count if forward else (row - step) % line_count
        line = get_line(r)
        found = list(pattern.finditer(line))
        if forward:
            candidates = [m for m in found if step or m.start() >= col]
            if step == line_count:  # wrapped onto the start line: only what lies before it
                candidates = [m for m in found if m.start() < col]
            hit = candidates[0] if candidates else None
        else:
            candidates = [m for m in found if step or m.start() < col]
            if step == line_count:
                candidates = [m for m in found if m.start() >= col]
            hit = candidates[-1] if candidates else None
        if hit is not None:
            return (r, hit.start()), (r, hit.end())
    return None


def count_matches(text: str, query: str) -> int:
    return len(_pattern(query).findall(text)) if query else 0


def match_index(line_count: int, get_line: Callable[[int], str], query: str, at: Location) -> int:
    """1-based number of the match starting at ``at`` (for "3 of 12")."""
    pattern = _pattern(query)
    n = 0
    for r in range(min(at[0] + 1, line_count)):
        for m in pattern.finditer(get_line(r)):
            if r == at[0] and m.start() > at[1]:
                return n
            n += 1
    return n


def is_match(selected: str, query: str) -> bool:
    return bool(query) and _pattern(query).fullmatch(selected) is not None


def replace_all(text: str, query: str, replacement: str) -> tuple[str, int]:
    if not query:
        return text, 0
    return _pattern(query).subn(lambda _m: replacement, text)
