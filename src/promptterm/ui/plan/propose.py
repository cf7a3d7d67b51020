"""Propose tasks (P on the board): the project's model is asked for a task list through
chat's send (services/plan/propose.py), its checklist shown as checkboxes, every item
ticked; the ones still ticked are added to the board. An answer that is no list is said to
be one, and stays in its thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static

from promptterm.services.errors import ServiceError
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.plan import TaskProposal
    from promptterm.ui.common.host import AppHost
    from promptterm.ui.plan.screen import PlanScreen


class ProposalScreen(ModalScreen[list[str] | None]):
    CSS_PATH = css_path("modals.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+j",
            "keep",
            "Add ticked",
            id="plan-proposal-keep",
            tooltip="Add the ticked tasks to the board",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="plan-proposal-cancel",
            tooltip="Add none (the answer stays in its thread)",
        ),
    ]

    def __init__(self, items: tuple[str, ...]) -> None:
        super().__init__(classes="dialog")
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Proposed tasks", classes="dialog-title")
            yield Static(
                "Space unticks one you do not want; ctrl+j adds the ticked ones to the board.",
                classes="dialog-intro",
            )
            yield SelectionList[int](
                *((text, n, True) for n, text in enumerate(self.items)), id="plan-proposal"
            )

    def action_keep(self) -> None:
        chosen = sorted(self.query_one(SelectionList).selected)
        self.dismiss([self.items[n] for n in chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)


def start_proposal(screen: PlanScreen) -> None:
    """Ask in a worker; the checklist (or the news that there is none) comes back after."""
    host = cast("AppHost", screen.app)
    project = screen.project
    if project is None:
        return
    screen.notify("Asking the project's model for tasks…", timeout=4)

    def ask() -> None:
        try:
            proposal = host.services.propose_tasks.propose(
                project.id, description=getattr(project, "description", None)
            )
        except ServiceError as exc:
            screen.app.call_from_thread(screen.notify, exc.message, severity="error", timeout=8)
            return
        screen.app.call_from_thread(_show, screen, proposal)

    screen.run_worker(ask, thread=True, exit_on_error=False, group="plan-propose")


def _show(screen: PlanScreen, proposal: TaskProposal) -> None:
    if not proposal.is_list:
        screen.notify(
            "The model answered without a task list; its answer is kept in the thread "
            "'Proposed tasks' in chat.",
            severity="warning",
            timeout=8,
        )
        return
    host = cast("AppHost", screen.app)
    project = screen.project

    def kept(names: list[str] | None) -> None:
        if not names or project is None:
            return

        def add() -> None:
            try:
                host.services.propose_tasks.keep(project.id, names)
            except ServiceError as exc:
                screen.app.call_from_thread(screen.notify, exc.message, severity="error")
            screen.app.call_from_thread(screen.load_board)

        screen.run_worker(add, thread=True, exit_on_error=False, group="plan-propose")
        screen.notify(f"Adding {len(names)} task{'s' if len(names) != 1 else ''} to the board.")

    screen.app.push_screen(ProposalScreen(proposal.items), kept)
