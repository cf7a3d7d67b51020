"""The line under the code shortens by whole words in a narrow window, never mid-word
("watching the"): the least useful parts give way first, then shorter wordings."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.services.facade import Services
from promptterm.ui.common.widgets.fitting import Part, fit_parts
from support.clock import FixedClock
from ui.editor.scenarios import bound_site, show_file, wait_until
from ui.fixtures import AppFactory

pytestmark = pytest.mark.anyio

# Every way each part may be drawn (at full length the line is 55 cells).
WHOLE = {"src/app.py", "app.py", "v1", "Ln 1, Col 1", "1:1", "python", "watching the folder"}
WHOLE |= {"watching"}


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_info_line_drops_whole_words(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path, width: int
) -> None:
    project_id, _ = bound_site(ui_services, clock, tmp_path / "bound")
    app_py = ui_services.files.find(project_id, "src/app.py")
    async with make_app().run_test(size=(width, 24)) as pilot:
        await show_file(pilot, project_id, app_py.id)
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.watching)  # type: ignore[attr-defined]
        info = screen.query_one("#editor-info")
        assert info.text.endswith("watching the folder")  # type: ignore[attr-defined]
        region = info.content_region
        drawn = screen._compositor.render_strips()[region.y].text[region.x : region.right]
        pieces = drawn.strip().split(" · ")
        assert set(pieces) <= WHOLE, drawn
        assert pieces[:2] in (["src/app.py", "v1"], ["app.py", "v1"]), drawn
        if width >= 120:
            assert pieces[-1] == "watching the folder"


def test_parts_give_way_in_their_order() -> None:
    parts = [
        Part(("src/app.py", "app.py"), gives_way=1),
        Part.fixed("v1"),
        Part(("Ln 1, Col 1", "1:1"), gives_way=3),
        Part(("python", ""), gives_way=5),
        Part(("watching the folder", "watching", ""), gives_way=6),
    ]
    assert fit_parts(parts, 100) == "src/app.py · v1 · Ln 1, Col 1 · python · watching the folder"
    assert fit_parts(parts, 50) == "src/app.py · v1 · Ln 1, Col 1 · python · watching"
    assert fit_parts(parts, 40) == "src/app.py · v1 · Ln 1, Col 1 · python"
    assert fit_parts(parts, 30) == "src/app.py · v1 · Ln 1, Col 1"
    assert fit_parts(parts, 21) == "src/app.py · v1 · 1:1"
    assert fit_parts(parts, 5) == "app.py · v1 · 1:1"  # as short as it gets
