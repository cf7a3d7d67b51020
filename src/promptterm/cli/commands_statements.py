"""`promptterm billing statements` and `billing statement show|export|pay`, and
`billing stripe-key`: statements for scripts, through the same services as the screen."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptterm.cli.output import emit, table

if TYPE_CHECKING:
    from promptterm.services.billing.statements import Statement
    from promptterm.services.facade import Services


def register(sub: Any, as_json: argparse.ArgumentParser) -> None:
    sub.add_parser(
        "statements", parents=[as_json], help="your statements, and the open period's draft"
    ).set_defaults(handler=statements)
    one = sub.add_parser("statement", help="one statement: show, export or pay it")
    verbs = one.add_subparsers(dest="statement_command", metavar="ACTION", required=True)
    ref_help = "the statement's id (its first 4+ characters), or 'draft' for the open period"
    show = verbs.add_parser("show", parents=[as_json], help="a statement and its lines")
    show.add_argument("statement", metavar="ID", help=ref_help)
    show.set_defaults(handler=statement_show)
    export = verbs.add_parser("export", help="a statement as Markdown or CSV")
    export.add_argument("statement", metavar="ID", help=ref_help)
    export.add_argument("--format", choices=("md", "csv"), default="md", help="default: md")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    export.set_defaults(handler=statement_export)
    pay = verbs.add_parser("pay", parents=[as_json], help="pay what is due on a statement")
    pay.add_argument("statement", metavar="ID", help=ref_help)
    how = pay.add_mutually_exclusive_group(required=True)
    how.add_argument("--card", metavar="PM_ID", help="charge this saved Stripe card (pm_...)")
    how.add_argument(
        "--outside",
        metavar="REFERENCE",
        help="record a payment made outside promptterm (workspace owners and admins)",
    )
    pay.set_defaults(handler=statement_pay)
    key = sub.add_parser("stripe-key", help="store the Stripe secret key in the OS keyring")
    key.add_argument("--stdin", action="store_true", help="read the key from stdin")
    key.set_defaults(handler=stripe_key)


def statements(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.billing.format import cents

    rows = [services.statements.draft(), *services.statements.statements()]

    def human() -> None:
        table(
            ("ID", "PERIOD", "STATUS", "DUE", "PAID", "LINES"),
            [
                (
                    "draft" if s.id is None else str(s.id)[:8],
                    f"{s.period_start:%Y-%m-%d} to {s.period_end:%Y-%m-%d}",
                    s.status,
                    cents(s.amount_due_cents, s.currency),
                    cents(s.amount_paid_cents, s.currency),
                    len(s.lines),
                )
                for s in rows
            ],
        )

    emit(args.json, [_json(s) for s in rows], human)
    return 0


def statement_show(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.billing.statement_export import to_markdown

    statement = services.statements.get(args.statement)
    emit(args.json, _json(statement), lambda: print(to_markdown(statement), end=""))
    return 0


def statement_export(services: Services, args: argparse.Namespace) -> int:
    statement = services.statements.get(args.statement)
    text = services.statements.export(statement, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def statement_pay(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.billing import AdminRecorded
    from promptterm.services.billing.format import cents

    statement = services.statements.get(args.statement)
    if args.outside is not None:
        processor = AdminRecorded(args.outside.strip() or None)
    else:
        processor = services.statements.stripe(args.card)
    payment = services.statements.pay(statement, processor)

    def human() -> None:
        amount = cents(payment.amount_cents, payment.currency)
        if payment.status == "succeeded":
            print(f"Paid {amount} on statement {str(statement.id)[:8]}.")
        else:
            print(f"The payment of {amount} is {payment.status}; the statement stays open.")

    emit(args.json, payment, human)
    return 0


def stripe_key(services: Services, args: argparse.Namespace) -> int:
    if args.stdin:
        value = sys.stdin.readline()
    else:
        import getpass

        value = getpass.getpass("Stripe secret key (sk_...): ")
    services.statements.set_stripe_key(value)
    print("The Stripe secret key is in the OS keyring.")
    return 0


def _json(statement: Statement) -> dict[str, Any]:
    from promptterm.cli.output import to_jsonable

    data: dict[str, Any] = to_jsonable(statement)
    data["is_draft"] = statement.is_draft
    data["balance_cents"] = statement.balance_cents
    return data
