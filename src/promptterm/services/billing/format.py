"""Billing figures in words, the same in the CLI and on the screen: money, tokens, bytes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from promptterm.services.billing.models import PlanChange, UsageLine, UsageSummary

UNPRICED = "unpriced"


def usd(amount: Decimal | None) -> str:
    """ "$12.35"; below a dollar four decimals ("$0.0123"), since one call costs fractions of
    a cent; None (unknown price) is "unpriced", never "$0"."""
    if amount is None:
        return UNPRICED
    if amount == 0:
        return "$0.00"
    if abs(amount) >= 1:
        return f"${amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"
    small = amount.quantize(Decimal("0.0001"), ROUND_HALF_UP)
    if not small:
        return "<$0.0001"
    text = f"{small}"
    while text.endswith("0") and len(text.split(".")[1]) > 2:
        text = text[:-1]
    return f"${text}"


def cents(amount: int | None, currency: str = "usd") -> str:
    if amount is None:
        return "-"
    value = Decimal(amount) / 100
    if currency.lower() == "usd":
        return f"${value:,.2f}"
    return f"{value:,.2f} {currency.upper()}"


def size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    for unit, scale in (("KB", 1024), ("MB", 1024**2), ("GB", 1024**3)):
        if n < scale * 1024 or unit == "GB":
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    raise AssertionError("unreachable")


def quantity(value: int, unit: str) -> str:
    """A UsageLine figure in its unit: 12,345 (tokens, items), 1.2 MB, $1.23."""
    if unit == "bytes":
        return size(value)
    if unit == "cents":
        return cents(value)
    return f"{value:,}"


def used_of(line: UsageLine) -> str:
    """ "12,345 / 50,000", "3 / unlimited"."""
    limit = "unlimited" if line.limit is None else quantity(line.limit, line.unit)
    return f"{quantity(line.used, line.unit)} / {limit}"


def storage_words(line: UsageLine) -> str | None:
    """ "1.2 MB of files (340 KB stored)": the size a person expects, then what the plan
    counts (every version, compressed); None for a line that is not storage."""
    if line.files_bytes is None:
        return None
    return f"{size(line.files_bytes)} of files ({size(line.used)} stored)"


def share(line: UsageLine) -> str:
    return "" if line.fraction is None else f"{line.fraction:.0%}"


def cost_with_unpriced(cost: Decimal | None, unpriced: int) -> str:
    """ "$0.0225", "unpriced" (no priced call), "$0.02 + 3 unpriced"."""
    if cost is None:
        return UNPRICED
    if unpriced:
        return f"{usd(cost)} +{unpriced} {UNPRICED}"
    return usd(cost)


def about(text: str, estimated: bool) -> str:
    """A token figure, marked "~" when any of it is our estimate rather than the provider's
    count (a provider that reports no usage): "~7,200"."""
    return f"~{text}" if estimated else text


def tokens_short(n: int) -> str:
    """ "950", "12.3k", "1.2M": for chart axes and narrow columns."""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.1f}k".replace(".0k", "k")
    return f"{n / 1_000_000:.1f}M".replace(".0M", "M")


def plan_change_text(change: PlanChange) -> str:
    """The question before a plan change, saying what is kept and what gets blocked."""
    current, target = change.current.name, change.target.name
    head = f"Switch from {current} to {target}?"
    if current == target:
        head = f"Switch {target} to {change.interval} billing?"
    if not change.downgrade:
        if change.trial_days:
            return (
                f"{head} The new limits apply at once, and your {change.trial_days}-day free "
                f"trial of {target} starts now."
            )
        return (
            f"{head} The new limits apply at once; the rest of this period at the new price "
            "(less what it cost at the old one) goes onto your statement."
        )
    if change.effective is not None:
        head += (
            f" It takes effect when this period ends on {change.effective:%Y-%m-%d}: until "
            f"then you keep {current}. (Choose {target} again to switch now.)"
        )
    else:
        head += " It takes effect now; nothing already paid is refunded."
    lines = [head, "", "Everything you have is kept: nothing is deleted."]
    for line in change.blocked:
        limit = quantity(line.limit or 0, line.unit)
        used = quantity(line.used, line.unit)
        if line.key == "tokens_per_month":
            lines.append(
                f"- You have used {used} tokens this month and {target} gives {limit}: "
                f"chat stops until your tokens renew on {change.period_end:%Y-%m-%d}."
            )
        elif line.key == "storage_mb":
            lines.append(
                f"- Storage: {used} of the {limit} {target} allows; "
                "new files and saves stop until you are under it."
            )
        else:
            lines.append(
                f"- {used} {line.label}, {target} allows {limit}: they all stay and keep "
                f"working; new ones are refused until you have fewer than {limit}."
            )
    if not change.blocked:
        lines.append(f"You are within every {target} limit.")
    return "\n".join(lines)


def no_invoices_text(summary: UsageSummary) -> str:
    """What an empty invoice list means on the user's real plan (not always "Free")."""
    plan = summary.plan
    if plan.price_monthly_cents == 0 and plan.price_yearly_cents == 0:
        return (
            f"No statements yet: the {plan.name} plan has no fee; a period with LLM usage "
            "closes into a statement of it at cost."
        )
    if summary.status == "trialing" and summary.trial_end is not None:
        return f"No invoices yet: the {plan.name} trial ends {summary.trial_end:%Y-%m-%d}."
    return f"No invoices yet: the first {plan.name} invoice comes on {summary.period_end:%Y-%m-%d}."
