"""Two versions of a file compared, full screen: side by side or unified (s switches)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.editor.widgets.diff_model import DiffModel
from promptterm.ui.editor.widgets.diff_view import DiffView


class DiffScreen(ModalScreen[None]):
    CSS_PATH = css_path("editor.tcss")
    AREA = "editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="editor-diff-close"),
        Binding("s", "toggle_layout", "Side by side / unified", id="editor-diff-layout"),
        Binding("n,f3", "next_change", "Next change", id="editor-diff-next"),
        Binding("p,shift+f3", "previous_change", "Previous change", id="editor-diff-previous"),
    ]

    def __init__(self, model: DiffModel, *, side_by_side: bool = True) -> None:
        super().__init__()
        self.model = model
        self.side_by_side = side_by_side

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-frame"):
            yield Static(self._title(), id="diff-title", markup=False)
            yield DiffView(self.model, side_by_side=self.side_by_side, id="diff-view")
        yield AreaFooter()

    def _title(self) -> str:
        m = self.model
        layout = "side by side" if self.side_by_side else "unified"
        same = "  (identical)" if m.identical else ""
        return (
            f"{m.path}: {m.left_label} \u2192 {m.right_label}  {m.summary}{same}  \u00b7 {layout}"
        )

    def on_mount(self) -> None:
        self.query_one(DiffView).focus()
        rows = self.query_one(DiffView).change_rows()
        if rows:
            self.call_after_refresh(self.query_one(DiffView).scroll_to_row, max(0, rows[0] - 3))

    @property
    def view(self) -> DiffView:
        return self.query_one(DiffView)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_layout(self) -> None:
        self.side_by_side = not self.side_by_side
        self.view.side_by_side = self.side_by_side
        self.query_one("#diff-title", Static).update(self._title())

    def _jump(self, forward: bool) -> None:
        rows = self.view.change_rows()
        if not rows:
            return
        top = self.view.first_row() + 3  # the change shown with three lines above it
        if forward:
            target = next((r for r in rows if r > top), rows[0])
        else:
            target = next((r for r in reversed(rows) if r < top), rows[-1])
        self.view.scroll_to_row(max(0, target - 3))

    def action_next_change(self) -> None:
        self._jump(True)

    def action_previous_change(self) -> None:
        self._jump(False)
