"""Limits and checks for notes, PRDs and customer profiles: each refusal names the field and
its limit, so a form can show it where the user typed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from promptterm.services.errors import ValidationError
from promptterm.services.validation import clean_name, strip_controls

# Seed 004 gives no lengths; these are ours.
LIMITS = {
    "title": 200,
    "content": 100_000,
    "prd_field": 20_000,
    "sections": 30,
    "section_name": 100,
    "name": 200,
    "profile_field": 10_000,
    "criteria": 30,
    "criterion": 60,
}
SCORE_RANGE = (0.0, 10.0)


def title(value: str | None) -> str:
    return clean_name(value, "title", label="Title", max_len=LIMITS["title"])


def name(value: str | None) -> str:
    return clean_name(value, "name", label="Name", max_len=LIMITS["name"])


def long_text(value: str | None, field: str, label: str, limit: int) -> str:
    """Markdown as typed (line breaks kept), without trailing blank space."""
    text = (value or "").rstrip()
    if len(text) > limit:
        raise ValidationError(
            f"{label} is {len(text):,} characters; the most allowed is {limit:,}.", field
        )
    return text


def sections(items: Iterable[Any]) -> list[dict[str, str]]:
    """Custom PRD sections as [{"name", "content"}]; pairs or mappings accepted."""
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Mapping):
            raw_name, raw_content = item.get("name"), item.get("content")
        else:
            raw_name, raw_content = item
        section = clean_name(
            raw_name, "custom_sections", label="A section's name", max_len=LIMITS["section_name"]
        )
        if section.lower() in seen:
            raise ValidationError(
                f"Two sections are named {section!r}; rename one.", "custom_sections"
            )
        seen.add(section.lower())
        body = long_text(
            raw_content, "custom_sections", f"Section {section!r}", LIMITS["prd_field"]
        )
        cleaned.append({"name": section, "content": body})
    if len(cleaned) > LIMITS["sections"]:
        raise ValidationError(
            f"A PRD has at most {LIMITS['sections']} custom sections; this one has {len(cleaned)}.",
            "custom_sections",
        )
    return cleaned


def scoring(value: Mapping[str, Any] | str | None) -> dict[str, float]:
    """Criterion -> score from 0 to 10, from a mapping or its JSON text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Scoring is not JSON ({exc.msg} at character {exc.pos}); write it like "
                '{"budget": 7, "urgency": 9}.',
                "scoring",
            ) from exc
    if not isinstance(value, Mapping):
        raise ValidationError(
            'Scoring must map each criterion to a score, like {"budget": 7}.', "scoring"
        )
    if len(value) > LIMITS["criteria"]:
        raise ValidationError(
            f"Scoring has {len(value)} criteria; the most allowed is {LIMITS['criteria']}.",
            "scoring",
        )
    low, high = SCORE_RANGE
    scores: dict[str, float] = {}
    for key, score in value.items():
        criterion = clean_name(
            strip_controls(str(key)), "scoring", label="A criterion", max_len=LIMITS["criterion"]
        )
        if (
            isinstance(score, bool)
            or not isinstance(score, int | float)
            or not low <= score <= high
        ):
            raise ValidationError(
                f"The score for {criterion!r} must be a number from {low:g} to {high:g}; "
                f"got {score!r}.",
                "scoring",
            )
        scores[criterion] = float(score)
    return scores
