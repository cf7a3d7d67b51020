"""A covering index for the billing queries over usage_records.

Every billing figure (the status line's meter, the check before each chat send, the billing
screen's totals, spend by model and by day) sums one user's records of one period. The old
index (user_id, resource_type, recorded_at) found them but then read each row from the table;
this one carries the summed columns too, so those queries read the index alone. It replaces
the old one, whose columns are its leading columns. Measured with
benchmarks/billing_queries.py over a year of records (100,000): figures in benchmarks/README.md.

Revision ID: 0009_billing_indexes
Revises: 0008_message_search
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_billing_indexes"
down_revision: str | None = "0008_message_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "usage_records"
OLD = "ix_usage_records_user_id_resource_type_recorded_at"
NEW = "ix_usage_records_billing"
COLUMNS = [
    "user_id",
    "resource_type",
    "recorded_at",
    "provider",
    "model",
    "amount",
    "tokens_in",
    "tokens_out",
    "cost_usd",
]


def upgrade() -> None:
    op.create_index(NEW, TABLE, COLUMNS)
    op.drop_index(OLD, table_name=TABLE)


def downgrade() -> None:
    op.create_index(OLD, TABLE, COLUMNS[:3])
    op.drop_index(NEW, table_name=TABLE)
