"""A component's history: every earlier version, a diff of any two, and restore.

The list, the diff and marking are the shared history dialog's (version_history.py); this
module says how a component's versions load, read, diff and restore.
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
    from promptterm.services.library.component_versions import ComponentVersionInfo
    from promptterm.services.library.components import ComponentInfo


def version_row(v: ComponentVersionInfo, now: datetime, marked: bool) -> Content:
    mark = ("◆ ", "bold $accent") if marked else ("  ", "")
    label = (v.label, "bold")
    when = f"  {ago(v.saved_at, now)}" if v.version is not None else "  now"
    return Content.assemble(mark, label, (when, "dim"))


class VersionsScreen(VersionHistoryScreen["ComponentVersionInfo", "int | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="library-versions-close"),
        Binding("space,m", "mark", "Compare with", id="library-versions-mark"),
        Binding("r", "restore", "Restore", id="library-versions-restore"),
    ]
    NO_VERSIONS = (
        "Every edit keeps the text it replaces as a version. Edit the component "
        "(e) and its history starts here."
    )
    SAME_TEXT = "Same content (the name, description or tags differ)."

    class Restored(Message):
        def __init__(self, version: int) -> None:
            super().__init__()
            self.version = version

    def __init__(self, services: Services, component: ComponentInfo) -> None:
        super().__init__(services)
        self.component = component

    def dialog_title(self) -> str:
        return f"Versions of {self.component.type} {self.component.name}"

    def row(self, v: ComponentVersionInfo, now: datetime, marked: bool) -> Content:
        return version_row(v, now, marked)

    def _ref(self, v: ComponentVersionInfo) -> Ref:
        return CURRENT if v.version is None else v.version

    def text_of(self, v: ComponentVersionInfo) -> Content:
        return Content(v.content)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-versions")
    def _load(self) -> None:
        services = self.services
        self.post_message(
            self.Loaded(services.components.versions(self.component.id), services.ctx.now())
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-versions-diff")
    def _diff(self, old: Ref, new: Ref) -> None:
        diff = self.services.components.version_diff(self.component.id, old, new)
        self.post_message(self.Diffed(self.diff_title(old, new), diff))

    def restore_offer(self, v: ComponentVersionInfo) -> tuple[str, Callable[[], object]]:
        version = v.version
        assert version is not None  # the current text is never offered
        question = (
            f"Make {v.label} the current text of {self.component.name!r}? The text it "
            "replaces becomes the newest version, so nothing is lost."
        )
        return question, lambda: self._restore(version)

    @work(thread=True, exit_on_error=False, group="library-versions")
    def _restore(self, version: int) -> None:
        self.services.components.restore_version(self.component.id, version)
        self.post_message(self.Restored(version))

    def on_versions_screen_restored(self, message: Restored) -> None:
        self.dismiss(message.version)
