"""MCP resources attached to the message being written: a part the chat screen holds.

ctrl+o (or the palette) lists the enabled servers' resources in a picker; the one chosen is
read through the services (``read_attachment``, in a thread worker) and shown on a line
above the composer until the message is sent, when its block goes after the typed text
(as ``promptterm ask --resource`` does) and is stored with the message. Choosing an attached
one again takes it off. Each thread keeps its own, as it keeps its own draft; a refusal
(the server is down, the resource is binary) is said in place and the draft is untouched.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual.widgets import Static

from promptterm.services.validation import strip_controls
from promptterm.ui.chat.dialogs.resources import ResourceChoice, ResourcePickerScreen
from promptterm.ui.common.errors import describe

if TYPE_CHECKING:
    from promptterm.services.mcp import Attachment
    from promptterm.ui.chat.sending import ChatSending

Key = uuid.UUID | None  # the thread; None: the new thread not made yet
NO_SERVERS = "No MCP server is switched on. Add and check one in the MCP area (8)."
NO_RESOURCES = "The switched-on MCP servers list no resources (as last checked; c in area 8)."


class ResourceAttacher:
    def __init__(self, screen: ChatSending) -> None:
        self.screen = screen
        self.line = Static(id="chat-attachments", markup=False)
        self._attached: dict[Key, list[Attachment]] = {}

    def of(self, key: Key) -> list[Attachment]:
        return list(self._attached.get(key, ()))

    # Choosing ------------------------------------------------------------------------------

    def begin(self) -> None:
        key = self.screen.drafts.key
        self.screen.run_worker(
            lambda: self._list(key), thread=True, exit_on_error=False, group="chat-attach"
        )

    def _list(self, key: Key) -> None:
        servers = self.screen.services.mcp.list(enabled_only=True)
        attached = {(a.server, a.uri) for a in self.of(key)}
        choices = [
            ResourceChoice(
                s.name,
                s.id,
                r.uri,
                r.name,
                r.mime_type,
                r.size,
                attached=(s.name, r.uri) in attached,
            )
            for s in servers
            for r in s.resources
        ]
        choices.sort(key=lambda c: (c.server.casefold(), c.name.casefold(), c.uri))
        empty = NO_RESOURCES if servers else NO_SERVERS
        self.screen.app.call_from_thread(self._pick, key, choices, empty)

    def _pick(self, key: Key, choices: list[ResourceChoice], empty: str) -> None:
        def chosen(choice: ResourceChoice | None) -> None:
            if choice is None:
                return
            if choice.attached:
                self.remove(key, choice.server, choice.uri)
                self.screen.notify(f"{strip_controls(choice.name)} is off the message.")
                return
            what = f"{strip_controls(choice.uri)} from {strip_controls(choice.server)}"
            self.screen.show_notice(f"Reading {what}…")
            self.screen.run_worker(
                lambda: self._read(key, choice), thread=True, exit_on_error=False
            )

        self.screen.app.push_screen(ResourcePickerScreen(choices, empty), chosen)

    def _read(self, key: Key, choice: ResourceChoice) -> None:
        import asyncio

        from promptterm.services.mcp import read_attachment

        ctx = self.screen.services.ctx
        try:
            attachment = asyncio.run(read_attachment(ctx, choice.server_id, choice.uri))
        except Exception as exc:  # said in place: a failed read must never end the app
            self.screen.app.call_from_thread(self._failed, exc)
        else:
            self.screen.app.call_from_thread(self._add, key, attachment)

    def _add(self, key: Key, attachment: Attachment) -> None:
        kept = [
            a
            for a in self._attached.get(key, ())
            if (a.server, a.uri) != (attachment.server, attachment.uri)
        ]
        self._attached[key] = [*kept, attachment]
        self.redraw()
        if attachment.cut:
            self.screen.show_notice(
                f"⚠ {strip_controls(attachment.uri)} has {attachment.chars:,} characters: the "
                f"first {attachment.kept:,} go with the message.",
                "warning",
            )
        else:
            self.screen.hide_notice()

    def _failed(self, error: Exception) -> None:
        _title, text = describe(error)
        self.screen.show_notice(
            f"⚠ Not attached: {text} What you typed is still in the box.", "warning"
        )

    # Keeping -------------------------------------------------------------------------------

    def remove(self, key: Key, server: str, uri: str) -> None:
        left = [a for a in self._attached.get(key, ()) if (a.server, a.uri) != (server, uri)]
        self._set(key, left)

    def sent(self, key: Key, attachments: tuple[Attachment, ...]) -> None:
        """A send took these with it: they are in the thread now, off the composer."""
        self._set(key, [a for a in self._attached.get(key, ()) if a not in attachments])

    def adopt(self, thread_id: uuid.UUID) -> None:
        """The new thread was made: what was attached for it is that thread's now."""
        if None in self._attached:
            self._attached[thread_id] = self._attached.pop(None)
        self.redraw()

    def _set(self, key: Key, attachments: list[Attachment]) -> None:
        if attachments:
            self._attached[key] = attachments
        else:
            self._attached.pop(key, None)
        self.redraw()

    def redraw(self) -> None:
        """The line above the composer: what the thread in front has attached."""
        shown = self.of(self.screen.drafts.key)
        self.line.display = bool(shown)
        lines = [
            f"📎 {strip_controls(a.server)}:{strip_controls(a.uri)} · {a.kept:,} chars"
            + (" (cut)" if a.cut else "")
            for a in shown
        ]
        if shown:
            lines[-1] += " · ^o add/remove"  # short: it fits beside the list at 80 columns
        self.line.update("\n".join(lines))
