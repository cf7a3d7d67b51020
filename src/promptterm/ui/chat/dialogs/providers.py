"""Provider entries: the named endpoints threads talk to. Add, edit, test (a tiny real
request) and remove them; the key itself is the key manager's business (f9)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static
from textual.worker import Worker

from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.common.errors import report_failed_worker
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.chat.providers import ProviderCheck, ProviderInfo
    from promptterm.services.facade import Services

KINDS = ("openai-compatible", "anthropic")
INTRO = (
    "openai-compatible covers OpenAI, Ollama (http://localhost:11434/v1), vLLM, llama.cpp, "
    "LM Studio and OpenRouter; anthropic is Claude's API."
)


class ProvidersScreen(ModalScreen[None]):
    CSS_PATH = css_path("modals.tcss", "chat.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="providers-add"),
        Binding("e", "edit", "Edit", id="providers-edit"),
        Binding("t", "test", "Test", id="providers-test"),
        Binding("x,delete", "remove", "Remove", id="providers-remove"),
        Binding("escape", "close", "Close", id="providers-close"),
    ]

    @dataclass
    class Loaded(Message):
        entries: list[ProviderInfo]
        read: int = 0  # its number in ProvidersScreen.reads (an older read is not shown)

    @dataclass
    class Tested(Message):
        check: ProviderCheck

    @dataclass
    class Changed(Message):
        note: str

    def __init__(self, services: Services) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.entries: list[ProviderInfo] = []
        self._showing_empty_hint = False
        self.reads = ReadOrder()  # read again after each change: the newest read is shown

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            table: DataTable[str] = DataTable(id="providers-table", cursor_type="row")
            table.add_columns("Name", "Kind", "Base URL", "Default model", "Key")
            yield table
            yield Static("", id="providers-result")
            yield Static("a add · e edit · t test · x remove · esc close", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = "Providers"
        self.query_one("#providers-result", Static).display = False
        self.query_one(DataTable).focus()
        self._load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)

    @work(thread=True, exclusive=True, exit_on_error=False, group="providers-load")
    def _load(self) -> None:
        read = self.reads.start()
        self.post_message(self.Loaded(self.services.providers.list(), read))

    def on_providers_screen_loaded(self, message: Loaded) -> None:
        if not self.reads.is_newest(message.read):
            return  # read before a change whose own read is shown
        self.entries = message.entries
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for e in message.entries:
            key = (
                f"${e.key_env}"
                if e.key_env
                else e.key_nickname or ("none" if e.is_local else "auto")
            )
            table.add_row(e.name, e.kind, e.base_url, e.default_model or "-", key, key=str(e.id))
        if message.entries:
            table.move_cursor(row=min(max(row, 0), len(message.entries) - 1))
            if self._showing_empty_hint:
                # The hint described the empty table; a stale one next to a row reads as a lie.
                self.query_one("#providers-result", Static).display = False
                self._showing_empty_hint = False
        else:
            self._say(Content.styled("No provider yet: press a to add one.", "italic"))
            self._showing_empty_hint = True

    def on_providers_screen_changed(self, message: Changed) -> None:
        self.notify(message.note)
        self._load()

    def _say(self, text: Content | str) -> None:
        result = self.query_one("#providers-result", Static)
        result.update(text)
        result.display = True
        self._showing_empty_hint = False

    def _selected(self) -> ProviderInfo | None:
        table = self.query_one(DataTable)
        if not self.entries or table.cursor_row < 0:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)]

    # Actions ---------------------------------------------------------------------------------

    def action_add(self) -> None:
        fields = [
            Field("name", "Name", placeholder="e.g. local, openai, claude"),
            Field("kind", "Kind", value=KINDS[0], choices=KINDS),
            Field("base_url", "Base URL", placeholder="empty: the kind's official API"),
            Field("default_model", "Model", placeholder="default model, e.g. llama3.2"),
            Field("key_env", "Key from env", placeholder="optional, e.g. MY_API_KEY"),
        ]

        def submit(values: dict[str, str]) -> ProviderInfo:
            return self.services.providers.add(
                values["name"],
                values["kind"],
                base_url=values["base_url"].strip() or None,
                default_model=values["default_model"].strip() or None,
                key_env=values["key_env"].strip() or None,
            )

        def done(entry: ProviderInfo | None) -> None:
            if entry is not None:
                self.post_message(self.Changed(f"Added provider {entry.name!r}; t tests it."))

        form = FormScreen("Add a provider", fields, submit, submit_label="Add", intro=INTRO)
        self.app.push_screen(form, done)

    def action_edit(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        fields = [
            Field("name", "Name", value=entry.name),
            Field("base_url", "Base URL", value=entry.base_url),
            Field("default_model", "Model", value=entry.default_model or ""),
            Field("key_env", "Key from env", value=entry.key_env or ""),
        ]

        def submit(values: dict[str, str]) -> ProviderInfo:
            return self.services.providers.update(
                entry.id,
                name=values["name"],
                base_url=values["base_url"],
                default_model=values["default_model"].strip() or None,
                key_env=values["key_env"].strip() or None,
            )

        def done(changed: ProviderInfo | None) -> None:
            if changed is not None:
                self.post_message(self.Changed(f"Saved provider {changed.name!r}."))

        form = FormScreen(f"Edit provider {entry.name}", fields, submit, submit_label="Save")
        self.app.push_screen(form, done)

    def action_test(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        self._say(Content.styled(f"Testing {entry.name}…", "dim"))
        self._test(entry.name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="providers-test")
    def _test(self, name: str) -> None:
        self.post_message(self.Tested(self.services.providers.test(name)))

    def on_providers_screen_tested(self, message: Tested) -> None:
        check = message.check
        if check.ok:
            reply = " ".join(check.reply.split())[:40]
            text = Content.assemble(
                ("✓ ", "$text-success"),
                f"{check.provider} ({check.model}) answered {reply!r} in {check.seconds:.2f} s.",
            )
        else:
            text = Content.assemble(
                ("✗ ", "$text-error"), f"{check.provider} ({check.model}): {check.error}"
            )
        self._say(text)

    def action_remove(self) -> None:
        entry = self._selected()
        if entry is None:
            return
        question = (
            f"Remove provider {entry.name!r}? Threads that use it keep their messages; they "
            "need another provider to continue."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._remove(entry.name)

        self.app.push_screen(
            ConfirmScreen("Remove provider", question, confirm_label="Remove"), done
        )

    @work(thread=True, exit_on_error=False, group="providers-write")
    def _remove(self, name: str) -> None:
        removed = self.services.providers.remove(name)
        self.post_message(self.Changed(f"Removed provider {removed!r}."))

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    def action_close(self) -> None:
        self.dismiss(None)
