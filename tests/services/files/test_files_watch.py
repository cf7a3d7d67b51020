"""The watcher, with real file changes on disk (watchfiles, short debounce, bounded waits):
changes become versions or conflicts, its own writes are not echoed, a vanished folder
ends the watch, and nothing is marked deleted for it."""

from __future__ import annotations

import queue
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from promptterm.services.facade import Services
from promptterm.services.files.disk.events import (
    DiskConflict,
    EditingFiles,
    FileAdded,
    FileChanged,
    FileDeleted,
    FileRenamed,
    RootMissing,
    SyncEvent,
    WatchStarted,
)
from promptterm.services.workspaces.projects import ProjectInfo
from support.waiting import CEILING


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "app.py").write_text("print('hi')\n", encoding="utf-8")
    (folder / "README.md").write_text("# Site\n", encoding="utf-8")
    return folder


@pytest.fixture
def bound(services: Services, root: Path) -> ProjectInfo:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    services.disk_sync.bind(project.id, root)
    return services.projects.get(project.id)


class Watcher:
    def __init__(self, services: Services, project: ProjectInfo, editing: EditingFiles) -> None:
        self.stop = threading.Event()
        self.events: queue.Queue[SyncEvent | BaseException | None] = queue.Queue()
        self._args = (services, project.id, editing)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        services, project_id, editing = self._args
        try:
            for event in services.disk_sync.watch(
                project_id, stop=self.stop, editing=editing, debounce_ms=50, timeout_ms=100
            ):
                self.events.put(event)
        except BaseException as exc:
            self.events.put(exc)
        finally:
            self.events.put(None)

    def next(self, timeout: float = CEILING) -> SyncEvent:
        event = self.events.get(timeout=timeout)
        if isinstance(event, BaseException):
            raise event
        assert event is not None, "the watcher stopped"
        return event


@pytest.fixture
def watcher(services: Services, bound: ProjectInfo) -> Iterator[Watcher]:
    w = Watcher(services, bound, EditingFiles())
    assert isinstance(w.next(), WatchStarted)
    yield w
    w.stop.set()
    w.thread.join(CEILING)
    assert not w.thread.is_alive()


def test_the_watcher_turns_disk_changes_into_versions(
    services: Services, bound: ProjectInfo, root: Path, watcher: Watcher
) -> None:
    (root / "node_modules").mkdir()
    (root / "node_modules" / "ignored.js").write_text("x")  # no event for this
    (root / "README.md").write_text("# Changed in another shell\n")
    event = watcher.next()
    assert isinstance(event, FileChanged) and event.path == "README.md"
    assert services.files.read(event.file_id, event.version).text == "# Changed in another shell\n"
    (root / "notes.txt").write_text("jotted\n")
    event = watcher.next()
    assert isinstance(event, FileAdded) and (event.path, event.version) == ("notes.txt", 1)
    (root / "notes.txt").rename(root / "src" / "notes.txt")
    event = watcher.next()
    assert isinstance(event, FileRenamed) and (event.old_path, event.path) == (
        "notes.txt",
        "src/notes.txt",
    )
    (root / "src" / "notes.txt").unlink()
    event = watcher.next()
    assert isinstance(event, FileDeleted) and event.path == "src/notes.txt"
    # A save from promptterm is not echoed back as a change.
    app = services.files.find(bound.id, "src/app.py")
    services.files.save(app.id, "print('saved here')\n", base_version=1)
    (root / "README.md").write_text("# Again\n")
    event = watcher.next()
    assert isinstance(event, FileChanged) and event.path == "README.md"


def test_the_watcher_reports_conflicts_and_a_vanished_folder(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    editing = EditingFiles()
    app = services.files.find(bound.id, "src/app.py")
    editing.mark_dirty(app.id, 1)
    w = Watcher(services, bound, editing)
    try:
        assert isinstance(w.next(), WatchStarted)
        (root / "src" / "app.py").write_text("print('from git pull')\n")
        event = w.next()
        assert isinstance(event, DiskConflict) and event.disk_version == 2
        shutil.rmtree(root)
        event = w.next()
        while not isinstance(event, RootMissing):
            event = w.next()
        assert w.events.get(timeout=CEILING) is None  # the watch ended by itself
    finally:
        w.stop.set()
        w.thread.join(CEILING)
    assert services.files.get(app.id).is_deleted is False
