"""The app's command palette: Textual's, except that its first hits never wait for a read,
and the screen behind it is tinted once, not at each of the palette's own repaints.

Before a word is typed Textual draws the palette's hits only once every provider has
answered, so one provider reading the database (the recent projects) held back the hits
that were ready at once, and its thread took CPU from drawing them, the more so on a busy
machine. Here such a provider (a ``LateDiscovery``) answers the empty query with nothing;
the palette draws the other hits, then asks it for its own and adds them below.

Textual draws the palette's own background (the screen behind it, tinted) again whenever
the palette repaints, and it repaints itself after its first frame and when its hits
arrive: each time the whole explorer behind was composed and tinted anew.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual._context import visible_screen_stack
from textual.command import Command, CommandList, CommandPalette, Provider
from textual.content import Content
from textual.style import Style
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from collections.abc import Hashable

    from textual.command import DiscoveryHit, Hit, Hits
    from textual.geometry import Region
    from textual.strip import Strip

# Textual's own gathering (its worker decorator keeps the plain coroutine as __wrapped__).
_textual_gather = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]


class LateDiscovery(Provider):
    """A provider whose hits before a word is typed need a read: the palette asks for them
    (``discover_late``) once the other first hits are drawn."""

    async def discover(self) -> Hits:
        return
        yield  # an async generator that finds nothing: Textual's gathering never waits here

    async def discover_late(self) -> Hits:
        """The hits to add below the first ones."""
        return
        yield


class Palette(CommandPalette):
    _behind_changes = 0  # how often the screen behind changed while the palette was open
    _tinted: tuple[Hashable, list[Strip]] | None = None  # the background drawn last, by key

    def _set_dirty(self, *regions: Region) -> None:
        # A screen is made dirty in regions only by a change on the screen behind it (Textual
        # passes the regions the screen behind redrew); the palette's own repaints and
        # resizes make all of it dirty, with no region.
        if regions:
            self._behind_changes += 1
        super()._set_dirty(*regions)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The palette's background: the screen behind, tinted, drawn again only if that
        screen changed, or the palette's size or styles did."""
        behind = visible_screen_stack.get([])
        if not behind or self.styles.background.a >= 1:
            return super().render_lines(crop)  # not the screen behind: Textual's drawing
        key = (crop, self.size, self.styles._cache_key, behind[-1], self._behind_changes)
        if self._tinted is None or self._tinted[0] != key:
            self._tinted = (key, super().render_lines(crop))
        return list(self._tinted[1])

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        await _textual_gather(self, search_value)
        late = [p for p in self._providers if isinstance(p, LateDiscovery)]
        worker = get_current_worker()
        if search_value or not late or worker.is_cancelled:
            return
        await self._drawn()
        hits = [hit for provider in late async for hit in _late_hits(provider)]
        if not hits or worker.is_cancelled:
            return
        self._stop_no_matches_countdown()  # set when the first hits were none
        command_list = self.query_one(CommandList)
        first = command_list.option_count
        command_list.add_options(
            Command(self._prompt(hit), hit, id=str(first + n)) for n, hit in enumerate(hits)
        )
        if first == 0:
            command_list.highlighted = 0
        self._hit_count = command_list.option_count
        self._list_visible = True

    async def _drawn(self) -> None:
        """Return once the palette's screen has been refreshed (its first hits drawn)."""
        drawn = asyncio.Event()
        self.call_after_refresh(drawn.set)
        await drawn.wait()

    def _prompt(self, hit: DiscoveryHit | Hit) -> Content:
        """What the list shows for ``hit``: its title and help line, as Textual builds them."""
        if isinstance(hit.prompt, Text):
            prompt = Content.from_rich_text(hit.prompt)
        else:
            prompt = Content.from_markup(hit.prompt)
        if not hit.help:
            return prompt
        help_style = Style.from_styles(self.get_component_styles("command-palette--help-text"))
        help_text = Content.from_markup(hit.help).stylize_before(help_style)
        return Content("\n").join([prompt, help_text])


async def _late_hits(provider: LateDiscovery) -> Hits:
    """``provider``'s late hits; a failure is logged, as Textual does with a provider's."""
    try:
        async for hit in provider.discover_late():
            yield hit
    except Exception:
        from rich.traceback import Traceback

        provider.app.log.error(Traceback())
