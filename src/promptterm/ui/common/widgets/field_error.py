"""The error line under a form field, shown only while it has something to say."""

from __future__ import annotations

from textual.widgets import Static


def show_error(error: Static, message: str) -> None:
    """Put ``message`` in ``error``, hidden when empty. Forms call this on every key; Static.update
    lays the whole screen out again even for the same text, so an unchanged message is left be."""
    if error.content != message:
        error.update(message)
    error.display = bool(message)
