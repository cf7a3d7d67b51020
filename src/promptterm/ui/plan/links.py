"""The board's links: L links the highlighted card to another card, a file of the project or
a thread (a picker), o shows its links (follow one with enter, remove one with d). A card
link moves the board's cursor; a file opens in the editor, a thread in the chat, through the
App's jump as the palette does. Writes go through the board's worker, which reads the board
again, so each card's marker counts what is stored."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from promptterm.services.plan import PlanCard, PlanLinkInfo
    from promptterm.ui.plan.actions import PlanActions
    from promptterm.ui.plan.dialogs.card_links import LinksAnswer
    from promptterm.ui.plan.dialogs.link_picker import LinkChoice


def pick_link(screen: PlanActions, card: PlanCard) -> None:
    """The picker over the board's other cards; the chosen one is linked to ``card``."""
    from promptterm.ui.plan.dialogs.link_picker import LinkPickerScreen

    board = screen.board
    if board is None:
        return

    def chosen(choice: LinkChoice | None) -> None:
        if choice is not None:
            target = {f"{choice.kind}_id": choice.target_id}
            screen.write(
                lambda s: s.plan_links.link(card.id, relation=choice.relation, **target).item_id
            )

    picker = LinkPickerScreen(screen.services, card, list(board.cards))
    screen.app.push_screen(picker, chosen)


def show_links(screen: PlanActions, card: PlanCard) -> None:
    from promptterm.ui.plan.dialogs.card_links import CardLinksScreen

    board = screen.board
    if board is None:
        return

    def answered(answer: LinksAnswer | None) -> None:
        if answer is None:
            return
        if answer.open is not None:
            opened = answer.open
            screen.call_after_refresh(lambda: open_target(screen, opened))
        elif answer.follow is not None:
            # Once the board is back on top: resuming gives the focus back to where it was.
            target = answer.follow
            screen.call_after_refresh(lambda: follow(screen, target))
        elif answer.add:
            pick_link(screen, card)
        if answer.changed:
            focus = answer.follow or card.id
            screen.write(lambda _s: focus)  # reads the board again: the markers change

    dialog = CardLinksScreen(screen.services, card, can_edit=board.can_edit)
    screen.app.push_screen(dialog, answered)


def follow(screen: PlanActions, card_id: uuid.UUID) -> None:
    """Put the cursor on the card, in its column; a filter that hides it is cleared."""
    board = screen.board
    card = next((c for c in board.cards if c.id == card_id), None) if board else None
    if card is None:
        screen.notify("That card is not on the board any more. Press r to read it again.")
        return
    if not screen.filter.matches(card):
        screen.action_clear_filter()
    column = screen.column(card.status)
    index = column.index_of(card_id)
    if index is not None:
        column.move_cursor_to(index)
        screen.set_focus(column)  # now, not later: a board arriving meanwhile keeps it


def open_target(screen: PlanActions, link: PlanLinkInfo) -> None:
    """A file link opens the file in the editor, a thread link the thread in the chat: the
    palette's way (the App's jump), on the card's project."""
    from promptterm.ui.common.host import AppHost
    from promptterm.ui.common.jump import JumpTarget

    host = cast("AppHost", screen.app)
    project = host.current_project
    board = screen.board
    area = "editor" if link.target_kind == "file" else "chat"
    kind = "file" if link.target_kind == "file" else "thread"
    target = JumpTarget(
        kind,
        link.target_id,
        link.title or "",
        "",
        workspace_id=project.workspace_id if project else None,
        project_id=board.project_id if board else None,
        area=area,
    )
    screen.run_worker(host.jump(target), group="plan-jump")
