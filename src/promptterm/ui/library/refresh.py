"""Keeping the library's lists current without F5: a part the library screen holds.

- A chat send (the app's ``usage_signal``) changes presets' and components' use counts and
  the plan's figures: the loaded views reload.
- Coming back to the library from another area reloads what is loaded, and while the library
  is in front the view shown reloads every few seconds, so what another process (the CLI)
  added shows up. An answer equal to what is shown changes nothing on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from promptterm.ui.library.screen import LibraryScreen

POLL_SECONDS = 5.0
POLLED_VIEWS = ("components", "presets")


class LibraryRefresher:
    def __init__(self, screen: LibraryScreen) -> None:
        self.screen = screen
        self._stale = False

    def start(self) -> None:
        self.screen.pt_app.usage_signal.subscribe(self.screen, self._usage_changed)
        self.screen.set_interval(POLL_SECONDS, self._poll)

    def resumed(self) -> None:
        """The library is in front again (from another area or a dialog)."""
        if self._stale:
            self._stale = False
            self.reload_all()

    def suspended(self) -> None:
        """Another area or a dialog is in front: whatever it does may change the lists."""
        self._stale = True

    def reload_all(self) -> None:
        for view in self.screen.loaded_views & set(POLLED_VIEWS):
            self.screen.reload_view(view)
        self.screen.reload_limits()

    def _usage_changed(self, _: None) -> None:
        if self.screen.is_current:
            self.reload_all()
        else:
            self._stale = True

    def _poll(self) -> None:
        screen = self.screen
        if screen.is_current and screen.view in POLLED_VIEWS:
            screen.reload_view(screen.view)
            screen.reload_limits()
