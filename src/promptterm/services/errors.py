"""Typed errors the services raise; each message tells a person what to do next."""

from __future__ import annotations


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
