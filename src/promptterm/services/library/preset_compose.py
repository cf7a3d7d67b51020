"""A preset composed into its system prompt: the words and the shape of the answer, apart
from the code that loads presets, so that the CLI's lean `preset show` (lean_reads.py)
composes exactly what ``PresetService.compose`` does without loading the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from promptterm.db.vocab import COMPONENT_TYPES


class Part(Protocol):
    @property
    def type(self) -> str: ...

    @property
    def content(self) -> str: ...


@dataclass(frozen=True)
class ComposedPrompt:
    preset_id: uuid.UUID
    preset_name: str
    text: str
    token_estimate: int
    parts: tuple[tuple[str, str], ...]  # (type, component name) in composition order
    warning: str | None


def compose_text(parts: Iterable[Part]) -> str:
    """The system prompt: role, style, context and mode, in that order, a blank line apart."""
    order = {kind: i for i, kind in enumerate(COMPONENT_TYPES)}
    return "\n\n".join(c.content for c in sorted(parts, key=lambda c: order[c.type]))


def incomplete_warning(missing: tuple[str, ...]) -> str | None:
    """What a preset whose components were deleted says about itself (None: complete)."""
    if not missing:
        return None
    slots = ", ".join(m.capitalize() for m in missing)
    noun = "component" if len(missing) == 1 else "components"
    return f"Preset incomplete: {slots} {noun} missing"
