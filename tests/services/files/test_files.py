"""Project files: every save a numbered version with a message, stale saves refused, diff and
restore between any two versions, safe paths, trash, and roles."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, Forbidden, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.files.service import FileInfo
from promptterm.services.workspaces.projects import ProjectInfo
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


@pytest.fixture
def project(services: Services) -> ProjectInfo:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site")


def _bob(services: Services, clock: FixedClock, role: str | None) -> Services:
    """Bob, a member of the project's workspace with ``role`` (None: not a member)."""
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    if role is not None:
        [ws] = services.workspaces.list()
        services.workspaces.add_member(ws.id, "bob@example.com", role)
    return services.as_user(user.id)


def _with_versions(services: Services, project: ProjectInfo, *texts: str) -> FileInfo:
    """A file whose versions 1, 2, ... hold ``texts``."""
    file = services.files.create(project.id, "notes.md", texts[0])
    for n, text in enumerate(texts[1:], start=1):
        services.files.save(file.id, text, base_version=n, message=f"Edit {n}")
    return services.files.read(file.id).file


# Creating and saving -----------------------------------------------------------------------


def test_create_is_version_1(services: Services, project: ProjectInfo, clock: FixedClock) -> None:
    file = services.files.create(project.id, "src/app.py", "print('hi')\n")
    assert (file.path, file.name, file.head_version) == ("src/app.py", "app.py", 1)
    assert file.size_bytes == len("print('hi')\n")
    assert not file.is_deleted
    content = services.files.read(file.id)
    assert (content.version, content.text) == (1, "print('hi')\n")
    [v1] = services.files.versions(file.id)
    assert (v1.number, v1.message, v1.author, v1.created_at) == (
        1,
        "Created",
        services.user.display_name,
        clock(),
    )


def test_save_makes_a_new_numbered_version_with_its_message(
    services: Services, project: ProjectInfo, clock: FixedClock
) -> None:
    file = services.files.create(project.id, "a.txt", "one\n")
    clock.advance(minutes=1)
    v2 = services.files.save(file.id, "one\ntwo\n", base_version=1, message="  Add two  ")
    assert (v2.number, v2.message, v2.created_at) == (2, "Add two", clock())
    v3 = services.files.save(file.id, "three\n", base_version=2)
    assert (v3.number, v3.message) == (3, None)
    assert services.files.read(file.id).text == "three\n"
    assert services.files.read(file.id, 2).text == "one\ntwo\n"
    assert services.files.read(file.id, 1).text == "one\n"
    assert services.files.read(file.id).file.head_version == 3


def test_saving_identical_content_makes_no_new_version(
    services: Services, project: ProjectInfo
) -> None:
    file = services.files.create(project.id, "a.txt", "same\n")
    again = services.files.save(file.id, "same\n", base_version=1, message="No change")
    assert (again.number, again.message) == (1, "Created")
    assert [v.number for v in services.files.versions(file.id)] == [1]


def test_a_stale_save_is_a_conflict_and_stores_nothing(
    services: Services, project: ProjectInfo
) -> None:
    file = services.files.create(project.id, "a.txt", "base\n")
    services.files.save(file.id, "theirs\n", base_version=1, message="Theirs")
    with pytest.raises(Conflict, match=r"a.txt changed since you opened it \(version 1, now 2\)"):
        services.files.save(file.id, "mine\n", base_version=1, message="Mine")
    assert [v.number for v in services.files.versions(file.id)] == [2, 1]
    assert services.files.read(file.id).text == "theirs\n"
    # Saving on top of the newest version works.
    assert services.files.save(file.id, "mine\n", base_version=2).number == 3


def test_versions_are_newest_first_with_their_author(
    services: Services, project: ProjectInfo, clock: FixedClock
) -> None:
    bob = _bob(services, clock, "member")
    file = services.files.create(project.id, "a.txt", "1\n")
    bob.files.save(file.id, "2\n", base_version=1, message="Bob's edit")
    services.files.save(file.id, "3\n", base_version=2, message="Mine again")
    history = services.files.versions(file.id)
    assert [(v.number, v.author, v.message) for v in history] == [
        (3, services.user.display_name, "Mine again"),
        (2, "Bob", "Bob's edit"),
        (1, services.user.display_name, "Created"),
    ]
    assert len({v.sha256 for v in history}) == 3


def test_read_of_a_version_that_does_not_exist(services: Services, project: ProjectInfo) -> None:
    file = _with_versions(services, project, "a", "b")
    with pytest.raises(NotFound, match=r"notes\.md has no version 7 \(it has 1 to 2\)"):
        services.files.read(file.id, 7)
    with pytest.raises(NotFound):
        services.files.read(uuid.uuid4())


def test_unicode_content_round_trips(services: Services, project: ProjectInfo) -> None:
    text = "naïve café — 日本語 🚀\n\ttabs and\r\nCRLF\n"
    file = services.files.create(project.id, "u.txt", text)
    assert services.files.read(file.id).text == text
    assert file.size_bytes == len(text.encode("utf-8"))


# Diff and restore --------------------------------------------------------------------------


def test_diff_between_any_two_versions(services: Services, project: ProjectInfo) -> None:
    file = _with_versions(
        services, project, "alpha\nbeta\n", "alpha\nBETA\n", "alpha\nBETA\ngamma\n"
    )
    diff = services.files.diff(file.id, 1, 3)
    assert diff.startswith("--- notes.md@v1\n+++ notes.md@v3\n")
    assert "-beta\n" in diff
    assert "+BETA\n" in diff and "+gamma\n" in diff
    assert " alpha\n" in diff
    backwards = services.files.diff(file.id, 3, 2)
    assert "-gamma\n" in backwards and "+BETA" not in backwards
    assert services.files.diff(file.id, 2, 2) == ""
    with pytest.raises(NotFound):
        services.files.diff(file.id, 1, 9)


def test_restore_adds_a_new_version_and_keeps_history(
    services: Services, project: ProjectInfo
) -> None:
    file = _with_versions(services, project, "v1\n", "v2\n", "v3\n")
    restored = services.files.restore(file.id, 1, base_version=3)
    assert (restored.number, restored.message) == (4, "Restored version 1")
    assert services.files.read(file.id).text == "v1\n"
    assert [v.number for v in services.files.versions(file.id)] == [4, 3, 2, 1]
    assert [services.files.read(file.id, n).text for n in (1, 2, 3)] == ["v1\n", "v2\n", "v3\n"]


def test_restore_on_a_stale_base_is_a_conflict(services: Services, project: ProjectInfo) -> None:
    file = _with_versions(services, project, "v1\n", "v2\n", "v3\n")
    with pytest.raises(Conflict):
        services.files.restore(file.id, 1, base_version=2)
    assert services.files.read(file.id).file.head_version == 3


# Paths -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "../secrets.txt",
        "a/../../escape.txt",
        "..",
        "/etc/passwd",
        "\\windows\\evil",
        "",
        "   ",
        ".",
    ],
)
def test_paths_that_leave_the_project_are_refused(
    services: Services, project: ProjectInfo, path: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.files.create(project.id, path, "x")
    assert err.value.field == "path"
    assert services.files.list_files(project.id, include_deleted=True) == []


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("src/./app.py", "src/app.py"),
        ("src\\win\\path.py", "src/win/path.py"),
        ("a/../b.txt", "b.txt"),
        ("  padded.txt  ", "padded.txt"),
        ("dir//double.txt", "dir/double.txt"),
        ("..hidden/file", "..hidden/file"),
    ],
)
def test_paths_are_normalised(
    services: Services, project: ProjectInfo, given: str, stored: str
) -> None:
    assert services.files.create(project.id, given, "x").path == stored


def test_a_path_is_unique_in_a_project(services: Services, project: ProjectInfo) -> None:
    services.files.create(project.id, "a.txt", "one")
    with pytest.raises(Conflict, match=r"already has a file 'a\.txt'"):
        services.files.create(project.id, "./a.txt", "two")
    other = services.projects.create(project.workspace_id, "Other")
    assert services.files.create(other.id, "a.txt", "three").path == "a.txt"


def test_rename(services: Services, project: ProjectInfo) -> None:
    file = services.files.create(project.id, "old.txt", "x")
    services.files.create(project.id, "taken.txt", "y")
    with pytest.raises(Conflict):
        services.files.rename(file.id, "taken.txt")
    with pytest.raises(ValidationError):
        services.files.rename(file.id, "../out.txt")
    renamed = services.files.rename(file.id, "docs/new.txt")
    assert (renamed.path, renamed.name, renamed.head_version) == ("docs/new.txt", "new.txt", 1)
    assert [f.path for f in services.files.list_files(project.id)] == ["docs/new.txt", "taken.txt"]


# Trash -------------------------------------------------------------------------------------


def test_delete_is_soft_and_undelete_brings_it_back(
    services: Services, project: ProjectInfo
) -> None:
    file = _with_versions(services, project, "v1\n", "v2\n")
    services.files.create(project.id, "keep.txt", "k")
    assert services.files.delete(file.id).is_deleted
    assert [f.path for f in services.files.list_files(project.id)] == ["keep.txt"]
    assert [f.path for f in services.files.list_files(project.id, include_deleted=True)] == [
        "keep.txt",
        "notes.md",
    ]
    with pytest.raises(Conflict, match="it is deleted: restore it instead"):
        services.files.create(project.id, "notes.md", "new")
    # The history survives the trip to the trash.
    back = services.files.undelete(file.id)
    assert (back.is_deleted, back.head_version) == (False, 2)
    assert services.files.read(file.id).text == "v2\n"
    assert [v.number for v in services.files.versions(file.id)] == [2, 1]


# Roles -------------------------------------------------------------------------------------


def test_a_viewer_reads_but_cannot_change_files(
    services: Services, project: ProjectInfo, clock: FixedClock
) -> None:
    file = services.files.create(project.id, "a.txt", "mine\n")
    viewer = _bob(services, clock, "viewer")
    assert viewer.files.read(file.id).text == "mine\n"
    assert [f.path for f in viewer.files.list_files(project.id)] == ["a.txt"]
    assert len(viewer.files.versions(file.id)) == 1
    for action in (
        lambda: viewer.files.save(file.id, "hacked\n", base_version=1),
        lambda: viewer.files.restore(file.id, 1, base_version=1),
        lambda: viewer.files.create(project.id, "b.txt", "x"),
        lambda: viewer.files.rename(file.id, "c.txt"),
        lambda: viewer.files.delete(file.id),
    ):
        with pytest.raises(Forbidden, match="you are a viewer"):
            action()
    assert services.files.read(file.id).text == "mine\n"
    assert [v.number for v in services.files.versions(file.id)] == [1]


def test_a_non_member_cannot_even_see_the_files(
    services: Services, project: ProjectInfo, clock: FixedClock
) -> None:
    file = services.files.create(project.id, "a.txt", "mine\n")
    stranger = _bob(services, clock, None)
    for action in (
        lambda: stranger.files.read(file.id),
        lambda: stranger.files.list_files(project.id),
        lambda: stranger.files.versions(file.id),
        lambda: stranger.files.diff(file.id, 1, 1),
        lambda: stranger.files.save(file.id, "x", base_version=1),
        lambda: stranger.files.create(project.id, "b.txt", "x"),
    ):
        with pytest.raises(NotFound):
            action()
