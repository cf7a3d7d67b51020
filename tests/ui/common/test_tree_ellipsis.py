"""A tree label cut at the pane's edge ends with "…" (the explorer's and the editor's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Tree

from promptterm.services.facade import Services
from support.clock import FixedClock
from ui.editor.scenarios import open_editor, seed_editor, settle_editor
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio

LONG = "A project with a name far too long for the tree"


def drawn_lines(pilot: Pilot[None], tree: Tree) -> list[str]:  # type: ignore[type-arg]
    screen = pilot.app.screen
    region = tree.content_region
    strips = screen._compositor.render_strips()
    return [strips[y].text[region.x : region.right] for y in range(region.y, region.bottom)]


async def test_the_explorer_tree(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    workspace = ui_services.workspaces.create("Acme")
    ui_services.projects.create(workspace.id, LONG, language="TypeScript")
    async with make_app().run_test(size=SMALL) as pilot:
        await settle(pilot)
        tree = pilot.app.screen.query_one("#explorer-tree", Tree)
        await pilot.press("right")  # open Acme
        await wait_until(
            pilot,
            lambda: any("A project" in line for line in drawn_lines(pilot, tree)),
            between=settle,
        )
        line = next(line for line in drawn_lines(pilot, tree) if "A project" in line)
        assert line.endswith("…"), line  # in the last column: nothing cut early
        assert "TypeScript" not in line


async def test_the_file_tree(
    make_app: AppFactory, ui_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    world = seed_editor(ui_services, clock, tmp_path)
    name = "a_module_with_a_very_long_descriptive_name.py"
    ui_services.files.create(world.project, name, "pass\n", "Long name")
    async with make_app().run_test(size=SMALL) as pilot:
        await open_editor(pilot, world.project)
        await settle_editor(pilot)
        tree = pilot.app.screen.query_one("#editor-tree", Tree)
        line = next(line for line in drawn_lines(pilot, tree) if "a_module" in line)
        assert line.endswith("…"), line  # in the last column: nothing cut early


def test_the_label_fills_the_line_before_it_is_cut() -> None:
    """The "…" sits at the pane's edge, not a guide's width before it."""
    from promptterm.ui.common.widgets.tree import EllipsisTree

    tree: EllipsisTree[None] = EllipsisTree("root")
    tree.show_root = False
    tree.guide_depth = 3
    top = tree.root.add("top")
    child = top.add("child")
    grandchild = child.add_leaf("grandchild")
    assert [tree.guides_width(n) for n in (top, child, grandchild)] == [0, 3, 6]
    tree.show_root = True
    assert [tree.guides_width(n) for n in (tree.root, top, child)] == [0, 3, 6]
