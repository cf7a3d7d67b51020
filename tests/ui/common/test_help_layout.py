"""The keys screen at 80 columns: every key is one line, none wider than the list, and each
id whole at the end of its key's line (a long id wrapped onto a line of its own, under the
wrong key); a description that cannot fit beside its id is cut with an ellipsis."""

from __future__ import annotations

import pytest
from textual.content import Content

from promptterm.ui.common.help import HelpScreen, KeyList, lay_out
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def test_a_narrow_list_cuts_descriptions_and_keeps_ids_whole() -> None:
    sections = [("Area", [("a", "A fairly long description of a key", "area-a-very-long-id")])]
    line = lay_out(sections, width=50).split("\n")[1]
    assert line.cell_length <= 50
    assert line.plain.endswith(" area-a-very-long-id")
    assert line.plain.startswith("a  A fairly long")  # the key column narrows to its keys
    assert "… area-a-very-long-id" in line.plain
    wide = lay_out(sections, width=120).split("\n")[1].plain
    assert "A fairly long description of a key" in wide and wide.endswith("area-a-very-long-id")


async def test_every_area_s_keys_fit_80_columns_one_line_each(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        for area in "12345678":
            await pilot.press(f"alt+{area}")
            await settle(pilot)
            await pilot.press("f1")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
            keys = app.screen.query_one("#help-keys")
            await wait_until(pilot, lambda k=keys: k.size.width > 0, "the list laid out")
            shown = keys.render()
            assert isinstance(shown, Content)
            lines = shown.split("\n", allow_blank=True)
            too_wide = [x.plain for x in lines if x.cell_length > keys.size.width]
            assert too_wide == [], f"area {area}"
            if isinstance(keys, KeyList):  # what it lays out: each row's ids end its line
                plain = [x.plain for x in lines]
                for _, rows in keys.sections:
                    for _, _, ids in rows:
                        assert any(x.endswith(f" {ids}") for x in plain), (area, ids)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "closed")
