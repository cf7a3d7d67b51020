"""The body of an answer while it streams: finished blocks drawn once, the last ones redrawn.

Markdown only changes at its end while text is appended: a block followed by two more
blocks is final. So the text is cut before its last two top-level blocks; what comes before
goes into a Static that is drawn once and then left alone, and only the tail (a paragraph
or two, a list, a code block) is parsed and drawn again on each update. An update costs
the same at the first word and at the five thousandth, and the layout holds a handful of
widgets per answer, not one per block as Textual's Markdown widget would.

(Why two blocks and not one: the last block can still change what the one before it is.
"1. a", a blank line, then "2" is a list and a paragraph until ". b" arrives and makes both
one list.)

The body keeps a few blank lines below its text to grow into: while the text fits, an update
repaints the tail alone. A height that changed lays out the screen and scrolls the
transcript, repainting all of it (and its scroll bar in the frame after); with the reserve
that happens once every ``RESERVE`` lines, not on every draw. The reserve is the whole
body's, counted over the settled parts and the tail: a block that settles moves its lines
from the tail into a part and the body keeps its height. Moving them still changes two
widgets' heights, a layout of its own, so finished blocks wait in the tail until a layout
is due anyway (the text outgrew the reserve). An update that draws what is already shown
(a space, a newline that ends no block) repaints nothing.

Blocks are drawn by the same renderer as a stored message (markdown.py), so nothing moves
when the answer is complete and the message is drawn whole; what was drawn is kept, and the
finished message is drawn from it (``shown``) instead of parsing the whole answer again
(a 5,000-token answer took 170 ms to parse, and keys waited that long when it ended).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static

from promptterm.ui.chat.widgets.format import markdown_parser
from promptterm.ui.chat.widgets.markdown import markdown_content, tokens_content
from promptterm.ui.chat.widgets.one_layout import OneLayout

if TYPE_CHECKING:
    from markdown_it.token import Token

PART_SIZE = 4000  # characters of finished blocks one Static draws, about a screenful
# Blank lines (at most) the body keeps below its text to grow into. An answer at 100 tokens a
# second grows a line and a half per draw in an 80-column terminal: a layout every few draws.
RESERVE = 6
ROWS_KEPT = 512  # lines whose wrapped height is remembered (a few screenfuls of paragraphs)


class StreamText(OneLayout, Static):
    """A settled part, or the tail."""


class StreamTail(StreamText):
    """The tail, which can repaint only the rows an update changed: a word appended to
    the last line repaints that line, not the tail's every line and the room below."""

    def __init__(self) -> None:
        super().__init__(classes="stream-tail")
        self._only: Region | None = None

    def show_rows(self, content: Content, rows: Region) -> None:
        """``content`` in place of one of the same height whose rows differ only in
        ``rows`` (what Static.update repaints is the whole widget)."""
        self._only = rows
        try:
            self.update(content, layout=False)
        finally:
            self._only = None

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if self._only is not None and not (regions or layout or recompose):
            regions = (self._only,)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


class StreamBody(OneLayout, Vertical):
    """A streaming answer's Markdown: settled parts above, the growing tail below."""

    def __init__(self, text: str = "") -> None:
        super().__init__(classes="message-body")
        self._text = ""
        self._sources: list[str] = []  # the Markdown of each settled part
        self._drawn: list[Content] = []  # and what it draws
        self._parts: list[Static] = []
        self._tail = StreamTail()
        self._tail_drawn = Content("")
        self._reserved = 0  # the tail's height, its text and the body's reserve
        self._width = 0  # what the reserve was measured at (0: not laid out yet)
        self._heights: list[int] = []  # each settled part's lines, at ``_width``
        # The rows each line of text wraps to at ``_width``, by its text: a draw measures
        # the line that grew, not the tail's every paragraph again (twice).
        self._rows: dict[str, int] = {}
        self.append(text)

    @property
    def source(self) -> str:
        return self._text

    @property
    def shown(self) -> Content:
        """What the body shows, as one Content (parts are a blank line apart): what
        ``markdown_content(self.source)`` would give, without parsing it again."""
        drawn = [*self._drawn, self._tail_drawn]
        return Content("\n\n").join(d for d in drawn if d.plain)

    def compose(self) -> ComposeResult:
        yield from self._parts
        yield self._tail

    def replace(self, text: str) -> None:
        """Everything at once (the thread was reopened while the answer streams)."""
        if self.is_attached:
            self.remove_children(self._parts)
        self._text = ""
        self._sources = []
        self._drawn = []
        self._parts = []
        self._heights = []
        self.append(text)

    def append(self, text: str) -> None:
        self._text += text
        tail = self._tail_text()
        # One parse per update: it says what could settle and draws the tail.
        tokens = markdown_parser().parse(tail) if tail.strip() else []
        cut = settled_at(tail, tokens)
        content = tokens_content(tokens) if tokens else Content("")
        if cut and self._settles(content, len(tail)):
            self._settle(tail[:cut])
            self._show_tail(tail[cut:], markdown_content(tail[cut:]), fit=True)
        else:
            self._show_tail(tail, content, fit=False)

    def _settles(self, tail: Content, size: int) -> bool:
        """Whether finished blocks leave the tail now: only with a layout due anyway (the
        text outgrew the reserve, or the width is new), or a tail grown long. A block that
        settles changes the heights of two widgets, which costs a layout and a repaint of
        the transcript; the drawing is the same either way (the body's height follows from
        its text alone), so blocks wait in the tail, parsed with it, for the next layout."""
        width = self.content_size.width
        if not width or width != self._width or size > PART_SIZE:
            return True
        return self._room(self._lines(tail)) != self._reserved

    def on_resize(self) -> None:
        if self.content_size.width != self._width:
            tail = self._tail_text()
            self._show_tail(tail, markdown_content(tail), fit=True)

    def _show_tail(self, tail: str, content: Content, *, fit: bool) -> None:
        """Draw the tail (``content``, drawn from ``tail``); lay out only when the text
        outgrew the reserve (or ``fit``: a block settled or the width changed, so the
        heights are measured again)."""
        width = self.content_size.width
        visible = bool(tail.strip())
        if self._tail.display != visible:
            self._tail.display = visible
        if not width:
            self._tail_drawn = content
            self._tail.update(content)
            return
        if fit or width != self._width:
            if width != self._width:
                self._rows.clear()
            self._width = width
            self._heights = [self._lines(drawn) for drawn in self._drawn]
        reserved = self._room(self._lines(content))
        if reserved == self._reserved:
            if not content.is_same(self._tail_drawn):  # else nothing visible changed
                first = self._first_changed_row(self._tail_drawn, content)
                end = max(self._lines(self._tail_drawn), self._lines(content))
                self._tail_drawn = content
                self._tail.show_rows(content, Region(0, first, width, max(1, end - first)))
            return
        self._tail_drawn = content
        self._reserved = reserved
        self._tail.styles.height = reserved
        self._tail.update(content)

    def _room(self, needed: int) -> int:
        """The tail's height for a tail of ``needed`` lines: each settled part and the blank
        line under it, then the tail's text, rounded up to the next RESERVE. The height
        steps by RESERVE lines and follows from the text alone, never from how the network
        cut it into chunks: the same answer always leaves the same room below."""
        above = sum(self._heights) + len(self._heights)
        return ((above + needed) // RESERVE + 1) * RESERVE - above

    def _first_changed_row(self, before: Content, after: Content) -> int:
        """The first row at which ``after`` draws differently from ``before``: a line is
        wrapped on its own, so the rows of the lines both begin with are the same."""
        row = 0
        for old, new in zip(
            before.split(allow_blank=True), after.split(allow_blank=True), strict=False
        ):
            if not old.is_same(new):
                break
            row += self._line_rows(new)
        return row

    def _lines(self, drawn: Content) -> int:
        """The rows ``drawn`` takes at ``_width``: Textual wraps each of its lines on its own
        (Content.get_height), so they are added up from the lines' rows."""
        return sum(map(self._line_rows, drawn.split(allow_blank=True)))

    def _line_rows(self, line: Content) -> int:
        """The rows one line of text wraps to (a height depends on the text alone, not its
        styles). Remembered until the width changes, or until there are many: a draw
        measures only the line that grew."""
        rows = self._rows.get(line.plain)
        if rows is None:
            if len(self._rows) > ROWS_KEPT:
                self._rows.clear()
            rows = self._rows[line.plain] = line.get_height(self._tail.styles, self._width)
        return rows

    def _tail_text(self) -> str:
        return self._text[sum(map(len, self._sources)) :]

    def _settle(self, text: str) -> None:
        """Finished blocks join the newest part until it is about a screenful, then start
        the next: few widgets to lay out, and no redraw whose cost keeps growing."""
        if self._parts and len(self._sources[-1]) + len(text) <= PART_SIZE:
            # Only the blocks that settle are parsed: those before them are final, and a
            # part draws its blocks a blank line apart as one parse of them all would.
            self._sources[-1] += text
            self._drawn[-1] = Content("\n\n").join([self._drawn[-1], markdown_content(text)])
            self._parts[-1].update(self._drawn[-1])
            return
        drawn = markdown_content(text)
        part = StreamText(drawn, classes="stream-part")
        self._sources.append(text)
        self._drawn.append(drawn)
        self._parts.append(part)
        if self.is_attached:
            self.mount(part, before=self._tail)


def settled_length(text: str) -> int:
    """How much of ``text`` no later text can change: everything before its last two
    top-level blocks, cut at a blank line (0 when there is no such place)."""
    return settled_at(text, markdown_parser().parse(text))


def settled_at(text: str, tokens: list[Token]) -> int:
    """``settled_length`` of ``text`` from its tokens."""
    starts = [
        token.map[0]
        for token in tokens
        if token.level == 0 and token.nesting >= 0 and token.map is not None
    ]
    if len(starts) < 3:
        return 0
    line = starts[-2]
    lines = text.split("\n")
    if lines[line - 1].strip():
        return 0
    return sum(len(row) + 1 for row in lines[:line])
