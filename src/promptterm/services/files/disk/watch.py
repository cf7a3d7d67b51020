"""The watcher: a generator of typed sync events for a bound project, until told to stop.

Made for a thread worker in the TUI::

    stop = threading.Event()
    for event in services.disk_sync.watch(project_id, stop=stop, editing=editing):
        self.post_message(DiskEvent(event))     # the screen turns it into a view
    # elsewhere, on leaving the project: stop.set()

The first event is WatchStarted, once the OS watch is in place; a scan follows at once so
that nothing changed between the import and the watch is missed. The database work each
change triggers goes through DiskSyncService.apply, the same code as a scan. watchfiles is
imported here only, when a watch starts.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from promptterm.services.errors import ServiceError
from promptterm.services.files.disk import io as disk_io
from promptterm.services.files.disk.events import (
    EditingFiles,
    RootMissing,
    SyncEvent,
    SyncProblem,
    WatchStarted,
)
from promptterm.services.files.disk.ignore_rules import TEMP_SUFFIX, IgnoreRules
from promptterm.services.files.disk.reconcile import _root_missing

if TYPE_CHECKING:
    from promptterm.services.files.disk.sync import DiskSyncService


def watch_project(
    service: DiskSyncService,
    project_id: uuid.UUID,
    *,
    stop: threading.Event,
    editing: EditingFiles | None = None,
    debounce_ms: int = 300,
    timeout_ms: int = 1000,
    force_polling: bool | None = None,
) -> Iterator[SyncEvent]:
    """Yield sync events for ``project_id`` until ``stop`` is set or the folder vanishes.

    ``debounce_ms`` gathers a burst of changes (an editor's save, a git checkout) into one
    batch; ``timeout_ms`` is how often the watcher wakes without changes to check ``stop``
    and that the folder is still there.
    """
    root = service.root_of(project_id)
    if not root.is_dir():
        yield RootMissing(path="", message=_root_missing(root))
        return
    import watchfiles

    rules = IgnoreRules(root, service.extra_ignores)

    def wanted(_change: object, path: str) -> bool:
        rel = _relative(root, path)
        if rel is None:
            return True  # the folder itself (deleted, moved): wake up and look
        if rel.rsplit("/", 1)[-1].endswith(TEMP_SUFFIX):
            return False  # our own atomic writes
        parent = rel.rpartition("/")[0]
        return not (parent and rules.is_ignored(parent, is_dir=True))

    started = False
    try:
        for changes in watchfiles.watch(
            root,
            watch_filter=wanted,
            debounce=debounce_ms,
            step=min(50, debounce_ms),
            stop_event=stop,
            rust_timeout=timeout_ms,
            yield_on_timeout=True,
            raise_interrupt=False,
            force_polling=force_polling,
            ignore_permission_denied=True,
        ):
            if not started:
                started = True
                yield WatchStarted(path="")
                yield from _guarded(lambda: service.scan(project_id, editing=editing).events)
            if not root.is_dir():
                yield RootMissing(path="", message=_root_missing(root))
                return
            if changes:
                yield from _guarded(
                    lambda c=changes: service.apply(project_id, c, editing=editing, rules=rules)
                )
    except OSError as exc:
        if not root.is_dir():
            yield RootMissing(path="", message=_root_missing(root))
        else:
            yield SyncProblem(path="", message=disk_io.describe_error(exc, "watch", root))


def _guarded(work: Callable[[], Iterable[SyncEvent]]) -> Iterator[SyncEvent]:
    """Run one batch; a service error becomes an event and the watch goes on."""
    try:
        events = list(work())
    except ServiceError as exc:
        yield SyncProblem(path="", message=exc.message)
        return
    yield from events


def _relative(root: Path, path: str) -> str | None:
    try:
        rel = Path(path).relative_to(root).as_posix()
    except ValueError:
        return None
    return None if rel in ("", ".") else rel
