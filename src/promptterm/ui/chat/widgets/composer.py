"""Where the user writes: a multi-line TextArea (enter is a new line; ctrl+j sends, which
every terminal and tmux pass through), and the thread bar above the transcript."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static, TextArea

from promptterm.services.validation import strip_controls
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

    def _toggle_cursor_blink_visible(self) -> None:
        # A blink shows or hides the cursor on its row, nothing else. Textual's refresh
        # drops the widget's cache of component styles all the same, and the TextArea's
        # theme then works all six out again, each a walk up the DOM: 1.3 ms of the 1.8 ms
        # a blink cost, twice a second, also while an answer streams. A change of style
        # clears that cache itself (notify_style_update), so keeping it here is safe.
        kept = dict(self._rich_style_cache)
        super()._toggle_cursor_blink_visible()
        if not self._rich_style_cache:
            self._rich_style_cache.update(kept)

    def set_draft(self, text: str) -> None:
        self.text = text
        self.move_cursor(self.document.end)


class ThreadBar(Horizontal):
    """The open thread: its title, then model, preset and what it has cost so far.

    When the bar is narrow (80 columns, with the thread list beside it) what it has cost is
    never cut: the title gives way first (down to a few letters and an ellipsis), then the
    preset's and the model's names, each cut with an ellipsis, then left out."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = Static(id="chat-bar-title")
        self._stats = Static(id="chat-bar-stats")
        self._parts: tuple[str | None, str | None, str, str] = (None, None, "", "")
        self._tools: str | None = None  # "⚙ files, web" when the thread offers tools

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._stats

    def show_draft(self, model: str | None, preset: str | None) -> None:
        self._tools = None
        self._show(Content.styled("New thread", "bold"), model, preset, "not sent yet")

    def show(
        self, thread: ThreadInfo, totals: ThreadTotals | None, fallback_model: str | None = None
    ) -> None:
        """``fallback_model``: where a thread that never sent goes (the only provider's)."""
        title = Content.styled(thread.title, "bold")
        if thread.is_archived:
            title = Content.assemble(title, (" (archived)", "dim"))
        preset = thread.preset_history[-1].preset_name if thread.current_preset_id else None
        spent = thread_total(totals) if totals else f"{thread.total_tokens:,} tok"
        tools = [strip_controls(t) for t in thread.tools or ()]
        self._tools = "⚙ " + ", ".join(tools) if tools else None
        self._show(title, thread.model or fallback_model, preset, spent)

    def _show(self, title: Content, model: str | None, preset: str | None, spent: str) -> None:
        self._title.update(title)
        self._parts = (model, preset, spent, title.plain)
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        model, preset, spent, title = self._parts
        # the bar's width inside its padding, less the stats' own left padding
        room = self.content_region.width - STATS_GAP
        if room <= 0:
            room = 1_000  # not laid out yet: this runs again on the first resize
        room -= min(cell_len(title), TITLE_MIN)
        self._stats.update(fit_stats(model, preset, spent, room, self._tools))


STATS_GAP = 2  # #chat-bar-stats { padding-left: 2 }
TITLE_MIN = 8  # the title keeps this many cells (or all of a shorter one) before stats shrink
NAME_MIN = 6  # a model or preset name cut shorter than this is left out instead


def fit_stats(
    model: str | None, preset: str | None, spent: str, room: int, tools: str | None = None
) -> Content:
    """Model, preset (and the thread's tools) and spend in at most ``room`` cells where
    possible; the spend is never cut, the names are cut with an ellipsis, the tools first,
    then the preset, then left out."""
    model_text = model or "no model yet"
    preset_text = f"◆ {preset}" if preset else "no preset"
    names = [model_text, preset_text, tools or ""]
    widths = [cell_len(n) for n in names]
    for index in (2, 1, 0):  # the tools give way first, then the preset, then the model
        # each name shown takes two more cells: the gap after it
        over = sum(w + 2 for w in widths if w) + cell_len(spent) - room
        if over <= 0:
            break
        widths[index] = max(widths[index] - over, 0)
        if widths[index] < NAME_MIN:
            widths[index] = 0  # too short to read: left out
    styles = ["$text-accent" if model else "dim", "" if preset else "dim", "$text-accent"]
    parts: list[Content] = []
    for name, width, style in zip(names, widths, styles, strict=True):
        if width:
            parts += [Content.styled(name, style).truncate(width, ellipsis=True), Content("  ")]
    return Content.assemble(*parts, Content.styled(spent, "bold"))
