"""Folders, moves, the trash and side-by-side diffs (unbound projects, both databases)."""

from __future__ import annotations

import pytest

from promptterm.services.errors import Conflict, ValidationError
from promptterm.services.facade import Services
from promptterm.services.files.diff import DiffRow, side_by_side, unified
from promptterm.services.workspaces.projects import ProjectInfo


@pytest.fixture
def project(services: Services) -> ProjectInfo:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site")


def _paths(services: Services, project: ProjectInfo, **kw: bool) -> list[str]:
    return [
        f.path + ("/" if f.is_folder else "")
        for f in services.files.list_files(project.id, include_folders=True, **kw)
    ]


def test_files_make_their_folders_and_folders_can_be_empty(
    services: Services, project: ProjectInfo
) -> None:
    services.files.create(project.id, "src/app/main.py", "x")
    services.files.create_folder(project.id, "docs/drafts")
    assert _paths(services, project) == [
        "docs/",
        "docs/drafts/",
        "src/",
        "src/app/",
        "src/app/main.py",
    ]
    # Plain listings stay files only (what the explorer shows today).
    assert [f.path for f in services.files.list_files(project.id)] == ["src/app/main.py"]
    with pytest.raises(Conflict, match="already has"):
        services.files.create_folder(project.id, "docs")
    with pytest.raises(Conflict, match="is a file"):
        services.files.create(project.id, "src/app/main.py/inner.txt", "x")
    with pytest.raises(Conflict, match="already has a folder 'src'"):
        services.files.create(project.id, "src", "x")


def test_moving_a_folder_moves_everything_in_it_with_history(
    services: Services, project: ProjectInfo
) -> None:
    main = services.files.create(project.id, "src/main.py", "v1\n")
    services.files.save(main.id, "v2\n", base_version=1)
    services.files.create(project.id, "src/lib/util.py", "u\n")
    services.files.create(project.id, "src2.txt", "a sibling that only shares a prefix\n")
    src = services.files.find(project.id, "src")
    moved = services.files.rename(src.id, "pkg/core")
    assert (moved.path, moved.name, moved.type) == ("pkg/core", "core", "folder")
    assert _paths(services, project) == [
        "pkg/",
        "pkg/core/",
        "pkg/core/lib/",
        "pkg/core/lib/util.py",
        "pkg/core/main.py",
        "src2.txt",
    ]
    assert services.files.read(main.id).file.path == "pkg/core/main.py"
    assert [v.number for v in services.files.versions(main.id)] == [2, 1]
    with pytest.raises(ValidationError, match="into itself"):
        services.files.rename(src.id, "pkg/core/lib/deeper")


def test_move_keeps_the_name_and_refuses_taken_paths(
    services: Services, project: ProjectInfo
) -> None:
    a = services.files.create(project.id, "a.txt", "a")
    services.files.create(project.id, "docs/a.txt", "other")
    with pytest.raises(Conflict, match=r"already has 'docs/a\.txt'"):
        services.files.move(a.id, "docs")
    b = services.files.create(project.id, "b.txt", "b")
    assert services.files.move(b.id, "docs").path == "docs/b.txt"
    assert services.files.move(b.id, "").path == "b.txt"


def test_deleting_a_folder_trashes_its_files_and_undelete_brings_them_back(
    services: Services, project: ProjectInfo
) -> None:
    one = services.files.create(project.id, "notes/one.md", "1\n")
    services.files.save(one.id, "1 again\n", base_version=1)
    services.files.create(project.id, "notes/deep/two.md", "2\n")
    notes = services.files.find(project.id, "notes")
    services.files.delete(notes.id)
    assert _paths(services, project) == []
    assert [f.path for f in services.files.trash(project.id)] == [
        "notes/deep/two.md",
        "notes/one.md",
    ]
    # A file from the trash comes back with its history and its folder.
    back = services.files.undelete(one.id)
    assert (back.is_deleted, back.head_version) == (False, 2)
    assert _paths(services, project) == ["notes/", "notes/one.md"]
    assert services.files.read(one.id, 1).text == "1\n"
    services.files.undelete(notes.id)
    assert "notes/deep/two.md" in _paths(services, project)


def test_a_deleted_file_cannot_be_saved_or_moved_until_restored(
    services: Services, project: ProjectInfo
) -> None:
    f = services.files.create(project.id, "a.txt", "a")
    services.files.delete(f.id)
    with pytest.raises(Conflict, match="in the trash"):
        services.files.save(f.id, "b", base_version=1)
    with pytest.raises(Conflict, match="in the trash"):
        services.files.rename(f.id, "b.txt")
    services.files.undelete(f.id)
    assert services.files.save(f.id, "b", base_version=1).number == 2


def test_side_by_side_diff_of_two_versions(services: Services, project: ProjectInfo) -> None:
    f = services.files.create(project.id, "a.txt", "keep\nold\ngone\nsame\n")
    services.files.save(f.id, "keep\nnew\nsame\nadded\n", base_version=1)
    result = services.files.side_by_side(f.id, 1, 2, context=None)
    assert result.rows == [
        DiffRow("equal", 1, "keep", 1, "keep"),
        DiffRow("change", 2, "old", 2, "new"),
        DiffRow("delete", 3, "gone", None, None),
        DiffRow("equal", 4, "same", 3, "same"),
        DiffRow("insert", None, None, 4, "added"),
    ]
    assert (result.added, result.removed) == (2, 2)
    assert services.files.side_by_side(f.id, 2, 2).identical
    # The conflict view compares a version with unsaved text.
    mine = services.files.compare_text(f.id, 2, "keep\nnew\nsame\nadded\nmine\n")
    assert mine.rows[-1] == DiffRow("insert", None, None, 5, "mine")


def test_long_unchanged_runs_fold_into_skip_rows() -> None:
    a = "".join(f"{n}\n" for n in range(100))
    b = a.replace("50\n", "fifty\n")
    rows = side_by_side(a, b, context=2).rows
    assert [r.kind for r in rows] == ["skip", "equal", "equal", "change", "equal", "equal", "skip"]
    assert (rows[0].skipped, rows[-1].skipped) == (48, 47)


def test_unified_diff_marks_a_missing_final_newline() -> None:
    text = unified("a\nb", "a\nc", "x@v1", "x@v2")
    assert "-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n" in text
