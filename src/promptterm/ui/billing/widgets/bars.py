"""Usage against limits as bars with the numbers: one line per limit (or budget cap),
the warning colour from 80%, the error colour and the words "limit reached" at 100%."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content

from promptterm.services.billing.format import storage_words, used_of
from promptterm.ui.billing.widgets.drawn import Drawn, fit

if TYPE_CHECKING:
    from promptterm.services.billing.models import UsageLine

LABELS = {
    "tokens_per_month": "Tokens",
    "max_components": "Components",
    "max_presets": "Presets",
    "max_projects": "Projects",
    "storage_mb": "Storage",
    "monthly_tokens": "Token budget",
    "monthly_spend_usd": "Spend budget",
}
STATE_STYLES = {"ok": "$primary", "warning": "$warning", "full": "bold $error"}
FILLED, EMPTY = "━", "─"
EMPTY_STYLE = "$panel-lighten-2"
FIGURES_WIDTH = len("183,000 / 500,000")
WORDS_WIDTH = len(" limit reached")


def state_words(line: UsageLine) -> str:
    if line.state == "warning":
        return "near limit"
    if line.state == "full":
        over = line.limit is not None and line.used > line.limit
        if line.key.startswith("monthly_"):
            return "cap passed" if over else "cap reached"
        return "over limit" if over else "limit reached"
    return ""


def bar(fraction: float | None, width: int, state: str) -> Content:
    """A bar of ``width`` cells; an unlimited line (None) has none."""
    if fraction is None or width <= 0:
        return Content(" " * max(0, width))
    filled = min(width, round(min(fraction, 1.0) * width))
    if fraction > 0 and filled == 0:
        filled = 1  # some use always shows
    return Content.assemble(
        (FILLED * filled, STATE_STYLES[state]), (EMPTY * (width - filled), EMPTY_STYLE)
    )


class UsageBars(Drawn):
    DEFAULT_CSS = """
    UsageBars {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: tuple[UsageLine, ...] = ()

    def show(self, lines: Sequence[UsageLine]) -> None:
        self.lines = tuple(lines)
        self.redraw()

    def draw(self, width: int) -> list[Content]:
        if not self.lines:
            return []
        # One width for every bar widget, so the usage and budget bars line up.
        label_w = max(len(label) for label in LABELS.values()) + 1
        # Fixed widths (unless a figure is longer), so every bar widget's bars line up.
        figures_w = max(FIGURES_WIDTH, *(len(used_of(x)) for x in self.lines))
        words_w = WORDS_WIDTH
        bar_w = width - label_w - figures_w - 5 - words_w - 2
        if bar_w < 6:  # too narrow for a bar: the numbers and the colour say it all
            bar_w = 0
        out = []
        for line in self.lines:
            style = STATE_STYLES[line.state] if line.state != "ok" else ""
            share = "" if line.fraction is None else f"{min(line.fraction, 9.99):.0%}"
            parts: list[Content] = [fit((LABELS.get(line.key, line.label), "bold"), label_w)]
            if bar_w:
                parts += [bar(line.fraction, bar_w, line.state), Content(" ")]
            parts += [
                fit((used_of(line), style), figures_w + 1, "right"),
                fit((share, style), 5, "right"),
            ]
            parts.append(fit((" " + state_words(line), style), words_w))
            out.append(fit(Content.assemble(*parts), width))
            if (words := storage_words(line)) is not None:
                # The bar counts stored bytes; say the files' own size too, or 1.2 MB of
                # files reads as "340 KB" and looks like a mistake.
                out.append(fit(Content.assemble(" " * label_w, (words, "$text-muted")), width))
        return out
