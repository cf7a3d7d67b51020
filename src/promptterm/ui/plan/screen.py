"""Plan: the project in focus as a board of tasks, bugs and features, one column per status.

The area is cut into sections (the top line names them); the board is the first, and later
ones (notes, PRD, customers, flows) join that line when they exist. The board follows
``app.current_project`` (the explorer's choice); one worker reads the whole board, and every
write (actions.py) reads it again after, so what is shown is what is stored, teammates'
changes included.
"""

from __future__ import annotations

import asyncio
import uuid
from contextlib import suppress
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, Header, Input, Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from promptterm.db.vocab import PLAN_STATUSES
from promptterm.services.errors import ServiceError
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.footer import AreaFooter
from promptterm.ui.common.widgets.status import StatusLine
from promptterm.ui.plan.actions import PlanActions
from promptterm.ui.plan.customers import CustomersPane
from promptterm.ui.plan.filters import BoardFilter
from promptterm.ui.plan.flow_section import FlowSection
from promptterm.ui.plan.keys import PLAN_KEYS
from promptterm.ui.plan.messages import BoardLoaded, WriteFailed
from promptterm.ui.plan.notes import NotesPane
from promptterm.ui.plan.pane import PlanPane
from promptterm.ui.plan.prd import PrdPane
from promptterm.ui.plan.prompts_section import PromptsSection
from promptterm.ui.plan.widgets.column import CardColumn

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.ui.common.jump import JumpTarget

STATUS_TITLES = {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}
# Cards of each column read for the first paint (a screen shows far fewer); the rest follow.
FIRST_PAINT = 100
REST_AFTER = 0.1  # seconds after that first frame
# Seconds the first frame waits for that read (started as the screen is made): longer, and
# the board shows "Loading…" first.
FIRST_FRAME_WAITS = 0.1

# The area's sections, in order, and the pane that shows each; only built ones are listed
# (no placeholders). ] and [ step through them; a section's own keys live on its pane.
SECTIONS = ("Board", "Notes", "PRD", "Customers", "Flows", "Prompts")
SECTION_PANES = {
    "Board": "plan-board",
    "Notes": "plan-notes",
    "PRD": "plan-prd",
    "Customers": "plan-customers",
    "Flows": "plan-flows",
    "Prompts": "plan-prompts",
}
# Keys of the board that mean nothing in another section.
BOARD_ONLY = frozenset(
    ("quick_add", "edit", "delete", "move_across", "move_along", "column", "filter_text", "link",
     "links", "filter_kind", "filter_priority", "clear_filter", "back", "refresh")
)  # fmt: skip

NO_PROJECT = (
    "No project is chosen, so there is no board to show. Pick a project in the explorer "
    "(press 1, choose a project, enter) or jump to one with ctrl+p; its tasks, bugs and "
    "features show here."
)


def prepare_ahead(services: Services) -> None:
    """Done while the user is still on the first screen (app.py imports this module ahead):
    the board's statements are compiled, which a session's first read of a board did, on
    the thread its first frame waits for."""
    services.plan.warm(FIRST_PAINT)


class PlanScreen(PlanActions):
    AREA = "plan"
    CSS_PATH = css_path("plan.tcss")
    SUB_TITLE = "Plan"
    AUTO_FOCUS = "#plan-col-not_started"
    TYPING_TARGETS: ClassVar[dict[str, str]] = {
        "plan-quick-add": "new card title",
        "plan-filter": "board filter",
    }
    BINDINGS: ClassVar[list[BindingType]] = PLAN_KEYS
    # Help lists the board's keys under "Plan: Board"; later sections get panes of their own.
    HELP_PANES: ClassVar[dict[str, str]] = {
        action: "Board"
        for action in (
            "quick_add", "edit", "delete", "move_across", "move_along", "column",
            "link", "links", "filter_text", "filter_kind", "filter_priority", "clear_filter",
        )
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.filter = BoardFilter()
        self.section = SECTIONS[0]
        # The project whose first read started as the screen was made: the top of each
        # column is read while the widgets are built, so the first frame can show cards.
        self._early_project: uuid.UUID | None = None
        self._early_read: Worker[None] | None = None
        with suppress(NoActiveAppError):  # (a screen made outside a running app)
            project = self.pt_app.current_project
            if project is not None:
                self._early_project = project.id
                self._early_read = self._load(project.id, None, FIRST_PAINT)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="plan-sections")
        with ContentSwitcher(initial="plan-empty", id="plan-switcher"):
            yield Static(NO_PROJECT, id="plan-empty", markup=False)
            with Vertical(id="plan-board"):
                with Horizontal(id="plan-columns"):
                    for status in PLAN_STATUSES:
                        with Vertical(classes="plan-column"):
                            yield Static(STATUS_TITLES[status], classes="plan-column-title")
                            yield CardColumn(status, id=f"plan-col-{status}")
                yield Input(
                    id="plan-filter",
                    placeholder="filter: text in titles and descriptions",
                    compact=True,
                )
                yield Input(id="plan-quick-add", compact=True)
        yield StatusLine()
        yield AreaFooter()

    async def on_mount(self) -> None:
        super().on_mount()
        for box in self.query("#plan-board Input").results(Input):
            box.display = False
        self.watch(self.app, "current_project", self._project_chosen, init=True)
        # The other sections are built once the board's cards are drawn (or when asked for
        # first): building them before made the cards show later, and they are hidden.
        self._sections_started = False
        self._sections_built = asyncio.Event()
        early, self._early_read = self._early_read, None
        if early is not None:
            # Nothing of the screen is drawn before this returns: a read that answers soon
            # has its cards in the first frame (one frame, not an empty board then another).
            # Its answer is a message, handled after this; a slow one comes when it comes.
            with suppress(TimeoutError, WorkerFailed, WorkerCancelled):
                await asyncio.wait_for(asyncio.shield(early.wait()), FIRST_FRAME_WAITS)

    async def _build_sections(self) -> None:
        """Returns once every section is mounted (built by the first call only)."""
        if not self._sections_started:
            self._sections_started = True
            switcher = self.query_one("#plan-switcher", ContentSwitcher)
            for pane in (
                NotesPane(),
                PrdPane(),
                CustomersPane(),
                FlowSection(id="plan-flows"),
                PromptsSection(id="plan-prompts"),
            ):
                await switcher.add_content(pane)
            self._sections_built.set()
        await self._sections_built.wait()

    def on_screen_resume(self) -> None:
        # Back from another area: teammates may have moved cards. (Not on the first show:
        # the first load, top of each column first, is under way.)
        if self.section == "Flows":
            self.query_one(FlowSection).reload()
        if self.board is not None:
            # No card named: the cursor stays on the card it is on when the board arrives,
            # which may be another than now (a followed link moves it after this).
            self.load_board()
        self._show_pane()

    # Which project ---------------------------------------------------------------------------

    def _project_chosen(self, project: ProjectInfo | None) -> None:
        # (Only the first call, as the screen mounts, can find that read under way.)
        early, self._early_project = self._early_project, None
        if project is None:
            self.project, self.board = None, None
            self.query_one("#plan-switcher", ContentSwitcher).current = "plan-empty"
            self._show_sections()
            self.refresh_bindings()
            return
        changed = self.project is None or self.project.id != project.id
        self.project = project
        if changed:
            self.board = None
            self.filter = BoardFilter()
            self.section = SECTIONS[0]
            self.query_one("#plan-switcher", ContentSwitcher).current = "plan-board"
            self._show_sections("Loading…")
            if early != project.id:
                # The top of each column first, so a board of thousands shows at once.
                self.load_board(first=FIRST_PAINT)

    def load_board(self, focus: uuid.UUID | None = None, first: int | None = None) -> None:
        if self.project is not None:
            self._load(self.project.id, focus, first)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-load")
    def _load(self, project_id: uuid.UUID, focus: uuid.UUID | None, first: int | None) -> None:
        try:
            number, board = self.read_board(project_id, first)
        except ServiceError as exc:
            self.post_message(WriteFailed(exc.message))
            return
        self.post_message(BoardLoaded(board, focus, number))

    @on(BoardLoaded)
    def _board_loaded(self, message: BoardLoaded) -> None:
        if self.project is None or message.board.project_id != self.project.id:
            return  # the user went to another project meanwhile
        if not self.reads.is_newest(message.read):
            # Read before the board shown: older. Its cursor still goes where it asked.
            if message.focus is not None:
                self.show_cards(message.focus)
            return
        self.board = message.board
        focus = message.focus
        if focus is None and self.focused_column.current is not None:
            focus = self.focused_column.current.id  # where the user is, wherever it went
        self.show_cards(focus)
        self.refresh_bindings()
        if not self._sections_started:
            self.call_after_refresh(self._build_sections)
        if not message.board.complete:
            # The rest once the first frame is out: reading thousands of cards in a thread
            # meanwhile would hold the interpreter's lock while that frame is drawn.
            current = self.focused_column.current
            focus = current.id if current else None
            self.call_after_refresh(
                lambda: self.set_timer(REST_AFTER, lambda: self.load_board(focus))
            )

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        self.notify(message.message, severity="error", timeout=8)
        if message.typed:
            box = self.query_one("#plan-quick-add", Input)
            box.value = message.typed  # nothing typed is lost
            box.display = True
            box.focus()

    # Showing ---------------------------------------------------------------------------------

    def show_cards(self, focus: uuid.UUID | None = None) -> None:
        """Lay the board's cards out in their columns through the filter."""
        board = self.board
        cards = [c for c in board.cards if self.filter.matches(c)] if board else []
        by_status: dict[str, list] = {status: [] for status in PLAN_STATUSES}
        for card in cards:
            by_status[card.status].append(card)
        holder = None
        for status, shown in by_status.items():
            column = self.column(status)
            column.link_counts = board.link_counts if board else {}
            column.show(shown, focus if any(c.id == focus for c in shown) else None)
            if focus is not None and column.index_of(focus) is not None:
                holder = column
            total = board.totals[status] if board else 0
            count = f"{len(shown)} of {total}" if self.filter.active else str(total)
            title = column.parent.query_one(".plan-column-title", Static)  # type: ignore[union-attr]
            title.update(Content.assemble((STATUS_TITLES[status], "bold"), f" · {count}"))
        if holder is not None and not isinstance(self.focused, Input):
            holder.focus()
        self._show_sections()

    def _show_sections(self, note: str = "") -> None:
        parts: list[str | tuple[str, str]] = []
        for name in SECTIONS:
            parts.append((f" {name} ", "reverse bold" if name == self.section else ""))
        if self.project is not None:
            parts.append(("  ", ""))
            parts.append((self.project.name, "bold"))
        if self.board is not None and not self.board.can_edit:
            parts += [("  ", ""), ("read only: you are a viewer", "$warning")]
        if self.filter.active:
            parts += [("  ", ""), (f"filter: {self.filter.describe()} (x clears)", "$accent")]
        if note:
            parts += [("  ", ""), (note, "$text-muted")]
        self.query_one("#plan-sections", Static).update(Content.assemble(*parts))

    # Sections --------------------------------------------------------------------------------

    async def action_section(self, step: int) -> None:
        if self.project is None:
            return
        await self._build_sections()  # a key typed before they were: they are, now
        self.section = SECTIONS[(SECTIONS.index(self.section) + step) % len(SECTIONS)]
        self.query_one("#plan-switcher", ContentSwitcher).current = SECTION_PANES[self.section]
        if self.section == "Flows":
            self.query_one(FlowSection).reload()
            self.query_one("#plan-flow-view").focus()
        elif self.section == "Prompts":
            self.query_one(PromptsSection).reload()
            self.query_one(PromptsSection).focus_list()
        elif self.section == "Board":
            self.focused_column.focus()
        else:
            self._show_pane()
        self._show_sections()
        self.refresh_bindings()

    def _show_pane(self) -> None:
        """Read the document section now showing again (teammates' changes) and focus it."""
        if self.section not in ("Notes", "PRD", "Customers") or self.project is None:
            return
        pane = self.query_one(f"#{SECTION_PANES[self.section]}", PlanPane)
        pane.show(self.project)
        pane.focus_first()

    # Jumping here -----------------------------------------------------------------------------

    def reveal(self, target: JumpTarget) -> None:
        """A note from the chat's search: its project comes into focus, then its Notes."""
        if target.kind != "note":
            return
        if target.project_id is None:  # a personal note: beside any project's notes
            if self.project is None:
                self.notify(
                    "A personal note shows beside a project's notes: choose a project "
                    "(press 1) and look under Notes."
                )
                return
            self._open_note(target.id)
        elif self.project is not None and self.project.id == target.project_id:
            self._open_note(target.id)
        else:
            self._choose_project(target.project_id, target.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-choose")
    def _choose_project(self, project_id: uuid.UUID, note_id: uuid.UUID) -> None:
        try:
            project = self.services.projects.get(project_id)
        except ServiceError as exc:
            self.post_message(WriteFailed(exc.message))
            return
        self.app.call_from_thread(self._chosen_for_note, project, note_id)

    def _chosen_for_note(self, project: ProjectInfo, note_id: uuid.UUID) -> None:
        self.pt_app.current_project = project  # the board follows (_project_chosen)
        self._open_note(note_id)

    def _open_note(self, note_id: uuid.UUID) -> None:
        self.call_later(self._open_note_when_built, note_id)

    async def _open_note_when_built(self, note_id: uuid.UUID) -> None:
        await self._build_sections()  # the plan area may have been opened just for it
        if self.project is None:
            return
        self.section = "Notes"
        self.query_one("#plan-switcher", ContentSwitcher).current = SECTION_PANES["Notes"]
        self.query_one(NotesPane).open_by_id(self.project, note_id)
        self._show_sections()
        self.refresh_bindings()

    def action_propose(self) -> None:
        from promptterm.ui.plan.propose import start_proposal

        start_proposal(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "propose":
            return self.section == "Board" and self.board is not None and self.board.can_edit
        if action == "section":
            return self.project is not None
        if self.section != "Board" and (
            action in BOARD_ONLY or action in self.HELP_PANES or action == "refresh"
        ):
            return False  # the board's keys, while another section is shown
        return super().check_action(action, parameters)

    def column(self, status: str) -> CardColumn:
        return self.query_one(f"#plan-col-{status}", CardColumn)
