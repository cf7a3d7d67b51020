"""Bracket matching for CodeArea: a regex scan per line that stops ``BRACKET_SEARCH_LINES``
away, where the stock TextArea scans to the end of the file a character at a time."""

from __future__ import annotations

import re

from textual.document._document import Location

BRACKET_SEARCH_LINES = 2_000
"""How far (in lines) a matching bracket is looked for; the stock widget scans to the end
of the file, a Python loop per character, whenever the cursor rests on a bracket."""

_BRACKET = re.compile(r"[()\[\]{}]")
_OPENING = {"{": "}", "[": "]", "(": ")"}
_CLOSING = {closing: opening for opening, closing in _OPENING.items()}


def matching_bracket(lines: list[str], bracket: str, search_from: Location) -> Location | None:
    """Where the bracket matching ``bracket`` (at ``search_from``) is, or None."""
    row, column = search_from
    stack: list[str] = []
    if bracket in _OPENING:
        last_row = min(len(lines), row + BRACKET_SEARCH_LINES)
        while row < last_row:
            for match in _BRACKET.finditer(lines[row], column):
                candidate = match.group()
                if candidate in _OPENING:
                    stack.append(candidate)
                elif stack and stack[-1] == _CLOSING[candidate]:
                    stack.pop()
                    if not stack:
                        return row, match.start()
            row, column = row + 1, 0
    elif bracket in _CLOSING:
        first_row = max(-1, row - BRACKET_SEARCH_LINES)
        end = column + 1
        while row > first_row:
            line = lines[row]
            for match in reversed(list(_BRACKET.finditer(line, 0, end))):
                candidate = match.group()
                if candidate in _CLOSING:
                    stack.append(candidate)
                elif stack and stack[-1] == _OPENING[candidate]:
                    stack.pop()
                    if not stack:
                        return row, match.start()
            row -= 1
            end = len(lines[row]) if row >= 0 else 0
    return None
