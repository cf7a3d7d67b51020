"""The library's reads on the lean path (db/lean.py), for commands that must answer in a
blink: `preset show` (the same answer as ``PresetService.find`` then ``compose``, in plain
SQL), `component list|show` and `preset list` (the service's order, lookup and row-to-info
functions over db/lean_rows.py's records)."""

from __future__ import annotations

import json
import uuid

from promptterm.db.lean import LeanRead, key
from promptterm.db.lean_rows import records
from promptterm.db.vocab import COMPONENT_TYPES
from promptterm.services.errors import NotFound
from promptterm.services.library import component_infos, preset_infos
from promptterm.services.library.component_infos import (
    ComponentInfo,
    component_info,
    own,
    pick_named,
)
from promptterm.services.library.preset_compose import (
    ComposedPrompt,
    compose_text,
    incomplete_warning,
)
from promptterm.services.tokens import estimate_tokens

_SLOTS = ", ".join(f"{kind}_id" for kind in COMPONENT_TYPES)


def lean_component_list(
    read: LeanRead, type: str | None, sort: component_infos.ComponentSort
) -> list[ComponentInfo]:
    """As ``ComponentService.list(type, sort=sort)``."""
    where: dict[str, object] = {"user_id": read.user_id}
    if type is not None:
        where["type"] = type
    rows = records(read, "components", where, component_infos.ORDER[sort])
    return [component_info(c) for c in rows]


def lean_component_find(read: LeanRead, ref: str, type: str | None) -> ComponentInfo:
    """As ``ComponentService.find(ref, type)``: by id, else by name (and type)."""
    try:
        wanted = uuid.UUID(ref)
    except ValueError:
        where: dict[str, object] = {"user_id": read.user_id, "name": ref}
        if type is not None:
            where["type"] = type
        return component_info(pick_named(records(read, "components", where), ref, type))
    found = records(read, "components", {"id": wanted})
    return component_info(own(found[0] if found else None, read.user_id))


def lean_preset_list(
    read: LeanRead, sort: preset_infos.PresetSort
) -> list[preset_infos.PresetInfo]:
    """As ``PresetService.list(sort=sort)``."""
    presets = records(read, "presets", {"user_id": read.user_id}, preset_infos.ORDER[sort])
    ids = {i for p in presets for i in preset_infos.slot_ids(p).values() if i is not None}
    parts = {c.id: component_info(c) for c in records(read, "components", {"id": ids})}
    infos = [preset_infos.preset_info(p, parts) for p in presets]
    return preset_infos.in_order(infos, sort)


class _Part:
    def __init__(self, type_: str, name: str, content: str) -> None:
        self.type, self.name, self.content = type_, name, content


def lean_preset_compose(read: LeanRead, ref: str) -> ComposedPrompt:
    """The preset named ``ref`` (or with that id) composed, as ``PresetService`` does it."""
    preset = _find(read, ref)
    slots = {kind: preset[f"{kind}_id"] for kind in COMPONENT_TYPES}
    ids = sorted({cid for cid in slots.values() if cid is not None})
    found = {}
    if ids:
        marks = ", ".join("?" * len(ids))
        sql = f"SELECT id, type, name, content FROM components WHERE id IN ({marks})"
        found = {r["id"]: _Part(r["type"], r["name"], r["content"]) for r in read.rows(sql, *ids)}
    filled = {kind: found.get(cid) if cid else None for kind, cid in slots.items()}
    parts = [p for p in (filled[kind] for kind in COMPONENT_TYPES) if p is not None]
    declared = json.loads(preset["declared_slots"] or "[]")
    missing = tuple(k for k in declared if filled.get(k) is None)
    text = compose_text(parts)
    return ComposedPrompt(
        preset_id=uuid.UUID(preset["id"]),
        preset_name=preset["name"],
        text=text,
        token_estimate=estimate_tokens(text),
        parts=tuple((p.type, p.name) for p in parts),
        warning=incomplete_warning(missing),
    )


def _find(read: LeanRead, ref: str) -> dict[str, str | None]:
    columns = f"id, user_id, name, declared_slots, {_SLOTS}"
    try:
        wanted = uuid.UUID(ref)
    except ValueError:
        row = read.one(
            f"SELECT {columns} FROM presets WHERE user_id = ? AND name = ?",
            key(read.user_id),
            ref,
        )
        if row is None:
            raise NotFound(f"You have no preset named {ref!r}.") from None
        return dict(row)
    row = read.one(f"SELECT {columns} FROM presets WHERE id = ?", key(wanted))
    if row is None or row["user_id"] != key(read.user_id):
        raise NotFound("That preset does not exist; it may have been deleted.")
    return dict(row)
