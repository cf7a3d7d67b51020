"""A card's links (o on the board): what it blocks, relates to or duplicates, and the cards
that link to it, files and threads too. Enter on a card's link follows it (the board's cursor
goes to that card), d removes a link, L links to another card."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from promptterm.services.errors import ServiceError
from promptterm.services.plan import PlanCard, PlanLinkInfo
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.facade import Services


@dataclass(frozen=True)
class LinksAnswer:
    """``follow``: the card to put the cursor on; ``add``: open the picker; ``changed``: a
    link was removed (the board's markers need reading again)."""

    follow: uuid.UUID | None = None
    add: bool = False
    changed: bool = False


class CardLinksScreen(ModalScreen[LinksAnswer]):
    CSS_PATH = css_path("modals.tcss", "plan.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d,delete",
            "remove",
            "Remove",
            id="plan-links-remove",
            tooltip="Remove the highlighted link (both cards lose it)",
        ),
        Binding("L", "add", "Link…", id="plan-links-add", tooltip="Link to another card"),
        Binding("escape", "close", "Close", id="plan-links-close", tooltip="Back to the board"),
    ]

    @dataclass
    class Loaded(Message):
        links: list[PlanLinkInfo]
        error: str = ""

    def __init__(self, services: Services, card: PlanCard, *, can_edit: bool) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.card = card
        self.can_edit = can_edit
        self.links: list[PlanLinkInfo] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.styled(self.card.name, "bold"), id="plan-links-card")
            yield OptionList(id="plan-links-list", compact=True)
            keys = "enter go to the card · esc close"
            if self.can_edit:
                keys = "enter go to the card · d remove · L link · esc close"
            yield Static(keys, classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = f"Links of {self.card.kind} {self.card.short_id}"
        self.query_one(OptionList).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-links")
    def _load(self, remove: uuid.UUID | None = None) -> None:
        error = ""
        try:
            if remove is not None:
                self.services.plan_links.unlink(remove)
            links = self.services.plan_links.links(self.card.id)
        except ServiceError as exc:
            links, error = self.links, exc.message
        self.post_message(self.Loaded(links, error))

    def on_card_links_screen_loaded(self, message: Loaded) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=8)
        self.links = message.links
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        items = [Option(_label(link), id=str(n)) for n, link in enumerate(message.links)]
        if not items:
            hint = " Press L to link it to another card." if self.can_edit else ""
            items.append(Option(Content.styled(f"No links yet.{hint}", "italic"), disabled=True))
        options.set_options(items)
        if message.links:
            options.highlighted = min(keep, len(message.links) - 1)

    def _highlighted(self) -> PlanLinkInfo | None:
        index = self.query_one(OptionList).highlighted
        return self.links[index] if self.links and index is not None else None

    @on(OptionList.OptionSelected, "#plan-links-list")
    def _follow(self) -> None:
        link = self._highlighted()
        if link is None:
            return
        if link.target_kind != "card":
            where = "the editor (2)" if link.target_kind == "file" else "chat (3)"
            self.notify(f"That link is to a {link.target_kind}: open it in {where}.")
            return
        self.dismiss(LinksAnswer(follow=link.target_id, changed=self.changed))

    def action_remove(self) -> None:
        link = self._highlighted()
        if link is not None:
            self.changed = True
            self._load(link.id)

    def action_add(self) -> None:
        self.dismiss(LinksAnswer(add=True, changed=self.changed))

    def action_close(self) -> None:
        self.dismiss(LinksAnswer(changed=self.changed))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("remove", "add"):
            return self.can_edit
        return True


def _label(link: PlanLinkInfo) -> Content:
    title = link.title if link.title is not None else "(a thread that is not yours)"
    return Content.assemble((f"{link.words:<14}", "$accent"), title)
