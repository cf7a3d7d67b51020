"""Seeded chat worlds for the chat Pilot and snapshot tests (the same rows, ids, times and
costs on every run, a provider entry pointing at the loopback LLM server), and helpers to
open the chat area, wait for a streaming answer and read what the transcript shows.

Imported as ``ui.chat.scenarios``; test modules import the fixtures they use from here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from textual.pilot import Pilot

from promptterm.app import PromptTermApp
from promptterm.providers.base import RetryPolicy, Timeouts
from promptterm.services.facade import Services
from promptterm.ui.chat.screen import ChatScreen
from promptterm.ui.chat.widgets.message import MessageView
from support.clock import DEFAULT_NOW, FixedClock
from support.llm_server import LLMServer
from support.waiting import CEILING
from ui.helpers import settle, wait_until

# The address of a server that is never asked (snapshots that stream nothing).
NOWHERE = "http://127.0.0.1:9/v1"

SORTING_ANSWER = """## Sorting a list

Use `sorted()` for a new list, or `list.sort()` to sort in place:

- `key=` picks what to compare
- `reverse=True` sorts largest first

```python
people = [("Ada", 36), ("Bea", 29)]
by_age = sorted(people, key=lambda p: p[1])
print(by_age)
```

Both are stable: equal items keep their order."""


@dataclass
class ChatWorld:
    sorting: uuid.UUID  # a question and a Markdown answer with a code block
    review: uuid.UUID  # an older thread with the Pirate preset, then Reviewer
    pirate: uuid.UUID
    reviewer: uuid.UUID


def at(clock: FixedClock, day: int, hour: int = 10, minute: int = 0) -> None:
    clock.set(datetime(2026, 1, day, hour, minute, tzinfo=UTC))


def fast_providers(services: Services) -> None:
    """Retries short enough for tests; timeouts only a hang reaches (a snapshot of a stalled
    stream must not see the read timeout fire on a busy machine)."""
    services.providers.retry = RetryPolicy(base_delay=0.01, max_delay=0.05)
    services.providers.timeouts = Timeouts(connect=CEILING, read=CEILING)


def add_local_provider(services: Services, base_url: str = NOWHERE) -> None:
    services.providers.add(
        "local", "openai-compatible", base_url=base_url, default_model="test-model"
    )
    fast_providers(services)


def seed_presets(services: Services) -> tuple[uuid.UUID, uuid.UUID]:
    pirate_role = services.components.create("role", "Pirate", "You are a pirate.")
    reviewer_role = services.components.create(
        "role", "Reviewer", "You review code carefully and name every risk."
    )
    terse = services.components.create("style", "Terse", "Answer in five words.")
    pirate = services.presets.create("Pirate", role=pirate_role.id, style=terse.id)
    reviewer = services.presets.create("Reviewer", role=reviewer_role.id, style=terse.id)
    return pirate.id, reviewer.id


def seed_chat(services: Services, clock: FixedClock, base_url: str = NOWHERE) -> ChatWorld:
    add_local_provider(services, base_url)
    at(clock, 10)
    pirate, reviewer = seed_presets(services)
    chat = services.chat
    at(clock, 12, 9)
    review = chat.create_thread(
        title="API design review", preset_id=pirate, provider="local", model="test-model"
    )
    at(clock, 12, 9, 5)
    chat.add_message(review.id, "user", "Review the routes, please.")
    chat.add_message(
        review.id,
        "assistant",
        "Arr, the routes be sound, matey.",
        tokens_in=40,
        tokens_out=9,
        provider="local",
        model="test-model",
        cost_usd=Decimal(0),
    )
    at(clock, 12, 9, 10)
    chat.set_preset(review.id, reviewer)
    at(clock, 12, 9, 15)
    chat.add_message(review.id, "user", "And the error handling?")
    chat.add_message(
        review.id,
        "assistant",
        "Missing retries on 429 responses.",
        tokens_in=70,
        tokens_out=7,
        provider="local",
        model="test-model",
        cost_usd=Decimal(0),
    )
    at(clock, 15, 9)
    sorting = chat.create_thread(provider="local", model="test-model")
    chat.add_message(sorting.id, "user", "How do I sort a list of tuples by age in Python?")
    chat.add_message(
        sorting.id,
        "assistant",
        SORTING_ANSWER,
        tokens_in=1_240,
        tokens_out=96,
        provider="local",
        model="test-model",
        cost_usd=Decimal("0.0021"),
        meta={"usage": "provider"},
    )
    clock.set(DEFAULT_NOW)
    return ChatWorld(sorting.id, review.id, pirate, reviewer)


def seed_long_thread(services: Services, clock: FixedClock, count: int) -> uuid.UUID:
    """A thread of ``count`` short messages, question and answer in turn."""
    at(clock, 14)
    thread = services.chat.create_thread(
        title="A very long thread", provider="local", model="test-model"
    )
    for n in range(1, count + 1):
        role = "user" if n % 2 else "assistant"
        services.chat.add_message(thread.id, role, f"Message number {n}.")
    clock.set(DEFAULT_NOW)
    return thread.id


def seed_huge_thread(services: Services, clock: FixedClock, count: int) -> uuid.UUID:
    """``seed_long_thread`` for thousands of messages: the same rows, written in one insert
    (one ``add_message`` each would take most of the test), a second apart from 14:00."""
    from sqlalchemy import insert

    from promptterm.db.models import Message

    at(clock, 14)
    thread = services.chat.create_thread(
        title="A very long thread", provider="local", model="test-model"
    )
    start = clock()
    rows = [
        {
            "id": uuid.UUID(int=n),
            "conversation_id": thread.id,
            "seq": n,
            "role": "user" if n % 2 else "assistant",
            "content": f"Message number {n}.",
            "status": "complete",
            "tokens_estimated": False,
            "meta": {},
            "created_at": start + timedelta(seconds=n),
        }
        for n in range(1, count + 1)
    ]
    with services.ctx.db.session() as session:
        session.execute(insert(Message), rows)
    clock.set(DEFAULT_NOW)
    return thread.id


@pytest.fixture
def chat_llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.fixture
def live(ui_services: Services, chat_llm: LLMServer) -> Services:
    """Services with one provider entry, "local", at the loopback LLM server."""
    add_local_provider(ui_services, chat_llm.openai_url)
    return ui_services


# Pilot helpers -------------------------------------------------------------------------------


async def open_chat(pilot: Pilot[None]) -> ChatScreen:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    return screen


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Pause until ``condition()`` holds (a stream has reached some point). Never a fixed
    sleep: the test goes on as soon as it can, and only a hang reaches the ceiling."""
    await wait_until(pilot, condition, "the screen")


async def press_now(pilot: Pilot[None], key: str, done: Callable[[], bool]) -> None:
    """Press ``key`` the way a terminal does (no waiting for the app to go idle, which
    ``pilot.press`` does and a streaming answer never allows) and wait until ``done()`` shows
    it was handled."""
    from textual import events

    pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await wait_for(pilot, done)


def chat(app: PromptTermApp) -> ChatScreen:
    screen = app.screen
    assert isinstance(screen, ChatScreen)
    return screen


def views(app: PromptTermApp) -> list[MessageView]:
    return chat(app).transcript.views


async def drawn_at_their_widths(pilot: Pilot[None], app: PromptTermApp) -> None:
    """Wait until no layout is due and every message's text is made for the width it is
    laid out at: the layout after a stream takes its room and the scroll bar away, which
    widens the messages, and each re-makes its text (a head cut with "…" made whole) on its
    resize event, one or two refreshes after the look that saw the stream end."""

    def drawn() -> bool:
        screen = app.screen
        return not (screen._layout_required or any(w._layout_required for w in views(app))) and all(
            v._width == v.content_size.width for v in views(app)
        )

    await wait_until(pilot, drawn, "every message drawn at its width")


def shown(app: PromptTermApp) -> list[tuple[str, str, str]]:
    """(role, status, text) of every message on screen."""
    return [(v.message.role, v.shown["status"], v.content) for v in views(app)]


def head(view: MessageView) -> str:
    """The message's first line: who, status, tokens, cost, model, time."""
    return view.text.plain.split("\n")[0]


def note(view: MessageView) -> str:
    """Everything the message shows (its notes are under the text)."""
    return view.text.plain
