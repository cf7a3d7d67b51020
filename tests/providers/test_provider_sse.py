"""The SSE parser: any split of the bytes gives the same events."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from promptterm.providers.sse import SSEEvent, SSEParser

STREAM = (
    "\ufeff: hello, a comment\r\n"
    "retry: 3000\r\n"
    "\r\n"
    "event: content_block_delta\r\n"
    'data: {"text": "caf\u00e9 \u2615 na\u00efve"}\r\n'
    "\r\n"
    "id: 7\n"
    "data: line one\n"
    "data:line two\n"
    "data\n"
    "\n"
    ": keep-alive\r"
    "\r"
    "data: [DONE]\n"
    "\n"
).encode()

EXPECTED = [
    SSEEvent("content_block_delta", '{"text": "caf\u00e9 \u2615 na\u00efve"}', None),
    SSEEvent("message", "line one\nline two\n", "7"),
    SSEEvent("message", "[DONE]", "7"),
]


def parse(pieces: list[bytes]) -> tuple[list[SSEEvent], SSEParser]:
    parser = SSEParser()
    events = [event for piece in pieces for event in parser.feed(piece)]
    return events + parser.close(), parser


def test_whole_stream_at_once() -> None:
    events, parser = parse([STREAM])
    assert events == EXPECTED
    assert parser.retry_ms == 3000


def test_every_single_byte_boundary() -> None:
    # CRLF pairs and multi-byte characters are cut in half along the way.
    assert parse([STREAM[i : i + 1] for i in range(len(STREAM))])[0] == EXPECTED


@given(st.lists(st.integers(min_value=1, max_value=len(STREAM)), max_size=30))
def test_any_split_gives_the_same_events(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    pieces = [STREAM[a:b] for a, b in zip([0, *points], [*points, len(STREAM)], strict=True)]
    assert parse(pieces)[0] == EXPECTED


def test_an_event_with_no_data_dispatches_nothing_and_resets_the_type() -> None:
    events, _ = parse([b"event: ping\n\ndata: x\n\n"])
    assert events == [SSEEvent("message", "x")]


def test_a_stream_ending_without_its_blank_line_keeps_the_last_event() -> None:
    assert parse([b"data: a\n\ndata: [DONE]"])[0] == [
        SSEEvent("message", "a"),
        SSEEvent("message", "[DONE]"),
    ]


def test_a_cr_at_the_end_of_a_read_followed_by_lf_is_one_line_end() -> None:
    # Were the LF taken as a second line end, "data: b" would dispatch too early.
    events, _ = parse([b"data: a\r", b"\ndata: b\r\n", b"\r\n"])
    assert events == [SSEEvent("message", "a\nb")]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert parse([b"data: \xff\xfe ok\n\n"])[0] == [SSEEvent("message", "\ufffd\ufffd ok")]
