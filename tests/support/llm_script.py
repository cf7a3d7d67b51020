"""What the test LLM server answers to one request (support/llm_server.py): the text and how
it is cut, and the misbehaviour to script (errors, drops, stalls, holds, keep-alives, broken
JSON, tool calls)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field


@dataclass
class Script:
    """One scripted answer; the fields combine."""

    text: str = "Hello from the test server."
    tokens: list[str] | None = None  # how the text is cut into deltas (default: by word)
    status: int = 200  # non-200: an error answer, in the protocol's error format
    error_type: str = "api_error"
    error_code: str | None = None
    error_message: str = "Something went wrong."
    headers: dict[str, str] = field(default_factory=dict)
    usage: bool = True  # report token counts
    finish: bool = True  # OpenAI finish_reason / Anthropic message_delta
    done: bool = True  # OpenAI [DONE] / Anthropic message_stop
    chunk_bytes: int | None = None  # cut the byte stream into writes of this size
    write_pause: float | None = None  # seconds between writes (default 0.001 with chunk_bytes)
    first_byte_delay: float = 0.0  # seconds before the status line
    error_after: int | None = None  # tokens, then an error event
    drop_after: int | None = None  # tokens, then the connection is cut
    stall_after: int | None = None  # tokens, then silence for stall_seconds
    stall_seconds: float = 3.0
    # tokens, then nothing until the test sets ``hold`` (a stream held open deterministically)
    hold_after: int | None = None
    hold: threading.Event | None = None
    crlf: bool = False  # CRLF line ends
    keepalive: bool = False  # SSE comments (OpenAI) / ping events (Anthropic) between tokens
    multiline: bool = False  # JSON pretty-printed over several data: lines
    # Faults of real servers and proxies:
    keepalive_after: int | None = None  # tokens, then only keep-alives, for ever
    keepalive_every: float = 0.05  # seconds between those keep-alives
    html: str | None = None  # a 200 with this HTML page instead of an event stream
    bad_json_after: int | None = None  # tokens, then one event whose data is not JSON
    close_before_reply: bool = False  # read the request, then close without a byte
    # Tool calls after the text: [{"id", "name", "arguments" (the raw JSON text, sent as
    # is, so a test can send a broken one)}], each cut into deltas of ``tool_piece`` chars
    # (mid-string, mid-escape), in the protocol's own format; the answer ends asking for them.
    tool_calls: list[dict[str, str]] | None = None
    tool_piece: int = 3

    def deltas(self) -> list[str]:
        return self.tokens if self.tokens is not None else re.findall(r"\s*\S+", self.text)

    def argument_pieces(self, raw: str) -> list[str]:
        step = max(1, self.tool_piece)
        return [raw[i : i + step] for i in range(0, len(raw), step)]
