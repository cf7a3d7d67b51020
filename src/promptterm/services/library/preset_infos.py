"""What a preset read gives back, and the orders of a preset list: without SQLAlchemy, so
that the service and the lean read (lean_reads.py) share them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from promptterm.db.lean_rows import Order
from promptterm.db.vocab import COMPONENT_TYPES
from promptterm.services.library.component_infos import ComponentInfo
from promptterm.services.library.preset_compose import incomplete_warning

PresetSort = Literal["most_used", "recent", "name"]

ORDER: dict[str, Order] = {
    "most_used": (("usage_count", "desc"), ("name", "asc")),
    "recent": (("last_used_at", "desc"), ("updated_at", "desc"), ("name", "asc")),
    "name": (("name", "asc"),),
}


@dataclass(frozen=True)
class PresetInfo:
    id: uuid.UUID
    name: str
    description: str | None
    role: ComponentInfo | None
    style: ComponentInfo | None
    context: ComponentInfo | None
    mode: ComponentInfo | None
    missing: tuple[str, ...]  # slots whose component was deleted: the preset is incomplete
    usage_count: int
    last_used_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def is_incomplete(self) -> bool:
        return bool(self.missing)

    @property
    def parts(self) -> list[ComponentInfo]:
        return [c for c in (self.role, self.style, self.context, self.mode) if c is not None]

    @property
    def warning(self) -> str | None:
        return incomplete_warning(self.missing)


def slot_ids(preset: Any) -> dict[str, uuid.UUID | None]:
    return {kind: getattr(preset, f"{kind}_id") for kind in COMPONENT_TYPES}


def preset_info(preset: Any, parts: dict[uuid.UUID, ComponentInfo]) -> PresetInfo:
    """A ``Preset`` row (or a lean record with its columns) and its components, loaded."""
    slots = slot_ids(preset)
    filled = {kind: parts.get(cid) if cid else None for kind, cid in slots.items()}
    missing = tuple(k for k in preset.declared_slots or () if filled.get(k) is None)
    return PresetInfo(
        id=preset.id,
        name=preset.name,
        description=preset.description,
        role=filled["role"],
        style=filled["style"],
        context=filled["context"],
        mode=filled["mode"],
        missing=missing,
        usage_count=preset.usage_count,
        last_used_at=preset.last_used_at,
        created_at=preset.created_at,
        updated_at=preset.updated_at,
    )


def in_order(infos: list[PresetInfo], sort: PresetSort) -> list[PresetInfo]:
    """``infos`` read in ``ORDER[sort]``, finished as the list shows them."""
    if sort == "recent":
        # NULLS LAST differs between SQLite and PostgreSQL; sort never-used ones last here.
        infos.sort(key=lambda p: p.last_used_at is None)
    return infos
