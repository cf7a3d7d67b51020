"""Snapshots of the chat area at 80x24 (tmux over SSH) and 120x40: a thread with Markdown and
a code block, an answer frozen mid-stream and then stopped, an error, the preset history, a
long thread paged back, the key manager, search results and the empty state.

Deterministic: a fixed clock, sequential ids, seeded rows with fixed tokens and costs, no
cursor blink; the streaming one waits for a server that stalls after a fixed number of
tokens, so what is on screen does not depend on timing.
Baselines: snapshots/test_snap_chat/*.svg (see conftest.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import keyring
import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.ui.chat.screen import ChatScreen
from services.keyring_backend import MemoryKeyring
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.waiting import CEILING
from ui.chat.scenarios import (
    add_local_provider,
    at,
    chat,
    chat_llm,
    seed_chat,
    seed_huge_thread,
    seed_long_thread,
    views,
    wait_for,
)
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text, wait_until
from ui.scenarios import LARGE, SMALL

__all__ = ["chat_llm"]  # a fixture

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]
Run = Callable[[Pilot[None]], Awaitable[None]]

PLAN = (
    "Here is a plan:\n\n1. Read the **config** file\n2. Validate every key\n3. Write the "
    "result back with `save()`\n\nThen run the tests again and compare the output."
)
STALL_AFTER = 16  # tokens shown before the server goes quiet
STALL_SECONDS = 2 * CEILING  # quiet for longer than any wait: the capture never races it


def keys(*pressed: str, text: str = "", then: tuple[str, ...] = (), at_end: bool = False) -> Run:
    """Open the chat (3), press ``pressed``, type ``text``, press ``then``; settle between.
    ``at_end``: then wait for the thread to be scrolled to its end, as it opens."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("3")
        if pressed:  # they go over the thread or move in it: first it is drawn as it opens
            await wait_until(
                pilot,
                lambda: _drawn(pilot.app) and _at_end(pilot.app),
                "the thread drawn at its end",
                between=settle,
            )
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        if text:
            await type_text(pilot, text)
            await settle(pilot)
        for key in then:
            await pilot.press(key)
            await settle(pilot)
        if at_end:  # once laid out; on a busy machine the capture came a frame before it
            await wait_until(pilot, lambda: _at_end(pilot.app), "the end", between=settle)

    return run_before


def _drawn(app: object) -> bool:
    """The chat is laid out and each message made for the width it is drawn at. A dialog
    put over the chat (ctrl+f, f5, f9) freezes it as it was: a screen behind is not laid out
    again, and on a busy machine the search and the import were captured over a thread not
    yet drawn, or not yet scrolled to its end."""
    screen = app.screen  # type: ignore[attr-defined]
    if not isinstance(screen, ChatScreen):
        return False
    shown = screen.transcript.views
    return not (screen._layout_required or any(v._layout_required for v in shown)) and all(
        0 < v._width == v.content_size.width for v in shown
    )


def _at_end(app: object) -> bool:
    screen = app.screen  # type: ignore[attr-defined]
    transcript = getattr(screen, "transcript", None)
    return transcript is None or transcript.scroll_y == transcript.max_scroll_y


def streaming(stop: bool) -> Run:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys(text="Plan the config change")(pilot)
        await pilot.press("ctrl+j")
        app = pilot.app

        def stalled() -> bool:  # every token before the stall is on the screen
            shown = views(app)  # type: ignore[arg-type]
            return len(shown) == 2 and len(shown[1].content.split()) == STALL_AFTER

        await wait_for(pilot, stalled)
        await pilot.pause()  # the last burst is laid out
        if stop:
            await pilot.press("escape")
            await wait_for(pilot, lambda: chat(app).job is None)  # type: ignore[arg-type]
            await settle(pilot)

    return run_before


@pytest.fixture
def seeded(ui_services: Services, clock: FixedClock) -> None:
    seed_chat(ui_services, clock)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.mark.parametrize("size", SIZES)
def test_thread_with_markdown_and_code(
    snap_compare: SnapCompare, make_app: AppFactory, seeded: None, size: tuple[int, int]
) -> None:
    """The latest thread: a question, an answer with a heading, a list and highlighted
    Python; tokens and cost per message and for the thread; the composer has the focus."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys(at_end=True))


@pytest.mark.parametrize("size", SIZES)
def test_messages_focused(
    snap_compare: SnapCompare, make_app: AppFactory, seeded: None, size: tuple[int, int]
) -> None:
    """esc: the messages have the focus, the answer is selected, its keys in the Footer."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("escape", at_end=True))


@pytest.mark.parametrize("size", SIZES)
def test_filter_focused(
    snap_compare: SnapCompare, make_app: AppFactory, seeded: None, size: tuple[int, int]
) -> None:
    """esc, esc, tab: back in the box and on into the thread filter, which shows its focus
    bar, and the footer says typing goes there."""
    run = keys("escape", "escape", "tab", at_end=True)
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_streaming_frozen(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    chat_llm: LLMServer,
    size: tuple[int, int],
) -> None:
    """An answer mid-stream (the server stalls after a fixed number of tokens): "streaming…",
    esc Stop in the Footer."""
    add_local_provider(ui_services, chat_llm.openai_url)
    chat_llm.push(Script(text=PLAN, stall_after=STALL_AFTER, stall_seconds=STALL_SECONDS))
    assert snap_compare(make_app(), terminal_size=size, run_before=streaming(stop=False))


@pytest.mark.parametrize("size", SIZES)
def test_stopped_answer(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    chat_llm: LLMServer,
    size: tuple[int, int],
) -> None:
    """The same answer stopped with esc: the text so far kept, marked stopped, with its
    estimated ("~") tokens."""
    add_local_provider(ui_services, chat_llm.openai_url)
    chat_llm.push(Script(text=PLAN, stall_after=STALL_AFTER, stall_seconds=STALL_SECONDS))
    assert snap_compare(make_app(), terminal_size=size, run_before=streaming(stop=True))


@pytest.mark.parametrize("size", SIZES)
def test_error_answer(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """A send that failed after its retries: the answer says what went wrong and what to do."""
    add_local_provider(ui_services)
    at(clock, 15, 9, 20)
    thread = ui_services.chat.create_thread(provider="local", model="test-model")
    ui_services.chat.add_message(thread.id, "user", "Summarise the release notes.")
    message = (
        "Provider 'local' is rate limiting requests (HTTP 429) and asked to wait longer "
        "than promptterm waits; try again in a minute."
    )
    ui_services.chat.add_message(
        thread.id,
        "assistant",
        "",
        status="error",
        provider="local",
        model="test-model",
        meta={"error": {"kind": "rate limited", "message": message}},
    )
    clock.set(clock() + timedelta(minutes=10))
    assert snap_compare(make_app(), terminal_size=size, run_before=keys(at_end=True))


@pytest.mark.parametrize("size", SIZES)
def test_preset_history_in_the_thread(
    snap_compare: SnapCompare, make_app: AppFactory, seeded: None, size: tuple[int, int]
) -> None:
    """The review thread: its first preset and the switch to Reviewer, where they happened."""
    run = keys("shift+tab", "shift+tab", "down", "enter")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


def long_thread(*pressed: str) -> Run:
    """Open the chat on the long thread, wait until its end is drawn, press ``pressed``: the
    screen waited for, not a pause, so a busy machine shows the same one."""

    async def run_before(pilot: Pilot[None]) -> None:
        await keys()(pilot)
        transcript = chat(pilot.app).transcript  # type: ignore[arg-type]

        def at_end() -> bool:
            return transcript.scroll_y == transcript.max_scroll_y > 0

        await wait_until(pilot, at_end, "the long thread shown at its end")
        # Escape goes between the box and the messages: it starts from the box.
        composer = chat(pilot.app).composer  # type: ignore[arg-type]
        await wait_until(pilot, lambda: pilot.app.focused is composer, "the box focused")
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
            if key == "escape":
                await wait_until(pilot, lambda: pilot.app.focused is transcript, "the messages")
        if "home" in pressed:
            await wait_until(pilot, lambda: transcript.scroll_y == 0, "the top after home")

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_long_thread_opened(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """2,000 messages: a screenful of the last ones mounted (counted from the terminal's
    height), the last at the bottom, the marker counting the rest out of sight above."""
    add_local_provider(ui_services)
    seed_huge_thread(ui_services, clock, 2000)
    assert snap_compare(make_app(), terminal_size=size, run_before=long_thread())


@pytest.mark.parametrize("size", SIZES)
def test_long_thread_paged_back(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    size: tuple[int, int],
) -> None:
    """230 messages: a screenful of the last ones is mounted; home goes to the first of
    them, under the marker that says how many are before it (↑ there mounts more)."""
    add_local_provider(ui_services)
    seed_long_thread(ui_services, clock, 230)
    assert snap_compare(make_app(), terminal_size=size, run_before=long_thread("escape", "home"))


@pytest.mark.parametrize("size", SIZES)
def test_key_manager(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    memory_keyring: MemoryKeyring,
    size: tuple[int, int],
) -> None:
    """Keys by provider and nickname, last use, one revoked; never a secret."""
    add_local_provider(ui_services)
    at(clock, 11)
    ui_services.api_keys.add("openai", "personal", "sk-snapshot-aaaaaaaaaaaaaaaa")
    ui_services.api_keys.add("anthropic", "work", "sk-ant-snapshot-bbbbbbbbbbbb")
    old = ui_services.api_keys.add("openai", "old laptop", "sk-snapshot-cccccccccccccccc")
    at(clock, 13)
    ui_services.api_keys.resolve("anthropic")  # used two days ago
    at(clock, 14)
    ui_services.api_keys.revoke(old.id)
    clock.set(clock() + timedelta(days=1))
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("f9"))


@pytest.mark.parametrize("size", SIZES)
def test_search_results(
    snap_compare: SnapCompare, make_app: AppFactory, seeded: None, size: tuple[int, int]
) -> None:
    """ctrl+f, "sort": every thread's matching messages, the words highlighted."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("ctrl+f", text="sort"))


@pytest.mark.parametrize("size", SIZES)
def test_empty_state(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    """No thread and no provider yet: how to add one, and how to start."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys(at_end=True))


def test_costs_are_fixed_in_the_seed(ui_services: Services, clock: FixedClock) -> None:
    """The snapshots show these figures; they must not depend on a price table."""
    world = seed_chat(ui_services, clock)
    totals = ui_services.chat.totals(world.sorting)
    assert (totals.tokens, totals.cost_usd) == (1_336, Decimal("0.0021"))


@pytest.mark.parametrize("size", SIZES)
def test_import_history_checked(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    seeded: None,
    size: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F5, a ChatGPT export's path, enter: what would be added and the conversation that
    could not be, nothing stored yet. (A relative path: the checkout's folder is not shown.)"""
    from support.import_fixtures import CHATGPT

    monkeypatch.chdir(CHATGPT.parent)
    assert snap_compare(
        make_app(), terminal_size=size, run_before=keys("f5", text=CHATGPT.name, then=("enter",))
    )
