"""A frame that repaints part of the screen (a key echoed, an answer's new words) renders the
widgets in that part and no others, not those hidden behind others there, and sends the
terminal what Textual's own compositor would have sent (ui/common/partial_frames.py)."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from textual._compositor import ChopsUpdate, Compositor
from textual.widget import Widget
from textual.widgets import Header

from promptterm.services.facade import Services
from promptterm.ui.chat.widgets.message import MessageView
from promptterm.ui.chat.widgets.transcript import Transcript
from promptterm.ui.common.partial_frames import PartialFrames
from promptterm.ui.common.widgets.footer import AreaFooter
from support.clock import FixedClock
from ui.chat.scenarios import open_chat, seed_chat
from ui.fixtures import AppFactory
from ui.helpers import settle
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def sent(compositor: Compositor, dirty: Widget, base: bool) -> str:
    """What a partial frame repainting ``dirty`` writes to the terminal: each character in
    its place and style."""
    region, clip = compositor.visible_widgets[dirty]
    compositor._dirty_regions.add(region.intersection(clip))
    get_renders = Compositor._get_renders if base else PartialFrames._get_renders
    update = compositor.render_partial_update.__func__  # type: ignore[attr-defined]
    original = type(compositor)._get_renders
    type(compositor)._get_renders = get_renders  # type: ignore[method-assign]
    try:
        chops: ChopsUpdate = update(compositor)
    finally:
        type(compositor)._get_renders = original  # type: ignore[method-assign]
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor")
    # A cursor move that writes nothing before the next one shows nothing (Textual's moves to
    # the empty last piece of a widget's line, which a widget hidden behind may leave out).
    return re.sub(r"\x1b\[\d+;\d+H(?=\x1b\[\d+;\d+H|\n|$)", "", chops.render_segments(console))


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

        rendered = counting([screen.query_one(Header), screen.query_one(AreaFooter), composer])
        await pilot.press("x")  # echoed: a frame of the composer's part
        await settle(pilot)
        assert screen.query_one("#chat-composer").text == "x"  # type: ignore[attr-defined]
        assert "Header" not in rendered and "AreaFooter" not in rendered


def counting(widgets: list[Widget]) -> list[str]:
    """The names of ``widgets`` each time one of them renders, from now on."""
    rendered: list[str] = []
    for widget in widgets:
        lines = widget.render_lines

        def counted(crop: object, widget: Widget = widget, lines: object = lines) -> object:
            rendered.append(type(widget).__name__)
            return lines(crop)  # type: ignore[operator]

        widget.render_lines = counted  # type: ignore[method-assign]
    return rendered


async def test_widgets_hidden_behind_the_part_repainted_are_not_rendered(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    seed_chat(ui_services, clock)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)  # the thread with a Markdown answer
        compositor = screen._compositor
        assert isinstance(compositor, PartialFrames)
        answer = [view for view in screen.query(MessageView) if view.region.height][-1]
        transcript = screen.query_one(Transcript)
        # The answer: the transcript and the containers are behind it. The transcript: the
        # messages in front of it, its own edges and scroll bar not.
        for dirty in (answer, transcript):
            assert sent(compositor, dirty, base=False) == sent(compositor, dirty, base=True)

        behind = [node for node in transcript.ancestors_with_self if isinstance(node, Widget)]
        rendered = counting([answer, *behind])
        answer.refresh()
        await settle(pilot)
        assert rendered == ["MessageView"]
