"""The plan's storage limit (storage_mb), on SQLite and PostgreSQL: what the user adds on
purpose (a save, a new file with text, a restore, a folder import) is refused past it, with
the history kept; what changes on disk is still recorded; an upgrade lifts it at once."""

from __future__ import annotations

import base64
import random
import re
import uuid
from pathlib import Path

import pytest

from promptterm.services.billing import limits
from promptterm.services.billing.periods import plan_by_slug
from promptterm.services.errors import LimitReached
from promptterm.services.facade import Services
from promptterm.services.workspaces.projects import ProjectInfo
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock

UPGRADE = "promptterm billing plan set pro"
# 1,200,000 characters that zlib keeps at about 925 KB: most of a 1 MB limit.
BIG = 900_000


def _limit_free_storage(services: Services, mb: int = 1, slug: str = "free") -> None:
    """Lower a plan's storage as a plan change would (filling 100 MB would be slow)."""
    with services.ctx.db.session() as session:
        plan = plan_by_slug(session, slug)
        plan.limits = {**plan.limits, "storage_mb": mb}
        session.add(plan)


def _noise(raw_bytes: int, seed: int) -> str:
    """Base64 lines of random bytes: text that compresses little, so it fills storage."""
    return base64.encodebytes(random.Random(seed).randbytes(raw_bytes)).decode()


def _used(services: Services) -> int:
    return services.billing.summary().line("storage_mb").used


@pytest.fixture
def project(services: Services) -> ProjectInfo:
    ws = services.workspaces.create("Mine")
    return services.projects.create(ws.id, "Notes")


def test_a_save_past_the_limit_is_refused_and_the_history_kept(
    services: Services, project: ProjectInfo
) -> None:
    _limit_free_storage(services)
    big = _noise(BIG, 1)
    f = services.files.create(project.id, "big.txt", big)
    used = _used(services)
    with pytest.raises(LimitReached) as err:
        services.files.save(f.id, _noise(200_000, 2), base_version=1, message="rewrite")
    assert (err.value.limit, err.value.plan) == ("storage_mb", "free")
    message = err.value.message
    # About 903 KB: what zlib makes of the text (its exact size may vary with zlib's version).
    assert re.search(r"Free plan allows 1 MB of storage and your files take 90\d\.\d KB", message)
    assert UPGRADE in message
    assert [v.number for v in services.files.versions(f.id)] == [1]
    assert services.files.read(f.id).text == big
    assert _used(services) == used
    # The check counts the bytes a version takes as stored: a small edit is a small delta.
    edited = big + "one more line\n"
    assert services.files.save(f.id, edited, base_version=1).number == 2
    # An upgrade lifts the limit at once.
    services.billing.set_plan("pro")
    assert services.files.save(f.id, _noise(200_000, 2), base_version=2).number == 3


def test_a_new_file_past_the_limit_is_refused_an_empty_one_is_not(
    services: Services, project: ProjectInfo
) -> None:
    _limit_free_storage(services)
    services.files.create(project.id, "big.txt", _noise(BIG, 1))
    with pytest.raises(LimitReached, match="allows 1 MB of storage"):
        services.files.create(project.id, "docs/more.txt", _noise(200_000, 2))
    paths = [f.path for f in services.files.list_files(project.id, include_folders=True)]
    assert paths == ["big.txt"]  # neither the file nor its folder was made
    assert services.files.create(project.id, "empty.txt").head_version == 1


def test_a_restore_past_the_limit_is_refused(services: Services, project: ProjectInfo) -> None:
    _limit_free_storage(services)
    f = services.files.create(project.id, "big.txt", _noise(BIG, 1))
    services.files.save(f.id, "short now\n", base_version=1)
    with pytest.raises(LimitReached, match="allows 1 MB of storage"):
        services.files.restore(f.id, 1, base_version=2)
    assert [v.number for v in services.files.versions(f.id)] == [2, 1]
    services.billing.set_plan("pro")
    assert services.files.restore(f.id, 1, base_version=2).number == 3


def test_a_downgrade_keeps_the_files_and_blocks_only_new_versions(
    services: Services, project: ProjectInfo
) -> None:
    _limit_free_storage(services)
    services.billing.set_plan("pro")
    f = services.files.create(project.id, "a.txt", _noise(BIG, 1))
    other = services.projects.create(project.workspace_id, "Archive")
    services.files.create(other.id, "b.txt", _noise(BIG, 2))
    summary = services.billing.set_plan("free", at_period_end=False)
    assert summary.line("storage_mb").state == "full"
    assert services.files.read(f.id).text == _noise(BIG, 1)  # everything stays readable
    with pytest.raises(LimitReached, match=r"your files take 1\.8 MB"):
        services.files.save(f.id, "a\n", base_version=1)
    # Deleting a project frees its space (a file in the trash keeps its history).
    services.projects.delete(other.id)
    assert services.files.save(f.id, "a\n", base_version=1).number == 2


def test_a_members_saves_count_against_the_workspace_owners_storage(
    services: Services, project: ProjectInfo, clock: FixedClock
) -> None:
    _limit_free_storage(services)
    services.files.create(project.id, "big.txt", _noise(BIG, 1))
    bob_info = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(bob_info.id)
    services.workspaces.add_member(project.workspace_id, "bob@example.com", "member")
    bob.billing.set_plan("business")  # Bob's own plan does not lift the owner's limit
    with pytest.raises(LimitReached) as err:
        bob.files.create(project.id, "bobs.txt", _noise(200_000, 2))
    assert err.value.plan == "free"


# From disk -----------------------------------------------------------------------------------


def test_changes_on_disk_past_the_limit_are_still_recorded(
    services: Services, project: ProjectInfo, tmp_path: Path
) -> None:
    """Refusing them would lose track of the user's edits: they are kept, over the limit."""
    root = tmp_path / "notes"
    root.mkdir()
    (root / "notes.txt").write_text("first\n", encoding="utf-8")
    services.disk_sync.bind(project.id, root)
    _limit_free_storage(services)
    elsewhere = services.projects.create(project.workspace_id, "Elsewhere")
    services.files.create(elsewhere.id, "big.txt", _noise(BIG, 1))
    (root / "notes.txt").write_text(_noise(200_000, 2), encoding="utf-8")
    (root / "new.txt").write_text(_noise(200_000, 3), encoding="utf-8")
    services.disk_sync.apply(
        project.id, [("modified", str(root / "notes.txt")), ("added", str(root / "new.txt"))]
    )
    notes = services.files.find(project.id, "notes.txt")
    assert [v.message for v in services.files.versions(notes.id)] == [
        "Changed on disk",
        "Imported from disk",
    ]
    new = services.files.find(project.id, "new.txt")
    assert services.files.read(new.id).text == _noise(200_000, 3)
    assert _used(services) > 1024 * 1024
    # The limit still stands for what is added in promptterm.
    with pytest.raises(LimitReached):
        services.files.save(notes.id, "mine\n", base_version=2)


def test_an_import_past_the_limit_is_refused_before_anything_is_written(
    services: Services, project: ProjectInfo, tmp_path: Path
) -> None:
    _limit_free_storage(services)
    root = tmp_path / "big"
    root.mkdir()
    for i in range(3):
        (root / f"part{i}.txt").write_text(_noise(400_000, i), encoding="utf-8")
    (root / "small.txt").write_text("small\n", encoding="utf-8")
    with pytest.raises(LimitReached) as err:
        services.disk_sync.bind(project.id, root)
    assert (err.value.limit, err.value.plan) == ("storage_mb", "free")
    assert "The Free plan allows 1 MB of storage" in err.value.message
    assert UPGRADE in err.value.message
    assert services.files.list_files(project.id) == []
    assert _used(services) == 0
    # Not left bound to the folder, where a later rescan would import it unchecked.
    assert services.projects.get(project.id).root_path is None
    services.billing.set_plan("pro")
    report = services.disk_sync.bind(project.id, root)
    assert sorted(report.imported) == ["part0.txt", "part1.txt", "part2.txt", "small.txt"]


def test_an_import_checks_the_storage_once_not_per_file(
    services: Services, project: ProjectInfo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(250):  # more than one chunk of disk_import
        (root / f"note{i:03d}.txt").write_text(f"note {i}\n", encoding="utf-8")
    calls: list[int] = []
    check = limits.check_storage

    def counted(*args: object) -> None:
        calls.append(1)
        check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(limits, "check_storage", counted)
    assert len(services.disk_sync.bind(project.id, root).imported) == 250
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("slug", "way_up"),
    [
        ("pro", "Upgrade with `promptterm billing plan set business`, or delete a project"),
        ("business", "Delete a project you no longer need"),
    ],
)
def test_the_way_up_is_the_next_plan_and_none_from_the_top(
    services: Services, project: ProjectInfo, slug: str, way_up: str
) -> None:
    services.billing.set_plan(slug)
    _limit_free_storage(services, slug=slug)
    services.files.create(project.id, "big.txt", _noise(BIG, 1))
    with pytest.raises(LimitReached) as err:
        services.files.create(project.id, "more.txt", _noise(200_000, 2))
    assert way_up in err.value.message
    assert "plan set pro" not in err.value.message


def test_storage_says_the_files_size_next_to_what_is_stored(
    services: Services, project: ProjectInfo
) -> None:
    from promptterm.services.billing.format import storage_words

    text = "the same line again\n" * 60_000  # 1.1 MiB that compresses to almost nothing
    f = services.files.create(project.id, "notes.txt", text)
    gone = services.files.create(project.id, "old.txt", "x" * 5000)
    services.files.delete(gone.id)  # in the trash: stored, but not a file any more
    line = services.billing.summary().line("storage_mb")
    assert line.files_bytes == len(text.encode()) == services.files.get(f.id).size_bytes
    assert 0 < line.used < 100_000  # compressed: what the plan counts
    words = storage_words(line)
    assert words is not None and words.startswith("1.1 MB of files (")
    assert words.endswith(" stored)") and "KB" in words
    assert storage_words(services.billing.summary().line("max_projects")) is None
