"""Catalog search from indexes at 100,000 items (issue 18): the tags join the text index.

SQLite: ``catalog_items_fts`` (0023: external-content FTS5, trigram tokenizer, over
``search_text``) gets a second column, ``tags``: the item's JSON list of tags, as stored in
``catalog_items.tags``. A tag is then the phrase ``"tag"`` (JSON quotes included, so ``ai``
does not match ``ai-art``) in that column, and words and tag are intersected inside the
index: services/catalog/search.py counts the matches there first and reads only those rows
when they are few. The triggers follow the new column; every existing row is indexed again
by ``rebuild``. SQLite has one user and no row-level security; the index holds nothing that
``catalog_items`` does not.

PostgreSQL: no new table, nothing new to read. A GIN index on ``catalog_items.tags``
(jsonb_path_ops, built over the existing rows) answers ``tags @> '["tag"]'``, so a tag is
intersected with the words' trigram index (0023) in one bitmap; the items' policies apply
as before.

Revision ID: 0029_catalog_search
Revises: 0028_plan_flows
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029_catalog_search"
down_revision: str | None = "0028_plan_flows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = "catalog_items_fts"
TRIGGERS = (f"{FTS}_insert", f"{FTS}_delete", f"{FTS}_update")
TAGS_INDEX = "ix_catalog_items_tags_gin"


def _sqlite_index(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The FTS5 table over ``columns`` of catalog_items, its triggers, and its backfill."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return (
        *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
        f"DROP TABLE IF EXISTS {FTS}",
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({names}, content='catalog_items',"
        " tokenize='trigram')",
        f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON catalog_items BEGIN"
        f" INSERT INTO {FTS}(rowid, {names}) VALUES (new.rowid, {new}); END",
        # External content: a delete must hand FTS5 the exact text that was indexed.
        f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON catalog_items BEGIN"
        f" INSERT INTO {FTS}({FTS}, rowid, {names}) VALUES ('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF {names} ON catalog_items BEGIN"
        f" INSERT INTO {FTS}({FTS}, rowid, {names}) VALUES ('delete', old.rowid, {old});"
        f" INSERT INTO {FTS}(rowid, {names}) VALUES (new.rowid, {new}); END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_index(("search_text", "tags")):
            op.execute(statement)
        return
    op.execute(f"CREATE INDEX {TAGS_INDEX} ON catalog_items USING gin (tags jsonb_path_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_index(("search_text",)):
            op.execute(statement)
        return
    op.execute(f"DROP INDEX IF EXISTS {TAGS_INDEX}")
