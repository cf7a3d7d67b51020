"""Files too big to edit here: a read-only, line-virtualized view under a clear notice.

Only the lines on screen are drawn, so a file of a million lines scrolls as fast as a
short one. The notice says why it is read-only and offers "open in $EDITOR".
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.widgets import Static

from promptterm.ui.editor.widgets.diff_model import TAB
from promptterm.ui.editor.widgets.line_view import LineView


class ReadOnlyLines(LineView):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"read-only-lines--gutter"}
    DEFAULT_CSS = """
    ReadOnlyLines > .read-only-lines--gutter { color: $text-muted; }
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines = text.split("\n")
        if len(self.lines) > 1 and self.lines[-1] == "":
            self.lines.pop()  # a final newline ends the last line; it is not a line of its own
        self._widest: int | None = None
        # Measured before the first layout: waiting for the first resize drew one frame with
        # no scrollbars (and one more line), then the scrollbars came in under the text.
        # The resize widens this to the view when the lines are narrower.
        self.set_reactive(
            ReadOnlyLines.virtual_size, Size(self.content_width(0), self.line_count())
        )

    def line_count(self) -> int:
        return len(self.lines)

    def _gutter(self) -> int:
        return len(str(len(self.lines))) + 2

    def content_width(self, width: int) -> int:
        if self._widest is None:
            # Measured once (len, not cell width: a fair bound that costs one pass).
            self._widest = max((len(line) for line in self.lines), default=0) + 8
        return max(width, self._widest + self._gutter())

    def build_line(self, y: int, width: int) -> Text:
        number = f"{y + 1:>{self._gutter() - 2}}  "
        text = Text(number, style=self.get_component_rich_style("read-only-lines--gutter"))
        text.append(self.lines[y].replace("\t", TAB))
        return text

    @property
    def top_line(self) -> int:
        return int(self.scroll_offset.y)


class ReadOnlyPane(Vertical):
    """The notice above the lines."""

    DEFAULT_CSS = """
    ReadOnlyPane { height: 1fr; }
    ReadOnlyPane > .read-only-notice {
        height: auto;
        padding: 0 1;
        background: $warning 20%;
        color: $text;
    }
    ReadOnlyPane > ReadOnlyLines { height: 1fr; }
    """

    def __init__(self, text: str, notice: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._notice = notice
        # Made now, not in compose: the editor focuses and places it as the pane is added,
        # before its compose may have run.
        self.lines = ReadOnlyLines(text)

    def compose(self) -> ComposeResult:
        yield Static(self._notice, classes="read-only-notice", markup=False)
        yield self.lines
