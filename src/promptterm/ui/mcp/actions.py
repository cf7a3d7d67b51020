"""What the MCP screen's keys do. Forms and the confirmation come from ui/common; writes and
checks run in thread workers that post ServersChanged, CheckStarted and CheckDone."""

from __future__ import annotations

import shlex
import uuid
from typing import TYPE_CHECKING

from textual import work

from promptterm.services.errors import ValidationError
from promptterm.ui.common.area_screen import AreaScreen
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.mcp.messages import CheckDone, CheckStarted, ServersChanged

if TYPE_CHECKING:
    from promptterm.services.mcp import McpServerInfo

NEEDS_SERVER = {"edit", "remove", "toggle", "check", "import_prompt"}


def _secrets(text: str) -> dict[str, str]:
    """``NAME=value`` pairs, separated by spaces (a value with spaces in quotes)."""
    found: dict[str, str] = {}
    for pair in shlex.split(text or ""):
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValidationError(f"Write each secret as NAME=value, not {pair[:20]!r}.", "secret")
        found[name] = value
    return found


def _command(text: str) -> list[str]:
    try:
        words = shlex.split(text or "")
    except ValueError as exc:
        raise ValidationError(f"The command line does not parse: {exc}.", "command") from exc
    if not words:
        raise ValidationError("Give the command that starts the server.", "command")
    return words


class McpActions(AreaScreen):
    servers: list[McpServerInfo]
    checking: set[uuid.UUID]

    @property
    def highlighted(self) -> McpServerInfo | None:  # the screen's
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NEEDS_SERVER:
            server = self.highlighted
            if server is None:
                return False
            if action == "import_prompt":
                return bool(server.prompts)
            if action in ("edit", "remove", "toggle"):
                return server.owned
        if action == "check_all":
            return any(s.enabled for s in self.servers)
        return True

    # Add, edit, remove, switch ------------------------------------------------------------

    def action_add(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        fields = [
            Field("name", "Name", placeholder="files"),
            Field("transport", "Transport", "stdio", choices=("stdio", "http")),
            Field("command", "Command", placeholder="npx -y server-files ~/notes (stdio)"),
            Field("cwd", "Folder", placeholder="where it starts (stdio, optional)"),
            Field("url", "URL", placeholder="https://host/mcp (http)"),
            Field("secret", "Secrets", placeholder="NAME=value (keyring)", password=True),
            Field("description", "About", placeholder="optional"),
        ]
        intro = (
            "Secrets are environment variables (stdio) or headers (http), such as "
            "Authorization='Bearer …'; they go to the OS keyring only."
        )
        form = FormScreen("Add an MCP server", fields, self._add, submit_label="Add", intro=intro)
        self.app.push_screen(form, self._saved)

    def _add(self, values: dict[str, str]) -> McpServerInfo:
        mcp, secret = self.services.mcp, _secrets(values["secret"])
        if values["transport"] == "http":
            return mcp.add_http(
                values["name"], values["url"], headers=secret, description=values["description"]
            )
        words = _command(values["command"])
        return mcp.add_stdio(
            values["name"],
            words[0],
            words[1:],
            cwd=values["cwd"] or None,
            env=secret,
            description=values["description"],
        )

    def _saved(self, server: McpServerInfo | None) -> None:
        if server is not None:
            self.post_message(
                ServersChanged(f"Saved {server.name}. Press c to check it.", server.id)
            )

    def action_edit(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        server = self.highlighted
        if server is None:
            return
        where = (
            Field("url", "URL", server.url or "")
            if server.transport == "http"
            else Field("command", "Command", shlex.join([server.command or "", *server.args]))
        )
        fields = [Field("name", "Name", server.name), where]
        if server.transport == "stdio":
            fields.append(Field("cwd", "Folder", server.cwd or ""))
        fields.append(Field("description", "About", server.description or ""))

        def save(values: dict[str, str]) -> McpServerInfo:
            words = _command(values["command"]) if "command" in values else None
            return self.services.mcp.edit(
                server.id,
                name=values["name"],
                description=values["description"],
                command=words[0] if words else None,
                args=words[1:] if words else None,
                cwd=values.get("cwd"),
                url=values.get("url"),
            )

        form = FormScreen(f"Edit {server.name}", fields, save, submit_label="Save")
        self.app.push_screen(form, self._saved)

    def action_remove(self) -> None:
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        server = self.highlighted
        if server is None:
            return
        message = (
            f"Remove the MCP server {server.name}, its check history and the secrets "
            "stored for it in the keyring? Threads keep what its tools answered."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(server.id)

        self.app.push_screen(
            ConfirmScreen("Remove MCP server", message, confirm_label="Remove"), answered
        )

    @work(thread=True, exit_on_error=False, group="mcp-write")
    def _remove(self, server_id: uuid.UUID) -> None:
        gone = self.services.mcp.remove(server_id)
        self.post_message(ServersChanged(f"Removed {gone.name}."))

    def action_toggle(self) -> None:
        server = self.highlighted
        if server is not None:
            self._switch(server.id, not server.enabled)

    @work(thread=True, exit_on_error=False, group="mcp-write")
    def _switch(self, server_id: uuid.UUID, on: bool) -> None:
        server = self.services.mcp.set_enabled(server_id, on)
        self.post_message(ServersChanged(f"{server.name} is {'on' if on else 'off'}.", server.id))

    # Checks -------------------------------------------------------------------------------

    def action_check(self) -> None:
        server = self.highlighted
        if server is not None and server.id not in self.checking:
            self._check([server.id])

    def action_check_all(self) -> None:
        ids = [s.id for s in self.servers if s.enabled and s.id not in self.checking]
        if ids:
            self._check(ids)

    @work(thread=True, exit_on_error=False, group="mcp-check")
    def _check(self, ids: list[uuid.UUID]) -> None:
        from promptterm.services.mcp import run_checks

        for server_id in ids:  # every row says so at once: the rest wait their turn
            self.post_message(CheckStarted(server_id))
        run_checks(
            self.services.mcp,
            list(ids),
            on_done=lambda server: self.post_message(CheckDone(server)),
        )

    def action_refresh(self) -> None:
        self.post_message(ServersChanged(""))

    # Prompts ------------------------------------------------------------------------------

    def action_import_prompt(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen

        server = self.highlighted
        if server is None or not server.prompts:
            return
        names = tuple(p.name for p in server.prompts)
        fields = [Field("prompt", "Prompt", names[0], choices=names)]

        def bring(values: dict[str, str]) -> str:
            from promptterm.services.mcp import import_prompt

            made = import_prompt(self.services.ctx, server.id, values["prompt"])
            return made.name

        def done(name: str | None) -> None:
            if name:
                self.notify(f"Imported {name!r} into the library (4: Library, prompts).")

        form = FormScreen(
            f"Import a prompt from {server.name}", fields, bring, submit_label="Import"
        )
        self.app.push_screen(form, done)
