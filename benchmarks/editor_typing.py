"""Keystroke-to-repaint cost of the editor: Textual's TextArea beside promptterm's CodeArea.

    .venv/bin/python benchmarks/editor_typing.py            # 2,000 and 20,000 lines (~2 min)
    .venv/bin/python benchmarks/editor_typing.py --quick    # fewer keystrokes (~40 s)

What is measured, per keystroke, in one process for all rows of the table:

- The app: a one-line header, the editor (`<class>.code_editor(text, language=...)`, theme
  monokai, cursor blink off) and a one-line status bar, in a headless 120x40 terminal
  (`App.run_test`). The file is generated Python (classes, methods, docstrings, comments,
  strings; lines up to ~90 columns) of 2,000 or 20,000 lines; the cursor starts mid-file.
- A keystroke is the widget's own key handler (`await editor._on_key(Key(ch, ch))`, where
  the App's key dispatch ends) plus the frame that paints it: exactly what the screen's
  refresh tick runs (`Screen._on_timer_update`: layout if needed, the compositor's update
  of dirty widgets, rendering to the headless driver). The message that carries a widget's
  repaint request to its screen is replaced by setting the same flags directly, so event
  loop latency (the harness) is left out; the key handler and the whole repaint are in.
- Typed text: ``total = compute(value, 3)  # note``, character by character, on new lines
  opened (not timed) after an assignment in a method mid-file, as when writing code: the
  statement is incomplete, so a syntax error, for most keystrokes. No line outgrows the
  file's widest line (which would make every keystroke a layout). Ten keystrokes warm up.
- "frame": key handler + the frame, wall clock (`time.perf_counter`), p50 / p95 ms.
  "cpu p95": the same in this thread's CPU time, which other processes on a shared machine
  do not inflate.
- CodeArea draws a keystroke with provisional highlights and re-parses right after that
  frame (see src/promptterm/ui/editor/widgets/code_highlight.py); "settle" is that work
  (incremental parse, re-highlight of the visible rows, repaint of the rows that changed),
  measured the same way, and "total" is frame + settle per keystroke. Stock TextArea does
  everything in the frame (settle "-").

Also printed: opening a file, from constructing the editor on the text to its first frame
(parse; for stock TextArea its whole-file highlight query, twice, because assigning
`language` in its constructor rebuilds the document; mount, layout, the visible rows'
highlights for CodeArea, paint), median of three, net of the same steps for an empty
plain TextArea (the harness's event loop waits and a bare mount).

Target (issue 4, item 7): CodeArea frame p95 <= 16 ms at 20,000 lines with highlighting.
Stock TextArea at 20,000 lines with highlighting takes seconds per keystroke, so it gets
a quarter of the keystrokes. Figures vary with load; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static, TextArea

from promptterm.ui.editor.widgets.code_area import CodeArea

SIZE = (120, 40)
TYPED = "        total = compute(value, 3)  # note"
ANCHOR = "        self.value = value"
WARMUP = 10

BLOCK = '''

class Widget{n}(Base):
    """Widget number {n}: keeps a value and computes things from it.

    The docstring runs over a few lines, as real ones do.
    """

    LIMIT = {n}  # a constant, named in capitals

    def __init__(self, value: int = {n}, *, name: str | None = None) -> None:
        self.value = value
        self.name = name or f"widget-{{value}}"  # an f-string with a field

    def compute(self, factor: float, *others: int) -> float:
        """Scale the value; add the others."""
        if isinstance(factor, (int, float)) and factor > self.LIMIT:
            return self.value * factor + sum(others)
        for index, other in enumerate(others):
            self.value += other * index  # accumulate, weighted by position
        return float(self.value) / max(len(others), 1)

    @property
    def label(self) -> str:
        return "{{}}: {{}}".format(self.name, self.compute(1.5, 2, 3))
'''


def python_text(lines: int) -> str:
    out = ["from __future__ import annotations", "", "import os", "from base import Base"]
    n = 0
    while len(out) < lines:
        out.extend(BLOCK.format(n=n).splitlines())
        n += 1
    return "\n".join(out[:lines]) + "\n"


class EditorApp(App[None]):
    CSS = "Static { height: 1; } TextArea { height: 1fr; }"

    def __init__(self, editor: TextArea) -> None:
        super().__init__()
        self.editor = editor

    def compose(self) -> ComposeResult:
        yield Static("header")
        yield self.editor
        yield Static("status")


def paint_frame(screen: Screen[object], widget: Widget) -> None:
    """What the next refresh tick does for a widget (and its scrollbars) that asked for a
    repaint, minus the message round trip (Widget._check_refresh -> Screen._on_update)."""
    for part in (widget, widget._vertical_scrollbar, widget._horizontal_scrollbar):
        if part is None:
            continue
        if part._layout_required:
            part._layout_required = False
            for ancestor in part.ancestors:
                if not isinstance(ancestor, Widget):
                    break
                ancestor._clear_arrangement_cache()
                ancestor._layout_updates += 1
            screen._layout_required = True
        if part._scroll_required:
            part._scroll_required = False
            screen._scroll_required = True
        if part._repaint_required:
            part._repaint_required = False
            screen._dirty_widgets.add(part)
    screen._on_timer_update()


@dataclass
class Result:
    editor: str
    lines: int
    language: str | None
    frame: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    settle: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)


async def measure(kind: type[TextArea], lines: int, language: str | None, keys: int) -> Result:
    editor = kind.code_editor(python_text(lines), language=language, theme="monokai")
    editor.cursor_blink = False
    app = EditorApp(editor)
    result = Result(kind.__name__, lines, language)
    async with app.run_test(size=SIZE) as pilot:
        editor.focus()
        # Inside a method in the middle of the file: a new line after an assignment.
        row = next(r for r in range(lines // 2, lines) if editor.document[r] == ANCHOR)
        editor.move_cursor((row, 0), center=True)
        await pilot.pause()
        screen = app.screen
        column = len(TYPED)
        for index in range(WARMUP + keys):
            if column == len(TYPED):  # open the next line (not timed)
                editor.insert("\n", (row, len(editor.document[row])))
                row, column = row + 1, 0
                if isinstance(editor, CodeArea):
                    editor.settle_highlights()
                await pilot.pause()
            character = TYPED[column]
            column += 1
            await pilot.pause()
            start, cpu_start = time.perf_counter(), time.thread_time()
            await editor._on_key(events.Key(character, character))
            paint_frame(screen, editor)
            frame, cpu = time.perf_counter() - start, time.thread_time() - cpu_start
            settle = 0.0
            if isinstance(editor, CodeArea):
                start = time.perf_counter()
                editor.settle_highlights()
                paint_frame(screen, editor)
                settle = time.perf_counter() - start
            if index >= WARMUP:
                result.frame.append(frame * 1000)
                result.cpu.append(cpu * 1000)
                result.settle.append(settle * 1000)
                result.total.append((frame + settle) * 1000)
        assert editor.document[row] == TYPED[:column], "the keystrokes did not land"
    return result


async def measure_open(kind: type[TextArea], text: str, language: str | None) -> list[float]:
    """Open a file, three times: ms from constructing the editor to the end of its first
    render (construct, mount, layout, paint), each with the event loop's waits in it."""
    times = []
    for _ in range(3):
        app = EditorApp(TextArea())
        async with app.run_test(size=SIZE) as pilot:
            await app.editor.remove()
            await pilot.pause()
            start = time.perf_counter()
            editor = kind.code_editor(text, language=language, theme="monokai")
            editor.cursor_blink = False
            painted: list[float] = []
            render_lines = editor.render_lines

            def timed_render_lines(
                crop: Region, render: Any = render_lines, painted: list[float] = painted
            ) -> list[Strip]:
                strips = render(crop)
                painted.append(time.perf_counter())
                return strips

            editor.render_lines = timed_render_lines  # type: ignore[method-assign]
            await app.screen.mount(editor, before=app.screen.children[-1])
            while not painted:
                await pilot.pause()
            times.append((painted[0] - start) * 1000)
    return times


async def report_open(sizes: list[int], kinds: list[type[TextArea]]) -> None:
    # The same steps with an empty, plain TextArea: the harness and mount cost, subtracted.
    baseline = statistics.median(await measure_open(TextArea, "", None))
    print(f"\nopen to first frame, net of an empty TextArea's {baseline:.0f} ms (median of 3)")
    for lines in sizes:
        text = python_text(lines)
        for kind in kinds:
            net = statistics.median(await measure_open(kind, text, "python")) - baseline
            print(f"{kind.__name__:9} {lines:>6} python {net:9.0f} ms")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(results: list[Result]) -> None:
    print(
        f"{'editor':9} {'lines':>6} {'highlight':9} {'keys':>4} | {'frame p50':>9} "
        f"{'p95':>7} {'cpu p95':>7} | {'settle p50':>10} {'p95':>7} | {'total p95':>9}"
    )
    for r in results:
        code = r.editor == "CodeArea"
        settle = (
            f"{percentile(r.settle, 0.5):10.1f} {percentile(r.settle, 0.95):7.1f}"
            if code
            else f"{'-':>10} {'-':>7}"
        )
        total = percentile(r.total, 0.95)
        print(
            f"{r.editor:9} {r.lines:>6} {r.language or 'none':9} {len(r.frame):>4} | "
            f"{percentile(r.frame, 0.5):9.1f} {percentile(r.frame, 0.95):7.1f} "
            f"{percentile(r.cpu, 0.95):7.1f} | {settle} | {total:9.1f}"
        )
    target = [r for r in results if r.editor == "CodeArea" and r.lines >= 20_000 and r.language]
    for r in target:
        p95 = percentile(r.frame, 0.95)
        verdict = "met" if p95 <= 16 else "NOT met"
        print(
            f"target frame p95 <= 16 ms at {r.lines:,} lines, highlighted: {p95:.1f} ms, {verdict}"
        )


async def main(sizes: list[int], keys: int, only: str | None) -> None:
    kinds: list[type[TextArea]] = []
    if only in (None, "stock"):
        kinds.append(TextArea)
    if only in (None, "codearea"):
        kinds.append(CodeArea)
    results = []
    for lines in sizes:
        for language in ("python", None):
            for kind in kinds:
                slow = kind is TextArea and language is not None and lines >= 10_000
                count = max(10, keys // 4) if slow else keys
                results.append(await measure(kind, lines, language, count))
                print(f"  measured {kind.__name__} {lines} {language}", file=sys.stderr)
    report(results)
    await report_open(sizes, kinds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=80, help="timed keystrokes per row")
    parser.add_argument("--sizes", default="2000,20000", help="file sizes in lines")
    parser.add_argument("--only", choices=["stock", "codearea"], help="one editor only")
    parser.add_argument("--quick", action="store_true", help="30 keystrokes per row")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    asyncio.run(main(sizes, 30 if args.quick else args.keys, args.only))
