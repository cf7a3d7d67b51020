"""Pilot tests: conflicts lose nothing. A save on a stale base (another session saved
meanwhile) and a change on disk to a file with unsaved edits both open the conflict view;
keep mine, take theirs and see the diff each keep both texts. Disk changes come from real
file writes seen by the real watcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.editor.dialogs.conflict import ConflictScreen
from promptterm.ui.editor.screen import EditorScreen
from promptterm.ui.editor.widgets.conflict import ConflictView
from support.clock import FixedClock
from support.crashed_save import save_and_die
from ui.editor.scenarios import (
    MAIN_V3,
    EditorWorld,
    bound_site,
    seed_editor,
    settle_editor,
    show_file,
    wait_until,
)
from ui.fixtures import AppFactory
from ui.helpers import notes, type_text
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


@pytest.fixture
def site(ui_services: Services, clock: FixedClock, tmp_path: Path) -> EditorWorld:
    return seed_editor(ui_services, clock, tmp_path / "site")


def editor(app: object) -> EditorScreen:
    for screen in app.screen_stack:  # type: ignore[attr-defined]
        if isinstance(screen, EditorScreen):
            return screen
    raise AssertionError("no editor")


def text_of(app: object) -> str:
    screen = editor(app)
    code = screen.code_of(screen.active)
    assert code is not None
    return code.text


async def save_against_a_newer_version(pilot, services: Services, site: EditorWorld) -> None:  # type: ignore[no-untyped-def]
    """Type, let Bea save version 4 from another session, then save: a stale base."""
    await type_text(pilot, "# mine")
    await pilot.press("enter")
    bea = services.as_user(site.bea)
    bea.files.save(site.main, MAIN_V3 + "# theirs\n", base_version=3, message="Bea's fix")
    await pilot.press("f2")
    await type_text(pilot, "My change")
    await pilot.press("enter")
    await settle_editor(pilot)


async def test_stale_save_keep_mine_stores_mine_on_top_of_theirs(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        await save_against_a_newer_version(pilot, ui_services, site)
        dialog = app.screen
        assert isinstance(dialog, ConflictScreen)
        assert (dialog.info.kind, dialog.info.base_version, dialog.info.their_version) == (
            "stale",
            3,
            4,
        )
        assert editor(app).tabs_bar.labels[0].flag == "conflict"
        await pilot.press("d")  # see the diff first
        view = dialog.query_one(ConflictView)
        assert view.diff_shown
        model = dialog.info.model
        assert model is not None and (model.added, model.removed) == (1, 1)
        await pilot.press("k")
        await settle_editor(pilot)
        assert "Saved app/main.py as version 5: My change." in notes(app)
        assert editor(app).tabs_bar.labels[0].flag == ""
    versions = ui_services.files.versions(site.main)
    assert [(v.number, v.author) for v in versions[:2]] == [(5, "ada"), (4, "Bea Stone")]
    assert ui_services.files.read(site.main, 5).text == "# mine\n" + MAIN_V3
    assert ui_services.files.read(site.main, 4).text == MAIN_V3 + "# theirs\n"  # kept


async def test_stale_save_take_theirs_keeps_mine_one_undo_away(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        await save_against_a_newer_version(pilot, ui_services, site)
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("t")
        await settle_editor(pilot)
        screen = editor(app)
        assert text_of(app) == MAIN_V3 + "# theirs\n"
        assert screen.active is not None and screen.active.base_version == 4
        assert screen.active.dirty is False
        await pilot.press("ctrl+z")
        assert text_of(app) == "# mine\n" + MAIN_V3
    assert len(ui_services.files.versions(site.main)) == 4  # nothing stored for mine


async def test_deciding_later_leaves_the_conflict_for_the_next_save(
    make_app: AppFactory, ui_services: Services, site: EditorWorld
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        await save_against_a_newer_version(pilot, ui_services, site)
        await pilot.press("escape")
        await settle_editor(pilot)
        assert editor(app).active.in_conflict  # type: ignore[union-attr]
        assert text_of(app) == "# mine\n" + MAIN_V3
        await pilot.press("f2", "enter")
        await settle_editor(pilot)
        assert isinstance(app.screen, ConflictScreen)


@pytest.fixture
def bound(ui_services: Services, clock: FixedClock, tmp_path: Path) -> tuple[object, Path]:
    return bound_site(ui_services, clock, tmp_path / "bound")


async def open_bound(pilot, services: Services, bound: tuple[object, Path]):  # type: ignore[no-untyped-def]
    project_id, root = bound
    app_py = services.files.find(project_id, "src/app.py")  # type: ignore[arg-type]
    await show_file(pilot, project_id, app_py.id)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: editor(pilot.app).watching)
    return app_py, root


async def edited_then_changed_on_disk(pilot, services: Services, bound: tuple[object, Path]):  # type: ignore[no-untyped-def]
    """src/app.py open with "# mine " typed, then rewritten on disk: the conflict dialog up."""
    app_py, root = await open_bound(pilot, services, bound)
    await type_text(pilot, "# mine ")
    (root / "src" / "app.py").write_text("print('git pull')\n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConflictScreen))
    return app_py, root


async def test_a_disk_change_reloads_a_file_without_edits(
    make_app: AppFactory, ui_services: Services, bound: tuple[object, Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        app_py, root = await open_bound(pilot, ui_services, bound)
        (root / "src" / "app.py").write_text("print('from another shell')\n")
        await wait_until(pilot, lambda: editor(app).active.base_version == 2)  # type: ignore[union-attr]
        assert text_of(app) == "print('from another shell')\n"
        assert "src/app.py changed on disk: now version 2." in notes(app)
    assert ui_services.files.versions(app_py.id)[0].message == "Changed on disk"


async def test_a_disk_change_under_unsaved_edits_is_a_conflict_keep_mine(
    make_app: AppFactory, ui_services: Services, bound: tuple[object, Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        app_py, root = await edited_then_changed_on_disk(pilot, ui_services, bound)
        dialog = app.screen
        assert isinstance(dialog, ConflictScreen)
        assert (dialog.info.kind, dialog.info.their_version) == ("disk", 2)
        await pilot.press("k")
        await settle_editor(pilot)
        assert editor(app).active.dirty is False  # type: ignore[union-attr]
    assert (root / "src" / "app.py").read_text() == "# mine print('hi')\n"  # written through
    texts = [ui_services.files.read(app_py.id, n).text for n in (1, 2, 3)]
    assert texts == ["print('hi')\n", "print('git pull')\n", "# mine print('hi')\n"]


async def test_a_disk_change_under_unsaved_edits_take_the_disks(
    make_app: AppFactory, ui_services: Services, bound: tuple[object, Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        _app_py, root = await edited_then_changed_on_disk(pilot, ui_services, bound)
        await pilot.press("t")
        await settle_editor(pilot)
        assert text_of(app) == "print('git pull')\n"
        await pilot.press("ctrl+z")
        assert text_of(app) == "# mine print('hi')\n"  # mine is one undo away
    assert (root / "src" / "app.py").read_text() == "print('git pull')\n"


async def test_a_file_deleted_on_disk_under_edits_can_come_back_with_mine(
    make_app: AppFactory, ui_services: Services, bound: tuple[object, Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        app_py, root = await open_bound(pilot, ui_services, bound)
        await type_text(pilot, "# keep ")
        (root / "src" / "app.py").unlink()
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        dialog = app.screen
        assert isinstance(dialog, ConflictScreen) and dialog.info.kind == "deleted"
        await pilot.press("k")
        await wait_until(pilot, lambda: (root / "src" / "app.py").exists())
    assert (root / "src" / "app.py").read_text() == "# keep print('hi')\n"
    assert ui_services.files.get(app_py.id).is_deleted is False


async def test_after_later_on_a_disk_change_f2_and_the_refusal_name_the_disk(
    make_app: AppFactory, ui_services: Services, bound: tuple[object, Path]
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await edited_then_changed_on_disk(pilot, ui_services, bound)
        await pilot.press("escape")  # later
        await settle_editor(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen))
        intro = app.screen.intro  # type: ignore[attr-defined]
        # Version 2 exists (the disk's text): the save would be version 3, after a choice.
        assert "as version 2." not in intro
        assert "version 2 is the disk's text" in intro
        assert "keep yours (as version 3)" in intro
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        dialog = app.screen
        assert isinstance(dialog, ConflictScreen)
        assert (dialog.info.kind, dialog.info.their_version) == ("disk", 2)
        words = dialog.info.explanation()
        assert "changed on disk" in words
        assert "another window" not in words


async def test_a_save_a_killed_process_never_wrote_is_written_and_the_user_told(
    make_app: AppFactory, ui_services: Services, bound: tuple[object, Path]
) -> None:
    project_id, root = bound
    app_py = ui_services.files.find(project_id, "src/app.py")  # type: ignore[arg-type]
    url = ui_services.ctx.db.engine.url.render_as_string(hide_password=False)
    save_and_die(url, app_py.id, "print('saved, then killed')\n")
    assert (root / "src" / "app.py").read_text() == "print('hi')\n"
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_bound(pilot, ui_services, bound)
        await wait_until(pilot, lambda: any("never reached the disk" in n for n in notes(app)))
        [note] = [n for n in notes(app) if "never reached the disk" in n]
        assert note.startswith("src/app.py: version 2 was saved in promptterm")
        assert text_of(app) == "print('saved, then killed')\n"
    assert (root / "src" / "app.py").read_text() == "print('saved, then killed')\n"
