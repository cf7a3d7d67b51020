"""The screenful a thread opens with is counted from what its messages draw: a message of a
paragraph and a two-item list is six lines (the blank line, its head, the paragraph, the blank
line between blocks, an item each), so fewer of them fill the screen than of one-liners, and
fewer are mounted (each costs the first frame its mount, styles and layout)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from promptterm.services.chat.thread_info import MessageInfo
from promptterm.ui.chat.widgets.screenful import SPARE_LINES, lines_at_least, screenful

LISTED = "A paragraph with `code` and **bold**.\n\n- one\n- two\n"


def message(seq: int, content: str, status: str = "complete") -> MessageInfo:
    return MessageInfo(
        id=uuid.UUID(int=seq), thread_id=uuid.UUID(int=0), seq=seq, role="assistant",
        content=content, status=status, tokens_in=None, tokens_out=None,
        tokens_estimated=False, provider=None, model=None, cost_usd=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip


def test_a_message_counts_the_lines_its_markdown_draws() -> None:
    assert lines_at_least(message(1, LISTED)) == 6
    assert lines_at_least(message(1, "One line.")) == 3
    assert lines_at_least(message(1, "```\na\nb\nc\n```")) == 5
    assert lines_at_least(message(1, "")) == 2


def test_a_streaming_answer_counts_a_line_a_block() -> None:
    assert lines_at_least(message(1, LISTED, status="streaming")) == 4


def test_a_screenful_of_listed_messages_is_the_height_and_spare_in_their_lines() -> None:
    messages = [message(n, LISTED) for n in range(1, 51)]
    wanted = 24 + SPARE_LINES
    assert screenful(messages, 24) == -(-wanted // 6)
