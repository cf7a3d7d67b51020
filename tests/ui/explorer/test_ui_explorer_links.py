"""Paths shown in the explorer's details are terminal hyperlinks (issue 21, item 5): a bound
project's folder and a file's place on disk are drawn with OSC 8 ``file://`` links."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.links import file_url
from promptterm.services.facade import Services
from ui.fixtures import AppFactory
from ui.helpers import cursor_label, settle
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


async def test_a_bound_files_place_on_disk_is_a_link(
    make_app: AppFactory, ui_services: Services, world: World, tmp_path: Path
) -> None:
    site = tmp_path / "my site"
    site.mkdir()
    ui_services.disk_sync.bind(world.website, site)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("right")  # Acme
        await settle(pilot)
        await pilot.press("down", "right")  # Website, with its files
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        assert cursor_label(app) == "README.md  v1"
        drawn = app.screen._compositor.render_full_update().render_segments(app.console)
    assert f";{file_url(site / 'README.md')}\x1b\\" in drawn
    assert "%20site/README.md" in drawn  # the space is percent-encoded in the URL
