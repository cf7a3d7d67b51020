"""The command palette (ctrl+p): Textual's, drawn over a dimmed picture kept between draws.

Textual's palette shows the screen it was opened from through its translucent background,
and draws that picture again from scratch (every segment of the screen beneath, tinted, cut
into lines) each time the palette itself is drawn: at least twice per opening (empty, then
with its hits). Beneath a bare app that is a few segments; beneath an area (a tree, details,
a footer full of keys) it was the largest part of what our palette cost beyond a bare
Textual app's. The tinted picture depends only on what the screen beneath shows, the size
and the colours, so it is kept and drawn again only when one of those changes: the screen
beneath is still rendered each time (its widgets' lines are cached, so that is cheap) and
compared, line for line, with the picture that was tinted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.command import CommandPalette
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import StripRenderable
from textual.visual import RichVisual, Visual

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from textual.color import Color
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions, VisualType


class Palette(CommandPalette):
    """Textual's command palette, its dimmed background kept while it stays the same."""

    def render(self) -> VisualType:
        rendered = super().render()
        if isinstance(rendered, BackgroundScreen):
            return DimmedScreen(self, rendered)
        return rendered


class _Tinted:
    """What ``BackgroundScreen`` renders, from lines of the screen beneath already drawn."""

    def __init__(self, strips: list[Strip], color: Color) -> None:
        self._strips = strips
        self._color = color

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        segments = console.render(StripRenderable(self._strips), options)
        return BackgroundScreen.process_segments(segments, self._color)


class DimmedScreen(Visual):
    """The screen beneath the palette, tinted: Textual's own rendering of it, kept (one
    picture for the session) until the screen beneath, the size or the style changes."""

    # (size and colours, the lines beneath, the tinted lines) of the last picture drawn
    _kept: ClassVar[tuple[tuple[object, ...], list[Strip], list[Strip]] | None] = None

    def __init__(self, palette: CommandPalette, background: BackgroundScreen) -> None:
        self._palette = palette
        self._background = background

    def _textual(self, beneath: list[Strip] | None = None) -> RichVisual:
        if beneath is None:
            return RichVisual(self._palette, self._background)
        return RichVisual(self._palette, _Tinted(beneath, self._background.color))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        beneath = self._background.screen._compositor.render_strips()
        key = (width, height, style, self._background.color)
        kept = DimmedScreen._kept
        if kept is not None and kept[0] == key and kept[1] == beneath:
            return kept[2]
        strips = self._textual(beneath).render_strips(width, height, style, options)
        DimmedScreen._kept = (key, beneath, strips)
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._textual().get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._textual().get_height(rules, width)
