"""Snapshots of the MCP area (8) at 80x24 and 120x40: servers healthy (with the details of
one: tools and their tokens, prompts, resources), a failing one highlighted (the reason in
words), and every row checking.

Deterministic: what the checks found is recorded through the service (no server runs), on a
fixed clock with sequential ids. Baselines: snapshots/test_snap_mcp/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.services.mcp.probe import Probe, PromptDef, ResourceDef, ToolDef
from promptterm.ui.mcp.messages import CheckStarted
from support.clock import FixedClock
from support.mcp_fixtures import memory_keyring  # noqa: F401
from ui.fixtures import AppFactory
from ui.helpers import settle
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]
pytestmark = pytest.mark.usefixtures("memory_keyring")


def registry(services: Services, clock: FixedClock) -> None:
    mcp = services.mcp
    files = mcp.add_stdio(
        "files", "npx", ["-y", "@modelcontextprotocol/server-filesystem", "~/notes"]
    )
    hosted = mcp.add_http(
        "issues",
        "https://mcp.example.test/mcp",
        headers={"Authorization": "Bearer planted-token-1"},
        description="The team's issue tracker",
    )
    broken = mcp.add_stdio("search", "uvx", ["mcp-search"], env={"SEARCH_KEY": "k-123456"})
    mcp.add_stdio("scratch", "./server.py", enabled=False)
    tools = (
        ToolDef("read_file", "Read a file's text", {"type": "object"}, 58),
        ToolDef("write_file", "Write text to a file", {"type": "object"}, 71),
        ToolDef("list_directory", "List a folder", {"type": "object"}, 49),
    )
    mcp.record(
        files.id,
        Probe(
            ok=True,
            latency_ms=412,
            protocol_version="2025-11-25",
            server_name="secure-filesystem-server",
            server_version="0.6.2",
            tools=tools,
            prompts=(PromptDef("summarize", "Summarize a file", (("path", "", True),)),),
            resources=(ResourceDef("file:///notes/todo.md", "todo.md", "text/markdown"),),
        ),
    )
    clock.advance(minutes=3)
    mcp.record(
        hosted.id,
        Probe(
            ok=True,
            latency_ms=88,
            protocol_version="2026-07-28",
            server_name="issues",
            server_version="2.1.0",
            tools=(ToolDef("create_issue", "Open an issue", {"type": "object"}, 120),),
        ),
    )
    mcp.record(
        broken.id,
        Probe(
            ok=False,
            latency_ms=1290,
            error="the server exited with code 1 at initialize — stderr: error: SEARCH_KEY "
            "is not valid",
        ),
    )
    clock.advance(minutes=7)


def keys(
    *pressed: str, then: Callable[[Pilot[None]], None] | None = None
) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in ("8", *pressed):
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            then(pilot)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_healthy(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    registry(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_failing(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    registry(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("down", "down", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_checking(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """What a check-all shows while it runs: posted as the check worker posts it."""
    registry(ui_services, clock)

    def all_checking(pilot: Pilot[None]) -> None:
        for server in ui_services.mcp.list(enabled_only=True):
            pilot.app.screen.post_message(CheckStarted(server.id))

    assert snap_compare(make_app(), terminal_size=size, run_before=keys(then=all_checking))


def test_no_baseline_shows_a_secret() -> None:
    """The registry above plants a bearer token and an env value; the screens name them and
    never show them (the details pane lists secrets by name only)."""
    from pathlib import Path

    baselines = list((Path(__file__).parents[2] / "snapshots" / "test_snap_mcp").glob("*.svg"))
    assert len(baselines) == 6
    for svg in baselines:
        text = svg.read_text(encoding="utf-8")
        assert "planted-token-1" not in text and "k-123456" not in text, svg.name
        if "failing" in svg.name:
            assert "SEARCH_KEY" in text  # the name is shown
