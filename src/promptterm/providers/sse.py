"""An incremental Server-Sent Events parser (the WHATWG event-stream format).

Bytes go in as they come off the socket, in pieces of any size: an event, a line, a CRLF
pair or a multi-byte UTF-8 character may be split between two reads. Handles LF, CR and
CRLF line ends, multi-line ``data``, comments (``: keep-alive``), ``event``/``id``/``retry``
fields and a leading BOM. Hot path: one decode, one split and a few string checks per read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SSEEvent:
    event: str  # "message" when the stream names no type
    data: str
    id: str | None = None


class SSEParser:
    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._tail = ""  # an unfinished line
        self._skip_lf = False  # the last read ended in CR: a following LF is the same line end
        self._started = False
        self._data: list[str] = []
        self._event = ""
        self._last_id: str | None = None
        self.retry_ms: int | None = None

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """The events completed by ``chunk`` (often none or one)."""
        text = self._decoder.decode(chunk)
        if not text:
            return []
        if not self._started:
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._skip_lf:
            self._skip_lf = False
            if text.startswith("\n"):
                text = text[1:]
        if self._tail:
            text = self._tail + text
        lines = _LINE_END.split(text)
        # The last piece has no line end yet (or is "" when the text ended with one).
        self._tail = lines.pop()
        if text.endswith("\r"):
            self._skip_lf = True
        events: list[SSEEvent] = []
        for line in lines:
            if line:
                self._field(line)
            elif self._data:
                events.append(self._dispatch())
            else:
                self._event = ""  # an empty event: reset, dispatch nothing (per the spec)
        return events

    def close(self) -> list[SSEEvent]:
        """End of a cleanly finished stream. The spec drops an event that lacks its blank
        line; some servers end on ``data: [DONE]`` with no line end at all, so the last
        complete-looking event is kept instead."""
        tail = self._tail + self._decoder.decode(b"", final=True)
        self._tail = ""
        if tail.strip():
            self._field(tail)
        return [self._dispatch()] if self._data else []

    def _field(self, line: str) -> None:
        if line[0] == ":":
            return  # a comment: servers send these as keep-alives
        name, sep, value = line.partition(":")
        if sep and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        # Unknown fields are ignored, as the spec says.

    def _dispatch(self) -> SSEEvent:
        event = SSEEvent(self._event or "message", "\n".join(self._data), self._last_id)
        self._data = []
        self._event = ""
        return event
