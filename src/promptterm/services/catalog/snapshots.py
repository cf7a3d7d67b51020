"""A library item as a catalog snapshot (plain JSON), and a snapshot back into the library.

Publishing copies the item, so later library edits never change what buyers got; a "get"
writes the snapshot into the getter's library, updating what an earlier get made.
"""

from __future__ import annotations

import uuid
from typing import Any

from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound
from promptterm.services.library import ComponentService, PresetService, PromptService

SLOTS = ("role", "style", "context", "mode")


def take(ctx: ServiceContext, kind: str, source: str) -> tuple[uuid.UUID, dict[str, Any]]:
    """The library item ``source`` (id or name) of ``kind``: its id and its snapshot."""
    if kind == "component":
        c = ComponentService(ctx).find(source)
        return c.id, _component(c.type, c.name, c.content, c.description, list(c.tags))
    if kind == "preset":
        p = PresetService(ctx).find(source)
        slots = {
            slot: _component(part.type, part.name, part.content, part.description, [])
            for slot in SLOTS
            if (part := getattr(p, slot)) is not None
        }
        return p.id, {
            "kind": "preset",
            "name": p.name,
            "description": p.description,
            "slots": slots,
        }
    prompt = PromptService(ctx).find(source)
    modules = [
        {
            "name": m.name,
            "options": [o.content for o in m.options],
            "default": next((i for i, o in enumerate(m.options) if o.is_default), 0),
        }
        for m in prompt.modules
    ]
    return prompt.id, {
        "kind": "prompt",
        "name": prompt.name,
        "description": prompt.description,
        "modules": modules,
    }


def _component(
    type_: str, name: str, content: str, description: str | None, tags: list[str]
) -> dict[str, Any]:
    return {
        "kind": "component",
        "type": type_,
        "name": name,
        "content": content,
        "description": description,
        "tags": tags,
    }


def full_text(snapshot: dict[str, Any]) -> str:
    """The words a buyer gets, as one text (what the preview's first lines come from)."""
    kind = snapshot.get("kind")
    if kind == "component":
        return str(snapshot.get("content", ""))
    if kind == "preset":
        slots = snapshot.get("slots", {})
        return "\n\n".join(str(slots[s]["content"]) for s in SLOTS if s in slots)
    parts = []
    for module in snapshot.get("modules", []):
        options = module.get("options") or [""]
        parts.append(str(options[min(module.get("default", 0), len(options) - 1)]))
    return "\n\n".join(parts)


def put(
    ctx: ServiceContext, snapshot: dict[str, Any], title: str, earlier: dict[str, Any]
) -> dict[str, Any]:
    """Write ``snapshot`` into the acting user's library; ``earlier`` holds the ids a previous
    get made (updated in place when they still exist). The ids it made or updated."""
    kind = snapshot["kind"]
    if kind == "component":
        return {"component": str(_put_component(ctx, snapshot, earlier.get("component")))}
    if kind == "preset":
        made: dict[str, Any] = {}
        slot_ids: dict[str, uuid.UUID] = {}
        for slot, part in snapshot.get("slots", {}).items():
            slot_ids[slot] = _put_component(ctx, part, earlier.get(slot))
            made[slot] = str(slot_ids[slot])
        made["preset"] = str(_put_preset(ctx, snapshot, slot_ids, earlier.get("preset")))
        return made
    return {"prompt": str(_put_prompt(ctx, snapshot, earlier.get("prompt")))}


def _put_component(ctx: ServiceContext, part: dict[str, Any], earlier: str | None) -> uuid.UUID:
    service = ComponentService(ctx)
    if earlier is not None:
        try:
            service.get(uuid.UUID(earlier))
            return service.update(
                uuid.UUID(earlier),
                content=part["content"],
                description=part.get("description") or "",
            ).id
        except NotFound:
            pass
    return _free_name(
        part["name"],
        lambda name: (
            service.create(
                part["type"], name, part["content"], part.get("description"), part.get("tags") or []
            ).id
        ),
    )


def _put_preset(
    ctx: ServiceContext, snapshot: dict[str, Any], slots: dict[str, uuid.UUID], earlier: str | None
) -> uuid.UUID:
    service = PresetService(ctx)
    if earlier is not None:
        try:
            service.get(uuid.UUID(earlier))
            return service.update(uuid.UUID(earlier), **slots).id  # type: ignore[arg-type]
        except NotFound:
            pass
    return _free_name(
        snapshot["name"],
        lambda name: service.create(name, description=snapshot.get("description"), **slots).id,
    )


def _put_prompt(ctx: ServiceContext, snapshot: dict[str, Any], earlier: str | None) -> uuid.UUID:
    service = PromptService(ctx)
    if earlier is not None:
        try:
            old = service.get(uuid.UUID(earlier))
        except NotFound:
            old = None
        if old is not None and old.deleted_at is None:
            # A new catalog version replaces the copy an earlier get made (to the trash,
            # where it can still be restored), rather than adding a second one.
            service.delete(old.id)
    made = service.create(snapshot["name"], description=snapshot.get("description"))
    for module in snapshot.get("modules", []):
        service.add_module(made.id, module["name"], list(module["options"]))
    return made.id


def _free_name(name: str, create: Any) -> uuid.UUID:
    """Create under ``name``, or ``name (2)``, ``(3)``... when the user already has one."""
    for n in range(1, 50):
        candidate = name if n == 1 else f"{name[:90]} ({n})"
        try:
            return create(candidate)  # type: ignore[no-any-return]
        except Conflict:
            continue
    raise Conflict(f"Could not find a free name for {name!r} in your library; rename yours.")
