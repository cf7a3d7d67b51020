"""Symbolic links inside a bound folder never lead a write, a move or a delete out of it
(issue 12, item 4), on both databases. The links are built in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.services.errors import ServiceError
from promptterm.services.facade import Services
from promptterm.services.workspaces.projects import ProjectInfo


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("not yours\n", encoding="utf-8")
    return folder


@pytest.fixture
def root(tmp_path: Path, outside: Path) -> Path:
    folder = tmp_path / "nest" / "proj"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("# Proj\n", encoding="utf-8")
    (folder / "out").symlink_to(outside, target_is_directory=True)
    (folder / "up").symlink_to("../..", target_is_directory=True)
    return folder


@pytest.fixture
def bound(services: Services, root: Path) -> ProjectInfo:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Proj")
    services.disk_sync.bind(project.id, root)
    return services.projects.get(project.id)


def _paths(services: Services, project: ProjectInfo) -> set[str]:
    return {f.path for f in services.files.list_files(project.id, include_folders=True)}


def test_creating_a_file_through_a_link_is_refused_and_writes_nothing_outside(
    services: Services, bound: ProjectInfo, root: Path, outside: Path, tmp_path: Path
) -> None:
    with pytest.raises(ServiceError, match=r"out is a symbolic link to .*outside") as err:
        services.files.create(bound.id, "out/pwn.txt", "owned\n")
    assert "Replace the link with a real folder" in err.value.message
    assert not (outside / "pwn.txt").exists()
    assert "out/pwn.txt" not in _paths(services, bound)

    with pytest.raises(ServiceError, match=r"Refused to create up/pwn\.txt"):
        services.files.create(bound.id, "up/pwn.txt", "owned\n")
    assert not (tmp_path / "pwn.txt").exists()  # up -> ../.. is tmp_path here


def test_making_a_folder_through_a_link_is_refused(
    services: Services, bound: ProjectInfo, outside: Path
) -> None:
    with pytest.raises(ServiceError, match="symbolic link"):
        services.files.create_folder(bound.id, "out/evil")
    assert not (outside / "evil").exists()
    assert "out/evil" not in _paths(services, bound)


def test_moving_a_file_through_a_link_is_refused_and_the_file_stays(
    services: Services, bound: ProjectInfo, root: Path, outside: Path
) -> None:
    readme = services.files.find(bound.id, "README.md")
    with pytest.raises(ServiceError, match="symbolic link"):
        services.files.rename(readme.id, "out/README.md")
    with pytest.raises(ServiceError, match="symbolic link"):
        services.files.move(readme.id, "up")
    assert not (outside / "README.md").exists()
    assert (root / "README.md").read_text(encoding="utf-8") == "# Proj\n"
    assert services.files.get(readme.id).path == "README.md"


def test_a_folder_swapped_for_a_link_is_not_deleted_or_written_through(
    services: Services, bound: ProjectInfo, root: Path, outside: Path
) -> None:
    # notes/ is a real folder when it is imported, then becomes a link to someone's files.
    info = services.files.create(bound.id, "notes/keep.txt", "ours\n")
    (root / "notes" / "keep.txt").unlink()
    (root / "notes").rmdir()
    (root / "notes").symlink_to(outside, target_is_directory=True)

    with pytest.raises(ServiceError, match="symbolic link"):
        services.files.delete(info.id)
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "not yours\n"
    assert not services.files.get(info.id).is_deleted
    # ...and what the link leads to was not read into the project's history either.
    assert services.files.read(info.id).text == "ours\n"
    assert [v.number for v in services.files.versions(info.id)] == [1]


def test_links_that_stay_inside_the_folder_still_work(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    (root / "docs").mkdir()
    (root / "alias").symlink_to("docs", target_is_directory=True)
    services.files.create(bound.id, "alias/guide.md", "# Guide\n")
    assert (root / "docs" / "guide.md").read_text(encoding="utf-8") == "# Guide\n"
