"""One column of the board: its cards, two lines each (title; kind and priority in words,
and at the right "⛓2" for a card linked to two others), drawn line by line for what is on
screen only, so a column of thousands opens at once."""

from __future__ import annotations

import uuid
from typing import ClassVar

# Textual imports its scrollbars when a first widget overflows: here that is a column on the
# plan's first open, so they come with this module, which the App imports ahead.
import textual.scrollbar  # noqa: F401
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from promptterm.services.plan import PlanCard

ROWS = 2  # lines per card
LINKED = "⛓"  # before the number of cards a card is linked to
PRIORITY_WORDS = {
    "not-prioritized": "no priority",
    "low": "low",
    "medium": "medium",
    "high": "high",
    "urgent": "urgent",
}


class CardColumn(ScrollView, can_focus=True):
    """The cards of one status, in board order; ``cursor`` is the highlighted one."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "card--title",
        "card--meta",
        "card--cursor",
        "card--cursor-blurred",
        "card--empty",
        "card--task",
        "card--bug",
        "card--feature",
        "card--high",
        "card--urgent",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Card above", show=False, id="plan-card-up"),
        Binding("down,j", "cursor(1)", "Card below", show=False, id="plan-card-down"),
        Binding("home", "cursor_to(0)", "First card", show=False, id="plan-card-first"),
        Binding("end", "cursor_to(-1)", "Last card", show=False, id="plan-card-last"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="plan-card-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="plan-card-page-down"),
    ]

    def __init__(self, status: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.status = status
        self.cards: list[PlanCard] = []
        self.cursor = 0
        # Links to other cards, by card (the board's ``link_counts``): the marker.
        self.link_counts: dict[uuid.UUID, int] = {}
        # Component styles by name, for the lines drawn until the CSS or the theme changes:
        # working one out costs more than drawing the line it is for.
        self._styles: dict[str, Style] = {}

    # What it shows --------------------------------------------------------------------------

    def show(self, cards: list[PlanCard], keep: uuid.UUID | None = None) -> None:
        """Show ``cards``; the cursor stays on ``keep`` (or on the card it was on, or at the
        same place) when it is among them."""
        current = keep or (self.current.id if self.current else None)
        self.cards = cards
        index = next((n for n, c in enumerate(cards) if c.id == current), None)
        self.cursor = min(self.cursor, max(len(cards) - 1, 0)) if index is None else index
        self._size_to_cards()
        self._reveal()
        self.refresh()

    @property
    def current(self) -> PlanCard | None:
        return self.cards[self.cursor] if 0 <= self.cursor < len(self.cards) else None

    def index_of(self, card_id: uuid.UUID) -> int | None:
        return next((n for n, c in enumerate(self.cards) if c.id == card_id), None)

    def move_cursor_to(self, index: int) -> None:
        if self.cards:
            self.cursor = max(0, min(index, len(self.cards) - 1))
            self._reveal()
            self.refresh()

    # Keys -----------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.move_cursor_to(self.cursor + step)

    def action_cursor_to(self, index: int) -> None:
        self.move_cursor_to(index if index >= 0 else len(self.cards) - 1)

    def action_page(self, pages: int) -> None:
        per_page = max(self.scrollable_content_region.height // ROWS, 1)
        self.move_cursor_to(self.cursor + pages * per_page)

    def _reveal(self) -> None:
        if self.cards:
            width = max(self.size.width, 1)
            self.scroll_to_region(Region(0, self.cursor * ROWS, width, ROWS), animate=False)

    # Drawing --------------------------------------------------------------------------------

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self._size_to_cards()

    def _size_to_cards(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, max(len(self.cards), 1) * ROWS)

    def notify_style_update(self) -> None:
        self._styles.clear()
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def _fg(self, name: str) -> Style:
        """A component's colour and text style, without its background: the cursor's
        background must show through."""
        key = f"fg:{name}"
        style = self._styles.get(key)
        if style is None:
            full = self._style(name)
            style = Style(color=full.color, bold=full.bold, italic=full.italic)
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + self.scroll_offset.y
        index, line = divmod(row, ROWS)
        base = self._styles.get("")
        if base is None:  # the column's own style: worked out from every ancestor's
            base = self._styles[""] = self.rich_style
        if not self.cards:
            if row == 0:
                style = self._fg("card--empty")
                return _strip([(" (no cards)", style)], width, base)
            return Strip.blank(width, base)
        if index >= len(self.cards):
            return Strip.blank(width, base)
        card = self.cards[index]
        if index == self.cursor:
            name = "card--cursor" if self.has_focus else "card--cursor-blurred"
            base = base + self._style(name)
        if line == 0:
            title = self._fg("card--title")
            return _strip([(" ", Style()), (card.name, title)], width, base)
        kind = self._fg(f"card--{card.kind}")
        meta = self._fg("card--meta")
        words = PRIORITY_WORDS.get(card.priority, card.priority)
        urgency = (
            self._fg(f"card--{card.priority}") if card.priority in ("high", "urgent") else meta
        )
        parts = [(" ", Style()), (card.kind, kind), (" · ", meta), (words, urgency)]
        linked = self.link_counts.get(card.id, 0)
        if not linked:
            return _strip(parts, width, base)
        # At the right edge, kept whole: the priority gives way first.
        marker = f" {LINKED}{linked} "
        room = max(width - cell_len(marker), 0)
        return Strip.join([_strip(parts, room, base), _strip([(marker, meta)], width - room, base)])


def _strip(parts: list[tuple[str, Style]], width: int, base: Style) -> Strip:
    """One line of ``parts`` on ``base``, cut with an ellipsis to ``width`` cells."""
    segments: list[Segment] = []
    room = width
    for text, style in parts:
        if room <= 0:
            break
        size = cell_len(text)
        if size > room:
            text = set_cell_size(text, room - 1) + "…"
            size = room
        segments.append(Segment(text, base + style))
        room -= size
    return Strip(segments).extend_cell_length(width, base)
