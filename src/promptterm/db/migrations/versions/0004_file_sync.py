"""Files bound to a directory on disk: what promptterm last saw there, and what it holds.

New columns on ``files`` (no new tables, so row-level security needs nothing new):

- ``content_state``: text, or binary / too_large / undecodable (recorded, content not kept);
- ``disk_sha256``, ``disk_size_bytes``, ``disk_mtime_ns``: the disk as last seen or written;
- ``sync_error``: why the newest version did not reach the disk (disk full, permissions).

``files.size_bytes`` becomes BIGINT on PostgreSQL: binary files on disk can pass 2 GiB.
SQLite's INTEGER is 64-bit already, and its columns are added with ALTER TABLE ... ADD
COLUMN, not a batch copy of the table: dropping the old ``files`` table during a copy would
cascade into file_versions and delete every version.

Revision ID: 0004_file_sync
Revises: 0003_row_level_security
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_file_sync"
down_revision: str | None = "0003_row_level_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTENT_STATES = "('text', 'binary', 'too_large', 'undecodable')"
SQLITE_COLUMNS = (
    "content_state VARCHAR(16) NOT NULL DEFAULT 'text' CONSTRAINT ck_files_content_state"
    f" CHECK (content_state IN {CONTENT_STATES})",
    "disk_sha256 VARCHAR(64)",
    "disk_size_bytes INTEGER",
    "disk_mtime_ns INTEGER",
    "sync_error VARCHAR",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for column in SQLITE_COLUMNS:
            op.execute(f"ALTER TABLE files ADD COLUMN {column}")
        return
    op.add_column(
        "files",
        sa.Column("content_state", sa.String(length=16), nullable=False, server_default="text"),
    )
    op.create_check_constraint(
        op.f("ck_files_content_state"), "files", f"content_state IN {CONTENT_STATES}"
    )
    op.add_column("files", sa.Column("disk_sha256", sa.String(length=64), nullable=True))
    op.add_column("files", sa.Column("disk_size_bytes", sa.BigInteger(), nullable=True))
    op.add_column("files", sa.Column("disk_mtime_ns", sa.BigInteger(), nullable=True))
    op.add_column("files", sa.Column("sync_error", sa.String(), nullable=True))
    op.alter_column("files", "size_bytes", type_=sa.BigInteger(), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite 3.35+ drops a column in place (its own column CHECK goes with it).
        for name in (
            "sync_error",
            "disk_mtime_ns",
            "disk_size_bytes",
            "disk_sha256",
            "content_state",
        ):
            op.execute(f"ALTER TABLE files DROP COLUMN {name}")
        return
    op.alter_column("files", "size_bytes", type_=sa.Integer(), existing_nullable=False)
    for name in ("sync_error", "disk_mtime_ns", "disk_size_bytes", "disk_sha256"):
        op.drop_column("files", name)
    op.drop_constraint(op.f("ck_files_content_state"), "files", type_="check")
    op.drop_column("files", "content_state")
