"""A prompt's history: every state an edit replaced (modules, options and variables
together), a diff of the rendered text of any two, and restore as a new version.

As for components (versions.py): the highlighted version is compared with the current one;
space marks a version to compare the highlighted one with instead. A restore is an edit, so
the state it replaces becomes the newest version and nothing is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from promptterm.ui.common.errors import report_failed_worker
from promptterm.ui.common.relative_times import RelativeTimes, keep_times_fresh
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.format import ago
from promptterm.ui.library.dialogs.versions import CURRENT, diff_content

if TYPE_CHECKING:
    from datetime import datetime

    from promptterm.services.facade import Services
    from promptterm.services.library.prompt_versions import PromptVersionInfo
    from promptterm.services.library.prompts import PromptInfo

Ref = int | str  # a version number or CURRENT


def history_row(v: PromptVersionInfo, now: datetime, marked: bool) -> Content:
    mark = ("◆ ", "bold $accent") if marked else ("  ", "")
    when = "  now" if v.is_current else f"  {ago(v.saved_at, now)}"
    return Content.assemble(mark, (v.label, "bold"), (when, "dim"))


class PromptHistoryScreen(RelativeTimes, ModalScreen["PromptInfo | None"]):
    """Dismisses with the prompt a restore made (None: closed without one)."""

    CSS_PATH = css_path("modals.tcss", "library.tcss")
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (36, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="library-history-close"),
        Binding("space,m", "mark", "Compare with", id="library-history-mark"),
        Binding("r", "restore", "Restore", id="library-history-restore"),
    ]

    class Loaded(Message):
        def __init__(self, versions: list[PromptVersionInfo], now: datetime) -> None:
            super().__init__()
            self.versions = versions
            self.now = now

    class Diffed(Message):
        def __init__(self, title: str, diff: str) -> None:
            super().__init__()
            self.title = title
            self.diff = diff

    class Restored(Message):
        def __init__(self, prompt: PromptInfo) -> None:
            super().__init__()
            self.prompt = prompt

    def __init__(self, services: Services, prompt: PromptInfo) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.prompt = prompt
        self.versions: list[PromptVersionInfo] = []
        self.marked: Ref | None = None
        self.now: datetime | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            with Horizontal(id="versions-body"):
                yield OptionList(id="versions-list")
                with VerticalScroll(id="versions-diff"):
                    yield Static(id="versions-diff-body")
            yield Static(
                "space compare with · r restore the highlighted one · esc close",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = Content(f"History of {self.prompt.name}")
        self.query_one("#versions-list").focus()
        self._load()
        keep_times_fresh(self, self.services.ctx.now)

    def retime(self, now: datetime) -> None:
        if self.now is not None:
            self.now = now
            self._draw()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-history")
    def _load(self) -> None:
        services = self.services
        versions = services.prompt_edits.versions(self.prompt.id)
        self.post_message(self.Loaded(versions, services.ctx.now()))

    def on_prompt_history_screen_loaded(self, message: Loaded) -> None:
        self.versions, self.now = message.versions, message.now
        self._draw(keep=0)
        self.refresh_bindings()

    def _draw(self, keep: int | None = None) -> None:
        option_list = self.query_one("#versions-list", OptionList)
        index = option_list.highlighted if keep is None else keep
        now = self.now
        assert now is not None
        option_list.set_options(
            Option(history_row(v, now, self._ref(v) == self.marked), v.label) for v in self.versions
        )
        option_list.highlighted = index
        if len(self.versions) == 1:
            self._show(
                "No earlier versions yet",
                Content.styled(
                    "Every edit keeps the state it replaces (modules, options and variables "
                    "together) as a version; its history starts with the first edit.",
                    "dim italic",
                ),
            )

    @staticmethod
    def _ref(v: PromptVersionInfo) -> Ref:
        return CURRENT if v.is_current else v.version

    @property
    def highlighted(self) -> PromptVersionInfo | None:
        index = self.query_one("#versions-list", OptionList).highlighted
        return self.versions[index] if index is not None and index < len(self.versions) else None

    @on(OptionList.OptionHighlighted, "#versions-list")
    def _moved(self) -> None:
        self._compare()
        self.refresh_bindings()

    def _compare(self) -> None:
        v = self.highlighted
        if v is None or len(self.versions) < 2:
            return
        other = self.marked if self.marked is not None else CURRENT
        mine = self._ref(v)
        if mine == other:
            title = "The current text" if mine == CURRENT else f"{v.label}, marked"
            self._show(title, Content(v.state.template() or "(renders nothing)"))
            return
        old, new = self._order(mine, other)
        self._diff(old, new)

    def _order(self, a: Ref, b: Ref) -> tuple[Ref, Ref]:
        """Older first: a diff reads as what changed since."""

        def age(ref: Ref) -> int:
            return 10**9 if ref == CURRENT else int(ref)

        return (a, b) if age(a) < age(b) else (b, a)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-history-diff")
    def _diff(self, old: Ref, new: Ref) -> None:
        diff = self.services.prompt_edits.diff(self.prompt.id, old, new)
        label = {CURRENT: "current"}
        title = f"{label.get(str(old), f'v{old}')} → {label.get(str(new), f'v{new}')}"
        self.post_message(self.Diffed(title, diff))

    def on_prompt_history_screen_diffed(self, message: Diffed) -> None:
        body = (
            diff_content(message.diff)
            if message.diff
            else Content.styled(
                "Same rendered text (the name, description, tags or a hidden module differ).",
                "dim italic",
            )
        )
        self._show(message.title, body)

    def _show(self, title: str, body: Content) -> None:
        pane = self.query_one("#versions-diff", VerticalScroll)
        pane.border_title = Content(title)
        self.query_one("#versions-diff-body", Static).update(body)
        pane.scroll_home(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        v = self.highlighted if self.is_mounted else None
        if action == "restore":
            return v is not None and not v.is_current
        if action == "mark":
            return len(self.versions) > 1
        return True

    def action_mark(self) -> None:
        v = self.highlighted
        if v is None:
            return
        ref = self._ref(v)
        self.marked = None if self.marked == ref else ref
        self._draw()
        self._compare()

    def action_restore(self) -> None:
        v = self.highlighted
        if v is None or v.is_current:
            return
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        version, current = v.version, self.versions[0].version
        question = (
            f"Make v{version} the current state of {self.prompt.name!r} (its modules, options "
            "and variables)? The state it replaces is kept as a version, so nothing is lost."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._restore(version, current)

        confirm = ConfirmScreen("Restore version", question, confirm_label="Restore", danger=False)
        self.app.push_screen(confirm, done)

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

    def action_close(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)
