"""A save in a bound folder records the bytes it meant to write (issue 12, item 9).

New column ``file_versions.disk_sha256``: the SHA-256 of the bytes a save is to write to its
bound folder, stored in the same commit as the version (NULL for versions not meant for the
disk: unbound projects, text read from the disk, and every version from before this
revision). When promptterm stops between the commit and the write, the next open finds a
newest version whose intended hash never reached the disk and writes it
(services/files/disk/unwritten.py).

No new table, so row-level security needs nothing new: versions stay append-only (0010) and
the column is set on insert only. SQLite adds it with ALTER TABLE ... ADD COLUMN, not a batch
copy of the table, which would rebuild file_versions for one nullable column.

Revision ID: 0013_disk_intent
Revises: 0012_newcomer
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_disk_intent"
down_revision: str | None = "0012_newcomer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE file_versions ADD COLUMN disk_sha256 VARCHAR(64)")
        return
    op.add_column("file_versions", sa.Column("disk_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE file_versions DROP COLUMN disk_sha256")
        return
    op.drop_column("file_versions", "disk_sha256")
