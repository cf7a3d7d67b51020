"""Prompt versions stored as deltas (prompt_version_deltas.py): whatever a version is kept as,
its history entry, diff and restore give exactly the state that was saved, across the
versions kept whole and through the migration that converts existing histories."""

from __future__ import annotations

import uuid
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import col, select

from promptterm.db.engine import Database
from promptterm.db.migrate import alembic_config, ensure_schema, upgrade
from promptterm.db.models import PromptVersion
from promptterm.services.facade import Services
from promptterm.services.files import unified
from promptterm.services.library.prompt_state import PromptState
from promptterm.services.library.prompt_version_deltas import DELTA_FORMAT, FULL_EVERY
from support.clock import FixedClock

EDITS = 40
RESTORE_AT = 25  # the restore replaces v31: setup makes v2 to v6, edit n makes v(7 + n)


def _current(services: Services, prompt_id: uuid.UUID) -> PromptState:
    return services.prompt_edits.versions(prompt_id)[0].state


def _one_edit(services: Services, prompt_id: uuid.UUID, n: int) -> None:
    """The n-th edit of a long history: each kind of change in turn, on different modules."""
    edits = services.prompt_edits
    info = services.prompts.get(prompt_id)
    module = info.modules[n % len(info.modules)]
    match n % 9:
        case 0:
            edits.edit_option(prompt_id, module.options[0].id, content=f"Say {{{{lang}}}} {n}.")
        case 1:
            edits.rename_module(prompt_id, module.id, f"Module {n}")
        case 2:
            edits.move_module(prompt_id, info.modules[0].id, len(info.modules) - 1)
        case 3:
            edits.set_module_visible(prompt_id, module.id, not module.visible)
        case 4:
            edits.add_option(prompt_id, module.id, f"Another {n}", make_default=n % 2 == 0)
        case 5:
            edits.edit_variable(prompt_id, "lang", default=f"Lang {n}")
        case 6:
            edits.update(
                prompt_id,
                name=f"Prompt {n}",
                description=f"after edit {n}",
                category="code" if n % 2 else None,
                tags=[f"t{n}", "kept"],
            )
        case 7:
            edits.add_module(prompt_id, f"Added {n}", [f"New {n} {{{{lang}}}}", "Other"])
        case _:
            edits.delete_module(prompt_id, module.id)


def _long_history(services: Services, clock: FixedClock) -> tuple[uuid.UUID, dict[int, Any]]:
    """A prompt with more than FULL_EVERY versions, and the state each version had."""
    made = services.prompts.create("Prompt")
    edits = services.prompt_edits
    saved = {1: _current(services, made.id)}
    setup = [
        lambda: edits.add_variable(made.id, "lang", default="Go"),
        *(
            (lambda m=m: edits.add_module(made.id, f"M{m}", [f"Text {m} {{{{lang}}}}", "Alt"]))
            for m in range(4)
        ),
    ]
    for step in setup:
        clock.advance(minutes=1)
        info = step()
        saved[info.version] = _current(services, made.id)
    for n in range(EDITS):
        clock.advance(minutes=1)
        if n == RESTORE_AT:
            # A restore writes every module anew (new ids): the state it replaces is still
            # kept as a delta. v30 differs from v31 (edit 24) only in name and tags.
            services.prompt_edits.restore(made.id, 30)
        else:
            _one_edit(services, made.id, n)
        saved[services.prompts.get(made.id).version] = _current(services, made.id)
    return made.id, saved


def _rows(database: Database, prompt_id: uuid.UUID) -> dict[int, dict[str, Any]]:
    with database.session() as session:
        rows = session.exec(
            select(PromptVersion.version, PromptVersion.snapshot)
            .where(PromptVersion.prompt_id == prompt_id)
            .order_by(col(PromptVersion.version))
        ).all()
    return dict(rows)


def _template(state: PromptState) -> str:
    text = state.template()
    return text + "\n" if text else text


def test_every_version_of_a_long_history_is_exactly_the_state_saved(
    services: Services, clock: FixedClock, database: Database
) -> None:
    prompt_id, saved = _long_history(services, clock)
    edits = services.prompt_edits
    newest = max(saved)
    assert newest > FULL_EVERY + 5 and sorted(saved) == list(range(1, newest + 1))

    # Kept small: deltas, but for the versions due whole (a multiple of FULL_EVERY).
    rows = _rows(database, prompt_id)
    assert sorted(rows) == list(range(1, newest))
    whole = [n for n, snapshot in rows.items() if snapshot.get("format") != DELTA_FORMAT]
    assert whole == [FULL_EVERY]
    # The state the restore replaced, against all-new modules: found by what they say.
    assert all(isinstance(m, int) for m in rows[6 + RESTORE_AT]["modules"])

    # The history list: every state exactly as saved.
    listed = edits.versions(prompt_id)
    assert [v.version for v in listed] == list(range(newest, 0, -1))
    assert {v.version: v.state for v in listed} == saved

    # Diffs read only what they need: the same text as the saved states give, across the
    # whole version and from the first version to the current one.
    for old, new in [
        (1, newest),
        (FULL_EVERY - 1, FULL_EVERY),
        (FULL_EVERY, FULL_EVERY + 1),
        (FULL_EVERY - 3, FULL_EVERY + 3),
        (newest - 1, newest),
        (30, 31),
    ]:
        assert edits.diff(prompt_id, old, new) == unified(
            _template(saved[old]),
            _template(saved[new]),
            f"{saved[old].name} (v{old})",
            f"{saved[new].name} (v{new})",
        ), (old, new)

    # Restores bring back exactly what each version said (where it is filed stays).
    for number in (FULL_EVERY - 1, FULL_EVERY, FULL_EVERY + 1, 2, newest - 1):
        after = edits.restore(prompt_id, number)
        state = _current(services, prompt_id)
        assert state.modules == saved[number].modules, number
        assert state.variables == saved[number].variables, number
        assert (state.name, state.description, state.category, state.tags) == (
            saved[number].name,
            saved[number].description,
            saved[number].category,
            saved[number].tags,
        )
        saved[after.version] = state
    # And the history still says every state, the restores' too.
    assert {v.version: v.state for v in edits.versions(prompt_id)} == saved


def test_the_migration_converts_kept_versions_and_downgrades_to_whole_ones(
    empty_database: Database,
) -> None:
    ensure_schema(empty_database)
    clock = FixedClock()
    services = Services.for_database(empty_database, clock=clock, migrate=False)
    prompt_id, saved = _long_history(services, clock)
    config = alembic_config(empty_database)
    script = ScriptDirectory.from_config(config)
    before = script.get_revision("0032_prompt_version_deltas").down_revision
    assert isinstance(before, str)

    with empty_database.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, before)
    rows = _rows(empty_database, prompt_id)
    # What an older promptterm reads: whole snapshots, each the state saved.
    assert {snapshot.get("format") for snapshot in rows.values()} == {1}
    assert {n: PromptState.from_json(snapshot) for n, snapshot in rows.items()} == {
        n: state for n, state in saved.items() if n in rows
    }

    upgrade(empty_database, "head")
    rows = _rows(empty_database, prompt_id)
    whole = [n for n, snapshot in rows.items() if snapshot.get("format") != DELTA_FORMAT]
    assert whole == [FULL_EVERY, max(rows)]  # the newest has no kept state after it
    assert {v.version: v.state for v in services.prompt_edits.versions(prompt_id)} == saved
    # And editing goes on from a converted history.
    services.prompt_edits.rename(prompt_id, "Renamed")
    states = {v.version: v.state for v in services.prompt_edits.versions(prompt_id)}
    assert {n: states[n] for n in saved} == saved
