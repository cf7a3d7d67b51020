"""Preset switches shown among a thread's messages, where they happened: a switch goes
before the first message at or after its time (or after the last one, at the thread's
tail). The transcript mounts messages a page or a few at a time, so each batch places the
switches that fall within it, and none twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Required, TypedDict

from promptterm.ui.chat.widgets.message import MessageView, PresetNote, _parse

if TYPE_CHECKING:
    from textual.widget import Widget

    from promptterm.services.chat.threads import MessageInfo, PresetChange


class Placing(TypedDict, total=False):
    """Where a batch of messages lies in its thread (``with_notes``' keywords)."""

    from_start: Required[bool]
    tail: Required[bool]
    until: datetime | None
    since: datetime | None


def with_notes(
    messages: Sequence[MessageInfo],
    history: tuple[PresetChange, ...],
    view: Callable[[MessageInfo], MessageView],
    *,
    from_start: bool,
    tail: bool,
    until: datetime | None = None,
    since: datetime | None = None,
) -> list[Widget]:
    """A ``view`` of each message with the switches of ``history`` among them: those from
    the first message's time on (all of them ``from_start``), after ``since``, before
    ``until``; the ones after the last message too at the ``tail``."""
    pending = [(c, _parse(c.timestamp)) for c in history]
    first_change = history[0] if history else None
    if messages and not from_start:
        start = messages[0].created_at
        pending = [(c, t) for c, t in pending if t is not None and t >= start]
    if since is not None:
        pending = [(c, t) for c, t in pending if t is not None and t > since]
    if until is not None:
        pending = [(c, t) for c, t in pending if t is not None and t < until]
    items: list[Widget] = []
    for message in messages:
        while pending and (pending[0][1] is None or pending[0][1] <= message.created_at):
            change = pending.pop(0)[0]
            items.append(PresetNote(change, first=change is first_change))
        items.append(view(message))
    if tail or not messages:
        items += [PresetNote(c, first=c is first_change) for c, _ in pending]
    return items
