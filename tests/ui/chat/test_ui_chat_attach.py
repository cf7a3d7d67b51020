"""Attaching an MCP resource from the chat, nothing faked: the SDK test server over stdio
(started through a script the test can later break, as a server that goes down), registered
and checked through the registry; the loopback LLM server answers. ctrl+o (or the palette)
lists the resources, typing filters them, enter attaches the chosen one's text to the
message being written; it shows above the composer, can be taken off before sending, goes
with the message and stays with it after a restart. Refusals are said in place and the
typed draft stays."""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest
from textual.widgets import OptionList

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.services.mcp import attachment_block, check_server, with_attachments
from promptterm.ui.chat.dialogs.resources import ResourcePickerScreen
from promptterm.ui.chat.screen import ChatScreen
from support.llm_server import LLMServer, Script
from support.mcp_fixtures import SERVER, memory_keyring  # noqa: F401
from support.mcp_server import BIG, README
from ui.chat.scenarios import chat_llm, drawn_at_their_widths, live, open_chat, views, wait_for
from ui.chat.test_ui_chat_tools import open_thread
from ui.editor.test_ui_editor import highlighted_command
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text
from ui.scenarios import SMALL

__all__ = ["chat_llm", "live"]  # fixtures

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("memory_keyring")]


@pytest.fixture
def launcher(tmp_path: Path) -> Path:
    """A script that starts the test server over stdio (with its long and binary resources);
    rewritten, it is a server that no longer starts."""
    script = tmp_path / "server.sh"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{SERVER}" --stdio --resources\n')
    script.chmod(0o755)
    return script


@pytest.fixture
def registered(live: Services, launcher: Path) -> Services:
    live.mcp.add_stdio("local", str(launcher), [])
    info = anyio.run(check_server, live.mcp, "local", 60.0)
    assert info.status == "active", info.last_error
    return live


def picker(app: PromptTermApp) -> ResourcePickerScreen | None:
    """The picker once it lists something: its list is composed a step before it is filled
    (there is always a line, an empty one says so)."""
    screen = app.screen
    if not isinstance(screen, ResourcePickerScreen):
        return None
    options = screen.query("#resources-options").results(OptionList)
    return screen if any(o.option_count for o in options) else None


def listed(app: PromptTermApp) -> list[str]:
    screen = picker(app)
    assert screen is not None
    options = screen.query_one(OptionList)
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


def line(screen: ChatScreen) -> str:
    widget = screen.attacher.line
    return str(widget.render()) if widget.display else ""


def notice(screen: ChatScreen) -> str:
    return str(screen.notice.render()) if screen.notice.display else ""


async def attach(pilot: object, app: PromptTermApp, query: str) -> None:
    """ctrl+o, type ``query`` into the picker's filter, enter."""
    await pilot.press("ctrl+o")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: picker(app) is not None)  # type: ignore[arg-type]
    await type_text(pilot, query)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, ChatScreen))  # type: ignore[arg-type]


async def test_ctrl_o_attaches_a_resource_that_goes_with_the_message_and_stays_after_restart(
    make_app: AppFactory, registered: Services, chat_llm: LLMServer
) -> None:
    thread = registered.chat.create_thread(title="Notes", provider="local", model="test-model")
    chat_llm.push(Script(text="Two lines of notes."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await open_thread(pilot, screen, thread.id)
        await type_text(pilot, "summarise this")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: picker(app) is not None)
        every = listed(app)
        assert len(every) == 3
        assert "logo  local" in every[0] and "image/png, not text" in every[0]
        assert "readme  local" in every[2] and "notes://readme · text/plain" in every[2]
        await type_text(pilot, "read")  # filters by name, URI, server or type
        await wait_for(pilot, lambda: len(listed(app)) == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "notes://readme" in line(screen))
        assert f"📎 local:notes://readme · {len(README)} chars" in line(screen)
        assert screen.composer.text == "summarise this"  # the draft is untouched
        assert screen.focused is screen.composer
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        await settle(pilot)
        assert line(screen) == "" and screen.composer.text == ""
        await drawn_at_their_widths(pilot, app)
        before = [v.text.plain for v in views(app)]
    sent = with_attachments("summarise this", [attachment_block("local", "notes://readme", README)])
    assert chat_llm.requests[0].body["messages"][-1] == {"role": "user", "content": sent}
    [question, _] = registered.chat.messages(thread.id)
    assert question.content == sent
    assert sent in registered.chat_export.to_markdown(thread.id)
    assert "These are the test server's notes." in before[0]

    again = make_app()
    async with again.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await open_thread(pilot, screen, thread.id)
        await drawn_at_their_widths(pilot, again)
        assert [v.text.plain for v in views(again)] == before


async def test_from_the_palette_and_chosen_again_it_comes_off_before_sending(
    make_app: AppFactory, registered: Services, chat_llm: LLMServer
) -> None:
    chat_llm.push(Script(text="Hello."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)  # the new-thread state
        await type_text(pilot, "hello")
        await pilot.press("ctrl+p")
        await type_text(pilot, "chat: attach resource")
        await wait_until_command(pilot, app, "Attach resource")
        await pilot.press("enter")
        await wait_for(pilot, lambda: picker(app) is not None)
        await type_text(pilot, "readme")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "notes://readme" in line(screen))
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: picker(app) is not None)
        assert "✓ readme" in listed(app)[2] and "enter takes it off" in listed(app)[2]
        await type_text(pilot, "readme")
        await pilot.press("enter")
        await wait_for(pilot, lambda: line(screen) == "")
        assert screen.composer.text == "hello"
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
    assert chat_llm.requests[0].body["messages"][-1] == {"role": "user", "content": "hello"}


async def wait_until_command(pilot: object, app: PromptTermApp, words: str) -> None:
    await wait_for(pilot, lambda: words in highlighted_command(app))  # type: ignore[arg-type]


async def test_long_binary_and_a_server_gone_are_said_in_words_and_the_draft_stays(
    make_app: AppFactory, registered: Services, launcher: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "my draft")
        await attach(pilot, app, "logo")
        await wait_for(pilot, lambda: "Not attached" in notice(screen))
        assert "binary content" in notice(screen)
        assert "still in the box" in notice(screen)
        assert line(screen) == ""
        await attach(pilot, app, "long")
        await wait_for(pilot, lambda: "notes://long" in line(screen))
        assert "20,000 chars (cut)" in line(screen)
        assert f"has {BIG:,} characters: the first 20,000 go with the message" in notice(screen)
        launcher.write_text("#!/bin/sh\necho 'cannot start: disk gone' >&2\nexit 3\n")
        await attach(pilot, app, "readme")
        await wait_for(pilot, lambda: "Not attached" in notice(screen))
        assert "Could not read notes://readme from local" in notice(screen)
        assert "code 3" in notice(screen)
        assert screen.composer.text == "my draft"
        assert "notes://long" in line(screen) and "readme" not in line(screen)


async def test_each_thread_keeps_its_own_attachments_as_it_keeps_its_draft(
    make_app: AppFactory, registered: Services
) -> None:
    chat = registered.chat
    first = chat.create_thread(title="First", provider="local", model="test-model")
    second = chat.create_thread(title="Second", provider="local", model="test-model")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await open_thread(pilot, screen, first.id)
        await attach(pilot, app, "readme")
        await wait_for(pilot, lambda: "notes://readme" in line(screen))
        await open_thread(pilot, screen, second.id)
        assert line(screen) == ""
        await open_thread(pilot, screen, first.id)
        assert "notes://readme" in line(screen)
