"""The MCP server registry: add, edit, enable, remove servers, and record their checks.

A server is its owner's; an HTTP server may be shared with a workspace, whose members then see
it and may check and use it (with their own header values), but only its owner changes it.
"""

from __future__ import annotations

import re
import shlex
import uuid
from dataclasses import asdict
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, or_, select

from promptterm.db.models import McpCheck, McpServer
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, Forbidden, NotFound, ValidationError
from promptterm.services.mcp import secrets
from promptterm.services.mcp.models import CheckInfo, McpServerInfo, check_info, server_info
from promptterm.services.mcp.probe import Probe
from promptterm.services.mcp.spec import ServerSpec
from promptterm.services.validation import clean_name, optional_text, plain

KEEP_CHECKS = 20
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")


def check_server_name(name: str) -> str:
    return clean_name(name, "name", label="Name", min_len=1, max_len=100)


def _names(values: dict[str, str], pattern: re.Pattern[str], what: str) -> list[str]:
    for name, value in values.items():
        if not pattern.match(name):
            raise ValidationError(f"{name!r} is not a valid {what} name.", what)
        if not value:
            raise ValidationError(f"Give a value for the {what} {name}.", what)
    return list(values)


def _url(url: str) -> str:
    url = plain((url or "").strip(), "url", "URL")
    if not re.match(r"^https?://[^\s/]+", url):
        raise ValidationError("The URL must start with http:// or https://.", "url")
    if "@" in url.split("/")[2]:
        # user:password@host would put a secret in the database: headers go to the keyring.
        raise ValidationError(
            "Leave the password out of the URL; give it as a header (kept in the keyring), "
            "e.g. Authorization.",
            "url",
        )
    return url


class McpService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- reading ---------------------------------------------------------------------------

    def list(self, *, enabled_only: bool = False) -> list[McpServerInfo]:
        stmt = select(McpServer).where(self._visible()).order_by(col(McpServer.name))
        if enabled_only:
            stmt = stmt.where(col(McpServer.enabled).is_(True))
        with self.ctx.db.session() as session:
            return [server_info(row, self.ctx.user_id) for row in session.exec(stmt).all()]

    def get(self, ref: str | uuid.UUID) -> McpServerInfo:
        with self.ctx.db.session() as session:
            return server_info(self._find(session, ref), self.ctx.user_id)

    def history(self, ref: str | uuid.UUID, limit: int = KEEP_CHECKS) -> list[CheckInfo]:
        with self.ctx.db.session() as session:
            server = self._find(session, ref)
            rows = session.exec(
                select(McpCheck)
                .where(McpCheck.server_id == server.id, McpCheck.user_id == self.ctx.user_id)
                .order_by(col(McpCheck.checked_at).desc())
                .limit(limit)
            ).all()
            return [check_info(r) for r in rows]

    def spec(self, ref: str | uuid.UUID) -> ServerSpec:
        """How to connect, with the secrets from the keyring (never stored anywhere else)."""
        return spec_of(self.get(ref))

    # -- writing ---------------------------------------------------------------------------

    def add_stdio(
        self,
        name: str,
        command: str,
        args: list[str] | None = None,
        *,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
        description: str | None = None,
        enabled: bool = True,
    ) -> McpServerInfo:
        """Register a server started as ``command args`` (``env``: NAME -> secret value)."""
        command = plain((command or "").strip(), "command", "Command")
        if not command:
            raise ValidationError("Give the command that starts the server.", "command")
        args = [plain(a, "args", "Argument") for a in (args or [])]
        env = dict(env or {})
        row = McpServer(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            name=check_server_name(name),
            description=optional_text(description, "description", label="Description", max_len=500),
            transport="stdio",
            command=command,
            args=args,
            cwd=optional_text(cwd, "cwd", label="Working folder", max_len=1000),
            env_names=_names(env, ENV_NAME, "environment variable"),
            endpoint=shlex.join([command, *args])[:2000],
            enabled=enabled,
        )
        return self._insert(row, {("env", k): v for k, v in env.items()})

    def add_http(
        self,
        name: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        description: str | None = None,
        workspace_id: uuid.UUID | None = None,
        enabled: bool = True,
    ) -> McpServerInfo:
        """Register a streamable HTTP server (``headers``: NAME -> secret value, e.g. a
        bearer token as ``{"Authorization": "Bearer ..."}``)."""
        headers = dict(headers or {})
        clean = _url(url)
        row = McpServer(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            workspace_id=workspace_id,
            name=check_server_name(name),
            description=optional_text(description, "description", label="Description", max_len=500),
            transport="http",
            url=clean,
            header_names=_names(headers, HEADER_NAME, "header"),
            endpoint=clean,
            enabled=enabled,
        )
        if workspace_id is not None:
            self._check_can_share(workspace_id)
        return self._insert(row, {("header", k): v for k, v in headers.items()})

    def edit(
        self,
        ref: str | uuid.UUID,
        *,
        name: str | None = None,
        description: str | None = None,
        command: str | None = None,
        args: list[str] | None = None,
        cwd: str | None = None,
        url: str | None = None,
    ) -> McpServerInfo:
        with self.ctx.db.session() as session:
            row = self._owned(session, ref)
            if name is not None:
                row.name = check_server_name(name)
            if description is not None:
                row.description = optional_text(
                    description, "description", label="Description", max_len=500
                )
            if row.transport == "stdio":
                if command is not None:
                    row.command = plain(command.strip(), "command", "Command") or row.command
                if args is not None:
                    row.args = [plain(a, "args", "Argument") for a in args]
                if cwd is not None:
                    row.cwd = optional_text(cwd, "cwd", label="Working folder", max_len=1000)
                row.endpoint = shlex.join([row.command or "", *row.args])[:2000]
            elif url is not None:
                row.url = row.endpoint = _url(url)
            row.updated_at = self.ctx.now()
            session.add(row)
            self._flush_named(session, row.name)
            return server_info(row, self.ctx.user_id)

    def set_enabled(self, ref: str | uuid.UUID, enabled: bool) -> McpServerInfo:
        with self.ctx.db.session() as session:
            row = self._owned(session, ref)
            row.enabled = enabled
            if not enabled:
                row.status = "inactive"
            row.updated_at = self.ctx.now()
            session.add(row)
            return server_info(row, self.ctx.user_id)

    def remove(self, ref: str | uuid.UUID) -> McpServerInfo:
        with self.ctx.db.session() as session:
            row = self._owned(session, ref)
            info = server_info(row, self.ctx.user_id)
            session.delete(row)
        for n in info.env_names:
            secrets.forget(info.id, "env", n)
        for n in info.header_names:
            secrets.forget(info.id, "header", n)
        return info

    def record(self, server_id: uuid.UUID, found: Probe) -> McpServerInfo:
        """Keep what a check found: on the server's row when it is one's own, and in one's
        check history (the newest KEEP_CHECKS per server)."""
        now = self.ctx.now()
        status = "active" if found.ok else "error"
        with self.ctx.db.session() as session:
            row = self._find(session, server_id)
            if row.user_id == self.ctx.user_id:
                row.status = status
                row.last_health_check = now
                row.latency_ms = found.latency_ms
                row.last_error = found.error
                if found.ok:
                    row.protocol_version = found.protocol_version
                    row.server_version = _version(found)
                    row.tool_count = len(found.tools)
                    row.prompt_count = len(found.prompts)
                    row.resource_count = len(found.resources)
                    row.tools_tokens = found.tools_tokens
                    row.meta = {**(row.meta or {}), "found": _found(found)}
                session.add(row)
            session.add(
                McpCheck(
                    id=self.ctx.new_id(),
                    server_id=row.id,
                    user_id=self.ctx.user_id,
                    checked_at=now,
                    status=status,
                    latency_ms=found.latency_ms,
                    error=found.error,
                    tool_count=len(found.tools) if found.ok else None,
                )
            )
            session.flush()
            keep = (
                select(McpCheck.id)
                .where(McpCheck.server_id == row.id, McpCheck.user_id == self.ctx.user_id)
                .order_by(col(McpCheck.checked_at).desc())
                .limit(KEEP_CHECKS)
            )
            session.exec(  # type: ignore[call-overload]
                delete(McpCheck).where(
                    col(McpCheck.server_id) == row.id,
                    col(McpCheck.user_id) == self.ctx.user_id,
                    col(McpCheck.id).not_in(keep.scalar_subquery()),
                )
            )
            return server_info(row, self.ctx.user_id)

    # -- helpers ---------------------------------------------------------------------------

    def _visible(self) -> Any:
        from promptterm.db.models import WorkspaceMember

        mine = select(WorkspaceMember.workspace_id).where(
            WorkspaceMember.user_id == self.ctx.user_id
        )
        return or_(
            col(McpServer.user_id) == self.ctx.user_id,
            col(McpServer.workspace_id).in_(mine),
        )

    def _check_can_share(self, workspace_id: uuid.UUID) -> None:
        from promptterm.db.models import WorkspaceMember

        with self.ctx.db.session() as session:
            role = session.exec(
                select(WorkspaceMember.role).where(
                    WorkspaceMember.workspace_id == workspace_id,
                    WorkspaceMember.user_id == self.ctx.user_id,
                )
            ).first()
        if role not in ("owner", "admin", "member"):
            raise Forbidden("Only the workspace's owner, admins and members can share a server.")

    def _insert(self, row: McpServer, values: dict[tuple[str, str], str]) -> McpServerInfo:
        now = self.ctx.now()
        row.created_at = row.updated_at = now
        with self.ctx.db.session() as session:
            session.add(row)
            self._flush_named(session, row.name)
            # Secrets last: if the keyring refuses, the row rolls back with nothing pointing
            # at a value that is not there.
            for (kind, name), value in values.items():
                secrets.store(row.id, kind, name, value)
            return server_info(row, self.ctx.user_id)

    def _flush_named(self, session: Session, name: str) -> None:
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict(f"You already have an MCP server called {name!r}.") from exc

    def _find(self, session: Session, ref: str | uuid.UUID) -> McpServer:
        try:
            server_id = ref if isinstance(ref, uuid.UUID) else uuid.UUID(ref)
        except ValueError:
            server_id = None
        stmt = select(McpServer).where(self._visible())
        if server_id is not None:
            stmt = stmt.where(McpServer.id == server_id)
        else:
            stmt = stmt.where(McpServer.name == ref)
        rows = session.exec(stmt.order_by(col(McpServer.user_id) != self.ctx.user_id)).all()
        if not rows:
            raise NotFound(f"There is no MCP server {str(ref)!r}: see `promptterm mcp list`.")
        return rows[0]  # one's own first when a shared server has the same name

    def _owned(self, session: Session, ref: str | uuid.UUID) -> McpServer:
        row = self._find(session, ref)
        if row.user_id != self.ctx.user_id:
            raise Forbidden(f"{row.name!r} is shared with you; only its owner can change it.")
        return row


def spec_of(info: McpServerInfo, *, with_secrets: bool = True) -> ServerSpec:
    """How to connect to ``info``'s server, with the secrets from the keyring (never stored
    anywhere else); ``with_secrets=False``: without them, to word an error."""
    load = secrets.load if with_secrets else lambda *_: None
    env = {n: v for n in info.env_names if (v := load(info.id, "env", n))}
    headers = {n: v for n in info.header_names if (v := load(info.id, "header", n))}
    return ServerSpec(
        id=info.id,
        name=info.name,
        transport=info.transport,
        command=info.command,
        args=info.args,
        cwd=info.cwd,
        url=info.url,
        env=env,
        headers=headers,
    )


def _version(found: Probe) -> str | None:
    if not found.server_name and not found.server_version:
        return None
    return " ".join(x for x in (found.server_name, found.server_version) if x)[:200]


def _found(found: Probe) -> dict[str, Any]:
    return {
        "tools": [asdict(t) for t in found.tools],
        "prompts": [asdict(p) for p in found.prompts],
        "resources": [asdict(r) for r in found.resources],
    }
