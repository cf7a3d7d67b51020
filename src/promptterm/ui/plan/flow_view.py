"""The plan area's user flow: pages as boxes and connections as arrows (services/plan
flow_layout draws the picture), a highlighted page moved by the arrow keys to the nearest
page that way, and the window scrolled so the highlighted page stays in sight.

Each status has a colour and its words (○ not started, ◐ in progress, ● done), so the
picture reads the same without colour.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.message import Message
from textual.widget import Widget

from promptterm.services.plan.flow_layout import BOX_H, BOX_W, GAP_X, GAP_Y, FlowLayout

if TYPE_CHECKING:
    from promptterm.services.plan import Flow, FlowPageInfo

STATUS_STYLES = {
    "not_started": "$text-muted",
    "in_progress": "$warning",
    "done": "$success",
}
EMPTY = "No pages in this flow yet: press a to add the first one (its name, what it shows)."


def _binding(key: str, action: str, words: str, name: str, tip: str, show: bool = True) -> Binding:
    return Binding(key, action, words, show=show, id=f"plan-flow-{name}", tooltip=tip)


class FlowView(Widget, can_focus=True):
    """The picture; the section (flow_section.py) reads and writes through the services."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _binding(
            f"{key},{vi}", f"go('{key}')", arrow, key, f"Go to the nearest page {words}", False
        )
        for key, vi, arrow, words in (
            ("left", "h", "←", "on the left"),
            ("right", "l", "→", "on the right"),
            ("up", "k", "↑", "above"),
            ("down", "j", "↓", "below"),
        )
    ]

    class Highlighted(Message):
        def __init__(self, page: FlowPageInfo | None) -> None:
            super().__init__()
            self.page = page

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flow: Flow | None = None
        self.picture: FlowLayout | None = None
        self.selected: uuid.UUID | None = None
        self._x0 = 0
        self._y0 = 0

    @property
    def current(self) -> FlowPageInfo | None:
        if self.flow is None or self.selected is None:
            return None
        return self.flow.page(self.selected)

    def show(self, flow: Flow, focus: uuid.UUID | None = None) -> None:
        from promptterm.services.plan import layout_flow

        self.flow = flow
        self.picture = layout_flow(flow.pages, flow.connections)
        keep = focus if focus is not None else self.selected
        if keep is None or flow.page(keep) is None:
            keep = self.picture.nearest(None, "right")
        self._select(keep)

    def action_go(self, direction: str) -> None:
        if self.picture is None:
            return
        target = self.picture.nearest(self.selected, direction)
        if target is not None:
            self._select(target)

    def _select(self, page_id: uuid.UUID | None) -> None:
        self.selected = page_id
        self._scroll_to_selected()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _scroll_to_selected(self) -> None:
        if self.picture is None or self.selected not in self.picture.boxes:
            self._x0 = self._y0 = 0
            return
        box = self.picture.boxes[self.selected]
        width, height = max(1, self.size.width), max(1, self.size.height)
        # Keep the box and the lane beyond it in view; move by whole boxes, not cells.
        if box.x < self._x0:
            self._x0 = max(0, box.x - 1)
        elif box.right + GAP_X // 2 >= self._x0 + width:
            self._x0 = max(0, box.right + GAP_X // 2 - width + 1)
        if box.y < self._y0:
            self._y0 = max(0, box.y - GAP_Y // 2)
        elif box.bottom >= self._y0 + height:
            self._y0 = max(0, box.bottom - height + 1)

    def on_resize(self) -> None:
        self._scroll_to_selected()

    def render(self) -> Content:
        layout = self.picture
        if layout is None or not layout.boxes:
            return Content(EMPTY if self.flow is not None else "Loading the flow…")
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return Content("")
        rows = layout.render(self._x0, self._y0, width, height, strip=False)
        spans: list[Span] = []
        for box in layout.boxes.values():
            if box.right < self._x0 or box.x >= self._x0 + width:
                continue
            if box.bottom < self._y0 or box.y >= self._y0 + height:
                continue
            style = STATUS_STYLES.get(box.status, "")
            if box.page_id == self.selected:
                style = "bold reverse $accent" if self.has_focus else "bold $accent"
            start_x = max(box.x, self._x0) - self._x0
            end_x = min(box.x + BOX_W, self._x0 + width) - self._x0
            for dy in range(BOX_H):
                y = box.y + dy - self._y0
                if 0 <= y < height:
                    at = y * (width + 1)
                    spans.append(Span(at + start_x, at + end_x, style))
        # No-break spaces: a row's run of leading blanks would otherwise be dropped on its
        # way to the screen, and a lane in an empty row would slide to the left edge.
        return Content("\n".join(rows).replace(" ", "\u00a0"), spans=spans)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
