"""Text from outside (names, file contents, model answers, imported files) reaches the
terminal with its control characters made visible, so it can never clear the screen, move
the cursor, retitle the window or write the clipboard (``ESC ] 52``).

The CLI wraps stdout and stderr in ``VisibleControls`` for the whole run, so no ``print``
can forget. The notation is ``cat -v``'s: ESC is ``^[``, BEL ``^G``, DEL ``^?``, a C1
control such as CSI (U+009B) ``M-^[``; line and paragraph separators show as ``<U+2028>``.
A line break, a tab and the carriage return of a CRLF pair are text and stay as they are.
Exact bytes are what ``--json`` (escaped as JSON) and writing to a file are for.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

# Every C0 control but \t and \n, DEL, the C1 controls, U+2028/U+2029; a \r only when no
# \n follows it (the end of a chunk is decided by the next write).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    if code <= 0x9F:
        return "M-^" + chr(code - 0x80 + 0x40)
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """``text`` with every control character but a line break and a tab made visible."""
    return _CONTROLS.sub(_shown, text)


def json_safe(document: str) -> str:
    """A JSON document with the controls JSON leaves raw (DEL, C1, U+2028/9) escaped as
    ``\\uXXXX``: the same data, and nothing a terminal acts on."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


class VisibleControls(io.TextIOBase):
    """A text stream that shows control characters instead of passing them on."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._cr = False  # a \r ended the last write: is a \n next?

    def write(self, text: str) -> int:
        if self._cr:
            text, self._cr = "\r" + text, False
        if text.endswith("\r"):
            text, self._cr = text[:-1], True
        self.stream.write(visible(text))
        return len(text)

    def write_trusted(self, text: str) -> None:
        """Our own terminal styling (bold matches in search results), passed on as is."""
        self._settle()
        self.stream.write(text)

    def flush(self) -> None:
        self._settle()
        self.stream.flush()

    def _settle(self) -> None:
        if self._cr:
            self._cr = False
            self.stream.write(visible("\r"))

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")

    def close(self) -> None:
        """Close the stream itself (the CLI does so for stderr when a pipe closed early)."""
        self._settle()
        self.stream.close()
        super().close()

    def __del__(self) -> None:
        # IOBase closes on garbage collection; the wrapped stream is not ours to close.
        pass


def write_trusted(text: str) -> None:
    """Write our own escape sequences to stdout (only text we made, never a name)."""
    out = sys.stdout
    if isinstance(out, VisibleControls):
        out.write_trusted(text)
    else:
        out.write(text)


@contextmanager
def visible_controls() -> Iterator[None]:
    """For the length of the block, stdout and stderr show control characters."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleControls(saved[0]), VisibleControls(saved[1])
    try:
        yield
    finally:
        for wrapper in (sys.stdout, sys.stderr):
            if isinstance(wrapper, VisibleControls) and not wrapper.stream.closed:
                with suppress(OSError, ValueError):  # a closed pipe has nothing to flush to
                    wrapper.flush()
        sys.stdout, sys.stderr = saved
