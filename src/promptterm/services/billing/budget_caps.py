"""The monthly budget a user sets on top of the plan: its caps read, set (spend and tokens,
each kept, replaced or removed), checked before a send and noticed after one.

``BillingService`` takes these methods from ``BudgetCaps``; they use its ``ctx`` and
``_load_budget`` (the config's [budget] table, read on every check)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from promptterm.config import Budget, ConfigError, parse_spend_cap, parse_token_cap
from promptterm.services.billing import budget as budgets
from promptterm.services.billing.limits import LIMIT_LABELS
from promptterm.services.billing.models import BudgetStatus, UsageLine
from promptterm.services.billing.stale import refuse_stale_budget
from promptterm.services.context import ServiceContext
from promptterm.services.errors import ServiceError, ValidationError

KEEP: Any = object()  # set_budget: leave this cap as it is


class BudgetCaps:
    ctx: ServiceContext
    _load_budget: Callable[[], Budget]

    def budget_settings(self) -> Budget:
        try:
            return self._load_budget()
        except ConfigError as exc:
            raise ValidationError(str(exc), "budget") from exc

    def budget(self) -> BudgetStatus:
        budget = self.budget_settings()
        with self.ctx.db.session() as session:
            return budgets.budget_status(session, self.ctx.user_id, self.ctx.now(), budget)

    def set_budget(
        self, *, spend: object = KEEP, tokens: object = KEEP, expected: Budget | None = None
    ) -> BudgetStatus:
        """Set, keep (KEEP) or remove (None, "" or "off") the monthly spend and token caps.
        A cap being replaced may be broken in the file; one being kept must be readable.

        ``expected``: the caps as the form showed them; changed since (the CLI, another
        window), the write is refused as a StaleEdit rather than replacing that change."""
        from promptterm.config import BUDGET_TABLE, load_config_file, save_budget

        try:
            raw = load_config_file().get(BUDGET_TABLE, {})
        except ConfigError as exc:
            raise ValidationError(str(exc), "budget") from exc
        raw = raw if isinstance(raw, dict) else {}
        if expected is not None:
            refuse_stale_budget(expected, raw)
        kept = {
            "spend": raw.get("monthly_spend_usd") if spend is KEEP else spend,
            "tokens": raw.get("monthly_tokens") if tokens is KEEP else tokens,
        }
        try:
            new_spend = parse_spend_cap(kept["spend"])
        except ConfigError as exc:
            raise ValidationError(
                _plain(exc, "monthly_spend_usd", "The spend cap"), "spend"
            ) from None
        try:
            new_tokens = parse_token_cap(kept["tokens"])
        except ConfigError as exc:
            raise ValidationError(
                _plain(exc, "monthly_tokens", "The token cap"), "tokens"
            ) from None
        try:
            save_budget(Budget(new_spend, new_tokens))
        except ConfigError as exc:
            raise ServiceError(str(exc)) from exc
        return self.budget()

    def check_budget(
        self, wanted: int = 0, costs_nothing: Callable[[], bool] | None = None
    ) -> None:
        """Before a send: BudgetReached when a monthly cap is used up. ``costs_nothing`` says
        whether the chosen model is free (asked only once the spend cap is reached)."""
        budget = self.budget_settings()
        if not budget.is_set:
            return
        with self.ctx.db.session() as session:
            status = budgets.budget_status(session, self.ctx.user_id, self.ctx.now(), budget)
        budgets.check_budget(status, wanted, costs_nothing, self.ctx.hints)

    def budget_notice(self, tokens: int, cost_usd: Decimal | None) -> dict[str, Any] | None:
        """After a send, before its usage is recorded: a warning once the call takes a cap
        or the plan's tokens past 80% ({"state", "limit", "message"}), else None."""
        budget = self.budget_settings()
        with self.ctx.db.session() as session:
            status = budgets.budget_status(session, self.ctx.user_id, self.ctx.now(), budget)
        # The budget's window is the month the plan's tokens count in too (month_window), so
        # its sum is the plan's: a yearly plan's allowance is per month, not per year.
        plan_line = UsageLine(
            "tokens_per_month",
            LIMIT_LABELS["tokens_per_month"],
            status.tokens_used,
            status.plan_tokens,
            "tokens",
        )
        return budgets.budget_notice(status, plan_line, tokens, cost_usd, self.ctx.hints)


def _plain(error: ConfigError, key: str, name: str) -> str:
    # The parser speaks of the config file; here the user typed a value.
    return str(error).replace(f"[budget] {key}", name)
