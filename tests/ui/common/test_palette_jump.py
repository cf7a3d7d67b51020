"""The palette opens on recent projects without reading every target of the database: the
full read (files, threads, components, presets…) waits for the first typed word, once."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from promptterm.services.facade import Services
from promptterm.ui.common import jump
from promptterm.ui.common.jump import JumpTarget
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _shown(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    if not isinstance(screen, CommandPalette):
        return ""
    options = screen.query_one(CommandList)
    return "\n".join(
        str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
    )


async def test_the_palette_opens_on_recent_projects_and_reads_the_rest_on_a_word(
    make_app: AppFactory, ui_services: Services, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    collect = jump.collect_targets

    def counted(services: Services) -> list[JumpTarget]:
        reads.append(1)
        return collect(services)

    monkeypatch.setattr(jump, "collect_targets", counted)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        # Website was opened last: first among the recent projects.
        await wait_until(pilot, lambda: "Open project Acme/Website" in _shown(app), "projects")
        assert reads == []
        await type_text(pilot, "api design")
        await wait_until(pilot, lambda: "Open thread API design review" in _shown(app), "hit")
        await type_text(pilot, " rev")
        await wait_until(pilot, lambda: "Open thread API design review" in _shown(app), "hit")
        assert reads == [1]


def test_recent_projects_come_from_a_limited_read(ui_services: Services, world: World) -> None:
    (first,) = jump.recent_projects(ui_services, limit=1)
    assert first.id == world.website and first.title == "explorer: Open project Acme/Website"
    assert len(jump.recent_projects(ui_services, limit=3)) == 3
    assert [p.id for p in ui_services.projects.list(limit=2)] == [
        p.id for p in ui_services.projects.list()[:2]
    ]
