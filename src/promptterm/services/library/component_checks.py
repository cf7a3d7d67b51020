"""What a component's fields may hold: name, content, description and type checked, and
text a database cannot keep refused (also used by presets and the library's file formats)."""

from __future__ import annotations

from promptterm.db.models.library import COMPONENT_TYPES
from promptterm.services.errors import ValidationError
from promptterm.services.validation import choice, clean_name, clean_text, optional_text

NAME_MAX, CONTENT_MAX, DESCRIPTION_MAX = 100, 5000, 500


def check_name(name: str) -> str:
    return storable(
        clean_name(name, "name", label="Name", min_len=1, max_len=NAME_MAX), "name", "Name"
    )


def check_content(content: str) -> str:
    # Line endings are stored as \n: text pasted from Windows (or a git checkout with
    # autocrlf) is the same component, and exports then diff and re-import cleanly.
    text = (content or "").replace("\r\n", "\n")
    text = clean_text(text, "content", label="Content", min_len=1, max_len=CONTENT_MAX)
    return storable(text, "content", "Content")


def check_description(description: str | None) -> str | None:
    text = optional_text(description, "description", label="Description", max_len=DESCRIPTION_MAX)
    return None if text is None else storable(text, "description", "Description")


def storable(text: str, field: str, label: str) -> str:
    """Refuse what a database cannot keep: PostgreSQL rejects NUL in text and neither side
    stores a lone surrogate (both arrive from pasted binary or crafted files)."""
    if "\x00" in text:
        raise ValidationError(f"{label} contains a NUL character; remove it.", field)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(
            f"{label} contains characters that are not valid text.", field
        ) from exc
    return text


def check_type(kind: str) -> str:
    return choice(kind, "type", label="Component type", options=COMPONENT_TYPES)
