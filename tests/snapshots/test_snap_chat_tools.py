"""Snapshots of a thread with tool calls at 80x24 and 120x40: the answer that asked (each
call with its arguments), a result folded to one line, a denied call, the final answer,
and the thread's tools in the bar; then the approval dialog over a live send.

Deterministic: a fixed clock, sequential ids, seeded rows; the dialog's call comes from the
loopback LLM server and waits for a key, so nothing on screen depends on timing.
Baselines: snapshots/test_snap_chat_tools/*.svg (see conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from textual.pilot import Pilot

from promptterm.services.chat.tools.registry import set_tool_resolver
from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.tool_approval import ToolApprovalScreen
from promptterm.ui.chat.widgets.thread_list import ThreadList
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.tool_sources import FunctionTools, read_file
from ui.chat.scenarios import add_local_provider, at, chat_llm, wait_for
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text
from ui.scenarios import LARGE, SMALL

__all__ = ["chat_llm"]  # a fixture

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]


def seed_tool_thread(services: Services, clock: FixedClock) -> None:
    add_local_provider(services)
    chat = services.chat
    at(clock, 15, 9, 20)
    thread = chat.create_thread(title="Release notes", provider="local", model="test-model")
    services.chat_send.tools.set(thread.id, ["files", "web:search"])
    chat.add_message(thread.id, "user", "What changed in the last release?")
    calls = [
        {
            "id": "call_1",
            "name": "files__read",
            "label": "files:read",
            "arguments": {"path": "CHANGELOG.md", "lines": [1, 40]},
            "raw": None,
            "error": None,
        },
        {
            "id": "call_2",
            "name": "web__search",
            "label": "web:search",
            "arguments": {"query": "promptterm 2.1 release"},
            "raw": None,
            "error": None,
        },
    ]
    chat.add_message(
        thread.id,
        "assistant",
        "Let me look at the changelog.",
        tokens_in=310,
        tokens_out=42,
        provider="local",
        model="test-model",
        cost_usd=Decimal(0),
        tool={"calls": calls},
    )
    result = {
        "result_of": "call_1",
        "name": "files__read",
        "label": "files:read",
        "decision": "once",
        "is_error": False,
        "seconds": 0.04,
    }
    changelog = (
        "## 2.1.0\n- Tools in chat: approve once, always or deny\n- Faster search\n"
        "- Fixed: export kept empty messages"
    )
    chat.add_message(thread.id, "user", changelog, tool=result)
    denied = {
        "result_of": "call_2",
        "name": "web__search",
        "label": "web:search",
        "decision": "deny",
        "is_error": True,
        "seconds": 0.0,
    }
    chat.add_message(
        thread.id, "user", "The user denied this tool call; do not try it again.", tool=denied
    )
    chat.add_message(
        thread.id,
        "assistant",
        "Version 2.1.0 adds **tools in chat**, makes search faster and fixes the export.",
        tokens_in=520,
        tokens_out=21,
        provider="local",
        model="test-model",
        cost_usd=Decimal(0),
    )
    clock.set(clock() + timedelta(minutes=10))


async def open_chat_keys(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_thread_with_tool_calls(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """Calls with their arguments under the answer that asked, a result folded to one line
    (o expands), a denied call in the error colour, the final answer; ⚙ tools in the bar."""
    seed_tool_thread(ui_services, clock)
    assert snap_compare(make_app(), terminal_size=size, run_before=open_chat_keys)


@pytest.fixture
def files() -> Iterator[FunctionTools]:
    source = FunctionTools("files", read=read_file)
    set_tool_resolver(lambda name: source if name == "files" else None)
    yield source
    set_tool_resolver(None)


@pytest.mark.parametrize("size", SIZES)
def test_tool_approval_dialog(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    chat_llm: LLMServer,
    files: FunctionTools,
    size: tuple[int, int],
) -> None:
    """The model asks to run files:read: the call and its arguments pretty-printed (a long
    text cut with "…", w shows it whole), and the keys."""
    add_local_provider(ui_services, chat_llm.openai_url)
    at(clock, 15, 9, 20)
    thread = ui_services.chat.create_thread(
        title="Read a file", provider="local", model="test-model"
    )
    ui_services.chat_send.tools.set(thread.id, ["files"])
    # Nested (indented), and a text too long to show whole: cut with "…", w shows it.
    why = "To see how the app wires its areas, keys and palette before " * 3
    arguments = json.dumps(
        {"path": "src/promptterm/app.py", "lines": {"from": 1, "to": 80}, "why": why}
    )
    chat_llm.push(
        Script(text="", tool_calls=[{"id": "c1", "name": "files__read", "arguments": arguments}])
    )

    async def run_before(pilot: Pilot[None]) -> None:
        await open_chat_keys(pilot)
        # The thread's bar is drawn from its first read before the send: a read finishing
        # after the question was stored showed its tokens instead, by chance.
        stats = pilot.app.screen.query_one("#chat-bar-stats")
        await wait_for(pilot, lambda: str(stats.render()).endswith(" 0 tok · $0"))
        await type_text(pilot, "Show me the app's first lines")
        await pilot.press("ctrl+j")

        def drawn() -> bool:
            shown = pilot.app.screen
            return isinstance(shown, ToolApprovalScreen) and bool(
                shown.query("#tool-approval-text")
            )

        await wait_for(pilot, drawn)
        # Behind the dialog, bar and list count the first round's tokens once the app has
        # read the thread again after storing it.
        chat = pilot.app.screen_stack[-2]
        [listed] = chat.query(ThreadList).results(ThreadList)
        await wait_for(pilot, lambda: not str(stats.render()).endswith(" 0 tok · $0"))
        await wait_for(pilot, lambda: any(t.total_tokens for t in listed.threads))
        await pilot.pause()  # the dialog is laid out (the send waits on it: never settles)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
