"""The editor's info line links the open file's path to the file on disk when the project
is bound to a folder (issue 21, item 5): an OSC 8 ``file://`` hyperlink."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from promptterm.links import file_url
from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.editor.scenarios import seed_editor, show_file
from ui.fixtures import AppFactory
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def _drawn(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return screen._compositor.render_full_update().render_segments(app.console)  # type: ignore[attr-defined]


async def test_the_open_files_path_links_to_it_on_disk_when_bound(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    site = seed_editor(ui_services, clock, tmp_path / "site")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        assert "\x1b]8;" not in _drawn(app)  # not bound (the seed unbinds it): no link
    ui_services.disk_sync.bind(site.project, tmp_path / "site")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.readme)
        drawn = _drawn(app)
    url = file_url(tmp_path / "site" / "README.md")
    opened = f";{url}\x1b\\"
    assert opened in drawn, drawn
    inside = drawn.split(opened, 1)[1].split("\x1b]8;;\x1b\\", 1)[0]
    assert re.sub("\x1b\\[[0-9;]*m", "", inside) == "README.md"  # the path, not the rest
