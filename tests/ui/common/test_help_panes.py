"""Help groups keys by pane: a key that means one thing in the file tree and another in the
history ("r": rename / restore) is listed once under each pane, never twice in one list."""

from __future__ import annotations

import pytest

from promptterm.ui.common.help import HelpScreen
from ui.fixtures import AppFactory
from ui.helpers import settle
from ui.scenarios import SMALL, World

pytestmark = pytest.mark.anyio


def sections(help_screen: HelpScreen) -> dict[str, list[tuple[str, str]]]:
    """Section title -> (keys, description) rows, as the help shows them."""
    found: dict[str, list[tuple[str, str]]] = {}
    rows: list[tuple[str, str]] = []
    for line in help_screen._render_keys().plain.splitlines():
        if line and not line.startswith(" ") and "  " not in line:
            rows = found.setdefault(line, [])
        elif line.strip():
            keys, _, rest = line.partition("  ")
            rows.append((keys.strip(), rest.strip().split("  ")[0]))
    return found


async def test_each_key_means_one_thing_in_each_section_of_every_area(
    make_app: AppFactory, world: World
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        shown: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for area in "123456":
            await pilot.press(f"alt+{area}")
            await settle(pilot)
            help_screen = HelpScreen(app.screen)
            await app.push_screen(help_screen)
            await settle(pilot)
            shown[area] = sections(help_screen)
            await pilot.press("escape")
            await settle(pilot)
    for area, found in shown.items():
        for title, rows in found.items():
            meanings: dict[str, set[str]] = {}
            for keys, description in rows:
                for key in keys.split():
                    meanings.setdefault(key, set()).add(description)
            doubled = {k: sorted(v) for k, v in meanings.items() if len(v) > 1}
            assert doubled == {}, f"area {area}, {title}"
    editor = shown["2"]
    assert ("f2", "Rename") in editor["Editor: File tree"]
    assert ("r", "Restore") in editor["Editor: History"]
    assert ("d", "Compare") in editor["Editor: History"]
    chat = shown["3"]
    assert ("x del", "Delete") in chat["Chat: Messages"]
    assert ("del d", "Delete") in chat["Chat: Thread list"]
    assert "Library: Components" in shown["4"] and "Library: Trash" in shown["4"]
