"""What the board's workers post back to the screen."""

from __future__ import annotations

import uuid

from textual.message import Message

from promptterm.services.plan import Board


class BoardLoaded(Message):
    """The project's board as stored now; ``focus`` is the card to put the cursor on;
    ``read`` the number of the read that got it (``PlanActions.read_board``)."""

    def __init__(self, board: Board, focus: uuid.UUID | None = None, read: int = 0) -> None:
        super().__init__()
        self.board = board
        self.focus = focus
        self.read = read


class WriteFailed(Message):
    """A write was refused; ``typed`` is quick-add text to give back so nothing is lost."""

    def __init__(self, message: str, typed: str = "") -> None:
        super().__init__()
        self.message = message
        self.typed = typed
