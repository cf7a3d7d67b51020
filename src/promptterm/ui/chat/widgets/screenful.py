"""How many of a thread's last messages fill the screen: the transcript mounts those when a
thread opens and keeps the rest of the page in memory until the reader scrolls up.

The count is worked out from the messages' text and the terminal's height alone, never from
a layout that may or may not have happened yet, so a thread opens to the same screen however
busy the machine is. Each message is counted at the fewest lines it can take (its Markdown's
lines, unwrapped), so the count errs towards mounting a few more than fit, not fewer; each one
mounted costs the first frame its mount, styles and layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.ui.chat.widgets.markdown import render_markdown

if TYPE_CHECKING:
    from collections.abc import Sequence

    from promptterm.services.chat.threads import MessageInfo

SPARE_LINES = 6  # beyond the terminal's height: the first scroll up has some at hand
GROW = 12  # held messages mounted at a time as the reader scrolls up
NEAR_TOP = 3  # lines from the top where scrolling up mounts held messages (one message)


def lines_at_least(message: MessageInfo) -> int:
    """The fewest lines ``message`` takes: the blank line above it and its head, then the
    lines of its Markdown as drawn before any wrapping (each list item, code line and blank
    line between blocks is one). A tool's result shows its first line until it is expanded.
    An answer still streaming is drawn a block at a time: a line for each block of text."""
    if message.is_tool_result:
        return 3
    if message.status == "streaming":
        return 2 + sum(1 for block in message.content.split("\n\n") if block.strip())
    # Drawn anyway for the messages mounted (and kept: render_markdown caches).
    body = render_markdown(message.content).plain
    return 2 + (body.count("\n") + 1 if body else 0)


def screenful(messages: Sequence[MessageInfo], height: int) -> int:
    """How many of the last ``messages`` to mount for a terminal ``height`` lines tall (the
    transcript is shorter than the terminal: the difference is spare too)."""
    wanted = max(1, height) + SPARE_LINES
    count = lines = 0
    for message in reversed(messages):
        if lines >= wanted:
            break
        lines += lines_at_least(message)
        count += 1
    return count
