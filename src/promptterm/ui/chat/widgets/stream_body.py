"""The body of an answer while it streams: one widget that draws its rows itself.

Markdown only changes at its end while text is appended: a block followed by two more
blocks is final, and so is a paragraph or a heading followed by a blank line and another
block. So the text is cut before its last block, or its last two; what comes before is drawn
into rows once and kept (``StreamRows``), and only the tail (a paragraph, a list, a code
block) is parsed and drawn again on each update. An update costs the same at the first word
and at the five thousandth.

(Why two blocks in general: the last block can still change what the one before it is.
"1. a", a blank line, then "2" is a list and a paragraph until ". b" arrives and makes both
one list; two indented code blocks a blank line apart are one. Nothing that comes after a
blank line joins a paragraph or a heading.)

What a draw costs the screen is what Textual's ``Log`` widget costs, not a layout:

- The body is drawn through the line API (``render_line``), so an update repaints the rows
  that changed, and a block that settles moves nothing.
- Its height changes in steps of ``RESERVE`` rows (blank ones kept below the text to grow
  into), and only up to the transcript's height while the transcript follows the end
  (follows_stream.py). A change of height lays out the whole screen and repaints the
  transcript; past that cap the newest rows shift up inside the body instead, as in a
  terminal, and the answer outgrows the screen with no layout at all. On screen the two
  look the same: the rows the cap hides are above the transcript's top.
- The reader who scrolls up gets the whole answer (``uncap``): the transcript asks for it
  before it moves, keeping what is on screen where it is.

Blocks are drawn by the same renderer as a stored message (markdown.py), so nothing moves
when the answer is complete and the message is drawn whole; what was drawn is kept, and the
finished message is drawn from it (``shown``) instead of parsing the whole answer again
(a 5,000-token answer took 170 ms to parse, and keys waited that long when it ended).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from promptterm.ui.chat.widgets.finished_rows import FinishedRows
from promptterm.ui.chat.widgets.follows_stream import FollowsStream
from promptterm.ui.chat.widgets.format import markdown_parser
from promptterm.ui.chat.widgets.markdown import markdown_content, tokens_content
from promptterm.ui.chat.widgets.one_layout import OneLayout
from promptterm.ui.chat.widgets.stream_rows import StreamRows
from promptterm.ui.chat.widgets.styles_key import styles_key

if TYPE_CHECKING:
    from markdown_it.token import Token
    from textual.selection import Selection

# Blank rows (at most) the body keeps below its text to grow into, until it is capped. An
# answer at 100 tokens a second grows a row and a half per draw in an 80-column terminal.
RESERVE = 6


class StreamBody(OneLayout, Widget):
    """A streaming answer's Markdown: settled rows above, the growing tail's below."""

    def __init__(self, text: str = "") -> None:
        super().__init__(classes="message-body")
        self._text = ""
        self._settled = 0  # characters of ``_text`` drawn into settled rows
        self._rows = StreamRows(self)
        self._finished = FinishedRows()  # the rows as the screen shows them
        self._height = 0  # asked for at the last layout
        self._capped = False  # that height is the cap: the oldest rows are above it
        self._painted_shift = 0  # rows hidden above, when the body was last painted whole
        self._styled: tuple[int, ...] = ()  # styles_key when the rows were drawn
        self.append(text)

    @property
    def source(self) -> str:
        return self._text

    @property
    def shown(self) -> Content:
        """What the body shows, as one Content: what ``markdown_content(self.source)``
        would give, without parsing it again."""
        return self._rows.shown

    def replace(self, text: str) -> None:
        """Everything at once (the thread was reopened while the answer streams)."""
        self._text = ""
        self._settled = 0
        self._rows.clear()
        self._finished.forget_from(0)
        self.append(text)

    def append(self, text: str) -> None:
        self._text += text
        tail = self._text[self._settled :]
        # One parse per update: it says what could settle and draws the tail.
        tokens = markdown_parser().parse(tail) if tail.strip() else []
        cut = settled_at(tail, tokens)
        settled = None
        if cut:
            settled = markdown_content(tail[:cut])
            self._settled += cut
            content = markdown_content(tail[cut:])
        else:
            content = tokens_content(tokens) if tokens else Content("")
        first = self._rows.update(settled, content)
        if first is not None:
            self._drawn(first)

    # Drawing ---------------------------------------------------------------------------------

    def _drawn(self, first: int) -> None:
        """Rows from ``first`` on (of all the rows) may have changed: repaint them, or lay
        out when the height must change."""
        if not self._rows.width:
            return  # not laid out yet: the first layout draws
        self._finished.forget_from(first)
        if self._fit() != self._height:
            self.refresh(layout=True)
            return
        shift = self._shift()
        if shift != self._painted_shift:
            # Capped and grown: every row shown moved up (no layout: the height is the same).
            self._painted_shift = shift
            self.refresh()
            return
        top = max(0, first - shift)
        if top < self._height:
            self.refresh(Region(0, top, self._rows.width, self._height - top))

    def _shift(self) -> int:
        """Rows above the first one shown: what the cap hides."""
        return max(0, self._rows.count - self._height) if self._capped else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width != self._rows.width:
            self._rows.redraw(width)
            self._styled = styles_key(self)
            self._finished.forget_from(0)
        self._height = self._fit()
        self._painted_shift = self._shift()  # a layout paints the body whole
        return self._height

    def _fit(self) -> int:
        """The height the body wants now (capped, or the text and its room)."""
        room = self._room()
        cap = self._cap()
        self._capped = cap is not None and room > cap
        return cap if cap is not None and self._capped else room

    def _room(self) -> int:
        """The text's rows rounded up to the next RESERVE: the height steps by RESERVE rows
        and follows from the text alone, never from how the network cut it into chunks."""
        count = self._rows.count
        return (count // RESERVE + 1) * RESERVE if count else 0

    def _cap(self) -> int | None:
        for node in self.ancestors:
            if isinstance(node, FollowsStream):
                return node.rows_followed()
        return None

    def render_line(self, y: int) -> Strip:
        return self._rows.row(y + self._shift())

    def render_lines(self, crop: Region) -> list[Strip]:
        styled = styles_key(self)
        if styled != self._styled:
            # The rows were drawn in styles that changed (another theme, the message's
            # colour): every row is drawn again, as a new width would.
            self._styled = styled
            if self._rows.width:
                self._rows.redraw(self._rows.width)
            self._finished.forget_from(0)
        return self._finished.lines(self, crop, self._shift(), super().render_lines)

    # The reader ------------------------------------------------------------------------------

    def uncap(self) -> tuple[int, int]:
        """Show every row from now on (the reader scrolls away from the end): how many rows
        were hidden above the first one shown, and how many rows taller the body is now.
        The caller scrolls by the first to keep what is on screen where it is."""
        if not self._capped:
            return 0, 0
        hidden = self._shift()
        grown = self._room() - self._height
        self._capped = False
        self._height += grown
        self.refresh(layout=True)
        return hidden, grown

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.shown.plain), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._rows.redraw(self._rows.width)
        self._finished.forget_from(0)
        self.refresh()


def settled_length(text: str) -> int:
    """How much of ``text`` no later text can change: everything before its last two
    top-level blocks, or before its last one when the block before that is a paragraph or a
    heading; cut at a blank line (0 when there is no such place)."""
    return settled_at(text, markdown_parser().parse(text))


# Blocks that a blank line closes for good: what follows cannot join or change them.
CLOSED_BY_A_BLANK_LINE = frozenset({"paragraph_open", "heading_open"})


def settled_at(text: str, tokens: list[Token]) -> int:
    """``settled_length`` of ``text`` from its tokens."""
    blocks = [
        token
        for token in tokens
        if token.level == 0 and token.nesting >= 0 and token.map is not None
    ]
    if len(blocks) >= 2 and blocks[-2].type in CLOSED_BY_A_BLANK_LINE:
        last = blocks[-1]
    elif len(blocks) >= 3:
        last = blocks[-2]
    else:
        return 0
    assert last.map is not None
    line = last.map[0]
    lines = text.split("\n")
    if lines[line - 1].strip():
        return 0
    return sum(len(row) + 1 for row in lines[:line])
