"""A payment is recorded only against an open statement with something left to pay.

The billing service refuses to pay a statement that is not open or has no balance
(services/billing/statement_service.py) and always pays exactly the balance. Until now
``promptterm_record_payment`` (0021) did not: a teammate calling it in raw SQL, or an owner
recording an outside payment from a stale view of a member's statement (which RLS hides from
them, so the service could not check it), could pay a draft or an already paid statement.
The function now refuses exactly what the service refuses, with SQLSTATE 23514
(check_violation), after its idempotency check: repeating a payment that already went
through still returns the first one.

No table changes. Downgrade restores the 0021 body.

Revision ID: 0033_payment_open_check
Revises: 0032_prompt_version_deltas
Create Date: 2026-12-06
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0033_payment_open_check"
down_revision: str | None = "0032_prompt_version_deltas"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE OR REPLACE FUNCTION promptterm_record_payment(
    p_id uuid, p_invoice uuid, p_amount integer, p_status text, p_processor text,
    p_external text, p_method text, p_error text, p_key text, p_at timestamptz)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  inv invoices%ROWTYPE;
  earlier uuid;
  balance integer;
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
  balance := inv.amount_due - coalesce(inv.amount_paid, 0);
  IF inv.status IS DISTINCT FROM 'open' OR balance <= 0 THEN
    RAISE EXCEPTION 'statement is %: there is nothing to pay', inv.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF p_amount IS NULL OR p_amount <> balance THEN
    RAISE EXCEPTION 'a payment pays the balance, % cents', balance
      USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO payment_history (id, user_id, subscription_id, invoice_id, amount, currency,
                               status, processor, external_id, payment_method, error_message,
                               idempotency_key, created_at)
  VALUES (p_id, inv.user_id, inv.subscription_id, inv.id, p_amount, inv.currency, p_status,
          p_processor, p_external, p_method, p_error, p_key, p_at);
  IF p_status = 'succeeded' THEN
    UPDATE invoices SET amount_paid = coalesce(amount_paid, 0) + p_amount,
           status = 'paid', paid_at = p_at
     WHERE id = inv.id;
  END IF;
  RETURN p_id;
END $$;
"""


def _functions_of_0021() -> str:
    # 0021 is frozen, so its text is the body to go back to; loaded by path because a
    # revision's module name starts with a digit.
    path = Path(__file__).with_name("0021_statements.py")
    spec = importlib.util.spec_from_file_location("promptterm_revision_0021", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.FUNCTIONS)


def upgrade() -> None:
    # CREATE OR REPLACE keeps the EXECUTE grant 0021 gave promptterm_user.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade() -> None:
    # Every function in 0021's text is as 0021 made it (none was replaced since), so
    # running it again changes only promptterm_record_payment back.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_functions_of_0021())
