"""Tools in the chat screen, against the loopback LLM server and a ToolSource of plain
functions connected through the registry hook: approve once, deny, always (the second call
is not asked), esc in the dialog and esc while a tool runs stop the loop, a result folded
to one line and expanded with o."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from textual.app import App
from textual.pilot import Pilot

from promptterm.services.chat.tools.registry import set_tool_resolver
from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.tool_approval import ToolApprovalScreen
from promptterm.ui.chat.messages import ThreadChanged
from promptterm.ui.chat.screen import ChatScreen
from support.llm_server import LLMServer, Script
from support.tool_sources import FunctionTools
from ui.chat.scenarios import chat_llm, live, open_chat, views, wait_for
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text
from ui.scenarios import SMALL

__all__ = ["chat_llm", "live"]  # fixtures

pytestmark = pytest.mark.anyio

ESC = "\x1b[2J"  # a model's arguments and a tool's output may carry terminal controls


def call(n: int) -> dict[str, str]:
    # The escape is escaped in the JSON, as JSON requires; it is a real ESC once parsed.
    arguments = f'{{"path": "n{n}\\u001b[2J.md"}}'
    return {"id": f"call_{n}", "name": "files__read", "arguments": arguments}


def asks(n: int) -> Script:
    return Script(text="", tool_calls=[call(n)], chunk_bytes=11)


class Tools:
    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.block = False

        async def read(path: str) -> str:
            """Read a file"""
            if self.block:
                await self.release.wait()
            return f"first line of {path}\nsecond line{ESC}\nthird line"

        self.source = FunctionTools("files", read=read)


@pytest.fixture
def tools(live: Services) -> Iterator[Tools]:
    made = Tools()
    set_tool_resolver(lambda name: made.source if name == "files" else None)
    yield made
    set_tool_resolver(None)


def tool_thread(live: Services) -> uuid.UUID:
    thread = live.chat.create_thread(title="Tool use", provider="local", model="test-model")
    live.chat_send.tools.set(thread.id, ["files"])
    return thread.id


async def open_thread(pilot: Pilot[None], screen: ChatScreen, thread_id: uuid.UUID) -> None:
    screen.open_thread(thread_id)
    await wait_for(pilot, lambda: screen.thread is not None and screen.thread.id == thread_id)
    await settle(pilot)


async def send(pilot: Pilot[None], text: str) -> None:
    await type_text(pilot, text)
    await pilot.press("ctrl+j")


def asking(app: App[None]) -> ToolApprovalScreen | None:
    """The approval dialog once it is up and drawn (its keys work from then on)."""
    screen = app.screen
    if isinstance(screen, ToolApprovalScreen) and screen.query("#tool-approval-text"):
        return screen
    return None


async def sent_until_asked(
    pilot: Pilot[None], thread_id: uuid.UUID, text: str = "read it"
) -> ChatScreen:
    """The chat open on the thread, ``text`` sent, and the first tool call's dialog up."""
    screen = await open_chat(pilot)
    await open_thread(pilot, screen, thread_id)
    await send(pilot, text)
    await wait_for(pilot, lambda: asking(pilot.app) is not None)
    return screen


async def loop_ended(pilot: Pilot[None], screen: ChatScreen) -> None:
    """The send and its tool rounds over, the transcript drawn."""
    await wait_for(pilot, lambda: screen.job is None)
    await settle(pilot)


async def test_approve_once_runs_the_tool_and_the_result_shows_folded_then_expanded(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, tools: Tools
) -> None:
    thread_id = tool_thread(live)
    chat_llm.push(asks(1), Script(text="The file has three lines."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await open_thread(pilot, screen, thread_id)
        assert "⚙ files" in str(screen.bar.query_one("#chat-bar-stats").render())
        await send(pilot, "read it")
        await wait_for(pilot, lambda: asking(app) is not None)
        dialog = asking(app)
        assert dialog is not None
        shown = str(dialog.query_one("#tool-approval-title").render())
        arguments = str(dialog.query_one("#tool-approval-text").render())
        assert "files:read" in shown and '"path": "n1\\u001b[2J.md"' in arguments
        assert "\x1b" not in arguments
        await pilot.press("y")
        await loop_ended(pilot, screen)
        roles = [(v.message.role, v.is_tool_result) for v in views(app)]
        assert roles == [
            ("user", False),
            ("assistant", False),
            ("user", True),
            ("assistant", False),
        ]
        asked, result, answer = views(app)[1:]
        assert "⚙ files:read" in asked.text.plain and "\x1b" not in asked.text.plain
        assert answer.content == "The file has three lines."
        # Folded: the head and one line; o expands it to every line, o folds it again.
        folded = result.text.plain.split("\n")
        assert len(folded) == 2 and "tool result" in folded[0] and "approved once" in folded[0]
        assert folded[1].startswith("↳ first line of n1[2J.md second line[2J third line")
        screen.transcript.focus()
        screen.transcript.move_cursor(2)
        await settle(pilot)
        await pilot.press("o")
        await wait_for(pilot, lambda: result.expanded)
        assert result.text.plain.split("\n")[1:] == [
            "first line of n1[2J.md",
            "second line[2J",
            "third line",
        ]
        await pilot.press("o")
        await wait_for(pilot, lambda: not result.expanded)
    assert len(tools.source.calls) == 1


async def test_deny_does_not_run_the_tool_and_the_model_answers(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, tools: Tools
) -> None:
    thread_id = tool_thread(live)
    chat_llm.push(asks(1), Script(text="Fine, I will not read it."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await sent_until_asked(pilot, thread_id)
        await pilot.press("n")
        await loop_ended(pilot, screen)
        result, answer = views(app)[2:]
        assert "tool error" in result.text.plain and "denied" in result.text.plain
        assert answer.content == "Fine, I will not read it."
    assert tools.source.calls == []


async def test_always_is_asked_once_and_the_second_call_runs_without_asking(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, tools: Tools
) -> None:
    thread_id = tool_thread(live)
    chat_llm.push(asks(1), asks(2), Script(text="Read both."))
    app = make_app()
    dialogs: list[ToolApprovalScreen] = []
    async with app.run_test(size=SMALL) as pilot:
        screen = await sent_until_asked(pilot, thread_id, "read both")
        dialogs.append(asking(app))  # type: ignore[arg-type]
        await pilot.press("a")
        await wait_for(pilot, lambda: screen.job is None or asking(app) not in (None, dialogs[0]))
        assert asking(app) is None, "the second call was asked about"
        await loop_ended(pilot, screen)
        assert views(app)[-1].content == "Read both."
        assert "approved always" in views(app)[-2].text.plain
    assert len(tools.source.calls) == 2
    assert live.chat_send.tools.get(thread_id).always == ("files:read",)


async def test_esc_in_the_dialog_stops_the_loop(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, tools: Tools
) -> None:
    thread_id = tool_thread(live)
    chat_llm.push(asks(1), Script(text="never sent"))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await sent_until_asked(pilot, thread_id)
        await pilot.press("escape")
        await loop_ended(pilot, screen)
        assert "Stopped while the tools ran." in str(screen.notice.render())
        assert "stopped" in views(app)[-1].text.plain
    assert tools.source.calls == [] and len(chat_llm.requests) == 1


async def test_esc_while_the_tool_runs_stops_the_loop(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, tools: Tools
) -> None:
    thread_id = tool_thread(live)
    tools.block = True  # the tool runs until released: never, the user presses esc
    chat_llm.push(asks(1), Script(text="never sent"))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await sent_until_asked(pilot, thread_id)
        await pilot.press("y")
        await wait_for(pilot, lambda: len(tools.source.calls) == 1)
        running = "⚙ Running files:read… esc stops it."
        await wait_for(pilot, lambda: str(screen.notice.render()) == running)
        await pilot.press("escape")
        await loop_ended(pilot, screen)
        assert "Stopped while the tools ran." in str(screen.notice.render())
    assert len(chat_llm.requests) == 1
    stored = live.chat.messages(thread_id)[-1]
    assert stored.tool is not None and stored.tool["decision"] == "stopped"


async def test_f12_sets_the_threads_tools_and_the_bar_shows_them(
    make_app: AppFactory, live: Services
) -> None:
    from promptterm.ui.common.dialogs.form import FormScreen

    thread = live.chat.create_thread(title="No tools yet", provider="local", model="test-model")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await open_thread(pilot, screen, thread.id)
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await type_text(pilot, "files, web:search")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen))
        bar = screen.bar.query_one("#chat-bar-stats")
        await wait_for(pilot, lambda: "⚙ files" in str(bar.render()))
        assert screen.thread is not None and screen.thread.tools == ("files", "web:search")
    assert live.chat_send.tools.get(thread.id).tools == ("files", "web:search")


async def test_while_a_tool_is_asked_about_the_bar_counts_the_round_stored(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, tools: Tools
) -> None:
    # The bar was read again only when the send started: behind the dialog it showed the
    # tokens before the round or after it, whichever way that read raced the round's write.
    thread_id = tool_thread(live)
    chat_llm.push(asks(1), Script(text="Fine, I will not read it."))
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await sent_until_asked(pilot, thread_id)
        totals = live.chat.totals(thread_id)
        assert totals.tokens > 0
        stats = screen.bar.query_one("#chat-bar-stats")
        counted = f" {totals.tokens} tok · "
        await wait_for(pilot, lambda: counted in str(stats.render()))
        # A re-read from before the round that lands late does not undo the newer one.
        early = replace(totals, tokens=0)
        thread = live.chat.get_thread(thread_id)
        screen.post_message(ThreadChanged(thread, early, "read early", False, order=1))
        await wait_for(pilot, lambda: "read early" in notes(app))
        assert counted in str(stats.render())
        await pilot.press("n")
        await loop_ended(pilot, screen)
