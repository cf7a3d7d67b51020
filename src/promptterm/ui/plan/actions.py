"""What the board's keys do: add, edit, delete, move, filter. Each write runs in a worker
that then reads the board again, so the cursor lands on the card where it is stored now."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.widgets import Input

from promptterm.db.vocab import PLAN_KINDS, PLAN_STATUSES
from promptterm.services.errors import ServiceError
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.plan.messages import BoardLoaded, WriteFailed
from promptterm.ui.plan.widgets.column import CardColumn

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.plan import Board, PlanCard
    from promptterm.services.workspaces.projects import ProjectInfo
    from promptterm.ui.plan.filters import BoardFilter

_WRITES = {"quick_add", "edit", "delete", "move_across", "move_along", "link"}
_NEEDS_CARD = {"edit", "delete", "move_across", "move_along", "link", "links"}
_NEEDS_BOARD = {"filter_text", "filter_kind", "filter_priority", "refresh", "clear_filter"}


class PlanActions(AreaScreen):
    AREA = "plan"
    filter: BoardFilter

    def __init__(self) -> None:
        super().__init__()
        self.project: ProjectInfo | None = None
        self.board: Board | None = None
        # Boards are read in threads (a load, each write's read after it) whose answers can
        # arrive in any order (a delete's card came back).
        self.reads = ReadOrder()

    def read_board(self, project_id: uuid.UUID, first: int | None = None) -> tuple[int, Board]:
        """The board as stored now, and the number of this read (called in a thread)."""
        number = self.reads.start()
        return number, self.services.plan.board(project_id, first=first)

    # Hooks the screen provides --------------------------------------------------------------

    def load_board(self, focus: uuid.UUID | None = None) -> None:
        raise NotImplementedError

    def show_cards(self, focus: uuid.UUID | None = None) -> None:
        raise NotImplementedError

    def column(self, status: str) -> CardColumn:
        raise NotImplementedError

    # Where the user is -----------------------------------------------------------------------

    @property
    def focused_column(self) -> CardColumn:
        focused = self.focused
        if isinstance(focused, CardColumn):
            return focused
        return getattr(self, "_last_column", None) or self.column(PLAN_STATUSES[0])

    def on_descendant_focus(self, event: Any) -> None:
        if isinstance(event.widget, CardColumn):
            self._last_column = event.widget

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        board = self.board
        if board is None:
            return action not in _WRITES | _NEEDS_BOARD
        if action in _WRITES and not board.can_edit:
            return False  # a viewer reads; the footer does not offer what would be refused
        if action in _NEEDS_CARD and self.focused_column.current is None:
            return False
        return action != "clear_filter" or self.filter.active

    # Moving around ----------------------------------------------------------------------------

    def action_column(self, step: int) -> None:
        index = PLAN_STATUSES.index(self.focused_column.status)
        target = PLAN_STATUSES[max(0, min(index + step, len(PLAN_STATUSES) - 1))]
        self.column(target).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            box = self.focused
            if box.id == "plan-quick-add":
                box.value = ""
                box.display = False
            elif not box.value:
                box.display = False
            self.focused_column.focus()

    def action_refresh(self) -> None:
        current = self.focused_column.current
        self.load_board(current.id if current else None)

    # Filtering -------------------------------------------------------------------------------

    def action_filter_text(self) -> None:
        box = self.query_one("#plan-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#plan-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        from dataclasses import replace

        self.filter = replace(self.filter, text=event.value)
        self._refilter()

    @on(Input.Submitted, "#plan-filter")
    def _filter_done(self) -> None:
        self.focused_column.focus()

    def action_filter_kind(self) -> None:
        self.filter = self.filter.next_kind()
        self._refilter()

    def action_filter_priority(self) -> None:
        self.filter = self.filter.next_priority()
        self._refilter()

    def action_clear_filter(self) -> None:
        from promptterm.ui.plan.filters import BoardFilter

        self.filter = BoardFilter()
        box = self.query_one("#plan-filter", Input)
        box.value, box.display = "", False
        self._refilter()

    def _refilter(self) -> None:
        current = self.focused_column.current
        self.show_cards(current.id if current else None)
        self.refresh_bindings()

    # Writing ---------------------------------------------------------------------------------

    def action_quick_add(self) -> None:
        column = self.focused_column
        box = self.query_one("#plan-quick-add", Input)
        status = column.status.replace("_", " ")
        box.placeholder = f"new card in {status}: title, enter · bug: or feature: for those"
        box.display = True
        self._add_to = column.status
        box.focus()

    @on(Input.Submitted, "#plan-quick-add")
    def _quick_add_submitted(self, event: Input.Submitted) -> None:
        typed = event.value
        if not typed.strip() or self.project is None:
            return
        kind, title = _kind_and_title(typed)
        event.input.value = ""  # ready for the next one; given back if refused
        project_id, status = self.project.id, getattr(self, "_add_to", PLAN_STATUSES[0])
        self._write(lambda s: s.plan.add(project_id, kind, title, status=status).id, typed)

    def action_move_along(self, step: int) -> None:
        column = self.focused_column
        card, neighbour = column.current, _at(column.cards, column.cursor + step)
        if card is None or neighbour is None:
            return
        # The neighbour's place in the whole column (a filter may hide cards in between).
        self._write(lambda s: s.plan.move(card.id, card.status, neighbour.position).id)

    def action_move_across(self, step: int) -> None:
        card = self.focused_column.current
        if card is None:
            return
        index = PLAN_STATUSES.index(card.status) + step
        if not 0 <= index < len(PLAN_STATUSES):
            return
        # To the top of the next column, where the eye follows it.
        self._write(lambda s: s.plan.move(card.id, PLAN_STATUSES[index], 0).id)

    def action_edit(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen
        from promptterm.ui.common.seen import Seen
        from promptterm.ui.plan.dialogs.card_form import card_fields, changes_from, seen_of

        card = self.focused_column.current
        if card is None:
            return
        services = self.services
        seen = Seen(seen_of(card), lambda: seen_of(services.plan.get(card.id)))

        def save(values: dict[str, str]) -> PlanCard:
            changes = changes_from(card, values)
            return seen.write(
                lambda expected: services.plan.update(card.id, changes, expected=expected)
            )

        def saved(result: PlanCard | None) -> None:
            if result is not None:
                self.notify(f"Saved the {result.kind} {result.name!r}.")
                self.load_board(result.id)

        title = f"Edit {card.kind} {card.short_id}"
        self.app.push_screen(FormScreen(title, card_fields(card), save, submit_label="Save"), saved)

    def action_delete(self) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        column = self.focused_column
        card = column.current
        if card is None:
            return
        below = _at(column.cards, column.cursor + 1) or _at(column.cards, column.cursor - 1)

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(lambda s: (s.plan.delete(card.id), below.id if below else None)[1])

        question = f"Delete the {card.kind} {card.name!r} and its links? It cannot be undone."
        self.app.push_screen(ConfirmScreen(f"Delete {card.kind}", question), answered)

    def action_link(self) -> None:
        from promptterm.ui.plan.links import pick_link

        card = self.focused_column.current
        if card is not None:
            pick_link(self, card)

    def action_links(self) -> None:
        from promptterm.ui.plan.links import show_links

        card = self.focused_column.current
        if card is not None:
            show_links(self, card)

    def write(self, act: Callable[[Services], uuid.UUID | None]) -> None:
        """Run ``act`` (a refusal is said, in words) and read the board again after, the
        cursor on the card ``act`` returns."""
        self._write(act)

    @work(thread=True, exit_on_error=False, group="plan-write")
    def _write(self, act: Callable[[Services], uuid.UUID | None], typed: str = "") -> None:
        services = self.services
        try:
            focus = act(services)
        except ServiceError as exc:
            self.post_message(WriteFailed(exc.message, typed))
            focus = None
        if self.project is not None:
            number, board = self.read_board(self.project.id)
            self.post_message(BoardLoaded(board, focus, number))


def _kind_and_title(typed: str) -> tuple[str, str]:
    """``bug: Login fails`` is a bug, ``feature: …`` a feature, anything else a task."""
    head, colon, rest = typed.partition(":")
    if colon and head.strip().lower() in PLAN_KINDS:
        return head.strip().lower(), rest
    return "task", typed


def _at(cards: list[PlanCard], index: int) -> PlanCard | None:
    return cards[index] if 0 <= index < len(cards) else None
