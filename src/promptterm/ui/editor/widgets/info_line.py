"""The line under the code: path, version, cursor, language, and what state the file is in.

It changes on every cursor move, so it repaints itself only (never a layout pass): a
keystroke in a big file must stay within one frame.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class InfoLine(Widget):
    DEFAULT_CSS = """
    InfoLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="ellipsis")
