"""A prompt's history: every state an edit replaced (modules, options and variables
together), a diff of the rendered text of any two, and restore as a new version.

The list, the diff and marking are the shared history dialog's (version_history.py), as for
components (versions.py); this module says how a prompt's versions load, read, diff and
restore. A restore is an edit, so the state it replaces becomes the newest version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from promptterm.ui.common.widgets.format import ago
from promptterm.ui.library.dialogs.version_history import CURRENT, Ref, VersionHistoryScreen

if TYPE_CHECKING:
    from datetime import datetime

    from promptterm.services.facade import Services
    from promptterm.services.library.prompt_versions import PromptVersionInfo
    from promptterm.services.library.prompts import PromptInfo


def history_row(v: PromptVersionInfo, now: datetime, marked: bool) -> Content:
    mark = ("◆ ", "bold $accent") if marked else ("  ", "")
    when = "  now" if v.is_current else f"  {ago(v.saved_at, now)}"
    return Content.assemble(mark, (v.label, "bold"), (when, "dim"))


class PromptHistoryScreen(VersionHistoryScreen["PromptVersionInfo", "PromptInfo | None"]):
    """Dismisses with the prompt a restore made (None: closed without one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="library-history-close"),
        Binding("space,m", "mark", "Compare with", id="library-history-mark"),
        Binding("r", "restore", "Restore", id="library-history-restore"),
    ]
    NO_VERSIONS = (
        "Every edit keeps the state it replaces (modules, options and variables "
        "together) as a version; its history starts with the first edit."
    )
    SAME_TEXT = "Same rendered text (the name, description, tags or a hidden module differ)."

    class Restored(Message):
        def __init__(self, prompt: PromptInfo) -> None:
            super().__init__()
            self.prompt = prompt

    def __init__(self, services: Services, prompt: PromptInfo) -> None:
        super().__init__(services)
        self.prompt = prompt

    def dialog_title(self) -> str:
        return f"History of {self.prompt.name}"

    def row(self, v: PromptVersionInfo, now: datetime, marked: bool) -> Content:
        return history_row(v, now, marked)

    def _ref(self, v: PromptVersionInfo) -> Ref:
        return CURRENT if v.is_current else v.version

    def text_of(self, v: PromptVersionInfo) -> Content:
        return Content(v.state.template() or "(renders nothing)")

    def loaded(self) -> None:
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-history")
    def _load(self) -> None:
        services = self.services
        versions = services.prompt_edits.versions(self.prompt.id)
        self.post_message(self.Loaded(versions, services.ctx.now()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-history-diff")
    def _diff(self, old: Ref, new: Ref) -> None:
        diff = self.services.prompt_edits.diff(self.prompt.id, old, new)
        self.post_message(self.Diffed(self.diff_title(old, new), diff))

    def restore_offer(self, v: PromptVersionInfo) -> tuple[str, Callable[[], object]]:
        version, current = v.version, self.versions[0].version
        question = (
            f"Make v{version} the current state of {self.prompt.name!r} (its modules, options "
            "and variables)? The state it replaces is kept as a version, so nothing is lost."
        )
        return question, lambda: self._restore(version, current)

    @work(thread=True, exit_on_error=False, group="library-history")
    def _restore(self, version: int, seen: int) -> None:
        try:
            after = self.services.prompt_edits.restore(
                self.prompt.id, version, expected_version=seen
            )
        except Exception:
            # Refused (changed meanwhile): show the history as it is now.
            self.app.call_from_thread(self._load)
            raise
        self.post_message(self.Restored(after))

    def on_prompt_history_screen_restored(self, message: Restored) -> None:
        self.dismiss(message.prompt)
