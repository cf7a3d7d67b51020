"""Small things Pilot tests share: settle the app, read the tree, type text."""

from __future__ import annotations

import contextlib

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Tree
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from promptterm.app import PromptTermApp

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
