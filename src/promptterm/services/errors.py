"""Typed errors the services raise; each message tells a person what to do next."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

# Raised by the storage under any service when the database can only be read (a read-only
# data folder): not a ServiceError, but shown the same way, with its own words.
from promptterm.db.errors import ReadOnlyDatabase as ReadOnlyDatabase


class ServiceError(Exception):
    """Base of every error a screen or the CLI shows to the user as a message."""

    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(ServiceError):
    """Input breaks a rule; ``field`` names the input so a form can show it in place."""

    kind = "invalid"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(ServiceError):
    kind = "not found"


class Forbidden(ServiceError):
    kind = "forbidden"


class LimitReached(ServiceError):
    """A plan limit or budget stops the action; the message names the limit and the way up."""

    kind = "limit reached"

    def __init__(self, message: str, limit: str, plan: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.plan = plan


class Conflict(ServiceError):
    """The action collides with existing data (a taken name, a stale edit)."""

    kind = "conflict"


class StaleEdit(Conflict):
    """What the user saw changed since they opened it (another window, process or teammate):
    their write is refused rather than silently replacing that change. ``changes`` says in
    words what moved ("role member → viewer", "content")."""

    def __init__(self, subject: str, changes: tuple[str, ...], advice: str) -> None:
        listed = "; ".join(changes) if changes else "it is gone"
        super().__init__(
            f"{subject} was changed elsewhere since you opened it ({listed}), so your change "
            f"was not saved. {advice}"
        )
        self.changes = changes


def refuse_stale(
    subject: str, seen: Mapping[str, object], now: Mapping[str, object], advice: str
) -> None:
    """Raise StaleEdit when any field the user saw (``seen``, by its name in words) differs
    from what is stored (``now``). Compared by value, not clock: two edits in the same second,
    or on two machines, are still told apart. Short values are shown old → new."""
    changes = tuple(
        _change(name, seen.get(name), value)
        for name, value in now.items()
        if seen.get(name) != value
    )
    if changes:
        raise StaleEdit(subject, changes, advice)


def _change(name: str, old: object, new: object) -> str:
    shown = [_short(old), _short(new)]
    if None in shown:
        return name  # long text: naming the field says enough
    return f"{name} {shown[0]} → {shown[1]}"


def _short(value: object) -> str | None:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, uuid.UUID):
        return None  # an id means nothing to a person: the field's name says enough
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 and "\n" not in str(value) else None


class SecretStoreUnavailable(ServiceError):
    """No usable OS keyring; the message says how to provide the key instead."""

    kind = "keyring unavailable"


class BudgetReached(LimitReached):
    """The user's own monthly cap (``[budget]`` in the config) stops a send; ``limit`` is
    "monthly_tokens" or "monthly_spend_usd" and the message says how to raise it."""

    kind = "budget reached"


class UnfilledVariables(ValidationError):
    """A send whose system prompt or message still holds ``{{name}}`` placeholders with no
    value; ``names`` lists them in order of appearance so a caller can ask for each (the
    chat's dialog, the CLI's ``--var name=value``)."""

    kind = "unfilled variables"

    def __init__(self, names: list[str]) -> None:
        marks = ", ".join("{{" + name + "}}" for name in names)
        noun = "variable has" if len(names) == 1 else "variables have"
        super().__init__(f"Not sent: the {noun} no value yet: {marks}.", names[0])
        self.names = names


class PaymentDeclined(ServiceError):
    """A payment processor refused a charge; the statement stays open and nothing is charged."""

    kind = "payment declined"
