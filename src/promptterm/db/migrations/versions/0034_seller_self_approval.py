"""Nobody processes their own seller application (issue: an owner approved their own).

``promptterm_may_process_seller(applicant)`` said yes to an owner of a workspace the
applicant belongs to; an owner belongs to their own workspace, so an owner could approve
their own application and sell at a price with nobody else's say. The function now says no
when the applicant is the acting user, so the row-level security of 0023_catalog refuses
it in raw SQL as services/catalog/sellers.py refuses it. The database's own administrator
(a superuser or the tables' owner, whom row-level security does not stop) still may, as the
services allow: on a database of one person, nobody else could.

PostgreSQL only: SQLite has no row-level security; the services hold the rule there.

Revision ID: 0034_seller_self_approval
Revises: 0033_payment_open_check
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034_seller_self_approval"
down_revision: str | None = "0033_payment_open_check"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UID = "promptterm_uid()"


def _may_process(not_oneself: bool) -> str:
    oneself = f" AND applicant <> {UID}" if not_oneself else ""
    return f"""
    CREATE OR REPLACE FUNCTION promptterm_may_process_seller(applicant uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
    $$ SELECT EXISTS (SELECT 1 FROM workspaces w
                      JOIN workspace_members m ON m.workspace_id = w.id
                      WHERE w.owner_id = {UID} AND m.user_id = applicant){oneself} $$
    """


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_may_process(not_oneself=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_may_process(not_oneself=False))
