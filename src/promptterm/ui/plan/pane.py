"""What the plan area's sections after the board share: the project they show, the services
through the AppHost, and a worker that runs a service call and hands its answer back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual import work
from textual.containers import Vertical

from promptterm.services.errors import ServiceError
from promptterm.ui.common.read_order import ReadOrder

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.ui.common.host import AppHost


class PlanPane(Vertical):
    """A section of the plan area; ``show`` is called when it becomes visible or the project
    in focus changes, ``focus_first`` when the user switches to it."""

    project: ProjectInfo | None = None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # What the section lists is read in a thread per read, again after each write: the
        # answers can come back in any order, and one read before the shown one is dropped.
        self.reads = ReadOrder()

    @property
    def services(self) -> Services:
        return cast("AppHost", self.app).services

    def show(self, project: ProjectInfo) -> None:
        self.project = project
        self.reload()

    def reload(self) -> None:  # pragma: no cover - each section reads its own data
        raise NotImplementedError

    def focus_first(self) -> None:
        self.focus()

    def read_service(self, call: Callable[[Services], Any], then: Callable[[Any], None]) -> None:
        """run_service for what the section shows: ``then`` is not called with an answer
        read before the one last shown (reads of the same list, in ``reads``' order)."""
        self.run_service(call, then, ordered=True)

    @work(thread=True, exit_on_error=False, group="plan-pane")
    def run_service(
        self,
        call: Callable[[Services], Any],
        then: Callable[[Any], None],
        failed: str = "",
        ordered: bool = False,
    ) -> None:
        """``call`` in a thread; ``then`` with its answer on the UI thread, or the refusal
        in a notification (what the user typed stays where it is)."""
        read = self.reads.start() if ordered else 0
        try:
            answer = call(self.services)
        except ServiceError as exc:
            self.app.call_from_thread(
                self.app.notify, f"{failed}{exc.message}", severity="error", timeout=8
            )
            return
        self.app.call_from_thread(self._answered, then, answer, read)

    def _answered(self, then: Callable[[Any], None], answer: Any, read: int) -> None:
        if read and not self.reads.is_newest(read):
            return  # read before a write whose own read is shown
        then(answer)
        # A section's keys can depend on what it read (Edit and Select need a highlighted
        # profile): the footer shows them as they are now, not as they were at focus.
        self.screen.refresh_bindings()
