"""How the chat area writes tokens, costs, statuses and code blocks (plain functions: the
message widgets, the thread bar and the tests share them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from promptterm.services.words import plural

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from promptterm.services.chat.threads import ThreadTotals

ESTIMATED = "~"  # marks a count the provider did not report


def tokens(n: int | None) -> str:
    """1,234 and 12.3k: a thread total needs the short form, a message the exact one."""
    if n is None:
        return "-"
    if n >= 100_000:
        return f"{n / 1000:.0f}k"
    if n >= 10_000:
        return f"{n / 1000:.1f}k"
    return f"{n:,}"


def usage(tokens_in: int | None, tokens_out: int | None, estimated: bool) -> str:
    """ "120 in · 45 out", or "~120 in · ~45 out" when estimated; "" when not metered."""
    if tokens_in is None and tokens_out is None:
        return ""
    mark = ESTIMATED if estimated else ""
    return f"{mark}{tokens(tokens_in)} in · {mark}{tokens(tokens_out)} out"


def cost(value: Decimal | str | None, *, metered: bool = True) -> str:
    """Dollars with the precision a small call needs; "unpriced" when nobody knows."""
    if value is None:
        return "unpriced" if metered else ""
    amount = Decimal(value)
    if amount == 0:
        return "$0"
    if amount < Decimal("0.0001"):
        return "<$0.0001"
    if amount < 1:
        return f"${amount:.4f}"
    return f"${amount:,.2f}"


def thread_total(totals: ThreadTotals) -> str:
    mark = ESTIMATED if totals.estimated else ""
    spent = cost(totals.cost_usd)
    if totals.unpriced:
        spent += "+"  # some calls have no price: the real figure is higher
    return f"{mark}{tokens(totals.tokens)} tok · {spent}"


STATUS_LABELS = {
    "streaming": "streaming…",
    "stopped": "stopped",
    "error": "error",
}


@dataclass(frozen=True)
class CodeBlock:
    language: str
    code: str

    @property
    def describe(self) -> str:
        lines = self.code.count("\n") + (0 if self.code.endswith("\n") else 1)
        what = self.language or "code"
        return f"{what}, {plural(lines, 'line')}"


@cache
def markdown_parser() -> MarkdownIt:
    # The parser Textual's Markdown widget uses, so "a code block" means the same to both.
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like")


def code_blocks(markdown: str) -> list[CodeBlock]:
    """The fenced and indented code blocks of ``markdown``, in order."""
    if "```" not in markdown and "~~~" not in markdown and "    " not in markdown:
        return []  # most answers: skip the parse
    found: list[CodeBlock] = []
    for token in markdown_parser().parse(markdown):
        if token.type in ("fence", "code_block"):
            language = (token.info or "").strip().split(" ")[0]
            found.append(CodeBlock(language, token.content))
    return found
