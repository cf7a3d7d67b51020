"""Quitting: q / ctrl+q in any area quits at once, unless quitting would interrupt something
(an answer streaming in chat, a run in the editor); then it asks first.

Each area's screen says what quitting now would interrupt (its ``quit_question``); every
area opened so far is asked, not only the one in front. The App binds the keys to this."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App


def quit_asking_first(app: App[Any]) -> None:
    """Quit ``app``, or ask first; yes stops what was going (a streaming answer is kept as
    stopped: the chat stores it on its way out), then quits."""
    question = quit_question(app)
    if question is None:
        app.exit()
        return
    from promptterm.ui.common.dialogs.confirm import ConfirmScreen

    if isinstance(app.screen, ConfirmScreen):
        return  # already asking

    def answered(stop: bool | None) -> None:
        if stop:
            app.exit()

    app.push_screen(ConfirmScreen("Quit", question, confirm_label="Stop and quit"), answered)


def quit_question(app: App[Any]) -> str | None:
    """What quitting now would interrupt, as a question; None when nothing would."""
    for mode in app.MODES:
        try:
            stack = app.get_screen_stack(mode)
        except KeyError:
            continue  # an area not opened yet
        for screen in stack:
            ask = getattr(screen, "quit_question", None)
            question = ask() if callable(ask) else None
            if question:
                return question
    return None
