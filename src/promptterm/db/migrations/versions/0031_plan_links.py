"""What a link between two cards means (issue 17): ``plan_links.relation``.

A card links to another card as ``relates`` (the default, and what every link made before
this revision becomes), ``blocks`` (the other cannot be done first) or ``duplicates`` (the
same work twice). A link to a file or a thread only ``relates``. The row-level security of
0020_plan_board already covers the column: a link is added or removed, never rewritten, by
an owner, admin or member of its project's workspace.

Revision ID: 0031_plan_links
Revises: 0028_plan_flows
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_plan_links"
down_revision: str | None = "0030_activity_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RELATIONS = "('relates', 'blocks', 'duplicates')"


def upgrade() -> None:
    with op.batch_alter_table("plan_links") as batch:
        batch.add_column(
            sa.Column("relation", sa.String(length=16), nullable=False, server_default="relates")
        )
        batch.create_check_constraint(
            op.f("ck_plan_links_relation"),
            f"relation IN {RELATIONS} AND (target_kind = 'card' OR relation = 'relates')",
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_links") as batch:
        batch.drop_constraint(op.f("ck_plan_links_relation"), type_="check")
        batch.drop_column("relation")
