"""A card's links (o on the board): what it blocks, relates to or duplicates, and the cards
that link to it, files and threads too. Enter follows a link: the board's cursor goes to a
card, a file opens in the editor, a thread in the chat. A link whose file was deleted (or
that vanished with its thread meanwhile) says so and offers its removal. d removes a link,
L links to another card, a file or a thread."""

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
from promptterm.services.validation import strip_controls
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.facade import Services


@dataclass(frozen=True)
class LinksAnswer:
    """``follow``: the card to put the cursor on; ``open``: a file or thread link to open in
    its area; ``add``: open the picker; ``changed``: a link was removed (the board's markers
    need reading again)."""

    follow: uuid.UUID | None = None
    open: PlanLinkInfo | None = None
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
        Binding(
            "L",
            "add",
            "Link…",
            id="plan-links-add",
            tooltip="Link to another card, a file or a thread",
        ),
        Binding("escape", "close", "Close", id="plan-links-close", tooltip="Back to the board"),
    ]

    @dataclass
    class Loaded(Message):
        links: list[PlanLinkInfo]
        error: str = ""
        read: int = 0  # its number in CardLinksScreen.reads (an older read is not shown)

    @dataclass
    class Checked(Message):
        """A file or thread link read again before it is followed: None when it is gone."""

        link: PlanLinkInfo | None
        error: str = ""

    def __init__(self, services: Services, card: PlanCard, *, can_edit: bool) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.card = card
        self.can_edit = can_edit
        self.links: list[PlanLinkInfo] = []
        self.changed = False
        # Each removal reads the links again in a worker of its own (d twice: two threads):
        # an answer read before the one shown is not shown over it.
        self.reads = ReadOrder()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.styled(self.card.name, "bold"), id="plan-links-card")
            yield OptionList(id="plan-links-list", compact=True)
            keys = "enter open · esc close"
            if self.can_edit:
                keys = "enter open · d remove · L link · esc close"
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
            read = self.reads.start()
            links = self.services.plan_links.links(self.card.id)
        except ServiceError as exc:
            links, error, read = self.links, exc.message, 0
        self.post_message(self.Loaded(links, error, read))

    def on_card_links_screen_loaded(self, message: Loaded) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=8)
        if not self.reads.is_newest(message.read):
            return  # read before a removal whose own read is shown (or nothing read: 0)
        self.links = message.links
        options = self.query_one(OptionList)
        keep = options.highlighted or 0
        items = [Option(_label(link), id=str(n)) for n, link in enumerate(message.links)]
        if not items:
            hint = " Press L to link it to a card, a file or a thread." if self.can_edit else ""
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
        if link.target_kind == "card":
            self.dismiss(LinksAnswer(follow=link.target_id, changed=self.changed))
        else:
            self._check(link.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-links-check")
    def _check(self, link_id: uuid.UUID) -> None:
        try:
            self.post_message(self.Checked(self.services.plan_links.link_info(link_id)))
        except ServiceError as exc:
            self.post_message(self.Checked(None, exc.message))

    def on_card_links_screen_checked(self, message: Checked) -> None:
        link = message.link
        if link is None:
            # The thread was deleted (its link with it) or someone removed the link.
            self.notify(message.error, severity="warning", timeout=8)
            self.changed = True
            self._load()
        elif link.gone:
            self._offer_removal(link)
        elif link.title is None:
            self.notify("That thread is a teammate's: only they can open it.")
        else:
            self.dismiss(LinksAnswer(open=link, changed=self.changed))

    def _offer_removal(self, link: PlanLinkInfo) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        question = f"The file {link.title!r} was deleted (it is in the editor's trash)."
        if not self.can_edit:
            self.notify(f"{question} Nothing to open.", severity="warning", timeout=8)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.changed = True
                self._load(link.id)

        dialog = ConfirmScreen(
            "Deleted file", f"{question} Remove the link?", confirm_label="Remove link"
        )
        self.app.push_screen(dialog, answered)

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
    title = strip_controls(link.title) if link.title is not None else "(a teammate's thread)"
    # A file or thread link reads "file", "thread": the column stays as wide as a card's.
    said = link.words if link.target_kind == "card" else link.target_kind
    words = (f"{said:<14}", "$accent")
    if link.gone:
        return Content.assemble(words, (title, "strike dim"), ("  deleted, in the trash", "$error"))
    return Content.assemble(words, title)
