"""How a server reads in the list and the details pane: status as a word and a colour
(never colour alone), last check relative to now, latency, and what the check found."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from promptterm.services.mcp import McpServerInfo
from promptterm.ui.common.widgets.format import ago

CHECKING = "checking…"
# Theme variables only: the words carry the meaning, the colour repeats it. The quiet
# states are italic in the text's own colour ($text-muted does not resolve inside a cell).
STATUS_STYLE = {
    "healthy": "bold $success",
    "failing": "bold $error",
    "not checked": "italic",
    "disabled": "italic",
    CHECKING: "bold $warning",
}


def status_word(server: McpServerInfo, checking: bool) -> str:
    if checking:
        return CHECKING
    if not server.enabled:
        return "disabled"
    return {"active": "healthy", "error": "failing"}.get(server.status, "not checked")


def status_cell(server: McpServerInfo, checking: bool) -> Content:
    word = status_word(server, checking)
    return Content.styled(word, STATUS_STYLE[word])


def checked_cell(server: McpServerInfo, now: datetime) -> str:
    return ago(server.last_health_check, now) if server.last_health_check else "never"


def latency_cell(server: McpServerInfo) -> str:
    return "-" if server.latency_ms is None else f"{server.latency_ms} ms"


def details(server: McpServerInfo, now: datetime, checking: bool) -> Content:
    """The pane beside the list: where it is, how the last check went, what it offers."""
    parts: list[Content] = [
        Content.styled(server.name, "bold"),
        Content(f"  {server.transport} · "),
        status_cell(server, checking),
        Content(f"\n{server.endpoint}\n"),
    ]
    if server.description:
        parts.append(Content(f"{server.description}\n"))
    secrets = [*server.env_names, *server.header_names]
    if secrets:
        parts.append(Content(f"secrets (in the keyring): {', '.join(secrets)}\n"))
    if server.last_health_check:
        parts.append(Content(f"checked {checked_cell(server, now)}, {latency_cell(server)}\n"))
    if server.last_error:
        parts.append(Content.styled(f"{server.last_error}\n", "$error"))
    if server.server_version:
        parts.append(Content(f"{server.server_version} · protocol {server.protocol_version}\n"))
    if server.tools:
        total = server.tools_tokens or 0
        parts.append(Content.styled(f"\nTools ({len(server.tools)}, {total} tokens)\n", "bold"))
        for tool in server.tools:
            words = (tool.description or "").splitlines()[0] if tool.description else ""
            parts.append(Content(f"  {tool.name}  {tool.tokens} tok  {words}\n"))
    if server.prompts:
        parts.append(Content.styled(f"\nPrompts ({len(server.prompts)}) · i imports\n", "bold"))
        for prompt in server.prompts:
            names = ", ".join(a + ("" if req else "?") for a, _, req in prompt.arguments)
            parts.append(Content(f"  {prompt.name}({names})  {prompt.description}\n"))
    if server.resources:
        parts.append(Content.styled(f"\nResources ({len(server.resources)})\n", "bold"))
        for res in server.resources:
            parts.append(Content(f"  {res.uri}  {res.name}\n"))
    return Content("").join(parts)
