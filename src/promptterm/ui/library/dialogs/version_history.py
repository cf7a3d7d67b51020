"""What a component's versions (versions.py) and a prompt's history (prompt_history.py) share:
a list of versions beside a diff, marking one to compare with, and restore after a confirm.

The highlighted version is compared with the current one (what a restore would change);
space marks a version to compare the highlighted one with instead. A restore is an edit, so
what it replaces becomes the newest version and nothing is lost. A subclass says what its
versions are: how to load, label, diff and restore them, and the words around them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from textual import on
from textual.app import ComposeResult
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

if TYPE_CHECKING:
    from datetime import datetime

    from promptterm.services.facade import Services

CURRENT = "current"
Ref = int | str  # a version number or CURRENT


class Version(Protocol):
    @property
    def label(self) -> str: ...


VersionT = TypeVar("VersionT", bound=Version)
ResultT = TypeVar("ResultT")


def diff_content(diff: str) -> Content:
    """A unified diff, added lines green and removed ones red."""
    lines: list[Content] = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            lines.append(Content.styled(line, "dim"))
        elif line.startswith("+"):
            lines.append(Content.styled(line, "$success"))
        elif line.startswith("-"):
            lines.append(Content.styled(line, "$error"))
        elif line.startswith("@@"):
            lines.append(Content.styled(line, "$accent"))
        else:
            lines.append(Content(line))
    return Content("\n").join(lines)


class VersionHistoryScreen(RelativeTimes, ModalScreen[ResultT], Generic[VersionT, ResultT]):
    CSS_PATH = css_path("modals.tcss", "library.tcss")
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (36, "-tall")]
    # Shown when only the current version exists, and when a diff finds no text changed.
    NO_VERSIONS: ClassVar[str]
    SAME_TEXT: ClassVar[str]

    class Loaded(Message):
        def __init__(self, versions: list[Any], now: datetime) -> None:
            super().__init__()
            self.versions = versions
            self.now = now

    class Diffed(Message):
        def __init__(self, title: str, diff: str) -> None:
            super().__init__()
            self.title = title
            self.diff = diff

    def __init__(self, services: Services) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.versions: list[VersionT] = []
        self.marked: Ref | None = None
        self.now: datetime | None = None

    # What a subclass says about its versions -------------------------------------------------

    def dialog_title(self) -> str:
        raise NotImplementedError

    def row(self, v: VersionT, now: datetime, marked: bool) -> Content:
        raise NotImplementedError

    def _ref(self, v: VersionT) -> Ref:
        raise NotImplementedError

    def text_of(self, v: VersionT) -> Content:
        """The version itself, shown when it is compared with itself."""
        raise NotImplementedError

    def _load(self) -> None:
        """Read the versions in a worker and post Loaded."""
        raise NotImplementedError

    def _diff(self, old: Ref, new: Ref) -> None:
        """Diff two versions in a worker and post Diffed (see ``diff_title``)."""
        raise NotImplementedError

    def restore_offer(self, v: VersionT) -> tuple[str, Callable[[], object]]:
        """The question a restore of ``v`` asks, and what a yes runs."""
        raise NotImplementedError

    def loaded(self) -> None:
        """After the list is drawn from a load."""

    # The dialog ------------------------------------------------------------------------------

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
        self.query_one("#dialog").border_title = Content(self.dialog_title())
        self.query_one("#versions-list").focus()
        self._load()
        keep_times_fresh(self, self.services.ctx.now)

    def retime(self, now: datetime) -> None:
        if self.now is not None:  # loaded: the rows say "5 minutes ago"
            self.now = now
            self._draw()

    def on_version_history_screen_loaded(self, message: Loaded) -> None:
        self.versions, self.now = message.versions, message.now
        self._draw(keep=0)
        self.loaded()

    def _draw(self, keep: int | None = None) -> None:
        option_list = self.query_one("#versions-list", OptionList)
        index = option_list.highlighted if keep is None else keep
        now = self.now
        assert now is not None
        option_list.set_options(
            Option(self.row(v, now, self._ref(v) == self.marked), v.label) for v in self.versions
        )
        option_list.highlighted = index
        if len(self.versions) == 1:
            self._show("No earlier versions yet", Content.styled(self.NO_VERSIONS, "dim italic"))

    @property
    def highlighted(self) -> VersionT | None:
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
            # Compared with itself: show it, titled once ("the current text", "v2, marked").
            title = "The current text" if mine == CURRENT else f"{v.label}, marked"
            self._show(title, self.text_of(v))
            return
        old, new = self._order(mine, other)
        self._diff(old, new)

    def _order(self, a: Ref, b: Ref) -> tuple[Ref, Ref]:
        """Older first: a diff reads as what changed since."""

        def age(ref: Ref) -> int:
            return 10**9 if ref == CURRENT else int(ref)

        return (a, b) if age(a) < age(b) else (b, a)

    @staticmethod
    def diff_title(old: Ref, new: Ref) -> str:
        label = {CURRENT: "current"}
        return f"{label.get(str(old), f'v{old}')} → {label.get(str(new), f'v{new}')}"

    def on_version_history_screen_diffed(self, message: Diffed) -> None:
        body = (
            diff_content(message.diff)
            if message.diff
            else Content.styled(self.SAME_TEXT, "dim italic")
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
            return v is not None and self._ref(v) != CURRENT
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
        if v is None or self._ref(v) == CURRENT:
            return
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        question, restore = self.restore_offer(v)

        def done(confirmed: bool | None) -> None:
            if confirmed:
                restore()

        confirm = ConfirmScreen("Restore version", question, confirm_label="Restore", danger=False)
        self.app.push_screen(confirm, done)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)
