"""The key manager: API keys by provider and nickname, when each was last used, which are
revoked. The secret is typed into a password field, goes to the OS keyring, and is never
shown again; where there is no keyring (an SSH box) the dialog says how to use the
environment instead."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from promptterm.services.errors import SecretStoreUnavailable
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.dialogs.form import FormScreen
from promptterm.ui.common.errors import describe, report_failed_worker
from promptterm.ui.common.read_order import ReadOrder
from promptterm.ui.common.relative_times import RelativeTimes, keep_times_fresh
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.format import ago

if TYPE_CHECKING:
    from promptterm.services.chat.api_keys import KeyInfo
    from promptterm.services.facade import Services

INTRO = (
    "Keys live in the OS keyring; promptterm's database keeps only the provider, nickname, "
    "last use and revocation. Environment variables work too: OPENAI_API_KEY, "
    "ANTHROPIC_API_KEY, or <PROVIDER>_API_KEY for a provider entry of that name."
)


class KeyForm(FormScreen["KeyInfo"]):
    """The add form, with the secret in a password field."""

    def on_mount(self) -> None:
        self.query_one("#field-secret", Input).password = True


class KeysScreen(RelativeTimes, ModalScreen[None]):
    CSS_PATH = css_path("modals.tcss", "chat.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="keys-add"),
        Binding("r", "rename", "Rename", id="keys-rename"),
        Binding("t", "test", "Test", id="keys-test"),
        Binding("x,delete", "revoke", "Revoke", id="keys-revoke"),
        Binding("escape", "close", "Close", id="keys-close"),
    ]

    @dataclass
    class Loaded(Message):
        keys: list[KeyInfo]
        providers: list[str]
        read: int = 0  # its number in KeysScreen.reads (an older read is not shown)

    @dataclass
    class Said(Message):
        text: Content

    @dataclass
    class Changed(Message):
        note: str

    @dataclass
    class NoKeyring(Message):
        error: SecretStoreUnavailable

    def __init__(self, services: Services, *, now: datetime) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.now = now
        self.keys: list[KeyInfo] = []
        self.providers: list[str] = []
        self.reads = ReadOrder()  # read again after each change: the newest read is shown

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Static(INTRO, classes="dialog-intro", markup=False)
            yield Static("", id="keys-keyring", markup=False)
            table: DataTable[str] = DataTable(id="keys-table", cursor_type="row")
            table.add_columns("Provider", "Nickname", "Last used", "Status")
            yield table
            yield Static("", id="keys-result")
            yield Static("a add · r rename · t test · x revoke · esc close", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = "API keys"
        self.query_one("#keys-keyring").display = False
        self.query_one("#keys-result").display = False
        self.query_one(DataTable).focus()
        self._load()
        keep_times_fresh(self, self.services.ctx.now)

    def retime(self, now: datetime) -> None:
        self.now = now
        if self.keys:  # "last used 5 minutes ago" in the table: draw it again, cursor kept
            self.on_keys_screen_loaded(self.Loaded(self.keys, self.providers, self.reads.shown))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)

    @work(thread=True, exclusive=True, exit_on_error=False, group="keys-load")
    def _load(self) -> None:
        read = self.reads.start()
        keys = self.services.api_keys.list(include_revoked=True)
        providers = [p.name for p in self.services.providers.list()]
        self.post_message(self.Loaded(keys, providers, read))

    def on_keys_screen_loaded(self, message: Loaded) -> None:
        if not self.reads.is_newest(message.read):
            return  # read before a change whose own read is shown
        # Active keys first, then the revoked ones (kept for the record).
        self.keys = sorted(message.keys, key=lambda k: (not k.active, k.provider, k.nickname))
        self.providers = message.providers
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for k in self.keys:
            used = ago(k.last_used_at, self.now) if k.last_used_at else "never"
            status = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
            table.add_row(k.provider, k.nickname, used, status, key=str(k.id))
        if not self.keys:
            self._say(Content.styled("No keys stored yet: press a to add one.", "italic"))
        else:
            table.move_cursor(row=min(max(row, 0), len(self.keys) - 1))

    def on_keys_screen_changed(self, message: Changed) -> None:
        if message.note:
            self.notify(message.note)
        self._load()

    def on_keys_screen_no_keyring(self, message: NoKeyring) -> None:
        self._no_keyring(message.error)

    def on_keys_screen_said(self, message: Said) -> None:
        self._say(message.text)

    def _say(self, text: Content | str) -> None:
        result = self.query_one("#keys-result", Static)
        result.update(text)
        result.display = True

    def _no_keyring(self, error: SecretStoreUnavailable) -> None:
        banner = self.query_one("#keys-keyring", Static)
        banner.update(f"⚠ {error.message}")
        banner.display = True

    def _selected(self) -> KeyInfo | None:
        table = self.query_one(DataTable)
        if not self.keys or table.cursor_row < 0:
            return None
        return self.keys[min(table.cursor_row, len(self.keys) - 1)]

    # Actions ---------------------------------------------------------------------------------

    def action_add(self) -> None:
        default = self.providers[0] if len(self.providers) == 1 else ""
        fields = [
            Field("provider", "Provider", value=default, placeholder="provider entry, e.g. openai"),
            Field("nickname", "Nickname", value="main", placeholder="e.g. work, personal"),
            Field("secret", "Secret", placeholder="paste the key; it is never shown again"),
        ]
        refused: list[SecretStoreUnavailable] = []

        def submit(values: dict[str, str]) -> KeyInfo:
            try:
                return self.services.api_keys.add(
                    values["provider"], values["nickname"], values["secret"]
                )
            except SecretStoreUnavailable as exc:
                refused.append(exc)
                raise

        def done(key: KeyInfo | None) -> None:
            if key is not None:
                self.post_message(self.Changed(f"Stored the {key.provider} key {key.nickname!r}."))
            elif refused:
                self._no_keyring(refused[-1])

        self.app.push_screen(KeyForm("Add an API key", fields, submit, submit_label="Add"), done)

    def action_rename(self) -> None:
        key = self._selected()
        if key is None:
            return
        fields = [Field("nickname", "Nickname", value=key.nickname)]

        def submit(values: dict[str, str]) -> KeyInfo:
            return self.services.api_keys.rename(key.id, values["nickname"])

        def done(renamed: KeyInfo | None) -> None:
            if renamed is not None:
                self.post_message(self.Changed(f"Renamed the key to {renamed.nickname!r}."))

        title = f"Rename the {key.provider} key {key.nickname}"
        self.app.push_screen(FormScreen(title, fields, submit, submit_label="Rename"), done)

    def action_test(self) -> None:
        key = self._selected()
        if key is None:
            return
        if not key.active:
            self._say(Content.styled("That key is revoked; add a new one to use it.", "italic"))
            return
        if key.provider not in self.providers:
            self._say(
                f"No provider entry is named {key.provider!r}, so nothing uses this key yet: "
                "add the provider (f10 in the chat) under that name to test it."
            )
            return
        self._say(Content.styled(f"Testing {key.provider} with this key…", "dim"))
        self._test(key.provider, key.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="keys-test")
    def _test(self, provider: str, key_id: uuid.UUID) -> None:
        try:
            check = self.services.providers.test(provider)
        except Exception as exc:  # a missing model, a keyring that went away...
            text = Content.assemble(("✗ ", "$text-error"), describe(exc)[1])
        else:
            if check.ok:
                text = Content.assemble(
                    ("✓ ", "$text-success"),
                    f"{provider} accepted the key ({check.model}, {check.seconds:.2f} s).",
                )
            else:
                text = Content.assemble(("✗ ", "$text-error"), check.error or "It failed.")
        self.post_message(self.Said(text))
        self.post_message(self.Changed(""))  # "last used" moved

    def action_revoke(self) -> None:
        key = self._selected()
        if key is None or not key.active:
            return
        question = (
            f"Revoke the {key.provider} key {key.nickname!r}? Its secret is deleted from the "
            "keyring; the entry stays, marked revoked. Revoke it at the provider too if it leaked."
        )

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._revoke(key.id)

        self.app.push_screen(ConfirmScreen("Revoke key", question, confirm_label="Revoke"), done)

    @work(thread=True, exit_on_error=False, group="keys-write")
    def _revoke(self, key_id: uuid.UUID) -> None:
        try:
            key = self.services.api_keys.revoke(key_id)
        except SecretStoreUnavailable as exc:
            self.post_message(self.NoKeyring(exc))
            raise
        self.post_message(self.Changed(f"Revoked the {key.provider} key {key.nickname!r}."))

    def action_close(self) -> None:
        self.dismiss(None)
