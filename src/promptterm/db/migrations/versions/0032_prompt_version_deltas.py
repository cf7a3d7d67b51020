"""Prompt versions kept as deltas (issue 15: saving a version < 10 ms).

Until now every edit of a prompt stored the whole state it replaced in
``prompt_versions.snapshot`` (format 1). From this revision most versions store a delta
against the next state instead (format 2, services/library/prompt_version_deltas.py): the
prompt's own fields whole, each module as the index of the same module in the next state or
whole, the variables whole or null for "as in the next state". Every version whose number is
a multiple of 32 stays whole, so any version is rebuilt from at most 32 rows.

No table changes: same rows, same row-level security. Upgrading converts the versions already
kept: each whole one followed by a whole one (the newest stays whole) becomes a delta against
it. Downgrading makes every delta whole again, rebuilt from the next whole version or from the
prompt as it is now, so an older promptterm reads format 1 only, as it expects.

Revision ID: 0032_prompt_version_deltas
Revises: 0028_plan_flows
Create Date: 2026-12-06
"""

import json
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0032_prompt_version_deltas"
down_revision: str | None = "0031_plan_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (the services' constants may change; what this revision wrote may not).
FULL_EVERY = 32
DELTA_FORMAT = 2
HEAD_FIELDS = ("name", "description", "category", "tags", "folder_id", "project_id")
# JSONB on PostgreSQL, JSON text on SQLite (promptterm.db.types.JSONType, frozen here).
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

versions = sa.table(
    "prompt_versions",
    sa.column("id", sa.Uuid()),
    sa.column("prompt_id", sa.Uuid()),
    sa.column("version", sa.Integer()),
    sa.column("snapshot", JSON),
)
modules = sa.table(
    "prompt_modules",
    sa.column("id", sa.Uuid()),
    sa.column("prompt_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("order_index", sa.Integer()),
    sa.column("visible", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
options = sa.table(
    "module_options",
    sa.column("module_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("content", sa.String()),
    sa.column("is_default", sa.Boolean()),
    sa.column("meta", JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
variables = sa.table(
    "prompt_variables",
    sa.column("prompt_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("type", sa.String()),
    sa.column("config", JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)

Row = tuple[Any, int, dict[str, Any]]  # (id, version, snapshot)


def _whole(snapshot: dict[str, Any]) -> bool:
    return snapshot.get("format", 1) != DELTA_FORMAT


def _history(conn: sa.Connection) -> Any:
    """Each prompt's kept versions, oldest first, one prompt at a time."""
    prompt_ids = conn.execute(sa.select(versions.c.prompt_id).distinct()).scalars().all()
    for prompt_id in prompt_ids:
        rows = conn.execute(
            sa.select(versions.c.id, versions.c.version, versions.c.snapshot)
            .where(versions.c.prompt_id == prompt_id)
            .order_by(versions.c.version)
        ).all()
        yield prompt_id, [(row[0], row[1], row[2]) for row in rows]


def _save(conn: sa.Connection, version_id: Any, snapshot: dict[str, Any]) -> None:
    conn.execute(versions.update().where(versions.c.id == version_id).values(snapshot=snapshot))


def _key(part: Any) -> str:
    return json.dumps(part, sort_keys=True)


def _delta(snapshot: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``snapshot`` (whole) as a delta against ``after`` (whole, the next version)."""
    where: dict[str, int] = {}
    for index, module in enumerate(after.get("modules") or ()):
        where.setdefault(_key(module), index)
    own = snapshot.get("variables") or []
    return {
        **{field: snapshot.get(field) for field in HEAD_FIELDS},
        "tags": snapshot.get("tags") or [],
        "format": DELTA_FORMAT,
        "modules": [where.get(_key(m), m) for m in snapshot.get("modules") or ()],
        "variables": None if _key(own) == _key(after.get("variables") or []) else own,
    }


def _whole_again(snapshot: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A delta made whole from the state that replaced it (whole)."""
    later = after["modules"]
    return {
        "format": 1,
        **{field: snapshot.get(field) for field in HEAD_FIELDS},
        "modules": [later[m] if isinstance(m, int) else m for m in snapshot["modules"]],
        "variables": after["variables"] if snapshot["variables"] is None else snapshot["variables"],
    }


def _now(conn: sa.Connection, prompt_id: Any) -> dict[str, Any]:
    """The prompt's modules and variables as they are, as a whole version lists them (the
    order the services read them in: prompt_state.load_rows)."""
    found = conn.execute(
        sa.select(modules.c.id, modules.c.name, modules.c.visible)
        .where(modules.c.prompt_id == prompt_id)
        .order_by(modules.c.order_index, modules.c.created_at)
    ).all()
    listed: dict[Any, list[Any]] = {module_id: [] for module_id, _, _ in found}
    if found:
        for row in conn.execute(
            sa.select(
                options.c.module_id,
                options.c.name,
                options.c.content,
                options.c.is_default,
                options.c.meta,
                options.c.created_at,
            ).where(options.c.module_id.in_(list(listed)))
        ):
            listed[row[0]].append(row)
    for rows in listed.values():
        rows.sort(key=lambda o: (o[5], int((o[4] or {}).get("position", 0)), o[1]))
    kinds = conn.execute(
        sa.select(variables.c.name, variables.c.type, variables.c.config)
        .where(variables.c.prompt_id == prompt_id)
        .order_by(variables.c.created_at, variables.c.name)
    ).all()
    return {
        "modules": [
            {
                "name": name,
                "visible": bool(visible),
                "options": [
                    {"name": o[1], "content": o[2], "is_default": bool(o[3])}
                    for o in listed[module_id]
                ],
            }
            for module_id, name, visible in found
        ],
        "variables": [
            {"name": name, "type": kind, "config": config or {}} for name, kind, config in kinds
        ],
    }


def upgrade() -> None:
    conn = op.get_bind()
    for _, rows in _history(conn):
        for (version_id, number, snapshot), (_, later, after) in pairwise(rows):
            if number % FULL_EVERY == 0 or later != number + 1:
                continue
            if _whole(snapshot) and _whole(after):
                _save(conn, version_id, _delta(snapshot, after))


def downgrade() -> None:
    conn = op.get_bind()
    for prompt_id, rows in _history(conn):
        if all(_whole(snapshot) for _, _, snapshot in rows):
            continue
        after: dict[str, Any] | None = None  # the next version's state, whole
        for version_id, _, snapshot in reversed(rows):
            if not _whole(snapshot):
                snapshot = _whole_again(snapshot, _now(conn, prompt_id) if after is None else after)
                _save(conn, version_id, snapshot)
            after = snapshot
