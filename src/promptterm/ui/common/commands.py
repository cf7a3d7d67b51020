"""Command palette providers: jump to anything by name, run any action here, switch theme.

Titles read ``area: Verb object`` so the palette reads like a menu of the whole app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from promptterm.ui.common.areas import area_of
from promptterm.ui.common.errors import report_error
from promptterm.ui.common.palette import LateDiscovery

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from promptterm.services.facade import Services
    from promptterm.ui.common.host import AppHost
    from promptterm.ui.common.jump import JumpTarget

# When the query is empty the palette offers this many jump targets (recent ones first).
DISCOVER_LIMIT = 3
# Textual's CommandList is at most 70% of the screen high, less its two border lines.
LIST_SHARE = 0.7
LIST_BORDERS = 2


def screenful(app: App[object]) -> int:
    """How many commands (two lines each: title and help) the palette's list shows at the
    app's height, and one more to say that there is more below: what it offers before a
    word is typed. Every hit it shows is built, measured and laid out before any is drawn,
    so offering all of a screen's commands (28 in the library) made the palette wait."""
    return max(1, (int(app.size.height * LIST_SHARE) - LIST_BORDERS) // 2) + 1


def _app(provider: Provider) -> AppHost:
    return cast("AppHost", provider.app)


class JumpProvider(LateDiscovery):
    """Workspaces, projects, files, threads, components and presets, by fuzzy name.

    Opening the palette asks only for the recent projects (one short query along an index),
    once the palette's other first hits are drawn: they never wait for a read. Every target
    of the database is read the first time a word is typed.
    """

    _all: asyncio.Future[list[JumpTarget]] | None = None  # every target, once a word is typed

    async def _read(self, read: Callable[[Services], list[JumpTarget]]) -> list[JumpTarget]:
        app = _app(self)
        try:
            # Service calls block (the database may be across a network): not on the UI loop.
            return await asyncio.to_thread(read, app.services)
        except Exception as exc:
            report_error(app, exc)
            return []

    def _run(self, target: JumpTarget) -> Callable[[], Any]:
        return partial(_app(self).jump, target)

    async def search(self, query: str) -> Hits:
        from promptterm.ui.common.jump import collect_targets

        if self._all is None:
            self._all = asyncio.ensure_future(self._read(collect_targets))
        # Shielded: the next key cancels this search, not the one read every search shares.
        targets = await asyncio.shield(self._all)
        matcher = self.matcher(query)
        for target in targets:
            score = matcher.match(target.title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(target.title), self._run(target), help=target.help
                )

    async def discover_late(self) -> Hits:
        from promptterm.ui.common.jump import recent_projects

        # Recent projects are the likeliest destinations when nothing is typed yet.
        for target in await self._read(partial(recent_projects, limit=DISCOVER_LIMIT)):
            yield DiscoveryHit(target.title, self._run(target), help=target.help)


def screen_commands(screen: Screen[object]) -> list[tuple[str, Callable[[], Any], str]]:
    """(title, run, help) of every action bound on ``screen`` and on the app: the palette's
    commands, each with a help line (the binding's tooltip, else COMMAND_HELP's words)."""
    from promptterm.ui.common.command_help import COMMAND_HELP

    app = screen.app
    area = area_of(app.current_mode)
    prefix = getattr(screen, "AREA", None) or (area.name if area else "app")
    seen: set[str] = set()
    commands: list[tuple[str, Callable[[], Any], str]] = []
    for namespace, binding, enabled, tooltip in screen.active_bindings.values():
        if namespace is not app and namespace is not screen:
            continue  # a widget's own keys (cursor moves) are not commands
        # Only our own bindings (they all have ids); Textual's focus and copy keys are not
        # commands anyone looks for.
        if not enabled or not binding.id or binding.action == "command_palette":
            continue
        if binding.action in seen:
            continue
        seen.add(binding.action)
        owner = "app" if namespace is app else prefix
        key = app.get_key_display(binding)
        words = tooltip or COMMAND_HELP.get(binding.id, "")
        commands.append(
            (
                f"{owner}: {binding.description}",
                partial(app.run_action, binding.action, namespace),
                f"{key} · {words}" if words else key,
            )
        )
    return commands


class ScreenActionsProvider(Provider):
    """Every action bound on the screen the palette was opened from, plus the global ones:
    a screenful of them (the screen's own first) before a word is typed, any of them after."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        return screen_commands(self.screen)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)

    async def discover(self) -> Hits:
        for title, run, help_text in self._commands()[: screenful(self.app)]:
            yield DiscoveryHit(title, run, help=help_text)


class DemoProvider(Provider):
    """``app: Load the demo``, from anywhere (the first-run welcome offers it too)."""

    TITLE = "app: Load the demo"
    HELP = "Sample projects, components, presets and a chat; loading it again adds nothing"

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        score = matcher.match(self.TITLE)
        if score > 0:
            yield Hit(score, matcher.highlight(self.TITLE), _app(self).load_demo, help=self.HELP)

    async def discover(self) -> Hits:
        yield DiscoveryHit(self.TITLE, _app(self).load_demo, help=self.HELP)


class ThemeProvider(Provider):
    """``app: Switch theme to nord`` for every theme; the choice is saved in the config."""

    def _themes(self) -> list[str]:
        return sorted(name for name in self.app.available_themes if name != "textual-ansi")

    def _setter(self, name: str) -> Callable[[], None]:
        def apply() -> None:
            self.app.theme = name

        return apply

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in self._themes():
            title = f"app: Switch theme to {name}"
            score = matcher.match(title)
            if score > 0:
                current = " (current)" if name == self.app.theme else ""
                yield Hit(score, matcher.highlight(title), self._setter(name), help=current or None)
