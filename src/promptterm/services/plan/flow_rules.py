"""A flow page's rules: field lengths, the features list, positions; each check refuses bad
input with a message naming the field and its limit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from promptterm.services.errors import ValidationError
from promptterm.services.validation import clean_name, optional_text

LIMITS = {"name": 200, "description": 5000, "layout_description": 5000, "feature": 120}
MAX_FEATURES = 50
# Far beyond any flow a person draws, near enough that a typo (1e9) is caught.
MAX_POSITION = 100_000
LABELS = {
    "name": "Page name",
    "description": "Description",
    "layout_description": "Layout description",
    "features": "Features",
}


def check_name(name: str | None) -> str:
    return clean_name(name, "name", label=LABELS["name"], max_len=LIMITS["name"])


def check_text(value: str | None, field: str) -> str | None:
    return optional_text(value, field, label=LABELS[field], max_len=LIMITS[field])


def check_features(features: Iterable[str] | str | None) -> list[str]:
    """A list of feature names; a string is split on commas and line breaks."""
    if features is None:
        return []
    if isinstance(features, str):
        features = features.replace("\n", ",").split(",")
    names: list[str] = []
    for raw in features:
        if not str(raw).strip():
            continue
        name = clean_name(str(raw), "features", label="A feature", max_len=LIMITS["feature"])
        if name not in names:
            names.append(name)
    if len(names) > MAX_FEATURES:
        raise ValidationError(
            f"A page lists at most {MAX_FEATURES} features; this one has {len(names)}.",
            "features",
        )
    return names


def check_position(value: Any, field: str) -> int:
    """A whole number of grid steps; "3" and 3.0 are 3, "3.5" is refused in words."""
    label = "Position x" if field == "x" else "Position y"
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValidationError(f"{label} must be a whole number; got {value!r}.", field) from None
    if number != int(number):
        raise ValidationError(f"{label} must be a whole number; got {value!r}.", field)
    if abs(number) > MAX_POSITION:
        raise ValidationError(
            f"{label} must be between -{MAX_POSITION} and {MAX_POSITION}; got {value!r}.", field
        )
    return int(number)
