"""The palette's first hits never wait for a read: the screen's commands show while the
recent projects are still being read, and the projects join them below once read."""

from __future__ import annotations

import threading

import pytest
from textual.command import CommandList, CommandPalette

from promptterm.services.facade import Services
from promptterm.ui.common import jump
from promptterm.ui.common.jump import JumpTarget
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def _titles(app: object) -> list[str]:
    screen = app.screen  # type: ignore[attr-defined]
    if not isinstance(screen, CommandPalette):
        return []
    options = screen.query_one(CommandList)
    return [
        str(options.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(options.option_count)
    ]


async def test_first_hits_show_while_the_recent_projects_are_read(
    make_app: AppFactory, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading = threading.Event()
    release = threading.Event()
    read = jump.recent_projects

    def held(services: Services, limit: int) -> list[JumpTarget]:
        reading.set()
        release.wait(timeout=120)  # a bound, so a failing test cannot hang the run
        return read(services, limit)

    monkeypatch.setattr(jump, "recent_projects", held)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        try:
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: "explorer: New project" in _titles(app), "first hits")
            assert not any("Open project" in title for title in _titles(app))
            await wait_until(pilot, reading.is_set, "the recent projects' read")
        finally:
            release.set()
        await wait_until(
            pilot, lambda: "explorer: Open project Acme/Website" in _titles(app), "projects"
        )
        titles = _titles(app)
        first_project = titles.index("explorer: Open project Acme/Website")
        # Below every first hit, in the order read (Website was opened last).
        assert all("Open project" in title for title in titles[first_project:])
        assert titles.index("explorer: New project") < first_project
        # The list keeps the first hit highlighted: adding the projects moved nothing.
        assert app.screen.query_one(CommandList).highlighted == 0
