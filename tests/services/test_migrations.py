"""Migrations: an empty database reaches the newest schema; an older one keeps its rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import promptterm.db.models  # noqa: F401  (registers the tables)
from promptterm.db.engine import Database
from promptterm.db.migrate import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade,
)
from promptterm.services.facade import Services

# Indexes with a DESC column: Alembic cannot compare them (reflection drops the ordering), so
# they are left out of the models-versus-migrations comparison.
DESCENDING_INDEXES = {"ix_components_user_type_used", "ix_components_user_used"}
# Full-text search (0008) is made in raw SQL and kept out of the dialect-neutral models: the
# FTS5 table and its shadow tables on SQLite, a generated column and indexes on PostgreSQL.
SEARCH_OBJECTS = {
    *(f"messages_fts{suffix}" for suffix in ("", "_data", "_idx", "_docsize", "_config")),
    "search_vector",
    "ix_messages_search_vector",
    "ix_messages_search_created_at",
    # The catalog's search (0023): a trigram FTS5 table on SQLite, a pg_trgm index.
    *(f"catalog_items_fts{suffix}" for suffix in ("", "_data", "_idx", "_docsize", "_config")),
    "ix_catalog_items_search_trgm",
    # 0029: tag filters from a GIN index over the items' JSON tags on PostgreSQL.
    "ix_catalog_items_tags_gin",
    # The activity log's text filter (0030): the same two kinds of index.
    *(f"activity_log_fts{suffix}" for suffix in ("", "_data", "_idx", "_docsize", "_config")),
    "ix_activity_log_search_trgm",
}


def _index_name(difference: object) -> str | None:
    if isinstance(difference, tuple) and difference and "index" in str(difference[0]):
        return getattr(difference[1], "name", None)
    return None


def _object_name(difference: object) -> str | None:
    """The name of the table, column or index a difference is about."""
    if isinstance(difference, tuple) and difference:
        return getattr(difference[-1], "name", None)
    return None


def test_head_constant_matches_alembic(empty_database: Database) -> None:
    script = ScriptDirectory.from_config(alembic_config(empty_database))
    assert script.get_current_head() == HEAD_REVISION


def test_empty_database_to_head_matches_the_models(empty_database: Database) -> None:
    assert current_revision(empty_database) is None
    assert ensure_schema(empty_database) is True
    assert current_revision(empty_database) == HEAD_REVISION
    assert ensure_schema(empty_database) is False  # already current: nothing runs
    with empty_database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = [
            d
            for d in compare_metadata(context, SQLModel.metadata)
            if _index_name(d) not in DESCENDING_INDEXES and _object_name(d) not in SEARCH_OBJECTS
        ]
        assert differences == []
        plans = conn.execute(text("SELECT slug FROM subscription_plans ORDER BY sort_order"))
        assert list(plans.scalars()) == ["free", "pro", "business"]


def test_older_revision_with_rows_upgrades_without_losing_them(empty_database: Database) -> None:
    upgrade(empty_database, "0001_core_schema")
    user_id, ws_id = uuid.uuid4(), uuid.uuid4()
    now = datetime(2025, 6, 1, tzinfo=UTC)
    if empty_database.is_sqlite:
        now = now.replace(tzinfo=None)
    with empty_database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, display_name, is_local, preferences, created_at,"
                " updated_at) VALUES (:id, 'Old Timer', :local, '{}', :now, :now)"
            ),
            {"id": _uuid_param(empty_database, user_id), "local": True, "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO workspaces (id, name, slug, owner_id, settings, is_active, created_at,"
                " updated_at) VALUES (:id, 'Legacy', 'legacy', :owner, '{}', :active, :now, :now)"
            ),
            {
                "id": _uuid_param(empty_database, ws_id),
                "owner": _uuid_param(empty_database, user_id),
                "active": True,
                "now": now,
            },
        )

    assert ensure_schema(empty_database) is True
    assert current_revision(empty_database) == HEAD_REVISION

    # The old rows are there and usable through the services, on the newest schema.
    with empty_database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO workspace_members (id, workspace_id, user_id, role, joined_at)"
                " VALUES (:id, :ws, :user, 'owner', :now)"
            ),
            {
                "id": _uuid_param(empty_database, uuid.uuid4()),
                "ws": _uuid_param(empty_database, ws_id),
                "user": _uuid_param(empty_database, user_id),
                "now": now,
            },
        )
    services = Services.for_database(empty_database, migrate=False)
    if empty_database.is_sqlite:
        assert services.user.id == user_id  # the one local user is still the one acting
    else:
        # PostgreSQL: the acting user is the role that logged in, a row of its own.
        with empty_database.engine.connect() as conn:
            role = conn.execute(text("SELECT session_user")).scalar_one()
        assert (services.user.display_name, services.user.id != user_id) == (role, True)
    assert services.as_user(user_id).user.display_name == "Old Timer"
    legacy = services.as_user(user_id)
    assert [w.name for w in legacy.workspaces.list()] == ["Legacy"]
    assert legacy.billing.summary().plan.slug == "free"


def _uuid_param(db: Database, value: uuid.UUID) -> object:
    # SQLAlchemy's Uuid type stores 32 hex digits on SQLite and a native uuid on PostgreSQL.
    return value.hex if db.is_sqlite else value


def test_a_failed_upgrade_leaves_the_previous_schema_and_can_be_retried(
    empty_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration that fails half way (or a killed process) must not leave tables behind
    that the recorded version does not know of: the next upgrade would stop at "table
    already exists" for good."""
    from alembic.operations import Operations

    upgrade(empty_database, "0005_provider_entries")
    real_create_index = Operations.create_index

    def failing_create_index(
        self: Operations, name: str, table: str, *a: object, **k: object
    ) -> object:
        if table == "payment_history":  # in 0007, after 0006 and 0007 created their tables
            raise RuntimeError("disk full")
        return real_create_index(self, name, table, *a, **k)

    monkeypatch.setattr(Operations, "create_index", failing_create_index)
    with pytest.raises(RuntimeError, match="disk full"):
        upgrade(empty_database)
    assert current_revision(empty_database) == "0005_provider_entries"
    with empty_database.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert not {"component_versions", "payment_history"} & tables

    monkeypatch.setattr(Operations, "create_index", real_create_index)
    upgrade(empty_database)
    assert current_revision(empty_database) == head_revision()
