"""What a run prints, made safe to show and store: colours kept, every other control gone,
secret values masked, and only the last lines kept in memory.

Output arrives in chunks cut anywhere, so each step holds back what the next chunk may
complete: an escape sequence cut in half, a secret whose first letters ended the chunk.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterable

MASK = "••••"
# An SGR sequence (colours, bold): the one kind of escape a run's output keeps.
_SGR = r"\x1b\[[0-9;:]*m"
# Any other escape (cursor moves, clears, titles, OSC 52 clipboard writes), a C0 or C1
# control but tab and newline, a lone carriage return: removed. Every match starts with one
# character of a set, then tells by a look-behind which it was: a pattern that begins with a
# set lets the regex engine skip to the next control in a tight loop in C, instead of trying
# each alternative at every character (twice as fast on plain lines). An SGR is skipped by
# the look-ahead rather than matched and put back, so the substitution makes no Python call
# per colour.
_UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"
    r"(?:(?<=\x1b)(?!\[[0-9;:]*m)(?:"
    r"\[[0-?]*[ -/]*[@-~]"  # other CSI
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC
    r"|[ -/]*[0-~]"  # two-character escapes
    r")?"  # or a lone ESC
    r"|(?<=[\x00-\x08\x0b-\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f])"  # any other control
    r"|(?<=\r)(?!\n))"  # a carriage return but in CRLF
)
# An escape that may still be going on at the end of a chunk.
_OPEN_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[PX^_][^\x1b]*|[ -/]*)?$")
# Held back at most this long waiting for an escape to end; past it, it is not one.
_LONGEST_ESCAPE = 4096
_SGR_ONLY = re.compile(_SGR)


class OutputCleaner:
    """Strip every control but colours, newlines and tabs, across chunk boundaries."""

    def __init__(self) -> None:
        self._held = ""

    def feed(self, text: str) -> str:
        text = self._held + text
        self._held = ""
        start = text.rfind("\x1b", max(0, len(text) - _LONGEST_ESCAPE))
        if start >= 0 and _OPEN_ESCAPE.match(text, start):
            text, self._held = text[:start], text[start:]
        elif text.endswith("\r"):
            text, self._held = text[:-1], "\r"  # the next chunk may bring its "\n"
        return _UNSAFE.sub("", text).replace("\r\n", "\n")

    def close(self) -> str:
        held, self._held = self._held, ""
        return _UNSAFE.sub("", held) if held != "\r" else ""


def without_colours(text: str) -> str:
    """Cleaned output with its colours taken out too (a pipe, a search)."""
    return _SGR_ONLY.sub("", text)


class SecretMasker:
    """Replace each secret value by ``••••``, also when a chunk boundary cuts it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first: a secret that contains another is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._hold = max((len(s) for s in self._secrets), default=1) - 1
        self._held = ""

    def feed(self, text: str) -> str:
        if not self._secrets:
            return text
        text = self.mask(self._held + text)
        if self._hold and len(text) > self._hold:
            text, self._held = text[: -self._hold], text[-self._hold :]
        elif self._hold:
            text, self._held = "", text
        return text

    def close(self) -> str:
        held, self._held = self._held, ""
        return self.mask(held)

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text


class LineTail:
    """The last ``limit`` lines of the output, shared between the reading thread and the
    screen; ``version`` grows with every change, so a reader redraws only on news."""

    def __init__(self, limit: int = 2000) -> None:
        self.limit = limit
        self._lines: deque[str] = deque([""], maxlen=limit)
        self._lock = threading.Lock()
        self.version = 0
        self.total_lines = 0  # every line seen, kept or not

    def feed(self, text: str) -> None:
        if not text:
            return
        # Only the last ``limit`` lines of a flood can stay: split off just those (the head,
        # one piece, then ends the line under way, which they push out anyway).
        parts = text.rsplit("\n", self.limit)
        ended = text.count("\n") if len(parts) > self.limit else len(parts) - 1
        with self._lock:
            self._lines[-1] += parts[0]
            self.total_lines += ended
            self._lines.extend(parts[1:])
            self.version += 1

    def lines(self) -> list[str]:
        """The kept lines; the last is the line still being written ("" after a newline)."""
        with self._lock:
            return list(self._lines)

    def last(self, count: int) -> list[str]:
        """The last ``count`` kept lines (what a panel shows), without copying the rest."""
        with self._lock:
            size = len(self._lines)
            return [self._lines[i] for i in range(max(0, size - count), size)]

    def text(self) -> str:
        return "\n".join(self.lines())
