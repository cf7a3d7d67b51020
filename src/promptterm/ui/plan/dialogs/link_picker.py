"""Link the highlighted card (L): tab chooses what to link to and how, as a sentence ("… must
be done before" another card, "… links to the file", "… links to the thread"); type to narrow
the list of cards, of the project's files or of the user's threads; enter links."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from promptterm.db.vocab import PLAN_LINK_RELATIONS
from promptterm.services.errors import ServiceError
from promptterm.services.plan import LinkTarget, PlanCard
from promptterm.services.validation import strip_controls
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.facade import Services

MEANINGS = {
    "relates": "is related to",
    "blocks": "must be done before",
    "duplicates": "is the same work as",
    "file": "links to the file",
    "thread": "links to the thread",
}
# What tab steps through: the three ways to link a card, then a file, then a thread.
MODES = (*PLAN_LINK_RELATIONS, "file", "thread")
# A project may hold thousands of files: the list shows this many, typing narrows the rest.
SHOWN = 200


@dataclass(frozen=True)
class LinkChoice:
    """``kind``: card, file or thread; ``relation`` only matters between two cards."""

    kind: str
    target_id: uuid.UUID
    relation: str = "relates"


@dataclass(frozen=True)
class _Row:
    kind: str
    id: uuid.UUID
    words: str  # what the filter matches
    label: Content


class LinkPickerScreen(ModalScreen[LinkChoice | None]):
    CSS_PATH = css_path("modals.tcss", "plan.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "relation(1)",
            "Kind",
            id="plan-link-kind",
            tooltip="What to link and how: relates, blocks, duplicates a card; a file; a thread",
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

    class Read(Message):
        def __init__(self, targets: list[LinkTarget], error: str) -> None:
            super().__init__()
            self.targets = targets
            self.error = error

    def __init__(self, services: Services, card: PlanCard, cards: list[PlanCard]) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.card = card
        self.cards = [c for c in cards if c.id != card.id]
        # The project's files and the user's threads: None until read.
        self.targets: list[LinkTarget] | None = None
        self.shown: list[_Row] = []
        self.relation = MODES[0]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="plan-link-relation")
            yield Input(placeholder="type to narrow", id="plan-link-filter", compact=True)
            yield OptionList(id="plan-link-cards", compact=True)
            yield Static(
                "type to narrow · tab card/file/thread · enter link · esc",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = f"Link {self.card.kind} {self.card.short_id}"
        self._show_relation()
        self._narrow("")
        self.query_one(Input).focus()
        self._read_targets()

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-link-targets")
    def _read_targets(self) -> None:
        try:
            self.post_message(self.Read(self.services.plan_links.candidates(self.card.id), ""))
        except ServiceError as exc:
            self.post_message(self.Read([], exc.message))

    def on_link_picker_screen_read(self, message: Read) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=8)
        self.targets = message.targets
        if self.relation in ("file", "thread"):
            self._narrow(self.query_one(Input).value)

    def action_relation(self, step: int) -> None:
        index = MODES.index(self.relation) + step
        self.relation = MODES[index % len(MODES)]
        self._show_relation()
        self._narrow(self.query_one(Input).value)

    def _show_relation(self) -> None:
        words: list[str | tuple[str, str]] = [(self.card.name, "bold"), " "]
        words.append((MEANINGS[self.relation], "$accent"))
        words.append(" …")
        choices: list[str | tuple[str, str]] = ["\n"]
        for mode in MODES:
            style = "reverse bold" if mode == self.relation else "$text-muted"
            choices += [(f" {mode} ", style), " "]
        self.query_one("#plan-link-relation", Static).update(Content.assemble(*words, *choices))

    @on(Input.Changed, "#plan-link-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._narrow(event.value)

    def _rows(self) -> list[_Row]:
        if self.relation not in ("file", "thread"):
            return [
                _Row(
                    "card",
                    c.id,
                    f"{c.name} {c.kind} {c.short_id}",
                    Content.assemble((f"{c.kind:<8}", "$text-muted"), c.name,
                                     (f"  {c.status.replace('_', ' ')}", "dim")),
                )
                for c in self.cards
            ]  # fmt: skip
        return [
            _Row(t.kind, t.id, f"{t.title} {t.detail}", _target_label(t))
            for t in self.targets or ()
            if t.kind == self.relation
        ]

    def _narrow(self, text: str) -> None:
        wanted = text.casefold().split()
        rows = self._rows()
        matching = [r for r in rows if all(w in r.words.casefold() for w in wanted)]
        self.shown = matching[:SHOWN]
        items = [Option(r.label, id=r.id.hex) for r in self.shown]
        if len(matching) > SHOWN:
            more = f"{len(matching) - SHOWN:,} more: type to narrow."
            items.append(Option(Content.styled(more, "italic"), disabled=True))
        if not items:
            items.append(Option(Content.styled(self._empty(bool(rows)), "italic"), disabled=True))
        options = self.query_one(OptionList)
        options.set_options(items)
        if self.shown:
            options.highlighted = 0

    def _empty(self, any_rows: bool) -> str:
        if self.relation not in ("file", "thread"):
            return "No other card matches." if any_rows else "No other card on this board."
        if self.targets is None:
            return "Reading…"
        if any_rows:
            return f"No {self.relation} matches."
        if self.relation == "file":
            return "The project has no files yet."
        return "You have no threads yet."

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
        if self.shown and index is not None and index < len(self.shown):
            self._choose(self.shown[index])

    @on(OptionList.OptionSelected, "#plan-link-cards")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        row = next((r for r in self.shown if r.id.hex == event.option.id), None)
        if row is not None:
            self._choose(row)

    def _choose(self, row: _Row) -> None:
        relation = self.relation if row.kind == "card" else "relates"
        self.dismiss(LinkChoice(row.kind, row.id, relation))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _target_label(target: LinkTarget) -> Content:
    title = strip_controls(target.title)
    if target.kind == "file":
        return Content(title)
    return Content.assemble(title, (f"  {target.detail}" if target.detail else "", "dim"))
