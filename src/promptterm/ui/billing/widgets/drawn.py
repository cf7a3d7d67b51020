"""A widget drawn line by line for its exact width (bars, charts and tables that must fit
80 columns), and the column table the billing tables share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

Cell = Content | str | tuple[str, str]


def cell(value: Cell) -> Content:
    if isinstance(value, Content):
        return value
    if isinstance(value, tuple):
        return Content.styled(*value)
    return Content(value)


def fit(value: Cell, width: int, align: str = "left") -> Content:
    """``value`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    content = cell(value)
    if width <= 0:
        return Content("")
    if content.cell_length > width:
        return content.truncate(width, ellipsis=True)
    gap = width - content.cell_length
    return content.pad_left(gap) if align == "right" else content.pad_right(gap)


class Drawn(Widget):
    """Subclasses implement ``draw(width)``; ``redraw()`` after their data changes."""

    DEFAULT_CSS = """
    Drawn {
        height: auto;
    }
    """

    def draw(self, width: int) -> list[Content]:
        raise NotImplementedError

    def render(self) -> Content:
        width = self.content_region.width or self.size.width
        return Content("\n").join(self.draw(width)) if width else Content("")

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.draw(width)) if width else 0

    def redraw(self) -> None:
        self.clear_cached_dimensions()
        self.refresh(layout=True)


@dataclass(frozen=True)
class Column:
    title: str
    width: int | None  # None: takes the room left (one per table); 0: as wide as its cells
    align: str = "left"


def _sized(columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> list[int | None]:
    return [
        max([len(c.title), *(cell(row[i]).cell_length for row in rows)])
        if c.width == 0
        else c.width
        for i, c in enumerate(columns)
    ]


def flexible_room(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int) -> int:
    """The cells left for the flexible column once the others have theirs."""
    return width - sum(w or 0 for w in _sized(columns, rows)) - 2 * (len(columns) - 1)


def table_lines(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int, empty: str
) -> list[Content]:
    """A header and rows, columns separated by two spaces, fitted to ``width``."""
    room = max(1, flexible_room(columns, rows, width))
    widths = [w if w is not None else room for w in _sized(columns, rows)]

    def line(values: Sequence[Cell]) -> Content:
        parts = [fit(v, w, c.align) for v, w, c in zip(values, widths, columns, strict=True)]
        return fit(Content("  ").join(parts), width)

    lines = [line([c.title for c in columns]).stylize_before("bold $text-muted")]
    if not rows:
        lines.append(fit((empty, "italic $text-muted"), width))
    lines += [line(row) for row in rows]
    return lines
