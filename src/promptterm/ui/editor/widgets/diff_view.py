"""A highlighted diff, side by side or unified, drawn line by line (only what is on screen).

Side by side: the left version's lines beside the right version's, removed lines tinted
red on the left, added ones green on the right. Unified: one column, each changed block's
removed lines ("-") above its added ones ("+"), with both line numbers in the gutter. Runs of
unchanged lines are folded into one "⋯ N unchanged lines" row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive

from promptterm.services.words import plural
from promptterm.ui.editor.widgets.diff_model import DiffModel
from promptterm.ui.editor.widgets.line_view import LineView

Side = Literal["left", "right", "both"]


@dataclass(frozen=True)
class _Line:
    """One line of the unified form: a row of the model, and which side of it."""

    row: int
    side: Side


class DiffView(LineView):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diff-view--added",
        "diff-view--removed",
        "diff-view--gutter",
        "diff-view--skip",
        "diff-view--blank",
        "diff-view--divider",
    }
    DEFAULT_CSS = """
    DiffView {
        background: $surface;
    }
    DiffView > .diff-view--added { background: $success 22%; }
    DiffView > .diff-view--removed { background: $error 22%; }
    DiffView > .diff-view--gutter { color: $text-muted; }
    DiffView > .diff-view--skip { color: $text-muted; background: $boost; text-style: italic; }
    DiffView > .diff-view--blank { background: $panel; }
    DiffView > .diff-view--divider { color: $panel-lighten-2; }
    """

    side_by_side: reactive[bool] = reactive(True, init=False)

    def __init__(
        self,
        model: DiffModel | None = None,
        *,
        side_by_side: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.model = model
        self.set_reactive(DiffView.side_by_side, side_by_side)
        self._unified: list[_Line] = []
        self._index()

    def show(self, model: DiffModel) -> None:
        self.model = model
        self._index()
        self.scroll_to(0, 0, animate=False)
        self.reset()

    def watch_side_by_side(self) -> None:
        top = self.first_row()
        self.reset()
        self.scroll_to_row(top)

    def _index(self) -> None:
        self._unified = []
        if self.model is None:
            return
        rows = self.model.rows
        n = 0
        while n < len(rows):
            kind = rows[n].kind
            if kind in ("equal", "skip"):
                self._unified.append(_Line(n, "both"))
                n += 1
                continue
            end = n
            while end < len(rows) and rows[end].kind not in ("equal", "skip"):
                end += 1
            block = range(n, end)
            self._unified += [_Line(k, "left") for k in block if rows[k].left is not None]
            self._unified += [_Line(k, "right") for k in block if rows[k].right is not None]
            n = end

    # Geometry -------------------------------------------------------------------------------

    def line_count(self) -> int:
        if self.model is None:
            return 0
        return len(self.model.rows) if self.side_by_side else len(self._unified)

    def content_width(self, width: int) -> int:
        if self.side_by_side or self.model is None:
            return width  # each half is cut to fit: nothing to scroll sideways
        longest = max((t.cell_len for t in self.model.left + self.model.right if t), default=0)
        return max(width, longest + self._unified_gutter())

    def _number_width(self) -> int:
        if self.model is None or not self.model.rows:
            return 3
        last = max((r.left_no or 0, r.right_no or 0) for r in self.model.rows)
        return max(3, len(str(max(last))))

    def _unified_gutter(self) -> int:
        return 2 * self._number_width() + 4

    def first_row(self) -> int:
        """The model row at the top of the view (the same row stays in view on a toggle)."""
        y = int(self.scroll_offset.y)
        if self.side_by_side:
            return y
        return self._unified[y].row if y < len(self._unified) else 0

    def scroll_to_row(self, row: int) -> None:
        if self.side_by_side:
            y = row
        else:
            y = next((n for n, line in enumerate(self._unified) if line.row >= row), 0)
        self.scroll_to(y=y, animate=False)

    def change_rows(self) -> list[int]:
        """The first row of each changed block (for next / previous change)."""
        if self.model is None:
            return []
        rows = self.model.rows
        changed = [r.kind not in ("equal", "skip") for r in rows]
        return [n for n, c in enumerate(changed) if c and (n == 0 or not changed[n - 1])]

    # Drawing --------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"diff-view--{name}")

    def build_line(self, y: int, width: int) -> Text:
        assert self.model is not None
        if self.side_by_side:
            return self._side_by_side(y, width)
        return self._unified_line(y, width)

    def _skip(self, row: int, width: int) -> Text:
        count = self.model.rows[row].skipped if self.model else 0
        text = Text(f"  \u22ef {plural(count, 'unchanged line')}")
        text.stylize(self._style("skip"))
        text.truncate(width, overflow="crop", pad=True)
        return text

    def _half(self, number: int | None, body: Text | None, tint: str | None, width: int) -> Text:
        nw = self._number_width()
        if body is None:
            return Text(" " * width, style=self._style("blank"))
        base = self._style(tint) if tint else Style()
        out = Text(style=base, no_wrap=True)
        out.append(f"{number or '':>{nw}} ", self._style("gutter"))
        out.append_text(body)
        out.truncate(width, overflow="ellipsis", pad=True)
        return out

    def _side_by_side(self, y: int, width: int) -> Text:
        assert self.model is not None
        row = self.model.rows[y]
        if row.kind == "skip":
            return self._skip(y, width)
        half = max(8, (width - 1) // 2)
        left_tint = "removed" if row.kind in ("change", "delete") else None
        right_tint = "added" if row.kind in ("change", "insert") else None
        out = self._half(row.left_no, self.model.left[y], left_tint, half)
        out.append("\u2502", self._style("divider"))
        out.append_text(self._half(row.right_no, self.model.right[y], right_tint, width - half - 1))
        return out

    def _unified_line(self, y: int, width: int) -> Text:
        assert self.model is not None
        line = self._unified[y]
        row = self.model.rows[line.row]
        if row.kind == "skip":
            return self._skip(line.row, width)
        nw = self._number_width()
        if line.side == "left":
            old, new, sign, body, tint = (
                row.left_no,
                None,
                "-",
                self.model.left[line.row],
                "removed",
            )
        elif line.side == "right":
            old, new, sign, body, tint = (
                None,
                row.right_no,
                "+",
                self.model.right[line.row],
                "added",
            )
        else:
            old, new, sign, body, tint = (
                row.left_no,
                row.right_no,
                " ",
                self.model.left[line.row],
                "",
            )
        base = self._style(tint) if tint else Style()
        out = Text(style=base, no_wrap=True)
        out.append(f"{old or '':>{nw}} {new or '':>{nw}} ", self._style("gutter"))
        out.append(f"{sign} ")
        if body is not None:
            out.append_text(body)
        # Tint to the widest line, so a changed line stays tinted when scrolled sideways.
        target = max(width, self.virtual_size.width)
        if out.cell_len < target:
            out.pad_right(target - out.cell_len)
        return out
