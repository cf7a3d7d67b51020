"""A save whose process died between the database commit and the disk write, on SQLite and
PostgreSQL (issue 12, item 9): the next scan writes the saved version if the disk still
holds what it held before, and says so; a disk changed meanwhile is stored on top, as a
conflict, so neither text is lost; a write that landed but was never recorded is only
recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from promptterm.db.models import FileVersion
from promptterm.services.facade import Services
from promptterm.services.files.disk.events import DiskConflict
from promptterm.services.workspaces.projects import ProjectInfo
from support.crashed_save import save_and_die

SAVED = "print('saved, then the lights went out')\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "app.py").write_text("print('hi')\n", encoding="utf-8")
    return folder


@pytest.fixture
def bound(services: Services, root: Path) -> ProjectInfo:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    services.disk_sync.bind(project.id, root)
    return services.projects.get(project.id)


def _url(services: Services) -> str:
    return services.ctx.db.engine.url.render_as_string(hide_password=False)


def test_a_save_killed_before_its_write_is_written_by_the_next_scan_and_reported(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    app_py = services.files.find(bound.id, "src/app.py")
    save_and_die(_url(services), app_py.id, SAVED)
    disk = root / "src" / "app.py"
    assert disk.read_text(encoding="utf-8") == "print('hi')\n"  # the crash, as it was
    assert services.files.read(app_py.id).text == SAVED

    report = services.disk_sync.scan(bound.id)

    assert disk.read_text(encoding="utf-8") == SAVED
    assert report.written == ["src/app.py"]
    assert report.recovered == [
        "src/app.py: version 2 was saved in promptterm but never reached the disk "
        "(promptterm stopped before writing it). The disk had not changed since, so it is "
        "written there now."
    ]
    assert (report.changed, report.conflicts, report.problems) == ([], [], [])
    assert [v.number for v in services.files.versions(app_py.id)] == [2, 1]
    again = services.disk_sync.scan(bound.id)
    assert (again.written, again.recovered, again.changed) == ([], [], [])


def test_a_disk_edited_after_the_crash_is_kept_on_top_as_a_conflict(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    app_py = services.files.find(bound.id, "src/app.py")
    save_and_die(_url(services), app_py.id, SAVED)
    disk = root / "src" / "app.py"
    disk.write_text("print('edited in vim meanwhile')\n", encoding="utf-8")

    report = services.disk_sync.scan(bound.id)

    [conflict] = report.conflicts
    assert isinstance(conflict, DiskConflict) and conflict.disk_version == 3
    assert "your last save never reached it" in conflict.message
    assert report.recovered == []
    assert disk.read_text(encoding="utf-8") == "print('edited in vim meanwhile')\n"
    assert services.files.read(app_py.id, 2).text == SAVED  # the save stays in history


def test_a_write_that_landed_but_was_never_recorded_is_only_recorded(
    services: Services, bound: ProjectInfo, root: Path
) -> None:
    app_py = services.files.find(bound.id, "src/app.py")
    save_and_die(_url(services), app_py.id, SAVED, stage="record")
    assert (root / "src" / "app.py").read_text(encoding="utf-8") == SAVED

    report = services.disk_sync.scan(bound.id)

    assert (report.written, report.recovered, report.changed, report.conflicts) == (
        [],
        [],
        [],
        [],
    )
    assert [v.number for v in services.files.versions(app_py.id)] == [2, 1]


def test_a_save_in_an_unbound_project_records_no_disk_write(services: Services) -> None:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Notes")
    file = services.files.create(project.id, "todo.md", "one\n")
    services.files.save(file.id, "two\n", base_version=1)
    with services.ctx.db.session() as session:
        intents = session.exec(
            select(FileVersion.disk_sha256).where(FileVersion.file_id == file.id)
        ).all()
    assert intents == [None, None]
