"""Where the user writes: a multi-line TextArea (enter is a new line; ctrl+j sends, which
every terminal and tmux pass through), and the thread bar above the transcript."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static, TextArea

from promptterm.ui.chat.widgets.format import thread_total

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from promptterm.services.chat.threads import ThreadInfo, ThreadTotals

PLACEHOLDER = "Ask anything · enter: new line · ctrl+j: send"


class Composer(TextArea):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            id=id, soft_wrap=True, compact=True, placeholder=PLACEHOLDER, tab_behavior="focus"
        )

    def on_mount(self) -> None:
        # Tests switch blinking off app-wide (the app does it for Input only).
        if not getattr(self.app, "cursor_blink", True):
            self.cursor_blink = False

    def set_draft(self, text: str) -> None:
        self.text = text
        self.move_cursor(self.document.end)


class ThreadBar(Horizontal):
    """The open thread: its title, then model, preset and what it has cost so far."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = Static(id="chat-bar-title")
        self._stats = Static(id="chat-bar-stats")

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._stats

    def show_draft(self, model: str | None, preset: str | None) -> None:
        self._title.update(Content.styled("New thread", "bold"))
        self._stats.update(_stats(model, preset, "not sent yet"))

    def show(
        self, thread: ThreadInfo, totals: ThreadTotals | None, fallback_model: str | None = None
    ) -> None:
        """``fallback_model``: where a thread that never sent goes (the only provider's)."""
        title = Content.styled(thread.title, "bold")
        if thread.is_archived:
            title = Content.assemble(title, (" (archived)", "dim"))
        self._title.update(title)
        preset = thread.preset_history[-1].preset_name if thread.current_preset_id else None
        spent = thread_total(totals) if totals else f"{thread.total_tokens:,} tok"
        self._stats.update(_stats(thread.model or fallback_model, preset, spent))


def _stats(model: str | None, preset: str | None, spent: str) -> Content:
    parts: list[Content | tuple[str, str] | str] = [
        (model or "no model yet", "$text-accent" if model else "dim"),
        "  ",
        (f"◆ {preset}" if preset else "no preset", "" if preset else "dim"),
        "  ",
        (spent, "bold"),
    ]
    return Content.assemble(*parts)
