"""Snapshots of attaching an MCP resource in the chat at 80x24 and 120x40: the picker over a
thread with a draft (each resource's name, server, URI, type and size; a binary one marked;
a disabled server's left out); and at 80x24 one read from the SDK test server, on its line
above the composer.

Deterministic: a fixed clock, sequential ids; what the checks found is recorded through the
service (no server runs). Baselines: snapshots/test_snap_chat_attach/*.svg.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio
import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.services.mcp import check_server
from promptterm.services.mcp.probe import Probe, ResourceDef
from promptterm.ui.chat.dialogs.resources import ResourcePickerScreen
from promptterm.ui.chat.screen import ChatScreen
from support.clock import FixedClock
from support.mcp_fixtures import memory_keyring, stdio_command  # noqa: F401
from ui.chat.scenarios import add_local_provider, at, wait_for
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]
pytestmark = pytest.mark.usefixtures("memory_keyring")


def seed(services: Services, clock: FixedClock) -> None:
    add_local_provider(services)
    at(clock, 15, 9, 20)
    thread = services.chat.create_thread(title="Weekly notes", provider="local", model="test-model")
    services.chat.add_message(thread.id, "user", "What is left for this week?")
    services.chat.add_message(thread.id, "assistant", "Attach your notes and I will sort them.")
    mcp = services.mcp
    files = mcp.add_stdio("files", "npx", ["-y", "@modelcontextprotocol/server-filesystem"])
    issues = mcp.add_http("issues", "https://mcp.example.test/mcp")
    off = mcp.add_stdio("scratch", "./server.py", enabled=False)
    found = {
        files.id: (
            ResourceDef("file:///notes/todo.md", "todo.md", "text/markdown", 1_234),
            ResourceDef("file:///notes/ideas.md", "ideas.md", "text/markdown", 18_940),
            ResourceDef("file:///notes/whiteboard.png", "whiteboard.png", "image/png", 482_113),
        ),
        issues.id: (ResourceDef("issues://open", "Open issues", "application/json"),),
        off.id: (ResourceDef("scratch://x", "scratch", "text/plain"),),
    }
    for server_id, resources in found.items():
        mcp.record(server_id, Probe(ok=True, latency_ms=40, resources=resources))


@pytest.mark.parametrize("size", SIZES)
def test_resource_picker(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    seed(ui_services, clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await type_text(pilot, "Sort these by urgency")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ResourcePickerScreen))
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_attached_above_the_composer(
    snap_compare: SnapCompare, make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    """The resource read from the SDK test server (stdio) waits on its line above the box."""
    seed(ui_services, clock)
    ui_services.mcp.add_stdio("local", *stdio_command())
    checked = anyio.run(check_server, ui_services.mcp, "local", 60.0)
    assert checked.status == "active", checked.last_error

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await type_text(pilot, "Sort these by urgency")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ResourcePickerScreen))
        await type_text(pilot, "readme")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChatScreen))
        chat = pilot.app.screen
        assert isinstance(chat, ChatScreen)
        await wait_for(pilot, lambda: chat.attacher.line.display and not chat.notice.display)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)
