"""Small things Pilot tests share: settle the app, wait for something, read the tree, type
text."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Tree
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from promptterm.app import PromptTermApp
from support.waiting import CEILING, POLL

_UNFINISHED = (WorkerState.PENDING, WorkerState.RUNNING)


async def wait_for_workers(app: App[object]) -> None:
    """``app.workers.wait_for_complete()``, minus its habit of raising when a worker was
    cancelled (exclusive workers replace each other) or failed (the app reports those)."""
    while running := [w for w in app.workers if w.state in _UNFINISHED]:
        for worker in running:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their messages land, until handlers start no new workers."""
    for _ in range(10):
        await wait_for_workers(pilot.app)
        await pilot.pause()
        if not any(w.state in _UNFINISHED for w in pilot.app.workers):
            return


async def wait_until(
    pilot: Pilot[None],
    condition: Callable[[], bool],
    what: str = "the screen",
    *,
    between: Callable[[Pilot[None]], Awaitable[None]] | None = None,
    ceiling: float = CEILING,
) -> None:
    """Go on as soon as ``condition()`` holds; fail, naming ``what``, after ``ceiling`` seconds
    (only a hang gets there, however busy the machine). ``between`` runs before each look
    (``settle`` when the change comes through a callback, a worker and a message, which one
    settle may not see start); leave it out while a stream runs, as a stream never settles."""
    deadline = time.monotonic() + ceiling
    while True:
        if between is not None:
            await between(pilot)
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {ceiling:.0f} s")
        await pilot.pause(POLL)


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def tree_labels(app: PromptTermApp) -> list[str]:
    """Every node the tree has built, as "  " * depth + plain label."""
    tree = app.screen.query_one("#explorer-tree", Tree)
    lines: list[str] = []

    def walk(node, depth: int) -> None:  # type: ignore[no-untyped-def]
        for child in node.children:
            lines.append("  " * depth + str(child.label.plain))
            walk(child, depth + 1)

    walk(tree.root, 0)
    return lines


def cursor_label(app: PromptTermApp) -> str | None:
    node = app.screen.query_one("#explorer-tree", Tree).cursor_node
    return None if node is None else str(node.label.plain)


def notes(app: PromptTermApp) -> list[str]:
    return [n.message for n in app._notifications]
