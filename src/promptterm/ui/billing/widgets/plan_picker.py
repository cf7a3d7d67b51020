"""Pick a plan (and its billing interval): each with its price and limits, the current one
marked. Returns (slug, interval) or None; the screen confirms the change before making it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from promptterm.services.billing.format import cents, tokens_short
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.billing.models import PlanInfo


def limits_text(plan: PlanInfo) -> str:
    """ "50k tokens a month; 5 presets, 20 components, 10 projects" (or "unlimited ...")."""
    limits = plan.limits
    tokens = limits.get("tokens_per_month")
    head = f"{tokens_short(int(tokens))} tokens a month" if tokens is not None else "any tokens"
    kinds = (
        ("max_presets", "presets"),
        ("max_components", "components"),
        ("max_projects", "projects"),
    )
    if all(limits.get(key) is None for key, _ in kinds):
        return f"{head}; unlimited presets, components and projects"
    parts = [f"{limits.get(key) or 'unlimited'} {what}" for key, what in kinds]
    return f"{head}; " + ", ".join(parts)


def plan_row(plan: PlanInfo, interval: str, current: bool) -> Content:
    if interval == "yearly":
        price = f"{cents(plan.price_yearly_cents)}/year"
    else:
        price = f"{cents(plan.price_monthly_cents)}/month"
    mark = ("● ", "bold $success") if current else ("○ ", "dim")
    tag = ("  current", "bold $success") if current else ("", "")
    return Content.assemble(
        mark,
        (plan.name, "bold"),
        (f"  {price}", "$text-muted"),
        tag,
        "\n",
        (f"  {limits_text(plan)}", "dim"),
    )


class PlanPicker(ModalScreen[tuple[str, str] | None]):
    CSS_PATH = css_path("modals.tcss", "billing.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "toggle_interval", "Monthly/yearly", id="billing-plan-interval"),
        Binding("escape", "cancel", "Cancel", id="billing-plan-cancel"),
    ]

    def __init__(self, plans: Sequence[PlanInfo], current: str, interval: str) -> None:
        super().__init__(classes="dialog")
        self.plans = list(plans)
        self.current = current
        self.current_interval = interval
        self.interval = interval

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(
                "A downgrade keeps everything you have; only new items over the new limits "
                "are refused.",
                classes="dialog-intro",
            )
            yield OptionList(id="plan-options")
            yield Static("", id="plan-keys", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = "Change plan"
        self._fill()
        options = self.query_one("#plan-options", OptionList)
        options.highlighted = next(
            (i for i, p in enumerate(self.plans) if p.slug == self.current), 0
        )
        options.focus()

    def _fill(self) -> None:
        options = self.query_one("#plan-options", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            Option(
                plan_row(
                    p,
                    self.interval,
                    p.slug == self.current and self.interval == self.current_interval,
                ),
                p.slug,
            )
            for p in self.plans
        )
        options.highlighted = highlighted
        other = "monthly" if self.interval == "yearly" else "yearly"
        self.query_one("#plan-keys", Static).update(
            f"enter choose · y show {other} prices · esc cancel"
        )

    def action_toggle_interval(self) -> None:
        self.interval = "monthly" if self.interval == "yearly" else "yearly"
        self._fill()

    @on(OptionList.OptionSelected, "#plan-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((event.option.id or "", self.interval))

    def action_cancel(self) -> None:
        self.dismiss(None)
