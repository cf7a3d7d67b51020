"""Pick a resource of the enabled MCP servers to attach to the message being written: every
resource their last check listed (name, server, URI, type, size when the server says), found
by typing part of any of those. One already attached is marked, and choosing it again takes
it off the message."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from promptterm.services.validation import strip_controls
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.format import size

# Types a message can carry as text; others are marked (the server may still send text).
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/yaml")


@dataclass(frozen=True)
class ResourceChoice:
    server: str  # the server's name
    server_id: uuid.UUID
    uri: str
    name: str
    mime_type: str | None
    size: int | None
    attached: bool = False

    @property
    def key(self) -> str:
        return f"{self.server_id}\x1f{self.uri}"


class ResourcePickerScreen(ModalScreen[ResourceChoice | None]):
    CSS_PATH = css_path("modals.tcss", "chat.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="resources-cancel"),
        # The filter keeps the focus: the arrows move through the list under it.
        Binding("down", "move(1)", "Next", show=False, id="resources-next"),
        Binding("up", "move(-1)", "Previous", show=False, id="resources-previous"),
    ]

    def __init__(self, choices: list[ResourceChoice], empty: str) -> None:
        """``empty``: what to say when there is nothing to list (no server, no resource)."""
        super().__init__(classes="dialog")
        self.choices = choices
        self.empty = empty
        self.shown: list[ResourceChoice] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Input(placeholder="type to filter", id="resources-filter", compact=True)
            yield OptionList(id="resources-options", compact=True)
            yield Static(
                "enter attach (or take off) · ↑↓ move · esc cancel · servers: area 8",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = "Attach a resource to the message"
        self._show("")
        self.query_one(Input).focus()

    @on(Input.Changed, "#resources-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, query: str) -> None:
        words = query.lower().split()
        self.shown = [c for c in self.choices if all(w in _haystack(c) for w in words)]
        items: list[Option] = [Option(_label(c), id=c.key) for c in self.shown]
        if not self.choices:
            items.append(Option(Content.styled(self.empty, "italic"), disabled=True))
        elif not self.shown:
            text = f"No resource matches {strip_controls(query)!r}."
            items.append(Option(Content.styled(text, "italic"), disabled=True))
        options = self.query_one(OptionList)
        options.set_options(items)
        if self.shown:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            now = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, now + step))

    @on(Input.Submitted, "#resources-filter")
    def _submitted(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and index < len(self.shown):
            self.dismiss(self.shown[index])

    @on(OptionList.OptionSelected, "#resources-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        chosen = next((c for c in self.shown if c.key == event.option.id), None)
        if chosen is not None:
            self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _haystack(choice: ResourceChoice) -> str:
    return " ".join((choice.name, choice.uri, choice.server, choice.mime_type or "")).lower()


def _label(choice: ResourceChoice) -> Content:
    facts = [strip_controls(choice.uri)]
    if choice.mime_type:
        mime = strip_controls(choice.mime_type)
        binary = not mime.startswith(TEXT_TYPES)
        facts.append(f"{mime}, not text" if binary else mime)
    if choice.size is not None:
        facts.append(size(choice.size))
    head = Content.assemble(
        ("✓ " if choice.attached else "  "),
        (strip_controls(choice.name), "bold"),
        (f"  {strip_controls(choice.server)}", "dim"),
    )
    if choice.attached:
        head = Content.assemble(head, ("  attached: enter takes it off", "$text-success"))
    return Content.assemble(head, "\n", ("    " + " · ".join(facts), "dim"))
