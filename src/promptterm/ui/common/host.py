"""What the areas ask of the App, as a protocol: nothing in ui/ imports the App.

The App imports every area; if an area imported the App back (even only for type hints),
every screen would sit in one import cycle with every other. Screens, widgets and palette
providers cast ``self.app`` to ``AppHost`` instead; ``PromptTermApp`` provides all of it
(tests/ui/common/test_app_host.py checks that it does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.signal import Signal

    from promptterm.config import Settings
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.services.workspaces.service import WorkspaceInfo
    from promptterm.ui.common.jump import JumpTarget


class AppHost(Protocol):
    # What the user is working on; the status line shows it and the areas start from it.
    current_workspace: WorkspaceInfo | None
    current_project: ProjectInfo | None
    # True once the services are open (the App may open them after its first frame).
    services_ready: bool
    # Where the database is (the explorer reads its first screen before the services open).
    settings: Settings
    cursor_blink: bool
    # News that token usage or limits changed: publish None and every meter reloads.
    usage_signal: Signal[None]

    @property
    def services(self) -> Services: ...

    @property
    def keys_pending(self) -> bool:
        """A key typed but not yet handled: a redraw that can wait lets it go first."""
        ...

    async def jump(self, target: JumpTarget) -> None: ...

    async def action_quit(self) -> None:
        """Quit, first asking about what quitting would interrupt (a streaming answer, a
        run) in any area."""

    async def load_demo(self) -> None: ...

    def first_content_shown(self) -> None:
        """The start screen shows its content (or can only with the services): the App
        opens the database now rather than while that screen draws. Any thread."""

    def answer_finished(self, area: str, seconds: float, what: str) -> None:
        """Signal (bell or desktop notification, if the user asked) a long answer that
        finished in ``area`` while they were in another."""
