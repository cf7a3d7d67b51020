"""`promptterm usage` and `promptterm billing status|plan set|cancel|resume|invoices|payments|
spend|budget set|budget show` (statements: commands_statements.py): the billing screen for
scripts, through the same services."""

from __future__ import annotations

import argparse
import uuid
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table, to_jsonable, when

if TYPE_CHECKING:
    from promptterm.db.lean import LeanRead
    from promptterm.services.billing.models import BillingOverview, BudgetStatus, UsageSummary
    from promptterm.services.billing.spend import SpendReport
    from promptterm.services.chat.pricing import PriceSources
    from promptterm.services.facade import Services


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "usage", parents=[as_json], help="plan, period and usage against every limit"
    ).set_defaults(handler=status, lean=status_lean)
    billing = commands.add_parser("billing", help="plan, usage, budget, spend and invoices")
    sub = billing.add_subparsers(dest="billing_command", metavar="ACTION", required=True)
    sub.add_parser(
        "status", parents=[as_json], help="plan, usage against limits, budget, spend by model"
    ).set_defaults(handler=status, lean=status_lean)
    plan = sub.add_parser("plan", help="change plan")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    set_plan = plan_sub.add_parser("set", parents=[as_json], help="switch to another plan")
    set_plan.add_argument("plan", metavar="PLAN", help="free, pro or business")
    set_plan.add_argument("--yearly", action="store_true", help="bill yearly")
    set_plan.add_argument(
        "--now", action="store_true", help="a downgrade at once (default: at the period's end)"
    )
    set_plan.add_argument(
        "--member",
        metavar="WHO",
        help="a member's plan (email, database role or name): workspace owners and admins",
    )
    set_plan.set_defaults(handler=plan_set)
    cancel = sub.add_parser("cancel", parents=[as_json], help="cancel the paid plan")
    cancel.add_argument(
        "--now", action="store_true", help="back to Free at once (default: at the period's end)"
    )
    cancel.set_defaults(handler=plan_cancel)
    sub.add_parser("resume", parents=[as_json], help="undo a pending cancellation").set_defaults(
        handler=plan_resume
    )
    sub.add_parser(
        "spend", parents=[as_json], help="spend by provider, model and day"
    ).set_defaults(handler=spend)
    sub.add_parser("invoices", parents=[as_json], help="your invoices").set_defaults(
        handler=invoices
    )
    sub.add_parser("payments", parents=[as_json], help="your payment history").set_defaults(
        handler=payments
    )
    budget = sub.add_parser("budget", help="your monthly spend and token caps")
    budget_sub = budget.add_subparsers(dest="budget_command", metavar="ACTION", required=True)
    budget_set = budget_sub.add_parser(
        "set", parents=[as_json], help="set the caps ('off' removes one)"
    )
    budget_set.add_argument("--spend", metavar="USD", help="monthly spend cap, e.g. 20")
    budget_set.add_argument("--tokens", metavar="N", help="monthly token cap, e.g. 500000")
    budget_set.set_defaults(handler=budget_set_command)
    budget_sub.add_parser("show", parents=[as_json], help="the caps and their use").set_defaults(
        handler=budget_show
    )
    from promptterm.cli import commands_statements

    commands_statements.register(sub, as_json)


# -- status ---------------------------------------------------------------------------------


def status(services: Services, args: argparse.Namespace) -> int:
    overview = services.billing.overview()
    prices = services.pricing.sources()
    return _print_status(args, overview.summary, overview.budget, overview.spend, prices)


def status_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same status without SQLAlchemy, when db/lean.py allows (most starts) and the
    period needs no rolling forward (billing.lean_status declines then)."""
    from promptterm.config import ConfigError, load_budget
    from promptterm.db.lean import Declined
    from promptterm.services.billing import lean_status
    from promptterm.services.chat.pricing import PricingService

    try:
        budget = load_budget()
    except ConfigError as exc:
        raise Declined("the budget's error is the services' to say") from exc
    summary, budget_status, spend_report = lean_status(read, read.now, budget)
    # What Services.pricing is without an injected table: the config's overrides (a bad
    # one raises ValidationError, which the services then say) and the bundled table.
    prices = PricingService().sources()
    return _print_status(args, summary, budget_status, spend_report, prices)


def _print_status(
    args: argparse.Namespace,
    summary: UsageSummary,
    budget: BudgetStatus,
    spend: SpendReport,
    prices: PriceSources,
) -> int:
    if args.json:
        data = to_jsonable(summary)
        data["budget"] = _budget_json(budget)
        data["spend"] = to_jsonable(spend)
        data["prices"] = {"table": prices.table, "overrides": list(prices.overrides)}
        from promptterm.cli.output import print_json

        print_json(data)
        return 0
    from promptterm.services.billing.format import share, storage_words, used_of

    print(f"Plan     {summary.plan.name} ({summary.status}, billed {summary.billing_interval})")
    print(f"Period   {summary.period_start:%Y-%m-%d} to {summary.period_end:%Y-%m-%d}")
    if summary.trial_notice is not None:
        print(f"Trial    {summary.trial_notice}")
    elif summary.trial_end is not None and summary.status == "trialing":
        print(f"Trial    ends {summary.trial_end:%Y-%m-%d}")
    if summary.cancel_at_period_end:
        print("         cancels at the end of this period, then Free")
    if summary.pending_plan is not None:
        print(f"         moves to {summary.pending_plan} at the end of this period")
    print()
    rows = []
    for line in (*summary.lines, *budget.lines):
        flag = {"ok": "", "warning": "near limit", "full": "LIMIT REACHED"}[line.state]
        rows.append((line.label, used_of(line), share(line), flag))
    table(("USAGE", "USED / LIMIT", "%", ""), rows)
    for line in summary.lines:
        if (words := storage_words(line)) is not None:
            print(f"storage: {words}, with every version")
    if not budget.budget.is_set:
        print("(no budget: `promptterm billing budget set --spend 20 --tokens 500000`)")
    elif budget.note:
        print(budget.note)
    print()
    _print_spend(spend)
    print()
    print(f"Prices   {prices.describe()}")
    return 0


def _print_spend(report: SpendReport, overview: BillingOverview | None = None) -> None:
    """Spend by model, then (given the ``overview``) by day."""
    from promptterm.services.billing.format import about, cost_with_unpriced, usd
    from promptterm.services.words import plural

    calls = plural(report.unpriced_calls, "unpriced call")
    unpriced = f" (+{calls})" if report.unpriced_calls else ""
    print(f"Spend this period: {usd(report.cost_usd)}{unpriced}")
    rows = [
        (
            m.provider,
            m.model,
            m.calls,
            about(f"{m.tokens_in:,}", m.estimated_calls > 0),
            about(f"{m.tokens_out:,}", m.estimated_calls > 0),
            cost_with_unpriced(m.cost_usd, m.unpriced_calls),
        )
        for m in report.by_model
    ]
    table(("PROVIDER", "MODEL", "CALLS", "IN", "OUT", "COST"), rows, empty="(no calls yet)")
    if report.estimated_calls:
        print("~ some of these tokens are estimates: the provider reported no usage")
    if overview is not None:
        print()
        days = [
            (f"{d.day:%Y-%m-%d}", d.calls, f"{d.tokens:,}", usd(d.cost_usd)) for d in overview.days
        ]
        table(("DAY (UTC)", "CALLS", "TOKENS", "COST"), days)


def spend(services: Services, args: argparse.Namespace) -> int:
    overview = services.billing.overview()
    if args.json:
        from promptterm.cli.output import print_json

        days = [{**to_jsonable(d), "day": d.day.isoformat()} for d in overview.days]
        print_json({"spend": overview.spend, "days": days})
    else:
        _print_spend(overview.spend, overview)
    return 0


# -- plan -----------------------------------------------------------------------------------


def plan_set(services: Services, args: argparse.Namespace) -> int:
    interval = "yearly" if args.yearly else "monthly"
    change = services.billing.preview_plan(args.plan, interval)
    member = _member(services, args.member) if args.member else None
    summary = services.billing.set_plan(
        args.plan, interval, at_period_end=False if args.now else None, member=member
    )

    def human() -> None:
        if member is not None:
            later = f" (then {summary.pending_plan})" if summary.pending_plan else ""
            print(f"{args.member} is on the {summary.plan.name} plan{later}.")
            return
        if summary.pending_plan is not None:
            print(
                f"You stay on {summary.plan.name} until {summary.period_end:%Y-%m-%d}, then "
                f"move to {summary.pending_plan}; nothing is deleted. (--now: at once, "
                "nothing refunded.)"
            )
            return
        print(f"You are now on the {summary.plan.name} plan (billed {summary.billing_interval}).")
        if summary.status == "trialing" and summary.trial_end is not None:
            print(f"Your free trial runs until {summary.trial_end:%Y-%m-%d}.")
        for line in change.blocked if change.downgrade else ():
            limit = line.limit or 0
            print(
                f"Kept: {line.used:,} {line.label} (the plan allows {limit:,}); "
                "new ones are refused until you are under."
            )

    emit(args.json, summary, human)
    return 0


def _member(services: Services, who: str) -> uuid.UUID:
    """A member of one of the acting user's workspaces, by email, database role or name."""
    from promptterm.services.errors import NotFound

    for workspace in services.workspaces.list():
        for m in services.workspaces.members(workspace.id):
            if who in (m.email, m.db_role, m.display_name):
                return m.user_id
    raise NotFound(
        f"No member of your workspaces is known as {who!r}; "
        "`promptterm workspace member list WORKSPACE` shows them."
    )


def plan_cancel(services: Services, args: argparse.Namespace) -> int:
    summary = services.billing.cancel(at_period_end=not args.now)

    def human() -> None:
        if summary.cancel_at_period_end:
            print(
                f"{summary.plan.name} runs until {summary.period_end:%Y-%m-%d}, then you are on "
                "Free. Undo with `promptterm billing resume`."
            )
        else:
            print("You are now on the Free plan; everything you have is kept.")

    emit(args.json, summary, human)
    return 0


def plan_resume(services: Services, args: argparse.Namespace) -> int:
    summary = services.billing.resume()
    emit(args.json, summary, lambda: print(f"{summary.plan.name} continues; nothing is cancelled."))
    return 0


# -- invoices and payments ------------------------------------------------------------------


def invoices(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.billing.format import cents, no_invoices_text

    rows = services.billing.invoices()
    empty = "" if rows else no_invoices_text(services.billing.summary())

    def human() -> None:
        table(
            ("DATE", "STATUS", "DUE", "PAID", "PERIOD"),
            [
                (
                    f"{i.created_at:%Y-%m-%d}",
                    i.status,
                    cents(i.amount_due_cents, i.currency),
                    cents(i.amount_paid_cents, i.currency),
                    _period(i.period_start, i.period_end),
                )
                for i in rows
            ],
            empty=f"({empty[0].lower()}{empty[1:]})" if empty else "",
        )

    emit(args.json, rows, human)
    return 0


def _period(start: Any, end: Any) -> str:
    if start is None or end is None:
        return "-"
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


def payments(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.billing.format import cents

    rows = services.billing.payments()

    def human() -> None:
        table(
            ("WHEN", "STATUS", "AMOUNT", "METHOD", "NOTE"),
            [
                (
                    when(p.created_at),
                    p.status,
                    cents(p.amount_cents, p.currency),
                    p.payment_method or "-",
                    p.error_message or "",
                )
                for p in rows
            ],
            empty="(no payments)",
        )

    emit(args.json, rows, human)
    return 0


# -- budget ---------------------------------------------------------------------------------


def _budget_json(budget: BudgetStatus) -> dict[str, Any]:
    data = to_jsonable(budget)
    data["state"] = budget.state
    data["note"] = budget.note
    return data


def _print_budget(budget: BudgetStatus) -> None:
    from promptterm.services.billing.format import share, usd, used_of

    caps = budget.budget
    if not caps.is_set:
        print("No budget set: only the plan's limits apply.")
        print("Set one with `promptterm billing budget set --spend 20 --tokens 500000`.")
        return
    month = f"{budget.window_start:%Y-%m-%d} to {budget.window_end:%Y-%m-%d}"
    print(f"Budget for {month}")
    for line in budget.lines:
        flag = {"ok": "", "warning": "  near the cap", "full": "  CAP REACHED: sends stop"}
        print(f"  {line.label:<13} {used_of(line)} ({share(line)}){flag[line.state]}")
    if caps.monthly_spend_usd is None:
        print(f"  spend         {usd(budget.spent_usd)} (no cap)")
    if caps.monthly_tokens is None:
        print(f"  tokens        {budget.tokens_used:,} (no cap)")
    if budget.note:
        print(budget.note)


def budget_set_command(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.output import fail
    from promptterm.services.billing.service import KEEP

    if args.spend is None and args.tokens is None:
        return fail("Give --spend USD and/or --tokens N (or 'off' to remove a cap).", 2)
    budget = services.billing.set_budget(
        spend=KEEP if args.spend is None else args.spend,
        tokens=KEEP if args.tokens is None else args.tokens,
    )
    emit(args.json, _budget_json(budget), lambda: _print_budget(budget))
    return 0


def budget_show(services: Services, args: argparse.Namespace) -> int:
    budget = services.billing.budget()
    emit(args.json, _budget_json(budget), lambda: _print_budget(budget))
    return 0
