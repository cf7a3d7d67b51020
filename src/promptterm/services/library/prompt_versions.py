"""Prompt history: every edit keeps the state it replaced (modules, options and variables
together) as one numbered JSON snapshot, most of them as a delta against the state that
replaced it (prompt_version_deltas.py).

A prompt's current state has a number too (``prompts.version``, from 1): an edit stores the
state it replaces under that number and makes the next one current. Numbers are never reused
or rewritten; a restore is an edit, so the state it replaces is kept like any other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert
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
from promptterm.services.library import prompt_version_deltas as deltas
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


# Built once: it runs on every save.
_INSERT = insert(PromptVersion.__table__)  # type: ignore[arg-type]


def record(
    session: Session,
    prompt_id: uuid.UUID,
    number: int,
    before: Callable[[], PromptState],
    delta: Callable[[], dict[str, Any]] | None,
    user_id: uuid.UUID,
    now: datetime,
) -> None:
    """Keep the state an edit replaced under its number: as ``delta()`` (against the state
    the edit left) when given, whole when there is none or the number is due one (see
    prompt_version_deltas.py). One Core insert: no object to track, and no NUL scan by the
    text guard: every text in it was read from the database, which the guard kept it out of
    (and PostgreSQL cannot hold in text at all)."""
    snapshot = before().to_json() if delta is None or deltas.whole_due(number) else delta()
    session.execute(
        _INSERT,
        {
            # Derived, not drawn from the id source: one id per (prompt, number), and the
            # ids tests and demos draw for rows people see stay where they were.
            "id": uuid.uuid5(prompt_id, f"version-{number}"),
            "prompt_id": prompt_id,
            "user_id": user_id,
            "version": number,
            "snapshot": snapshot,
            "created_at": now,
        },
    )


def history(session: Session, prompt: Prompt, current: PromptState) -> list[PromptVersionInfo]:
    """The current state first, then every kept version, newest first."""
    rows = session.exec(
        select(PromptVersion.version, PromptVersion.snapshot, PromptVersion.created_at)
        .where(PromptVersion.prompt_id == prompt.id)
        .order_by(col(PromptVersion.version))
    ).all()
    states = deltas.rebuild(((number, snapshot) for number, snapshot, _ in rows), current)
    infos: list[PromptVersionInfo] = []
    saved_at = prompt.created_at
    for number, _, replaced_at in rows:
        infos.append(
            PromptVersionInfo(prompt.id, number, False, states[number], saved_at, replaced_at)
        )
        saved_at = replaced_at  # the edit that replaced this version made the next state
    infos.append(PromptVersionInfo(prompt.id, prompt.version, True, current, saved_at, None))
    infos.reverse()
    return infos


def version_of(
    session: Session, prompt: Prompt, current: PromptState, ref: VersionRef | str
) -> PromptVersionInfo:
    """The state ``ref`` names, as ``pick`` finds it in the whole history, but reading only
    the versions it is rebuilt from (at most FULL_EVERY of them, however long the history)."""
    wanted = parse_ref(ref)
    number = prompt.version if wanted is None else wanted
    low, high = deltas.run_for(number) if number < prompt.version else (number, number)
    rows = session.exec(
        select(PromptVersion.version, PromptVersion.snapshot, PromptVersion.created_at)
        .where(PromptVersion.prompt_id == prompt.id)
        .where(col(PromptVersion.version) >= number - 1, col(PromptVersion.version) <= high)
        .order_by(col(PromptVersion.version))
    ).all()
    made = {row[0]: row[2] for row in rows}
    saved_at = made.get(number - 1, prompt.created_at)
    if number == prompt.version:
        return PromptVersionInfo(prompt.id, number, True, current, saved_at, None)
    if number not in made:
        first = session.exec(
            select(func.min(PromptVersion.version)).where(PromptVersion.prompt_id == prompt.id)
        ).one()
        if first is None:
            raise NotFound(
                f"{current.name!r} has no earlier versions yet; every edit will keep one."
            )
        raise NotFound(
            f"{current.name!r} has no version {number}; it has v{first} to "
            f"v{prompt.version} (the current one)."
        )
    run = ((n, snapshot) for n, snapshot, _ in rows if n >= low)
    state = deltas.rebuild(run, current)[number]
    return PromptVersionInfo(prompt.id, number, False, state, saved_at, made[number])


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
