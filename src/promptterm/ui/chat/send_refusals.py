"""A send refused before its answer streams: said where the user looks, the message kept.

A plan's limit, a missing key or model, an unknown error: a notice above the box says what
happened and which key fixes it; the typed message stays in the box, unsent. Placeholders
without a value (``{{name}}``) are asked for in a form, and the send starts again with them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from promptterm.services.chat.stream import CancelToken
from promptterm.services.errors import (
    LimitReached,
    ServiceError,
    UnfilledVariables,
    ValidationError,
)
from promptterm.ui.chat.messages import SendJob
from promptterm.ui.common.errors import describe

if TYPE_CHECKING:
    from promptterm.ui.chat.sending import ChatSending


def explain_refusal(
    screen: ChatSending, job: SendJob, error: Exception, begin: Callable[[SendJob], None]
) -> None:
    """Say why ``job`` was not sent, or ask for its placeholders' values (``begin`` sends
    it again with them)."""
    title, text = describe(error)
    if isinstance(error, UnfilledVariables):
        ask_variables(screen, job, error.names, begin)
    elif isinstance(error, LimitReached):
        screen.show_notice(
            f"⛔ {text} Your message is still in the box below; it was not sent.",
            "error",
        )
    elif isinstance(error, ValidationError) and error.field in ("provider", "model", "key"):
        keys = "f9 opens the key manager" if error.field == "key" else "f3 picks a model"
        screen.show_notice(f"⚠ {text} ({keys}; f10 manages providers.)", "warning")
    elif isinstance(error, ServiceError):
        screen.show_notice(f"⚠ {title}: {text}", "warning")
    else:
        screen.app.log.error(f"send failed: {error!r}")
        screen.notify(text, title=title, severity="error")


def ask_variables(
    screen: ChatSending, job: SendJob, names: list[str], begin: Callable[[SendJob], None]
) -> None:
    """The form for the placeholders ``names``; ``begin`` sends again with their values."""
    from promptterm.ui.chat.dialogs.variables import variables_form

    def done(values: dict[str, str] | None) -> None:
        if values is None:
            marks = ", ".join("{{" + name + "}}" for name in names)
            screen.show_notice(
                f"Not sent: {marks} still without a value. Your message is in the box; "
                "ctrl+j asks again.",
                "warning",
            )
            return
        given = {**(job.variables or {}), **values}
        again = SendJob(
            job.kind,
            job.thread_id,
            job.text,
            CancelToken(),
            job.edited,
            variables=given,
            typed=job.typed,
            attached=job.attached,
        )
        begin(again)

    screen.app.push_screen(variables_form(names, job.variables or {}), done)
