"""Scrolls that need the layout of what was just mounted run once the screen has laid it out.

Textual's ``call_after_refresh`` is not always after a refresh: while the app batches updates
(``App.batch_update``; ``switch_mode`` holds one for 50 ms, far longer on a loaded machine)
an idle screen runs those callbacks at once, with nothing laid out. A thread opened as its
area came up was then scrolled to its end before its messages had a height: there was
nothing to scroll (``max_scroll_y`` still 0, so not anchored either), and it stayed at its
top for good. The screen's layout signal is sent only once a layout is done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.screen import Screen


class AfterLayout:
    """Mixed in before a Textual widget class (as ``OneLayout`` is, and for the same reason
    not a Widget itself)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._after_layout: list[Callable[[], object]] = []
        self._layouts_heard = False
        self._generation = 0  # what is shown: a callback queued for an earlier one is dropped

    def after_layout(self, callback: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        """``callback`` once the screen's next layout is done, unless ``forget_after_layout``
        is called before it runs."""
        widget: Any = self
        if not widget.is_attached:
            return  # not on a screen (the app is quitting): nothing will be laid out
        if not self._layouts_heard:
            signal = widget.screen.screen_layout_refresh_signal
            signal.subscribe(widget, self._laid_out, immediate=True)
            self._layouts_heard = True
        generation = self._generation

        def call() -> None:
            if generation == self._generation:
                callback(*args, **kwargs)

        self._after_layout.append(call)
        # Due already after a mount; otherwise this asks for one, or the call would wait.
        widget.refresh(layout=True)

    def forget_after_layout(self) -> None:
        """Something else is shown now: what was queued for the last thing shown is dropped."""
        self._generation += 1
        self._after_layout.clear()

    def _laid_out(self, _screen: Screen[Any]) -> None:
        # Called in the middle of the screen's update: the callbacks run on our own queue.
        widget: Any = self
        callbacks, self._after_layout = self._after_layout, []
        for callback in callbacks:
            widget.call_next(callback)
