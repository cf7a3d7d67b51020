"""Link the highlighted card to another card of the board (L): type to narrow the project's
cards, tab to choose what the link means (relates, blocks, duplicates), enter to link."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from promptterm.db.vocab import PLAN_LINK_RELATIONS
from promptterm.services.plan import PlanCard
from promptterm.ui.common.styles import css_path

MEANINGS = {
    "relates": "is related to",
    "blocks": "must be done before",
    "duplicates": "is the same work as",
}


@dataclass(frozen=True)
class LinkChoice:
    card_id: uuid.UUID
    relation: str


class LinkPickerScreen(ModalScreen[LinkChoice | None]):
    CSS_PATH = css_path("modals.tcss", "plan.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "relation(1)",
            "Kind",
            id="plan-link-kind",
            tooltip="What the link means: relates, blocks, duplicates",
            priority=True,
        ),
        Binding(
            "shift+tab",
            "relation(-1)",
            "Kind back",
            id="plan-link-kind-back",
            tooltip="The previous kind of link",
            show=False,
            priority=True,
        ),
        Binding("escape", "cancel", "Cancel", id="plan-link-cancel", tooltip="Link nothing"),
    ]

    def __init__(self, card: PlanCard, cards: list[PlanCard]) -> None:
        super().__init__(classes="dialog")
        self.card = card
        self.cards = [c for c in cards if c.id != card.id]
        self.shown: list[PlanCard] = []
        self.relation = PLAN_LINK_RELATIONS[0]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="plan-link-relation")
            yield Input(placeholder="type to find a card", id="plan-link-filter", compact=True)
            yield OptionList(id="plan-link-cards", compact=True)
            yield Static(
                "type to narrow · ↑↓ · tab kind · enter link · esc cancel",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = f"Link {self.card.kind} {self.card.short_id}"
        self._show_relation()
        self._narrow("")
        self.query_one(Input).focus()

    def action_relation(self, step: int) -> None:
        index = PLAN_LINK_RELATIONS.index(self.relation) + step
        self.relation = PLAN_LINK_RELATIONS[index % len(PLAN_LINK_RELATIONS)]
        self._show_relation()

    def _show_relation(self) -> None:
        words: list[str | tuple[str, str]] = [(self.card.name, "bold"), " "]
        words.append((MEANINGS[self.relation], "$accent"))
        words.append(" …")
        choices: list[str | tuple[str, str]] = ["\n"]
        for relation in PLAN_LINK_RELATIONS:
            style = "reverse bold" if relation == self.relation else "$text-muted"
            choices += [(f" {relation} ", style), " "]
        self.query_one("#plan-link-relation", Static).update(Content.assemble(*words, *choices))

    @on(Input.Changed, "#plan-link-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._narrow(event.value)

    def _narrow(self, text: str) -> None:
        wanted = text.casefold().split()
        self.shown = [
            c
            for c in self.cards
            if all(w in f"{c.name} {c.kind} {c.short_id}".casefold() for w in wanted)
        ]
        options = self.query_one(OptionList)
        items = [
            Option(
                Content.assemble((f"{c.kind:<8}", "$text-muted"), c.name,
                                 (f"  {c.status.replace('_', ' ')}", "dim")),
                id=c.id.hex,
            )
            for c in self.shown
        ]  # fmt: skip
        if not items:
            empty = "No other card matches." if self.cards else "No other card on this board."
            items.append(Option(Content.styled(empty, "italic"), disabled=True))
        options.set_options(items)
        if self.shown:
            options.highlighted = 0

    def on_key(self, event: events.Key) -> None:
        # The list follows ↑↓ while the typing stays in the box.
        if event.key in ("up", "down") and self.focused is self.query_one(Input):
            options = self.query_one(OptionList)
            if event.key == "up":
                options.action_cursor_up()
            else:
                options.action_cursor_down()
            event.stop()

    @on(Input.Submitted, "#plan-link-filter")
    def _submitted(self) -> None:
        index = self.query_one(OptionList).highlighted
        if self.shown and index is not None:
            self.dismiss(LinkChoice(self.shown[index].id, self.relation))

    @on(OptionList.OptionSelected, "#plan-link-cards")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(LinkChoice(uuid.UUID(hex=event.option.id), self.relation))

    def action_cancel(self) -> None:
        self.dismiss(None)
