"""A registered MCP server used from the chat, nothing faked: the SDK test server over stdio,
registered and checked through the registry, connected to the chat the way the app's start
does it; the loopback LLM server asks for its ``add`` tool. f12 enables the server for the
thread, y approves the call, the answer shows, and a restart shows the same transcript."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest

from promptterm.services.chat.tools.registry import set_tool_resolver
from promptterm.services.facade import Services
from promptterm.services.mcp import check_server, connect_chat_tools
from promptterm.ui.chat.screen import ChatScreen
from promptterm.ui.common.dialogs.form import FormScreen
from support.llm_server import LLMServer, Script
from support.mcp_fixtures import memory_keyring, stdio_command  # noqa: F401
from ui.chat.scenarios import chat_llm, drawn_at_their_widths, live, open_chat, views, wait_for
from ui.chat.test_ui_chat_tools import asking, open_thread, send
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text
from ui.scenarios import SMALL

__all__ = ["chat_llm", "live"]  # fixtures

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("memory_keyring")]

ADD = {"id": "call_1", "name": "local__add", "arguments": '{"a": 20, "b": 22}'}


@pytest.fixture
def registered(live: Services) -> Iterator[Services]:
    live.mcp.add_stdio("local", *stdio_command())
    info = anyio.run(check_server, live.mcp, "local", 60.0)
    assert info.status == "active", info.last_error
    connect_chat_tools(lambda: live.ctx)
    yield live
    set_tool_resolver(None)


async def test_f12_enables_a_registered_server_and_its_tool_answers_after_y(
    make_app: AppFactory, registered: Services, chat_llm: LLMServer
) -> None:
    live = registered
    thread = live.chat.create_thread(title="Sums", provider="local", model="test-model")
    chat_llm.push(Script(text="", tool_calls=[ADD]), Script(text="20 and 22 make 42."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await open_thread(pilot, screen, thread.id)
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await type_text(pilot, "local")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen))
        await send(pilot, "what is 20+22?")
        await wait_for(pilot, lambda: asking(app) is not None)
        dialog = asking(app)
        assert dialog is not None
        assert "local:add" in str(dialog.query_one("#tool-approval-title").render())
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.job is None)
        await settle(pilot)
        await drawn_at_their_widths(pilot, app)
        before = [(v.message.role, v.is_tool_result, v.text.plain) for v in views(app)]
    assert [(role, tool) for role, tool, _ in before] == [
        ("user", False),
        ("assistant", False),
        ("user", True),
        ("assistant", False),
    ]
    assert "⚙ local:add" in before[1][2]
    assert "approved once" in before[2][2] and "↳ 42" in before[2][2]
    assert "20 and 22 make 42." in before[3][2]
    # What went back to the model was the real server's answer.
    assert chat_llm.requests[1].body["messages"][-1] == {
        "role": "tool",
        "tool_call_id": "call_1",
        "content": "42",
    }

    again = make_app()
    async with again.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await open_thread(pilot, screen, thread.id)
        await drawn_at_their_widths(pilot, again)
        after = [(v.message.role, v.is_tool_result, v.text.plain) for v in views(again)]
    assert after == before


async def test_f12_on_a_new_thread_makes_the_thread_with_those_tools(
    make_app: AppFactory, registered: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        assert screen.thread is None  # the new-thread state
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Enabled MCP servers: local." in " ".join(shown.split())
        await type_text(pilot, "local")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.thread is not None)
        bar = screen.bar.query_one("#chat-bar-stats")
        await wait_for(pilot, lambda: "⚙ local" in str(bar.render()))
        assert screen.thread is not None and screen.thread.tools == ("local",)
    [thread] = registered.chat.list_threads()
    assert registered.chat_send.tools.get(thread.id).tools == ("local",)
