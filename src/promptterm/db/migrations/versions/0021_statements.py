"""Statements written when a billing period closes, payments against them (issue 18).

- ``invoice_lines``: a statement's lines (plan fee, proration, LLM usage at cost by provider
  and model, and later catalog purchases). A line with ``invoice_id`` NULL is on the open
  period's running draft until the period closes.
- ``invoices``: one statement per person and period (unique ``user_id, period_start`` among
  those without a processor's id).
- ``payment_history``: the statement paid, the processor (``stripe``, ``admin``) and an
  idempotency key, so a double-submitted payment charges once.
- ``subscriptions.pending_plan_id``: a downgrade chosen for the period's end.
- Pro and Business get a 14-day trial, started on the first upgrade.

PostgreSQL: statements, their lines and payments are written by the system, never by a
person (0010 revoked INSERT on invoices and payment_history). The app writes them through
SECURITY DEFINER functions that take no amounts from the caller where the database knows
them: ``promptterm_close_statement`` sums the period's usage itself; a payment is recorded
for one's own statement (a processor's) or, by a workspace owner or admin, for a member's
(paid outside). Owners and admins may also change their members' plans.

Revision ID: 0021_statements
Revises: 0016_chat_import
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_statements"
down_revision: str | None = "0016_chat_import"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP_ROLE = "promptterm_user"
TRIAL_DAYS = 14

FUNCTIONS = """
-- Whether the session's user may act on ``other``'s billing: themselves, or as the owner or
-- an admin of a workspace ``other`` belongs to (services/billing/team.py says the same).
CREATE OR REPLACE FUNCTION promptterm_manages_billing_of(other uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT other = promptterm_uid() OR EXISTS (
     SELECT 1 FROM workspace_members mine
     JOIN workspace_members theirs ON theirs.workspace_id = mine.workspace_id
     WHERE mine.user_id = promptterm_uid() AND mine.role IN ('owner', 'admin')
       AND theirs.user_id = other) $$;

-- A plan fee or proration line on the open period of someone whose billing one manages.
CREATE OR REPLACE FUNCTION promptterm_add_charge(
    p_id uuid, p_user uuid, p_kind text, p_description text, p_amount integer,
    p_at timestamptz) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF NOT promptterm_manages_billing_of(p_user) THEN
    RAISE EXCEPTION 'not your billing' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_kind NOT IN ('plan_fee', 'proration') OR p_amount < 0 THEN
    RAISE EXCEPTION 'only plan fees and prorations, 0 or more' USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO invoice_lines (id, invoice_id, user_id, kind, description, amount_cents,
                             created_at)
  VALUES (p_id, NULL, p_user, p_kind, p_description, p_amount, p_at);
  RETURN p_id;
END $$;

-- The statement of a period that has ended (the subscription has rolled past it): the open
-- lines from before its end, and the period's LLM usage at cost summed here, from the usage
-- records. NULL when there was nothing to bill.
CREATE OR REPLACE FUNCTION promptterm_close_statement(
    p_id uuid, p_user uuid, p_start timestamptz, p_end timestamptz, p_created timestamptz)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  sub subscriptions%ROWTYPE;
  total bigint;
  lines integer;
BEGIN
  IF NOT promptterm_manages_billing_of(p_user) THEN
    RAISE EXCEPTION 'not your billing' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT * INTO sub FROM subscriptions WHERE user_id = p_user;
  IF sub.id IS NULL OR sub.current_period_start < p_end OR p_end <= p_start THEN
    RAISE EXCEPTION 'that period is still open' USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO invoices (id, user_id, subscription_id, amount_due, currency, status,
                        period_start, period_end, created_at)
  VALUES (p_id, p_user, sub.id, 0, 'usd', 'open', p_start, p_end, p_created);
  UPDATE invoice_lines SET invoice_id = p_id
   WHERE user_id = p_user AND invoice_id IS NULL AND created_at < p_end;
  INSERT INTO invoice_lines (id, invoice_id, user_id, kind, description, provider, model,
                             quantity, calls, amount_cents, cost_usd, created_at)
  SELECT gen_random_uuid(), p_id, p_user, 'usage', 'LLM usage at cost',
         coalesce(provider, '(unknown)'), coalesce(model, '(unknown)'),
         sum(coalesce(tokens_in, 0) + coalesce(tokens_out, 0)), count(*),
         coalesce(round(sum(cost_usd) * 100), 0), sum(cost_usd), p_created
    FROM usage_records
   WHERE user_id = p_user AND resource_type = 'ai_tokens'
     AND recorded_at >= p_start AND recorded_at < p_end
   GROUP BY coalesce(provider, '(unknown)'), coalesce(model, '(unknown)');
  SELECT coalesce(sum(amount_cents), 0), count(*) INTO total, lines
    FROM invoice_lines WHERE invoice_id = p_id;
  IF lines = 0 THEN
    DELETE FROM invoices WHERE id = p_id;
    RETURN NULL;
  END IF;
  UPDATE invoices SET amount_due = total,
         status = CASE WHEN total = 0 THEN 'paid' ELSE 'open' END,
         amount_paid = CASE WHEN total = 0 THEN 0 END,
         paid_at = CASE WHEN total = 0 THEN p_end END
   WHERE id = p_id;
  RETURN p_id;
END $$;

-- A payment of a statement: by a processor for one's own, or recorded by a workspace owner
-- or admin for a member who paid outside. The same idempotency key records it once.
CREATE OR REPLACE FUNCTION promptterm_record_payment(
    p_id uuid, p_invoice uuid, p_amount integer, p_status text, p_processor text,
    p_external text, p_method text, p_error text, p_key text, p_at timestamptz)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  inv invoices%ROWTYPE;
  earlier uuid;
BEGIN
  SELECT * INTO inv FROM invoices WHERE id = p_invoice;
  IF inv.id IS NULL THEN
    RAISE EXCEPTION 'no such statement' USING ERRCODE = 'no_data_found';
  END IF;
  IF p_processor = 'admin' THEN
    IF NOT EXISTS (
        SELECT 1 FROM workspace_members mine
        JOIN workspace_members theirs ON theirs.workspace_id = mine.workspace_id
        WHERE mine.user_id = promptterm_uid() AND mine.role IN ('owner', 'admin')
          AND theirs.user_id = inv.user_id) THEN
      RAISE EXCEPTION 'owners and admins record payments' USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSIF inv.user_id IS DISTINCT FROM promptterm_uid() THEN
    RAISE EXCEPTION 'not your statement' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_key IS NOT NULL THEN
    SELECT id INTO earlier FROM payment_history WHERE idempotency_key = p_key;
    IF earlier IS NOT NULL THEN
      RETURN earlier;
    END IF;
  END IF;
  INSERT INTO payment_history (id, user_id, subscription_id, invoice_id, amount, currency,
                               status, processor, external_id, payment_method, error_message,
                               idempotency_key, created_at)
  VALUES (p_id, inv.user_id, inv.subscription_id, inv.id, p_amount, inv.currency, p_status,
          p_processor, p_external, p_method, p_error, p_key, p_at);
  IF p_status = 'succeeded' THEN
    UPDATE invoices SET amount_paid = coalesce(amount_paid, 0) + p_amount,
           status = CASE WHEN coalesce(amount_paid, 0) + p_amount >= amount_due
                         THEN 'paid' ELSE status END,
           paid_at = CASE WHEN coalesce(amount_paid, 0) + p_amount >= amount_due
                          THEN p_at ELSE paid_at END
     WHERE id = inv.id;
  END IF;
  RETURN p_id;
END $$;
"""

DEFINED = (
    "promptterm_manages_billing_of(uuid)",
    "promptterm_add_charge(uuid, uuid, text, text, integer, timestamptz)",
    "promptterm_close_statement(uuid, uuid, timestamptz, timestamptz, timestamptz)",
    "promptterm_record_payment(uuid, uuid, integer, text, text, text, text, text, text,"
    " timestamptz)",
)

POLICIES = (
    "CREATE POLICY invoice_lines_read ON invoice_lines FOR SELECT"
    " USING (user_id = promptterm_uid())",
    # Owners and admins change their members' plans (services/billing/team.py).
    "CREATE POLICY subscriptions_managed_read ON subscriptions FOR SELECT"
    " USING (promptterm_manages_billing_of(user_id))",
    "CREATE POLICY subscriptions_managed_insert ON subscriptions FOR INSERT"
    " WITH CHECK (promptterm_manages_billing_of(user_id))",
    "CREATE POLICY subscriptions_managed_update ON subscriptions FOR UPDATE"
    " USING (promptterm_manages_billing_of(user_id))"
    " WITH CHECK (promptterm_manages_billing_of(user_id))",
)


def _grant(statements: str) -> None:
    # As in 0003: a migrator without the rights gets a notice; a DBA can run them by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            {statements}
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not change the grants of {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )


def upgrade() -> None:
    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=128), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=True),
        sa.Column("calls", sa.Integer(), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(14, 6), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('plan_fee', 'proration', 'usage', 'purchase', 'adjustment')",
            name=op.f("ck_invoice_lines_kind"),
        ),
        sa.CheckConstraint("amount_cents >= 0", name=op.f("ck_invoice_lines_amount_positive")),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoice_lines_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_invoice_lines_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
    )
    op.create_index(
        op.f("ix_invoice_lines_user_id_invoice_id"), "invoice_lines", ["user_id", "invoice_id"]
    )
    op.create_index(op.f("ix_invoice_lines_invoice_id"), "invoice_lines", ["invoice_id"])
    op.create_index(
        op.f("ix_invoices_user_id_period_start"),
        "invoices",
        ["user_id", "period_start"],
        unique=True,
        sqlite_where=sa.text("external_id IS NULL"),
        postgresql_where=sa.text("external_id IS NULL"),
    )
    with op.batch_alter_table("payment_history") as batch:
        batch.add_column(sa.Column("invoice_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("processor", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("idempotency_key", sa.String(length=255), nullable=True))
        batch.create_foreign_key(
            op.f("fk_payment_history_invoice_id_invoices"),
            "invoices",
            ["invoice_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_payment_history_invoice_id"), ["invoice_id"])
        batch.create_unique_constraint(
            op.f("uq_payment_history_idempotency_key"), ["idempotency_key"]
        )
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("pending_plan_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_subscriptions_pending_plan_id_subscription_plans"),
            "subscription_plans",
            ["pending_plan_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    op.execute(
        f"UPDATE subscription_plans SET trial_period_days = {TRIAL_DAYS}"
        " WHERE slug IN ('pro', 'business') AND trial_period_days IS NULL"
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE invoice_lines ENABLE ROW LEVEL SECURITY")
    op.execute(FUNCTIONS)
    for policy in POLICIES:
        op.execute(policy)
    functions = "FUNCTION " + ", ".join(DEFINED)
    _grant(
        f"GRANT SELECT ON invoice_lines TO {GROUP_ROLE};\n"
        f"            GRANT EXECUTE ON {functions} TO {GROUP_ROLE};"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, name in (
            ("subscriptions", "subscriptions_managed_update"),
            ("subscriptions", "subscriptions_managed_insert"),
            ("subscriptions", "subscriptions_managed_read"),
        ):
            op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
        for function in reversed(DEFINED):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.execute(
        f"UPDATE subscription_plans SET trial_period_days = NULL"
        f" WHERE slug IN ('pro', 'business') AND trial_period_days = {TRIAL_DAYS}"
    )
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_constraint(
            op.f("fk_subscriptions_pending_plan_id_subscription_plans"), type_="foreignkey"
        )
        batch.drop_column("pending_plan_id")
    with op.batch_alter_table("payment_history") as batch:
        batch.drop_constraint(op.f("uq_payment_history_idempotency_key"), type_="unique")
        batch.drop_index(op.f("ix_payment_history_invoice_id"))
        batch.drop_constraint(op.f("fk_payment_history_invoice_id_invoices"), type_="foreignkey")
        batch.drop_column("idempotency_key")
        batch.drop_column("processor")
        batch.drop_column("invoice_id")
    op.drop_index(op.f("ix_invoices_user_id_period_start"), table_name="invoices")
    op.drop_table("invoice_lines")
