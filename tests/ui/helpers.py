"""Small things Pilot tests share: settle the app, wait for something, read the tree, type
text."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.notifications import Notification, Notifications
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Tree
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from promptterm.app import PromptTermApp
from promptterm.ui.common.widgets.footer import AreaFooter
from support.waiting import CEILING, POLL

_UNFINISHED = (WorkerState.PENDING, WorkerState.RUNNING)


async def wait_for_workers(app: App[object]) -> None:
    """``app.workers.wait_for_complete()``, minus its habit of raising when a worker was
    cancelled (exclusive workers replace each other) or failed (the app reports those)."""
    while running := [w for w in app.workers if w.state in _UNFINISHED]:
        for worker in running:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()


def drawing_due(app: App[object]) -> bool:
    """Something the front screen will still do before it shows a steady picture: a message
    or callback queued in the app or one of its widgets, a refresh, a layout, a scroll or a
    recompose asked for and not yet done, a callback waiting for the next refresh.

    A layout sends ``Resize`` events; a widget that makes its text for its width (a message's
    head cut with "…", a footer's keys) re-makes it then and asks for another layout: text,
    widths, footers and scroll offsets read before this is False may be a refresh old."""
    screen = app.screen
    if (
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
        or screen._callbacks
    ):
        return True
    for node in (app, *screen.walk_children(with_self=True)):
        if not node._message_queue.empty() or node._pending_message or node._next_callbacks:
            return True
        if isinstance(node, Widget) and (
            node._layout_required
            or node._repaint_required
            or node._scroll_required
            or node._recompose_required
            or node._refresh_styles_required
        ):
            return True
    return False


async def settle(pilot: Pilot[None]) -> None:
    """Let the keys pressed be taken (the app hands them over one at a time), workers finish
    and their messages land, until handlers start no new workers and the screen has drawn
    what they changed (``drawing_due``): what a test reads next is what a user sees."""
    app = pilot.app
    for _ in range(10):
        if isinstance(app, PromptTermApp) and not app.keys.idle:
            await wait_until(pilot, lambda: app.keys.idle, "the app to take the keys pressed")
        await wait_for_workers(app)
        await pilot.pause()
        keys_idle = not isinstance(app, PromptTermApp) or app.keys.idle
        workers_done = not any(w.state in _UNFINISHED for w in app.workers)
        if keys_idle and workers_done and not drawing_due(app):
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
    """Type ``text`` as a fast typist would: every key queued at once, in order, then one
    wait until the app has handled them. (``pilot.press`` waits for the app to go idle after
    each key, 40 ms or more apiece, which made typing a path most of a test's time.)"""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    # The app hands keys over one at a time (ui/common/key_queue.py); count them through.
    done = app.keys.finished + len(text) if isinstance(app, PromptTermApp) else None
    for ch in text:
        key = {" ": "space"}.get(ch, ch)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        event = events.Key(key, ch)
        event.set_sender(pilot.app)
        driver.send_message(event)
    if done is not None:
        await wait_until(pilot, lambda: app.keys.finished >= done, f"the app to take {text!r}")
    # Two rounds: the app forwards each key to the focused widget's own queue.
    await pilot.pause()
    await pilot.pause()


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


def record_notifications(app: App[object]) -> None:
    """Keep every notification the app shows, for ``told``: Textual drops one from its list
    when its toast times out (5 to 8 s), which a step on a loaded machine can outlast."""
    shown: list[Notification] = []
    add = app._notifications.add

    def recorded(notification: Notification) -> Notifications:
        shown.append(notification)
        return add(notification)

    app._notifications.add = recorded  # type: ignore[method-assign]
    app._notifications_shown = shown  # type: ignore[attr-defined]


def told(app: App[object]) -> list[Notification]:
    """Every notification shown so far (only those still up for an app made elsewhere)."""
    return list(getattr(app, "_notifications_shown", app._notifications))


def notes(app: App[object]) -> list[str]:
    return [n.message for n in told(app)]


def footer_row(pilot: Pilot[None]) -> str:
    """The footer's row as last composed for the terminal (its keys are rebuilt a refresh or
    two after the focus or the keys change, so this is what a user sees, not what is due)."""
    screen = pilot.app.screen
    region = screen.find_widget(screen.query_one(AreaFooter)).region
    return screen._compositor.render_strips()[region.y].text
