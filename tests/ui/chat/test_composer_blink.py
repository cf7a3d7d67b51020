"""The composer's cursor blinks without working out its styles again: a blink costs a row,
and a change of theme still shows in the cursor at the next blink."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.geometry import Region

from promptterm.ui.chat.widgets.composer import Composer


class ComposerApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Composer(id="composer")


def cursor_row(composer: Composer) -> object:
    composer._styles_cache.clear()  # what the next frame draws, not a cached line
    return composer.render_lines(Region(0, 0, composer.size.width, 1))[0]


@pytest.mark.anyio
async def test_a_blink_toggles_the_cursor_and_reads_no_style_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = ComposerApp()
    async with app.run_test(size=(40, 6)) as pilot:
        composer = app.query_one(Composer)
        composer.focus()
        composer.insert("hello")
        await pilot.pause()
        composer.blink_timer.pause()  # the test blinks, not the clock
        shown = cursor_row(composer)
        reads = 0
        component_styles = DOMNode.get_component_styles

        def counted(node: DOMNode, *names: str) -> object:
            nonlocal reads
            reads += 1
            return component_styles(node, *names)

        monkeypatch.setattr(DOMNode, "get_component_styles", counted)
        composer._toggle_cursor_blink_visible()
        hidden = cursor_row(composer)
        composer._toggle_cursor_blink_visible()
        assert hidden != shown  # the cursor went and came back
        assert cursor_row(composer) == shown
        assert reads == 0

        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        composer._toggle_cursor_blink_visible()
        composer._toggle_cursor_blink_visible()
        assert reads > 0  # a new theme is read once more
        assert cursor_row(composer) != shown
