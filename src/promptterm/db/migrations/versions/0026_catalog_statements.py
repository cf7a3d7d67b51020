"""Catalog purchases on the buyer's statement (issue 18, items 5 and 7).

- ``invoice_lines.purchase_id``: the catalog purchase a "purchase" line bills, unique, so a
  purchase is on a statement once. SET NULL when the purchase goes (its item was deleted):
  the statement keeps the line it was issued with.

Currency: statements are in USD cents. A USD purchase adds its amount. A purchase in
another currency is charged in that currency, not converted: its line costs 0 on the USD
statement and says what was paid (``Prompt (v2) by ana: 4.00 EUR, charged in EUR``), so
the buyer sees every purchase and the USD total stays true. Free items add no line.

PostgreSQL: people still never write statement lines (0021 granted SELECT only), and
``promptterm_add_charge`` still refuses 'purchase'. ``promptterm_add_purchase_charge`` takes
only a purchase id and writes the line from the purchase row itself: the session's user must
be its buyer (or may write statement lines directly anyway: the schema's owner); amount,
currency, title, version and time come from the row, so a line cannot be forged. Calling it
again for the same purchase adds nothing.

Revision ID: 0026_catalog_statements
Revises: 0025_ai_jobs
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_catalog_statements"
down_revision: str | None = "0025_ai_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "promptterm_user"
SIGNATURE = "promptterm_add_purchase_charge(uuid)"

# services/billing/statements.py purchase_description says the same for SQLite.
FUNCTION = """
CREATE OR REPLACE FUNCTION promptterm_add_purchase_charge(p_purchase uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  p catalog_purchases%ROWTYPE;
  seller text;
  price text;
  line uuid;
BEGIN
  SELECT * INTO p FROM catalog_purchases WHERE id = p_purchase;
  -- A connection that may write statement lines itself (the schema's owner, as the app's
  -- own connection in single-user and test setups) gains nothing from being refused.
  IF p.id IS NULL OR (p.buyer_id IS DISTINCT FROM promptterm_uid()
      AND NOT has_table_privilege(session_user, 'invoice_lines', 'INSERT')) THEN
    RAISE EXCEPTION 'not your purchase' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT id INTO line FROM invoice_lines WHERE purchase_id = p.id;
  IF line IS NOT NULL OR p.amount = 0 THEN
    RETURN line;
  END IF;
  SELECT coalesce((SELECT nickname FROM catalog_profiles WHERE user_id = p.seller_id),
                  (SELECT display_name FROM users WHERE id = p.seller_id), 'someone')
    INTO seller;
  line := gen_random_uuid();
  IF upper(p.currency) = 'USD' THEN
    INSERT INTO invoice_lines (id, invoice_id, user_id, kind, description, amount_cents,
                               purchase_id, created_at)
    VALUES (line, NULL, p.buyer_id, 'purchase',
            p.title || ' (v' || p.version || ') by ' || seller, p.amount, p.id, p.created_at);
  ELSE
    price := CASE WHEN upper(p.currency) IN ('JPY', 'KRW') THEN p.amount::text
                  ELSE to_char(p.amount / 100.0, 'FM999999999990.00') END;
    INSERT INTO invoice_lines (id, invoice_id, user_id, kind, description, amount_cents,
                               purchase_id, created_at)
    VALUES (line, NULL, p.buyer_id, 'purchase',
            p.title || ' (v' || p.version || ') by ' || seller || ': ' || price || ' '
              || upper(p.currency) || ', charged in ' || upper(p.currency),
            0, p.id, p.created_at);
  END IF;
  RETURN line;
END $$;
"""


def upgrade() -> None:
    with op.batch_alter_table("invoice_lines") as batch:
        batch.add_column(sa.Column("purchase_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_invoice_lines_purchase_id_catalog_purchases"),
            "catalog_purchases",
            ["purchase_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint(op.f("uq_invoice_lines_purchase_id"), ["purchase_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    # As in 0003: a migrator without the rights gets a notice; a DBA can run it by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not change the grants of {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
    with op.batch_alter_table("invoice_lines") as batch:
        batch.drop_constraint(op.f("uq_invoice_lines_purchase_id"), type_="unique")
        batch.drop_constraint(
            op.f("fk_invoice_lines_purchase_id_catalog_purchases"), type_="foreignkey"
        )
        batch.drop_column("purchase_id")
