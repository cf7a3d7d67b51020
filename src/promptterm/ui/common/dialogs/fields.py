"""What a form asks for. Separate from the form itself so that screens can describe their
forms without importing the form's widgets (Select and friends) until one is opened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str  # the service's argument name (and ValidationError.field)
    label: str
    value: str = ""
    placeholder: str = ""
    choices: Sequence[str] = ()  # offered in a Select instead of typed
    multiline: bool = False  # a text area (enter is a new line; ctrl+j submits)
    limit: int = 0  # the most characters the service takes: a counter as the user types
    password: bool = False  # a secret: shown as dots while typed
