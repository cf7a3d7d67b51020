"""How a prompt's versions are stored: most as a delta against the next state, every
``FULL_EVERY``-th one whole.

Writing the whole previous state on every save (some 145 KB for a prompt of 50 modules x 5
options) cost most of a save's time: encoding it, scanning it for NUL, writing it. An edit
usually changes one module, so a version keeps only what differs from the state that
replaced it (a reverse delta):

- the name, description, category, tags, folder and project, always whole (small, and a
  deleted folder or project changes the prompt's row without an edit);
- each module either as an index into the next state's modules (unchanged, perhaps moved)
  or whole (changed, or gone from the next state);
- the variables whole, or null when the next state has the same ones.

A version is rebuilt by walking down from a whole state: the next stored version that is
whole, else the prompt as it is now. Versions whose number is a multiple of ``FULL_EVERY``
are always whole, so that walk reads at most ``FULL_EVERY`` rows however long the history.
Whole versions are the format-1 snapshots written before deltas existed, unchanged.

This relies on what the content cache relies on too (prompt_cache.py): every change to what
a prompt says is an edit that moves ``prompts.version`` on, so the state a delta was taken
against is the one stored (or current) under the next number.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from promptterm.services.library.prompt_cache import Content
from promptterm.services.library.prompt_state import PromptState, Rows, state_from

FULL_EVERY = 32
DELTA_FORMAT = 2


@dataclass(frozen=True)
class Head:
    """What a prompt's own row says of its state, taken before an edit can change it."""

    name: str
    description: str | None
    category: str | None
    folder_id: uuid.UUID | None
    project_id: uuid.UUID | None

    @classmethod
    def of(cls, prompt: Any) -> Head:
        return cls(
            prompt.name, prompt.description, prompt.category, prompt.folder_id, prompt.project_id
        )


def is_whole(snapshot: dict[str, Any]) -> bool:
    return snapshot.get("format", 1) != DELTA_FORMAT


def whole_due(number: int) -> bool:
    return number % FULL_EVERY == 0


def delta(head: Head, before: Content, after: Content) -> dict[str, Any]:
    """The state ``before`` (with ``head``) as a delta against ``after``. Both are contents
    read with ids: a module is the same when its id, name, visibility and option rows are
    (an edit that changed one option leaves the other modules' rows the same objects, so
    most comparisons end at the first identity check). A module whose id ``after`` lacks
    is looked for by what it says (a restore writes every module anew)."""
    old, new = before.rows, after.rows
    where = {row[0]: index for index, row in enumerate(new.modules)}
    by_content: dict[tuple[Any, ...], int] | None = None
    modules: list[int | dict[str, Any]] = []
    for module_id, name, _, visible in old.modules:
        index = where.get(module_id)
        if index is not None:
            _, new_name, _, new_visible = new.modules[index]
            same = new_name == name and new_visible == visible
            if not (same and new.options[module_id] == old.options[module_id]):
                index = None  # this module is what the edit changed
        else:
            if by_content is None:
                by_content = {
                    _said(row[1], row[3], new.options[row[0]]): n
                    for n, row in enumerate(new.modules)
                }
            index = by_content.get(_said(name, visible, old.options[module_id]))
        modules.append(
            _module_json(name, visible, old.options[module_id]) if index is None else index
        )
    return {
        **_head_json(head, before.tags),
        "format": DELTA_FORMAT,
        "modules": modules,
        "variables": None if old.variables == new.variables else _variables_json(old),
    }


def _said(name: str, visible: bool, options: list[Any]) -> tuple[Any, ...]:
    """What a module says, without ids: equal for the same module written anew."""
    return (name, bool(visible), tuple((o[1], o[2], bool(o[3])) for o in options))


def _head_json(head: Head, tags: tuple[str, ...]) -> dict[str, Any]:
    return {
        "name": head.name,
        "description": head.description,
        "category": head.category,
        "tags": list(tags),
        "folder_id": None if head.folder_id is None else str(head.folder_id),
        "project_id": None if head.project_id is None else str(head.project_id),
    }


def _module_json(name: str, visible: bool, options: list[Any]) -> dict[str, Any]:
    # Option rows as content_of reads them: (id, name, content, is_default).
    return {
        "name": name,
        "visible": visible,
        "options": [{"name": o[1], "content": o[2], "is_default": o[3]} for o in options],
    }


def _variables_json(rows: Rows) -> list[dict[str, Any]]:
    return [
        {"name": name, "type": kind, "config": dict(config or {})}
        for name, kind, config in rows.variables
    ]


def state_from_content(head: Head, content: Content) -> PromptState:
    """The state ``head`` and ``content`` say, as a version keeps it."""
    return state_from(head, content.rows, content.tags)


def apply(snapshot: dict[str, Any], after: PromptState) -> PromptState:
    """The state a stored version says, given the state that replaced it (unused for a
    whole version)."""
    if is_whole(snapshot):
        return PromptState.from_json(snapshot)
    entries = snapshot["modules"]
    variables = snapshot["variables"]
    # The parts stored whole, parsed as a format-1 snapshot would be.
    own = PromptState.from_json(
        {
            **snapshot,
            "modules": [m for m in entries if not isinstance(m, int)],
            "variables": variables or [],
        }
    )
    parsed = iter(own.modules)
    modules = tuple(after.modules[m] if isinstance(m, int) else next(parsed) for m in entries)
    return PromptState(
        name=own.name,
        description=own.description,
        category=own.category,
        tags=own.tags,
        folder_id=own.folder_id,
        project_id=own.project_id,
        modules=modules,
        variables=after.variables if variables is None else own.variables,
    )


def rebuild(
    rows: Iterable[tuple[int, dict[str, Any]]], current: PromptState
) -> dict[int, PromptState]:
    """The states of a run of consecutive stored versions (number, snapshot) that either ends
    with a whole version or reaches the newest one (then ``current`` is what replaced it)."""
    states: dict[int, PromptState] = {}
    state = current
    for number, snapshot in sorted(rows, key=lambda row: row[0], reverse=True):
        state = apply(snapshot, state)
        states[number] = state
    return states


def run_for(number: int) -> tuple[int, int]:
    """The versions to read to rebuild ``number``: up to the next one always kept whole."""
    return number, -(-number // FULL_EVERY) * FULL_EVERY
