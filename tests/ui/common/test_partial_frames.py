"""A frame that repaints part of the screen (a key echoed, an answer's new words) renders the
widgets in that part and no others, and sends the terminal what Textual's own compositor
would have sent (ui/common/partial_frames.py)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual._compositor import ChopsUpdate, Compositor
from textual.widget import Widget
from textual.widgets import Header

from promptterm.ui.common.partial_frames import PartialFrames
from promptterm.ui.common.widgets.footer import AreaFooter
from ui.fixtures import AppFactory
from ui.helpers import settle
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def sent(compositor: Compositor, dirty: Widget, base: bool) -> str:
    """What a partial frame repainting ``dirty`` writes to the terminal."""
    region = compositor.visible_widgets[dirty][0]
    compositor._dirty_regions.add(region)
    get_renders = Compositor._get_renders if base else PartialFrames._get_renders
    update = compositor.render_partial_update.__func__  # type: ignore[attr-defined]
    original = type(compositor)._get_renders
    type(compositor)._get_renders = get_renders  # type: ignore[method-assign]
    try:
        chops: ChopsUpdate = update(compositor)
    finally:
        type(compositor)._get_renders = original  # type: ignore[method-assign]
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    return chops.render_segments(console)


async def test_a_partial_frame_sends_what_textual_would_and_renders_only_its_part(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("3")  # the chat: a composer in the middle of many panes
        await settle(pilot)
        screen = app.screen
        compositor = screen._compositor
        assert isinstance(compositor, PartialFrames)
        composer = screen.query_one("#chat-composer")
        assert sent(compositor, composer, base=False) == sent(compositor, composer, base=True)

        rendered: list[str] = []
        for widget in (screen.query_one(Header), screen.query_one(AreaFooter), composer):
            lines = widget.render_lines

            def counted(crop: object, widget: Widget = widget, lines: object = lines) -> object:
                rendered.append(type(widget).__name__)
                return lines(crop)  # type: ignore[operator]

            widget.render_lines = counted  # type: ignore[method-assign]
        await pilot.press("x")  # echoed: a frame of the composer's part
        await settle(pilot)
        assert screen.query_one("#chat-composer").text == "x"  # type: ignore[attr-defined]
        assert "Header" not in rendered and "AreaFooter" not in rendered
