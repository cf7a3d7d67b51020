"""Projects bound to a directory, on both databases: import, rescans, write-through, the
conflict cases (nothing is ever lost), and the watcher with real file changes."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

from promptterm.services.errors import Conflict, ValidationError
from promptterm.services.facade import Services
from promptterm.services.files.disk import io as disk_io
from promptterm.services.files.disk.events import (
    DiskConflict,
    EditingFiles,
    FileAdded,
    RootMissing,
    SyncProblem,
)
from promptterm.services.files.models import ContentUnavailable, DiskError
from promptterm.services.files.version_store import StaleSave
from promptterm.services.workspaces.projects import ProjectInfo


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "app.py").write_text("print('hi')\n", encoding="utf-8")
    (folder / "README.md").write_text("# Site\n", encoding="utf-8")
    return folder


@pytest.fixture
def project(services: Services) -> ProjectInfo:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site")


@pytest.fixture
def bound(services: Services, project: ProjectInfo, root: Path) -> ProjectInfo:
    services.disk_sync.bind(project.id, root)
    return services.projects.get(project.id)


def _history(services: Services, project: ProjectInfo, path: str) -> list[tuple[int, str]]:
    file = services.files.find(project.id, path)
    return [(v.number, v.message or "") for v in services.files.versions(file.id)]


# Binding and importing -------------------------------------------------------------------


def test_bind_imports_text_and_records_what_it_cannot_load(
    services: Services, project: ProjectInfo, root: Path
) -> None:
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "latin1.txt").write_bytes(b"caf\xe9\n")
    (root / "huge.log.txt").write_bytes(b"x" * 3000)
    (root / "node_modules" / "dep").mkdir(parents=True)
    (root / "node_modules" / "dep" / "index.js").write_text("x")
    (root / ".gitignore").write_text("*.tmp\n")
    (root / "scratch.tmp").write_text("x")
    (root / "empty").mkdir()
    services.disk_sync.max_file_bytes = 2048
    report = services.disk_sync.bind(project.id, root)
    assert sorted(report.imported) == [".gitignore", "README.md", "src/app.py"]
    assert {(s.path, s.reason) for s in report.skipped} == {
        ("logo.png", "binary"),
        ("latin1.txt", "undecodable"),
        ("huge.log.txt", "too_large"),
    }
    assert report.ignored == 2  # node_modules, scratch.tmp
    assert services.projects.get(project.id).root_path == str(root.resolve())
    assert _history(services, project, "src/app.py") == [(1, "Imported from disk")]
    files = {f.path: f for f in services.files.list_files(project.id, include_folders=True)}
    assert files["empty"].is_folder and files["src"].is_folder
    assert (files["logo.png"].content_state, files["logo.png"].head_version) == ("binary", 0)
    assert files["huge.log.txt"].size_bytes == 3000
    with pytest.raises(ContentUnavailable, match=r"latin1\.txt is not valid UTF-8"):
        services.files.read(files["latin1.txt"].id)
    # The invalid bytes are untouched on disk.
    assert (root / "latin1.txt").read_bytes() == b"caf\xe9\n"
    # Nothing changed, so a rescan finds nothing to do.
    assert list(services.disk_sync.scan(project.id).events) == []


def test_binding_refuses_a_missing_folder_and_a_folder_bound_elsewhere(
    services: Services, project: ProjectInfo, root: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="is not a folder"):
        services.disk_sync.bind(project.id, tmp_path / "nope")
    services.disk_sync.bind(project.id, root)
    other = services.projects.create(project.workspace_id, "Other")
    with pytest.raises(Conflict, match="already bound to the project 'Site'"):
        services.disk_sync.bind(other.id, root)
    assert services.disk_sync.find_bound(root) == project.id


def test_a_folder_inside_a_bound_one_belongs_to_its_project(
    services: Services, project: ProjectInfo, root: Path, tmp_path: Path
) -> None:
    """Plain `promptterm` started in a bound folder's subfolder opens that project."""
    services.disk_sync.bind(project.id, root)
    inner = root / "src" / "deep"
    inner.mkdir(parents=True)
    assert services.disk_sync.find_bound_above(inner) == project.id
    assert services.disk_sync.find_bound_above(root) == project.id
    assert services.disk_sync.find_bound_above(tmp_path) is None  # above it: not in it


def test_a_huge_tree_is_refused_not_imported(
    services: Services, project: ProjectInfo, root: Path
) -> None:
    services.disk_sync.max_files = 1
    with pytest.raises(ValidationError, match="holds over 1 files"):
        services.disk_sync.bind(project.id, root)
    assert services.files.list_files(project.id) == []
    assert services.projects.get(project.id).root_path is None


def test_binding_a_project_with_files_writes_the_ones_the_folder_lacks(
    services: Services, project: ProjectInfo, root: Path
) -> None:
    notes = services.files.create(project.id, "docs/notes.md", "kept in promptterm\n")
    services.files.create(project.id, "README.md", "# Old readme\n")
    report = services.disk_sync.bind(project.id, root)
    assert report.written == ["docs/notes.md"]
    assert (root / "docs" / "notes.md").read_text() == "kept in promptterm\n"
    assert services.files.read(notes.id).file.sync_error is None
    # Both READMEs are kept: the disk's became the newest version.
    assert _history(services, project, "README.md") == [(2, "Imported from disk"), (1, "Created")]


# Changes found by a scan (made while promptterm was closed) ------------------------------


def test_scan_stores_changes_creations_deletions_and_renames(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    (root / "README.md").write_text("# Site, edited\n")
    (root / "new.txt").write_text("new\n")
    app = services.files.find(bound.id, "src/app.py")
    (root / "src" / "app.py").rename(root / "main.py")
    report = services.disk_sync.scan(bound.id)
    assert report.changed == ["README.md"]
    assert report.imported == ["new.txt"]
    assert report.renamed == [("src/app.py", "main.py")]
    assert _history(services, bound, "README.md") == [
        (2, "Changed on disk"),
        (1, "Imported from disk"),
    ]
    assert services.files.read(app.id).file.path == "main.py"  # same file, same history
    (root / "new.txt").unlink()
    report = services.disk_sync.scan(bound.id)
    assert report.deleted == ["new.txt"]
    trashed = services.files.find(bound.id, "new.txt")
    assert trashed.is_deleted and services.files.read(trashed.id, 1).text == "new\n"
    # Coming back on disk brings the row back, history and all.
    (root / "new.txt").write_text("new again\n")
    assert services.disk_sync.scan(bound.id).imported == ["new.txt"]
    assert _history(services, bound, "new.txt") == [(2, "Created on disk"), (1, "Created on disk")]


def test_a_vanished_project_folder_deletes_nothing(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    shutil.rmtree(root)
    [event] = services.disk_sync.scan(bound.id).events
    assert isinstance(event, RootMissing) and "is gone" in event.message
    assert not any(f.is_deleted for f in services.files.list_files(bound.id, include_deleted=True))
    readme = services.files.find(bound.id, "README.md")
    saved = services.files.save(readme.id, "# Still editable\n", base_version=1)
    assert saved.number == 2 and "is gone" in (saved.disk_error or "")
    # Moves and deletes would be undone by the next scan once the folder is back: refused.
    with pytest.raises(DiskError, match="nothing was changed"):
        services.files.rename(readme.id, "docs/README.md")
    with pytest.raises(DiskError):
        services.files.delete(readme.id)
    with pytest.raises(DiskError):
        services.files.create_folder(bound.id, "new")
    assert services.files.get(readme.id).path == "README.md"
    assert not root.exists()  # never recreated by a write


def test_an_unreadable_file_is_a_problem_not_a_change(
    services: Services, bound: ProjectInfo, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "README.md").write_text("# changed\n")
    real = disk_io.read_file

    def denied(base: Path, rel: str, max_bytes: int = disk_io.DEFAULT_MAX_BYTES) -> object:
        if rel == "README.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(base / rel))
        return real(base, rel, max_bytes)

    monkeypatch.setattr(disk_io, "read_file", denied)
    [event] = services.disk_sync.scan(bound.id).events
    assert isinstance(event, SyncProblem) and "Permission denied" in event.message
    assert _history(services, bound, "README.md") == [(1, "Imported from disk")]


def test_a_folder_renamed_on_disk_keeps_its_files_histories(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    app = services.files.find(bound.id, "src/app.py")
    services.files.save(app.id, "print('v2')\n", base_version=1)
    (root / "src").rename(root / "lib")
    # What watchfiles reports for a folder rename: the two folder paths.
    events = services.disk_sync.apply(
        bound.id, [("deleted", str(root / "src")), ("added", str(root / "lib"))]
    )
    assert [(type(e).__name__, e.path) for e in events] == [
        ("FileRenamed", "lib/app.py"),
        ("FileDeleted", "src"),
    ]
    moved = services.files.get(app.id)
    assert (moved.path, moved.head_version, moved.is_deleted) == ("lib/app.py", 2, False)


def test_a_gitignore_change_looks_at_the_whole_tree_again(
    services: Services, project: ProjectInfo, root: Path
) -> None:
    (root / ".gitignore").write_text("*.txt\n")
    (root / "notes.txt").write_text("hidden at first\n")
    assert "notes.txt" not in services.disk_sync.bind(project.id, root).imported
    (root / ".gitignore").write_text("")
    events = services.disk_sync.apply(project.id, [("modified", str(root / ".gitignore"))])
    assert {e.path for e in events if isinstance(e, FileAdded)} == {"notes.txt"}


# Saving writes through -------------------------------------------------------------------


def test_save_writes_through_atomically_keeping_the_mode(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    script = root / "src" / "app.py"
    script.chmod(0o754)
    app = services.files.find(bound.id, "src/app.py")
    saved = services.files.save(app.id, "print('bye')\n", base_version=1, message="Bye")
    assert (saved.number, saved.disk_error) == (2, None)
    assert script.read_text() == "print('bye')\n"
    assert stat.S_IMODE(script.stat().st_mode) == 0o754
    assert sorted(os.listdir(root / "src")) == ["app.py"]  # no temporary file left
    assert list(services.disk_sync.scan(bound.id).events) == []  # our own write: no version


def test_a_full_disk_keeps_the_version_and_says_so(
    services: Services, bound: ProjectInfo, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = services.files.find(bound.id, "src/app.py")

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(disk_io.os, "replace", full)
    saved = services.files.save(app.id, "print('mine')\n", base_version=1)
    assert saved.number == 2
    assert saved.disk_error is not None and "The disk is full" in saved.disk_error
    assert "Saved in promptterm" in saved.disk_error
    assert services.files.read(app.id).text == "print('mine')\n"
    assert services.files.get(app.id).sync_error == saved.disk_error
    assert (root / "src" / "app.py").read_text() == "print('hi')\n"
    # Space is back: saving again writes it (no new version), or the next scan does.
    monkeypatch.undo()
    again = services.files.save(app.id, "print('mine')\n", base_version=2)
    assert (again.number, again.disk_error) == (2, None)
    assert (root / "src" / "app.py").read_text() == "print('mine')\n"
    assert services.files.get(app.id).sync_error is None
    monkeypatch.setattr(disk_io.os, "replace", full)
    services.files.save(app.id, "print('third')\n", base_version=2)
    monkeypatch.undo()
    report = services.disk_sync.scan(bound.id)
    assert report.written == ["src/app.py"]
    assert (root / "src" / "app.py").read_text() == "print('third')\n"
    assert services.files.get(app.id).sync_error is None


def test_save_after_an_unseen_disk_change_is_stale_and_keeps_both(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    app = services.files.find(bound.id, "src/app.py")
    (root / "src" / "app.py").write_text("print('theirs')\n")
    with pytest.raises(StaleSave) as err:
        services.files.save(app.id, "print('mine')\n", base_version=1)
    assert err.value.current_version == 2
    assert services.files.read(app.id, 2).text == "print('theirs')\n"
    # "Keep mine": save on top of the disk's version; both stay in the history.
    services.files.save(app.id, "print('mine')\n", base_version=2)
    assert (root / "src" / "app.py").read_text() == "print('mine')\n"
    assert [n for n, _ in _history(services, bound, "src/app.py")] == [3, 2, 1]


def test_disk_change_to_a_file_with_unsaved_edits_is_a_conflict(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    editing = EditingFiles()
    app = services.files.find(bound.id, "src/app.py")
    editing.mark_dirty(app.id, 1)
    (root / "src" / "app.py").write_text("print('disk')\n")
    [event] = services.disk_sync.scan(bound.id, editing=editing).events
    assert isinstance(event, DiskConflict)
    assert (event.reason, event.editor_base, event.disk_version) == ("changed", 1, 2)
    assert services.files.read(app.id, 2).text == "print('disk')\n"
    # The conflict view: the diff between the disk's version and the unsaved text.
    diff = services.files.compare_text(app.id, 2, "print('mine')\n")
    assert [(r.kind, r.left, r.right) for r in diff.rows] == [
        ("change", "print('disk')", "print('mine')")
    ]
    # Deleted on disk while being edited: a conflict too, and the file waits in the trash.
    (root / "src" / "app.py").unlink()
    [event] = services.disk_sync.scan(bound.id, editing=editing).events
    assert isinstance(event, DiskConflict) and event.reason == "deleted"
    with pytest.raises(Conflict, match="in the trash"):
        services.files.save(app.id, "print('mine')\n", base_version=2)
    services.files.undelete(app.id)
    services.files.save(app.id, "print('mine')\n", base_version=2)
    assert (root / "src" / "app.py").read_text() == "print('mine')\n"


# File actions mirrored on disk -----------------------------------------------------------


def test_create_move_delete_and_undelete_happen_on_disk(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    new = services.files.create(bound.id, "docs/guide.md", "# Guide\n")
    assert (root / "docs" / "guide.md").read_text() == "# Guide\n"
    services.files.create_folder(bound.id, "assets/img")
    assert (root / "assets" / "img").is_dir()
    docs = services.files.find(bound.id, "docs")
    services.files.rename(docs.id, "manual")
    assert (root / "manual" / "guide.md").read_text() == "# Guide\n"
    assert not (root / "docs").exists()
    services.files.delete(docs.id)
    assert not (root / "manual").exists()
    services.files.undelete(new.id)
    assert (root / "manual" / "guide.md").read_text() == "# Guide\n"
    assert list(services.disk_sync.scan(bound.id).events) == []


def test_delete_keeps_unseen_disk_edits_and_refuses_files_it_holds_no_copy_of(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    readme = services.files.find(bound.id, "README.md")
    (root / "README.md").write_text("# Edited just before the delete\n")
    services.files.delete(readme.id)
    assert not (root / "README.md").exists()
    assert services.files.read(readme.id, 2).text == "# Edited just before the delete\n"
    (root / "src" / "icon.png").write_bytes(b"\x00\x01binary")
    services.disk_sync.scan(bound.id)
    src = services.files.find(bound.id, "src")
    with pytest.raises(Conflict, match="keeps no copy of"):
        services.files.delete(src.id)
    assert (root / "src" / "icon.png").exists() and (root / "src" / "app.py").exists()
