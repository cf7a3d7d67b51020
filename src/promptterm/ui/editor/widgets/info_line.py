"""The line under the code: path, version, cursor, language, and what state the file is in.

It changes on every cursor move, so it repaints itself only (never a layout pass): a
keystroke in a big file must stay within one frame.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from promptterm.links import safe_url


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
        self.link: tuple[int, str] | None = None  # how many leading characters lead where

    def show(self, text: str, link: tuple[int, str] | None = None) -> None:
        """``link``: the first N characters (the path) are a hyperlink to the URL."""
        if text != self.text or link != self.link:
            self.text, self.link = text, link
            self.refresh()

    def render(self) -> Text:
        text = Text(self.text, no_wrap=True, overflow="ellipsis")
        if self.link is not None:
            # An OSC 8 hyperlink: ctrl/cmd+click opens the file where the terminal can.
            length, url = self.link
            text.stylize(Style(link=safe_url(url)), 0, length)
        return text
