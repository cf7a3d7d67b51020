"""A flow drawn as text: boxes for pages, arrows for connections, on a character grid.

Pure functions over plain data, so the CLI's ``flow draw`` and the plan area's flow view
draw the same picture. Positions are ranked, not scaled: the page with the smallest x is in
the first column, the next distinct x in the second..., and likewise rows for y, so a flow
drawn at canvas scale (x = 0, 250, 500) and one typed by hand (x = 0, 1, 2) look the same, and
left/right and above/below always hold. Two pages at the same spot share a row, side by side.

Arrows are routed in the gaps: out of the source's side, along a lane beside the target's
column, into the target's side with a head (▶ or ◀). Lines are kept as straight runs; when
a window is drawn each of its cells gets the directions its lines leave in (a bitmask), so
crossings and joins draw as ┼ ┬ ├ rather than overwriting. Nothing is stored per cell: a
flow of hundreds of pages lays out in milliseconds and any window of it draws on demand.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from promptterm.services.plan.flow_models import FlowConnectionInfo, FlowPageInfo
from promptterm.services.validation import is_control

BOX_W = 22
BOX_H = 4
GAP_X = 8
GAP_Y = 2
MARGIN = 1
STATUS_MARKS = {
    "not_started": "○ not started",
    "in_progress": "◐ in progress",
    "done": "● done",
}
N, E, S, W = 1, 2, 4, 8
_LINE_CHARS = {
    0: " ", N: "│", S: "│", N | S: "│", E: "─", W: "─", E | W: "─",
    S | E: "┌", S | W: "┐", N | E: "└", N | W: "┘",
    N | S | E: "├", N | S | W: "┤", E | W | S: "┬", E | W | N: "┴", N | E | S | W: "┼",
}  # fmt: skip
DIRECTIONS = ("left", "right", "up", "down")


@dataclass(frozen=True)
class Box:
    page_id: uuid.UUID
    x: int
    y: int
    name: str
    status: str

    @property
    def right(self) -> int:
        return self.x + BOX_W - 1

    @property
    def bottom(self) -> int:
        return self.y + BOX_H - 1

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + BOX_W / 2, self.y + BOX_H / 2)


@dataclass
class FlowLayout:
    boxes: dict[uuid.UUID, Box]
    width: int
    height: int
    # Straight runs of line: ("h", y, x_from, x_to) or ("v", x, y_from, y_to), in the
    # order drawn; cells are worked out only for the window being rendered.
    segments: list[tuple[str, int, int, int]] = field(default_factory=list)
    heads: dict[tuple[int, int], str] = field(default_factory=dict)

    def render(
        self,
        x0: int = 0,
        y0: int = 0,
        width: int | None = None,
        height: int | None = None,
        *,
        strip: bool = True,
    ) -> list[str]:
        """The picture's rows within the window (the whole picture by default); each row
        exactly ``width`` cells unless ``strip`` trims the blanks at its end."""
        width = self.width - x0 if width is None else width
        height = self.height - y0 if height is None else height
        rows = [[" "] * width for _ in range(height)]
        for (x, y), mask in self._masks(x0, y0, width, height).items():
            rows[y - y0][x - x0] = _LINE_CHARS[mask]
        for (x, y), head in self.heads.items():
            if x0 <= x < x0 + width and y0 <= y < y0 + height:
                rows[y - y0][x - x0] = head
        for box in self.boxes.values():
            if box.right < x0 or box.x >= x0 + width or box.bottom < y0 or box.y >= y0 + height:
                continue
            for dy, text in enumerate(_box_rows(box)):
                y = box.y + dy - y0
                if not 0 <= y < height:
                    continue
                for dx, char in enumerate(text):
                    x = box.x + dx - x0
                    if 0 <= x < width:
                        rows[y][x] = char
        if strip:
            return ["".join(row).rstrip() for row in rows]
        return ["".join(row) for row in rows]

    def _masks(self, x0: int, y0: int, width: int, height: int) -> dict[tuple[int, int], int]:
        """Each line cell in the window and the directions its lines leave it in."""
        masks: dict[tuple[int, int], int] = {}
        x1, y1 = x0 + width - 1, y0 + height - 1
        for kind, fixed, a, b in self.segments:
            low, high = min(a, b), max(a, b)
            if kind == "h":
                if not y0 <= fixed <= y1 or high < x0 or low > x1:
                    continue
                ahead, back = (E, W) if b >= a else (W, E)
                for x in range(max(low, x0), min(high, x1) + 1):
                    mask = (back if x != a else 0) | (ahead if x != b else 0)
                    masks[(x, fixed)] = masks.get((x, fixed), 0) | (mask or E | W)
            else:
                if not x0 <= fixed <= x1 or high < y0 or low > y1:
                    continue
                ahead, back = (S, N) if b >= a else (N, S)
                for y in range(max(low, y0), min(high, y1) + 1):
                    mask = (back if y != a else 0) | (ahead if y != b else 0)
                    masks[(fixed, y)] = masks.get((fixed, y), 0) | mask
        return masks

    def nearest(self, page_id: uuid.UUID | None, direction: str) -> uuid.UUID | None:
        """The page nearest to ``page_id`` in ``direction`` (left, right, up, down): the one
        whose centre is ahead and closest in grid steps, sideways steps counting double.
        None when there is none that way; with no page chosen yet, the top-left page."""
        if page_id is None or page_id not in self.boxes:
            first = min(self.boxes.values(), key=lambda b: (b.y, b.x), default=None)
            return None if first is None else first.page_id
        # In grid steps, not cells: a column is far wider than a row is tall, and "nearest"
        # means the next column or row over, as the eye sees it.
        step_x, step_y = BOX_W + GAP_X, BOX_H + GAP_Y
        cx, cy = self.boxes[page_id].centre
        cx, cy = cx / step_x, cy / step_y
        best: tuple[float, uuid.UUID] | None = None
        for box in self.boxes.values():
            if box.page_id == page_id:
                continue
            bx, by = box.centre
            bx, by = bx / step_x, by / step_y
            ahead, side = {
                "right": (bx - cx, by - cy),
                "left": (cx - bx, by - cy),
                "down": (by - cy, bx - cx),
                "up": (cy - by, bx - cx),
            }[direction]
            if ahead <= 0:
                continue
            score = ahead + 2 * abs(side)
            if best is None or score < best[0]:
                best = (score, box.page_id)
        return None if best is None else best[1]


def layout_flow(
    pages: Sequence[FlowPageInfo], connections: Iterable[FlowConnectionInfo]
) -> FlowLayout:
    columns = {x: n for n, x in enumerate(sorted({p.x for p in pages}))}
    rows = {y: n for n, y in enumerate(sorted({p.y for p in pages}))}
    # Pages at the same spot go side by side: each (column, row) counts its occupants.
    taken: dict[tuple[int, int], int] = {}
    spread: dict[int, int] = {}  # column -> the widest stack in it
    spots: list[tuple[FlowPageInfo, int, int, int]] = []
    for page in sorted(pages, key=lambda p: (p.y, p.x, p.name, p.id.hex)):
        spot = (columns[page.x], rows[page.y])
        nth = taken.get(spot, 0)
        taken[spot] = nth + 1
        spread[spot[0]] = max(spread.get(spot[0], 1), nth + 1)
        spots.append((page, spot[0], spot[1], nth))
    # Columns widen by their stacks: a column's left edge is after every wider one before it.
    left: dict[int, int] = {}
    at = MARGIN
    for column in range(len(columns)):
        left[column] = at
        at += spread.get(column, 1) * (BOX_W + GAP_X)
    boxes: dict[uuid.UUID, Box] = {}
    for page, column, row, nth in spots:
        x = left[column] + nth * (BOX_W + GAP_X)
        y = row * (BOX_H + GAP_Y)
        boxes[page.id] = Box(page.id, x, y, _plain(page.name), page.implementation_status)
    width = max((b.right for b in boxes.values()), default=0) + GAP_X
    height = max((b.bottom for b in boxes.values()), default=0) + 1
    layout = FlowLayout(boxes, width, height)
    for link in connections:
        source, target = boxes.get(link.source_id), boxes.get(link.target_id)
        if source is not None and target is not None and source is not target:
            _route(layout, source, target)
    return layout


def _route(layout: FlowLayout, source: Box, target: Box) -> None:
    sy, ty = source.y + 1, target.y + 2
    if target.x > source.right:  # rightwards: into the target's left side
        start, lane, end, head = source.right + 1, target.x - 3, target.x - 1, "▶"
    elif target.right < source.x:  # leftwards: out of the left, into the right side
        start, lane, end, head = source.x - 1, target.right + 3, target.right + 1, "◀"
    else:  # same column: out of the right, round through the gap, back in
        start, lane, end, head = source.right + 1, source.right + 3, target.right + 1, "◀"
    _horizontal(layout, start, lane, sy)
    _vertical(layout, lane, sy, ty)
    _horizontal(layout, lane, end, ty)
    layout.heads[(end, ty)] = head


def _horizontal(layout: FlowLayout, a: int, b: int, y: int) -> None:
    layout.segments.append(("h", y, a, b))


def _vertical(layout: FlowLayout, x: int, a: int, b: int) -> None:
    if a != b:
        layout.segments.append(("v", x, a, b))


def _box_rows(box: Box) -> list[str]:
    inner = BOX_W - 2
    name = box.name if len(box.name) <= inner else box.name[: inner - 1] + "…"
    status = STATUS_MARKS.get(box.status, box.status)[:inner]
    return [
        "┌" + "─" * inner + "┐",
        "│" + name.ljust(inner) + "│",
        "│" + status.ljust(inner) + "│",
        "└" + "─" * inner + "┘",
    ]


def _plain(text: str) -> str:
    """A name as one line of printable characters (names are checked on the way in; this
    keeps the picture's grid intact whatever an older row holds)."""
    return "".join(" " if is_control(c) else c for c in text)
