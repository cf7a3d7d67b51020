"""Presets (seed 003): up to one component of each type, composed into a system prompt."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import Component, Preset
from promptterm.db.models.library import COMPONENT_TYPES
from promptterm.db.order import order_by
from promptterm.services.billing import check_room_for
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, ValidationError, refuse_stale
from promptterm.services.library.components import ComponentInfo, check_description, component_info
from promptterm.services.library.preset_compose import ComposedPrompt as ComposedPrompt
from promptterm.services.library.preset_compose import compose_text as compose_text
from promptterm.services.library.preset_infos import ORDER, in_order, preset_info, slot_ids
from promptterm.services.library.preset_infos import PresetInfo as PresetInfo
from promptterm.services.library.preset_infos import PresetSort as PresetSort
from promptterm.services.tokens import estimate_tokens
from promptterm.services.validation import clean_name

# A slot is left alone when not given; None clears it; a UUID fills it.
_UNSET: object = object()


_ORDER = {sort: order_by(Preset, spec) for sort, spec in ORDER.items()}


class PresetService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, *, sort: PresetSort = "most_used") -> list[PresetInfo]:
        stmt = select(Preset).where(Preset.user_id == self.ctx.user_id).order_by(*_ORDER[sort])
        with self.ctx.db.session() as session:
            presets = session.exec(stmt).all()
            ids = {i for p in presets for i in slot_ids(p).values() if i is not None}
            parts = _load_components(session, ids)
            infos = [preset_info(p, parts) for p in presets]
        return in_order(infos, sort)

    def get(self, preset_id: uuid.UUID) -> PresetInfo:
        with self.ctx.db.session() as session:
            preset = self._own(session, preset_id)
            return preset_info(preset, _load_components(session, _present_ids(preset)))

    def find(self, ref: str) -> PresetInfo:
        with self.ctx.db.session() as session:
            preset = self._find(session, ref)
            return preset_info(preset, _load_components(session, _present_ids(preset)))

    def create(
        self,
        name: str,
        *,
        description: str | None = None,
        role: uuid.UUID | None = None,
        style: uuid.UUID | None = None,
        context: uuid.UUID | None = None,
        mode: uuid.UUID | None = None,
    ) -> PresetInfo:
        slots = {"role": role, "style": style, "context": context, "mode": mode}
        now = self.ctx.now()
        preset = Preset(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            name=_check_name(name),
            description=check_description(description),
            created_at=now,
            updated_at=now,
        )
        with self.ctx.db.session() as session:
            check_room_for(session, self.ctx.user_id, "max_presets", now, self.ctx.hints)
            self._check_name_free(session, preset.name, None)
            self._fill_slots(session, preset, slots)
            session.add(preset)
            try:
                session.flush()
            except IntegrityError as exc:
                raise _name_taken(preset.name) from exc
            return preset_info(preset, _load_components(session, _present_ids(preset)))

    def update(
        self,
        preset_id: uuid.UUID,
        *,
        name: str | None = None,
        description: str | None = None,
        role: uuid.UUID | object | None = _UNSET,
        style: uuid.UUID | object | None = _UNSET,
        context: uuid.UUID | object | None = _UNSET,
        mode: uuid.UUID | object | None = _UNSET,
        expected: PresetInfo | None = None,
    ) -> PresetInfo:
        """``expected``: the preset as the editor loaded it; a change since (another window
        or process) refuses the write as a Conflict rather than silently replacing it."""
        given = {"role": role, "style": style, "context": context, "mode": mode}
        with self.ctx.db.session() as session:
            preset = self._own(session, preset_id)
            if expected is not None:
                session.refresh(preset, with_for_update=True)  # held until the commit
                refuse_stale(
                    f"Preset {preset.name!r}",
                    _expected_fields(expected),
                    _fields_of(preset),
                    "Your edit is still here: reopen the preset and apply it again.",
                )
            if name is not None:
                # Checked before it is set: a query would autoflush a taken name and fail.
                new_name = _check_name(name)
                self._check_name_free(session, new_name, preset.id)
                preset.name = new_name
            if description is not None:
                preset.description = check_description(description)
            changed = {k: v for k, v in given.items() if v is not _UNSET}
            if changed:
                slots: dict[str, uuid.UUID | None] = {**slot_ids(preset), **changed}  # type: ignore[dict-item]
                declared = set(preset.declared_slots or ())
                self._fill_slots(session, preset, slots)
                # A slot stays "declared" (and so reported missing) until the user clears it.
                cleared = {k for k, v in changed.items() if v is None}
                kept = (declared | set(preset.declared_slots)) - cleared
                preset.declared_slots = [k for k in COMPONENT_TYPES if k in kept]
            preset.updated_at = self.ctx.now()
            session.add(preset)
            try:
                session.flush()
            except IntegrityError as exc:
                raise _name_taken(preset.name) from exc
            return preset_info(preset, _load_components(session, _present_ids(preset)))

    def delete(self, preset_id: uuid.UUID) -> str:
        with self.ctx.db.session() as session:
            preset = self._own(session, preset_id)
            name = preset.name
            session.delete(preset)
            return name

    def compose(self, preset_id: uuid.UUID) -> ComposedPrompt:
        return compose(self.get(preset_id))

    def record_use(self, preset_id: uuid.UUID) -> None:
        """Count a use of the preset and of each of its components (for sorting by use)."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            preset = self._own(session, preset_id)
            preset.usage_count += 1
            preset.last_used_at = now
            session.add(preset)
            for component in _load_raw(session, _present_ids(preset)):
                component.usage_count += 1
                component.last_used_at = now
                session.add(component)

    def tools(self, preset_id: uuid.UUID) -> list[str]:
        """Tool sources ("server", "server:tool") a thread with this preset offers by default."""
        with self.ctx.db.session() as session:
            return list(self._own(session, preset_id).tools or [])

    def set_tools(self, preset_id: uuid.UUID, refs: list[str]) -> list[str]:
        """Refs checked by the chat's tool registry (``check_refs``) before they come here."""
        with self.ctx.db.session() as session:
            preset = self._own(session, preset_id)
            preset.tools = list(refs) or None
            preset.updated_at = self.ctx.now()
            session.add(preset)
            return list(refs)

    # Helpers ---------------------------------------------------------------------------

    def _fill_slots(
        self, session: Session, preset: Preset, slots: dict[str, uuid.UUID | None]
    ) -> None:
        chosen = {kind: cid for kind, cid in slots.items() if cid is not None}
        if not chosen:
            raise ValidationError(
                "A preset needs at least one component: pick a role, style, context or mode.",
                "components",
            )
        found = {c.id: c for c in _load_raw(session, set(chosen.values()))}
        for kind, cid in chosen.items():
            component = found.get(cid)
            if component is None or component.user_id != self.ctx.user_id:
                raise ValidationError(
                    f"The {kind} component you picked does not exist (it may have been deleted).",
                    kind,
                )
            if component.type != kind:
                raise ValidationError(
                    f"{component.name!r} is a {component.type} component; "
                    f"the {kind} slot takes a {kind}.",
                    kind,
                )
        for kind in COMPONENT_TYPES:
            setattr(preset, f"{kind}_id", slots.get(kind))
        preset.declared_slots = [kind for kind in COMPONENT_TYPES if kind in chosen]

    def _own(self, session: Session, preset_id: uuid.UUID) -> Preset:
        preset = session.get(Preset, preset_id)
        if preset is None or preset.user_id != self.ctx.user_id:
            raise NotFound("That preset does not exist; it may have been deleted.")
        return preset

    def _find(self, session: Session, ref: str) -> Preset:
        try:
            return self._own(session, uuid.UUID(ref))
        except ValueError:
            pass
        preset = session.exec(
            select(Preset).where(Preset.user_id == self.ctx.user_id, Preset.name == ref)
        ).first()
        if preset is None:
            raise NotFound(f"You have no preset named {ref!r}.")
        return preset

    def _check_name_free(self, session: Session, name: str, except_id: uuid.UUID | None) -> None:
        found = session.exec(
            select(Preset.id).where(Preset.user_id == self.ctx.user_id, Preset.name == name)
        ).first()
        if found is not None and found != except_id:
            raise _name_taken(name)


def compose(info: PresetInfo) -> ComposedPrompt:
    text = compose_text(info.parts)
    return ComposedPrompt(
        preset_id=info.id,
        preset_name=info.name,
        text=text,
        token_estimate=estimate_tokens(text),
        parts=tuple((c.type, c.name) for c in info.parts),
        warning=info.warning,
    )


def _check_name(name: str) -> str:
    return clean_name(name, "name", label="Preset name", min_len=1, max_len=100)


def _name_taken(name: str) -> Conflict:
    return Conflict(f"You already have a preset named {name!r}; choose another name.")


def _present_ids(preset: Preset) -> set[uuid.UUID]:
    return {i for i in slot_ids(preset).values() if i is not None}


def _load_raw(session: Session, ids: set[uuid.UUID]) -> list[Component]:
    if not ids:
        return []
    return list(session.exec(select(Component).where(col(Component.id).in_(ids))).all())


def _load_components(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, ComponentInfo]:
    return {c.id: component_info(c) for c in _load_raw(session, ids)}


def _fields_of(preset: Preset) -> dict[str, object]:
    slots = slot_ids(preset)
    return {
        "name": preset.name,
        "description": preset.description,
        **{f"{k} component": slots[k] for k in COMPONENT_TYPES},
    }


def _expected_fields(info: PresetInfo) -> dict[str, object]:
    slots = {k: getattr(info, k) for k in COMPONENT_TYPES}
    return {
        "name": info.name,
        "description": info.description,
        **{f"{k} component": c.id if c else None for k, c in slots.items()},
    }
