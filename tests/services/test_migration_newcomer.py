"""Migration 0012_newcomer: project names become unique per workspace without losing a row
(duplicates already stored are renamed, the oldest keeps its name), and chat drafts appear."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text

from promptterm.db.engine import Database
from promptterm.db.migrate import upgrade


def _param(db: Database, value: uuid.UUID) -> object:
    return value.hex if db.is_sqlite else value


def test_duplicate_project_names_are_renamed_before_the_unique_constraint(
    empty_database: Database,
) -> None:
    db = empty_database
    upgrade(db, "0009_billing_indexes")
    user, acme, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    start = datetime(2025, 6, 1, tzinfo=UTC)
    if db.is_sqlite:
        start = start.replace(tzinfo=None)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, display_name, is_local, preferences, created_at,"
                " updated_at) VALUES (:id, 'Me', :local, '{}', :now, :now)"
            ),
            {"id": _param(db, user), "local": True, "now": start},
        )
        for ws, slug in ((acme, "acme"), (other, "other")):
            conn.execute(
                text(
                    "INSERT INTO workspaces (id, name, slug, owner_id, settings, is_active,"
                    " created_at, updated_at) VALUES (:id, :slug, :slug, :owner, '{}', :a,"
                    " :now, :now)"
                ),
                {
                    "id": _param(db, ws),
                    "slug": slug,
                    "owner": _param(db, user),
                    "a": True,
                    "now": start,
                },
            )
        rows = [
            (acme, "Web", "web"),
            (acme, "web", "web-2"),
            (acme, "Web (2)", "web-3"),
            (acme, "Web", "web-4"),
            (other, "Web", "web"),
        ]
        for i, (ws, name, slug) in enumerate(rows):
            conn.execute(
                text(
                    "INSERT INTO projects (id, workspace_id, name, slug, visibility, settings,"
                    " created_at, updated_at) VALUES (:id, :ws, :name, :slug, 'private', '{}',"
                    " :now, :now)"
                ),
                {
                    "id": _param(db, uuid.uuid4()),
                    "ws": _param(db, ws),
                    "name": name,
                    "slug": slug,
                    "now": start + timedelta(minutes=i),
                },
            )

    upgrade(db)

    with db.engine.connect() as conn:
        names = conn.execute(
            text("SELECT slug, name FROM projects WHERE workspace_id = :ws ORDER BY slug"),
            {"ws": _param(db, acme)},
        ).all()
        others = conn.execute(
            text("SELECT name FROM projects WHERE workspace_id = :ws"),
            {"ws": _param(db, other)},
        ).all()
        tables = set(inspect(conn).get_table_names())
    assert [tuple(r) for r in names] == [
        ("web", "Web"),
        ("web-2", "web (3)"),
        ("web-3", "Web (2)"),
        ("web-4", "Web (4)"),
    ]
    assert [r[0] for r in others] == ["Web"]
    assert "chat_drafts" in tables
