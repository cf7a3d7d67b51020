"""Component history: every edit keeps the state it replaced as a numbered version.

Version 1 is the state the first edit replaced; numbers count up per component and are never
reused or rewritten. A restore is an edit like any other, so the state it replaces becomes
the next version and nothing is lost by restoring the wrong one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from promptterm.db.models import Component, ComponentVersion
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.files import unified

CURRENT = "current"
VersionRef = int | Literal["current"]


@dataclass(frozen=True)
class ComponentState:
    """What an edit can change and a version keeps."""

    name: str
    content: str
    description: str | None
    tags: tuple[str, ...]

    @classmethod
    def of(cls, row: Component | ComponentVersion) -> ComponentState:
        return cls(row.name, row.content, row.description, tuple(row.tags or ()))


@dataclass(frozen=True)
class ComponentVersionInfo:
    """One state of a component. ``version`` is None for the component as it is now."""

    component_id: uuid.UUID
    version: int | None
    name: str
    content: str
    description: str | None
    tags: tuple[str, ...]
    saved_at: datetime  # when this state was made: the component's creation or an edit
    replaced_at: datetime | None  # when an edit replaced it; None for the current state

    @property
    def is_current(self) -> bool:
        return self.version is None

    @property
    def label(self) -> str:
        return CURRENT if self.version is None else f"v{self.version}"


def record_previous(
    session: Session, component: Component, user_id: uuid.UUID, version_id: uuid.UUID, now: datetime
) -> int:
    """Keep ``component``'s state (before the caller changes it) as its next version."""
    last = session.exec(
        select(func.max(ComponentVersion.version)).where(
            ComponentVersion.component_id == component.id
        )
    ).one()
    number = (last or 0) + 1
    session.add(
        ComponentVersion(
            id=version_id,
            component_id=component.id,
            user_id=user_id,
            version=number,
            name=component.name,
            content=component.content,
            description=component.description,
            tags=list(component.tags or ()),
            created_at=now,
        )
    )
    return number


def history(session: Session, component: Component) -> list[ComponentVersionInfo]:
    """The current state first, then every version, newest first."""
    rows = session.exec(
        select(ComponentVersion)
        .where(ComponentVersion.component_id == component.id)
        .order_by(col(ComponentVersion.version))
    ).all()
    states: list[ComponentVersionInfo] = []
    saved_at = component.created_at
    for row in rows:
        states.append(
            _info(component.id, row.version, ComponentState.of(row), saved_at, row.created_at)
        )
        # The edit that replaced this version made the next state.
        saved_at = row.created_at
    states.append(_info(component.id, None, ComponentState.of(component), saved_at, None))
    states.reverse()
    return states


def pick(states: list[ComponentVersionInfo], ref: VersionRef) -> ComponentVersionInfo:
    """The state ``ref`` names in a ``history`` list, or NotFound listing what there is."""
    wanted = None if ref == CURRENT else parse_ref(ref)
    for state in states:
        if state.version == wanted:
            return state
    numbers = [s.version for s in states if s.version is not None]
    name = states[0].name
    if not numbers:
        raise NotFound(f"{name!r} has no earlier versions yet; every edit will keep one.")
    span = f"v{numbers[-1]}" if len(numbers) == 1 else f"v{numbers[-1]} to v{numbers[0]}"
    raise NotFound(f"{name!r} has no version {wanted}; it has {span} and the current one.")


def parse_ref(ref: VersionRef | str) -> int | None:
    """3, "3", "v3" -> 3; "current" -> None; anything else is a ValidationError."""
    if isinstance(ref, bool):
        raise ValidationError(f"{ref!r} is not a version.", "version")
    if isinstance(ref, int):
        number = ref
    else:
        text = str(ref).strip().lower()
        if text == CURRENT:
            return None
        digits = text[1:] if text.startswith("v") else text
        if not digits.isdigit() or len(digits) > 9:
            raise ValidationError(
                f"{ref!r} is not a version: give a number such as 3 (or v3), or 'current'.",
                "version",
            )
        number = int(digits)
    if number < 1:
        raise ValidationError("Versions are numbered from 1.", "version")
    return number


def diff(old: ComponentVersionInfo, new: ComponentVersionInfo) -> str:
    """A unified diff of the two states' content ('' when the content is the same)."""
    return unified(
        _with_newline(old.content),
        _with_newline(new.content),
        f"{old.name} ({old.label})",
        f"{new.name} ({new.label})",
    )


def _with_newline(text: str) -> str:
    # Stored content is stripped; a final newline keeps "No newline at end of file" noise out.
    return text + "\n" if text else text


def _info(
    component_id: uuid.UUID,
    version: int | None,
    state: ComponentState,
    saved_at: datetime,
    replaced_at: datetime | None,
) -> ComponentVersionInfo:
    return ComponentVersionInfo(
        component_id=component_id,
        version=version,
        name=state.name,
        content=state.content,
        description=state.description,
        tags=state.tags,
        saved_at=saved_at,
        replaced_at=replaced_at,
    )
