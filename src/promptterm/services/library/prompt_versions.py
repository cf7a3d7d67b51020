"""Prompt history: every edit keeps the state it replaced (modules, options and variables
together) as one numbered JSON snapshot.

A prompt's current state has a number too (``prompts.version``, from 1): an edit stores the
state it replaces under that number and makes the next one current. Numbers are never reused
or rewritten; a restore is an edit, so the state it replaces is kept like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from promptterm.db.models import (
    ModuleOption,
    Prompt,
    PromptModule,
    PromptTag,
    PromptVariable,
    PromptVersion,
)
from promptterm.services.errors import NotFound
from promptterm.services.files import unified
from promptterm.services.library.component_versions import VersionRef, parse_ref
from promptterm.services.library.prompt_state import PromptState, config_of


@dataclass(frozen=True)
class PromptVersionInfo:
    """One state of a prompt; ``is_current`` for the prompt as it is now."""

    prompt_id: uuid.UUID
    version: int
    is_current: bool
    state: PromptState
    saved_at: datetime  # when this state was made: the prompt's creation or an edit
    replaced_at: datetime | None  # when an edit replaced it; None for the current state

    @property
    def label(self) -> str:
        return f"v{self.version}" + (" (current)" if self.is_current else "")

    @property
    def name(self) -> str:
        return self.state.name


def record_previous(
    session: Session, prompt: Prompt, before: PromptState, user_id: uuid.UUID, now: datetime
) -> int:
    """Keep ``before`` (the prompt's state as the edit found it) under its current number
    and make the next number current."""
    number = prompt.version
    session.add(
        PromptVersion(
            # Derived, not drawn from the id source: one id per (prompt, number), and the
            # ids tests and demos draw for rows people see stay where they were.
            id=uuid.uuid5(prompt.id, f"version-{number}"),
            prompt_id=prompt.id,
            user_id=user_id,
            version=number,
            snapshot=before.to_json(),
            created_at=now,
        )
    )
    prompt.version = number + 1
    return number


def history(session: Session, prompt: Prompt, current: PromptState) -> list[PromptVersionInfo]:
    """The current state first, then every kept version, newest first."""
    rows = session.exec(
        select(PromptVersion)
        .where(PromptVersion.prompt_id == prompt.id)
        .order_by(col(PromptVersion.version))
    ).all()
    states: list[PromptVersionInfo] = []
    saved_at = prompt.created_at
    for row in rows:
        state = PromptState.from_json(row.snapshot)
        states.append(
            PromptVersionInfo(prompt.id, row.version, False, state, saved_at, row.created_at)
        )
        saved_at = row.created_at  # the edit that replaced this version made the next state
    states.append(PromptVersionInfo(prompt.id, prompt.version, True, current, saved_at, None))
    states.reverse()
    return states


def pick(states: list[PromptVersionInfo], ref: VersionRef | str) -> PromptVersionInfo:
    """The state ``ref`` names (a number, "v3" or "current"), or NotFound saying what exists."""
    wanted = parse_ref(ref)
    for state in states:
        if (wanted is None and state.is_current) or state.version == wanted:
            return state
    name = states[0].name
    if len(states) == 1:
        raise NotFound(f"{name!r} has no earlier versions yet; every edit will keep one.")
    raise NotFound(
        f"{name!r} has no version {wanted}; it has v{states[-1].version} to "
        f"v{states[0].version} (the current one)."
    )


def diff(old: PromptVersionInfo, new: PromptVersionInfo) -> str:
    """A unified diff of the two states' rendered text ('' when it is the same)."""
    return unified(
        _with_newline(old.state.template()),
        _with_newline(new.state.template()),
        f"{old.name} (v{old.version})",
        f"{new.name} (v{new.version})",
    )


def _with_newline(text: str) -> str:
    return text + "\n" if text else text


def write_content(
    session: Session,
    prompt: Prompt,
    state: PromptState,
    new_id: Callable[[], uuid.UUID],
    now: datetime,
) -> None:
    """Make ``state``'s name, description, category, tags, modules, options and variables the
    prompt's own (its folder and project stay: they may be gone since)."""
    prompt.name = state.name
    prompt.description = state.description
    prompt.category = state.category
    session.exec(delete(PromptModule).where(col(PromptModule.prompt_id) == prompt.id))  # type: ignore[call-overload]
    session.exec(delete(PromptVariable).where(col(PromptVariable.prompt_id) == prompt.id))  # type: ignore[call-overload]
    session.exec(delete(PromptTag).where(col(PromptTag.prompt_id) == prompt.id))  # type: ignore[call-overload]
    session.flush()
    rows = [
        PromptModule(
            id=new_id(),
            prompt_id=prompt.id,
            name=module.name,
            order_index=index,
            visible=module.visible,
            created_at=now,
            updated_at=now,
        )
        for index, module in enumerate(state.modules)
    ]
    session.add_all(rows)
    session.flush()  # no ORM relationship orders the inserts: modules before their options
    for row, module in zip(rows, state.modules, strict=True):
        for position, option in enumerate(module.options):
            session.add(
                ModuleOption(
                    id=new_id(),
                    module_id=row.id,
                    name=option.name,
                    content=option.content,
                    is_default=option.is_default,
                    meta={"position": position},
                    created_at=now,
                    updated_at=now,
                )
            )
    for n, variable in enumerate(state.variables):
        # Variables list by creation time: a microsecond apart keeps the version's order.
        made = now + timedelta(microseconds=n)
        session.add(
            PromptVariable(
                id=new_id(),
                prompt_id=prompt.id,
                name=variable.name,
                type=variable.type,
                config=config_of(variable),
                created_at=made,
                updated_at=made,
            )
        )
    for tag in state.tags:
        session.add(PromptTag(prompt_id=prompt.id, tag=tag, user_id=prompt.user_id))
