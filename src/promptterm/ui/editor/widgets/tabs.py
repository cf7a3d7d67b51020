"""The row of open files above the code: the active one stands out, unsaved ones carry a dot.

One line, never focusable (tabs change with keys from anywhere: alt+left/right, the tree, the
palette). When the tabs do not fit, the row scrolls to keep the active tab in view and shows
an angle quote at the side where more tabs are hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

MODIFIED = "\u25cf"  # ●


@dataclass(frozen=True)
class TabLabel:
    key: str  # the pane id
    name: str
    modified: bool = False
    flag: str = ""  # "read-only", "conflict", "not loaded"


class EditorTabs(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "editor-tabs--tab",
        "editor-tabs--active",
        "editor-tabs--modified",
        "editor-tabs--flag",
        "editor-tabs--more",
    }
    DEFAULT_CSS = """
    EditorTabs {
        height: 1;
        background: $panel;
        color: $text-muted;
    }
    EditorTabs > .editor-tabs--tab { color: $text-muted; }
    EditorTabs > .editor-tabs--active { background: $surface; color: $text; text-style: bold; }
    EditorTabs > .editor-tabs--modified { color: $warning; }
    EditorTabs > .editor-tabs--flag { color: $text-muted; text-style: italic; }
    EditorTabs > .editor-tabs--more { color: $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels: list[TabLabel] = []
        self.active: str | None = None

    def show(self, labels: list[TabLabel], active: str | None) -> None:
        self.labels = labels
        self.active = active
        self.refresh()

    def _piece(self, label: TabLabel) -> Text:
        active = label.key == self.active
        base = self.get_component_rich_style(
            "editor-tabs--active" if active else "editor-tabs--tab"
        )
        piece = Text(" ", style=base)
        piece.append(label.name, base)
        if label.flag:
            piece.append(
                f" {label.flag}", base + self.get_component_rich_style("editor-tabs--flag")
            )
        if label.modified:
            piece.append(
                f" {MODIFIED}", base + self.get_component_rich_style("editor-tabs--modified")
            )
        piece.append(" ", base)
        return piece

    def render(self) -> Text:
        if not self.labels:
            return Text(" no file open", style=self.get_component_rich_style("editor-tabs--flag"))
        pieces = [self._piece(label) for label in self.labels]
        width = max(1, self.size.width)
        keys = [label.key for label in self.labels]
        active = keys.index(self.active) if self.active in keys else 0
        # Start as far left as possible while the active tab still fits.
        start = 0
        while (
            start < active and sum(p.cell_len + 1 for p in pieces[start : active + 1]) > width - 2
        ):
            start += 1
        more = self.get_component_rich_style("editor-tabs--more")
        sep = self.get_component_rich_style("editor-tabs--tab")
        out = Text(no_wrap=True, overflow="crop")
        if start:
            out.append("\u2039", more)  # a left angle quote
        for n, piece in enumerate(pieces[start:], start):
            if n > start:
                out.append("\u2502", sep)  # │
            out.append_text(piece)
        if out.cell_len > width:
            out.truncate(width - 1)
            out.append("\u203a", more)
        return out
