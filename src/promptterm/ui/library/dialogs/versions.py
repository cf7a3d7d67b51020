"""A component's history: every earlier version, a diff of any two, and restore.

The highlighted version is compared with the current text (what a restore would change);
space marks a version to compare the highlighted one with instead. A restore is an edit, so
the text it replaces becomes the newest version and nothing is lost.
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

if TYPE_CHECKING:
    from datetime import datetime

    from promptterm.services.facade import Services
    from promptterm.services.library.component_versions import ComponentVersionInfo, VersionRef
    from promptterm.services.library.components import ComponentInfo

CURRENT = "current"


def version_row(v: ComponentVersionInfo, now: datetime, marked: bool) -> Content:
    mark = ("◆ ", "bold $accent") if marked else ("  ", "")
    label = (v.label, "bold")
    when = f"  {ago(v.saved_at, now)}" if v.version is not None else "  now"
    return Content.assemble(mark, label, (when, "dim"))


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


class VersionsScreen(RelativeTimes, ModalScreen["int | None"]):
    CSS_PATH = css_path("modals.tcss", "library.tcss")
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (36, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="library-versions-close"),
        Binding("space,m", "mark", "Compare with", id="library-versions-mark"),
        Binding("r", "restore", "Restore", id="library-versions-restore"),
    ]

    class Loaded(Message):
        def __init__(self, versions: list[ComponentVersionInfo], now: datetime) -> None:
            super().__init__()
            self.versions = versions
            self.now = now

    class Diffed(Message):
        def __init__(self, title: str, diff: str) -> None:
            super().__init__()
            self.title = title
            self.diff = diff

    class Restored(Message):
        def __init__(self, version: int) -> None:
            super().__init__()
            self.version = version

    def __init__(self, services: Services, component: ComponentInfo) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.component = component
        self.versions: list[ComponentVersionInfo] = []
        self.marked: VersionRef | None = None
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
        c = self.component
        self.query_one("#dialog").border_title = Content(f"Versions of {c.type} {c.name}")
        self.query_one("#versions-list").focus()
        self._load()
        keep_times_fresh(self, self.services.ctx.now)

    def retime(self, now: datetime) -> None:
        if self.now is not None:  # loaded: the rows say "5 minutes ago"
            self.now = now
            self._draw()

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-versions")
    def _load(self) -> None:
        services = self.services
        self.post_message(
            self.Loaded(services.components.versions(self.component.id), services.ctx.now())
        )

    def on_versions_screen_loaded(self, message: Loaded) -> None:
        self.versions, self.now = message.versions, message.now
        self._draw(keep=0)

    def _draw(self, keep: int | None = None) -> None:
        option_list = self.query_one("#versions-list", OptionList)
        index = option_list.highlighted if keep is None else keep
        now = self.now
        assert now is not None
        option_list.set_options(
            Option(version_row(v, now, self._ref(v) == self.marked), v.label) for v in self.versions
        )
        option_list.highlighted = index
        if len(self.versions) == 1:
            self._show(
                "No earlier versions yet",
                Content.styled(
                    "Every edit keeps the text it replaces as a version. Edit the component "
                    "(e) and its history starts here.",
                    "dim italic",
                ),
            )

    @staticmethod
    def _ref(v: ComponentVersionInfo) -> VersionRef:
        return CURRENT if v.version is None else v.version

    @property
    def highlighted(self) -> ComponentVersionInfo | None:
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
            self._show(title, Content(v.content))
            return
        old, new = self._order(mine, other)
        self._diff(old, new)

    def _order(self, a: VersionRef, b: VersionRef) -> tuple[VersionRef, VersionRef]:
        """Older first: a diff reads as what changed since."""

        def age(ref: VersionRef) -> int:
            return 10**9 if ref == CURRENT else int(ref)

        return (a, b) if age(a) < age(b) else (b, a)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-versions-diff")
    def _diff(self, old: VersionRef, new: VersionRef) -> None:
        diff = self.services.components.version_diff(self.component.id, old, new)
        label = {CURRENT: "current"}
        title = f"{label.get(str(old), f'v{old}')} → {label.get(str(new), f'v{new}')}"
        self.post_message(self.Diffed(title, diff))

    def on_versions_screen_diffed(self, message: Diffed) -> None:
        body = (
            diff_content(message.diff)
            if message.diff
            else Content.styled(
                "Same content (the name, description or tags differ).", "dim italic"
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
            return v is not None and v.version is not None
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
        if v is None or v.version is None:
            return
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        version = v.version
        question = (
            f"Make {v.label} the current text of {self.component.name!r}? The text it "
            "replaces becomes the newest version, so nothing is lost."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._restore(version)

        confirm = ConfirmScreen("Restore version", question, confirm_label="Restore", danger=False)
        self.app.push_screen(confirm, done)

    @work(thread=True, exit_on_error=False, group="library-versions")
    def _restore(self, version: int) -> None:
        self.services.components.restore_version(self.component.id, version)
        self.post_message(self.Restored(version))

    def on_versions_screen_restored(self, message: Restored) -> None:
        self.dismiss(message.version)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)
