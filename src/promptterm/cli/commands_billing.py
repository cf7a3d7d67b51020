"""`promptterm usage` and `promptterm billing status|plan set`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table

if TYPE_CHECKING:
    from promptterm.services.billing import UsageSummary
    from promptterm.services.facade import Services


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "usage", parents=[as_json], help="plan, period and usage against every limit"
    ).set_defaults(handler=usage)
    billing = commands.add_parser("billing", help="plan and subscription")
    sub = billing.add_subparsers(dest="billing_command", metavar="ACTION", required=True)
    sub.add_parser("status", parents=[as_json], help="same as `promptterm usage`").set_defaults(
        handler=usage
    )
    plan = sub.add_parser("plan", help="change plan")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    set_plan = plan_sub.add_parser("set", parents=[as_json], help="switch to another plan")
    set_plan.add_argument("plan", metavar="PLAN", help="free, pro or business")
    set_plan.add_argument("--yearly", action="store_true", help="bill yearly")
    set_plan.set_defaults(handler=plan_set)


def _print_summary(summary: UsageSummary) -> None:
    plan = summary.plan
    print(f"Plan     {plan.name} ({summary.status}, billed {summary.billing_interval})")
    print(f"Period   {summary.period_start:%Y-%m-%d} to {summary.period_end:%Y-%m-%d}")
    if summary.cancel_at_period_end:
        print("         cancels at the end of this period")
    print()
    rows = []
    for line in summary.lines:
        limit = "unlimited" if line.limit is None else f"{line.limit:,}"
        share = "" if line.fraction is None else f"{line.fraction:.0%}"
        flag = {"ok": "", "warning": "near limit", "full": "LIMIT REACHED"}[line.state]
        rows.append((line.label, f"{line.used:,}", limit, share, flag))
    table(("USAGE", "USED", "LIMIT", "%", ""), rows)
    print()
    unpriced = f" (+{summary.unpriced_calls} unpriced calls)" if summary.unpriced_calls else ""
    print(f"Spend this period: ${summary.cost_usd:.2f}{unpriced}")


def usage(services: Services, args: argparse.Namespace) -> int:
    summary = services.billing.summary()
    emit(args.json, summary, lambda: _print_summary(summary))
    return 0


def plan_set(services: Services, args: argparse.Namespace) -> int:
    summary = services.billing.set_plan(args.plan, "yearly" if args.yearly else "monthly")
    emit(args.json, summary, lambda: print(f"You are now on the {summary.plan.name} plan."))
    return 0
