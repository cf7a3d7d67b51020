"""Sending and streaming through the service, on SQLite and PostgreSQL, against the local LLM
server: usage, cost, limits, presets, stop, errors, regenerate, edit-and-resend, and the
answer saved while it streams."""

from __future__ import annotations

import asyncio
import threading
import time
from decimal import Decimal

import keyring
import pytest
from sqlalchemy import inspect, text

from promptterm.services.chat.stream import (
    CancelToken,
    SendDelta,
    SendEvent,
    SendFinished,
    SendRetrying,
    SendStarted,
)
from promptterm.services.errors import LimitReached, UnfilledVariables, ValidationError
from promptterm.services.facade import Services
from services.keyring_backend import MemoryKeyring
from support.chat_fixtures import usage_records
from support.llm_server import LLMServer, Script
from support.waiting import CEILING, stop_and_wait_for_its_final_write

SLOW = 0.01  # seconds between tokens where a test acts mid-stream


def test_send_streams_stores_and_meters_the_answer(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    events: list[SendEvent] = []
    llm.push(Script(text="Paris is the capital."))
    result = chat.chat_send.send(thread.id, "Capital of France?", on_event=events.append)

    assert (result.status, result.content, result.error) == (
        "complete",
        "Paris is the capital.",
        None,
    )
    assert isinstance(events[0], SendStarted) and isinstance(events[-1], SendFinished)
    assert events[0].assistant_message.status == "streaming"
    assert "".join(e.text for e in events if isinstance(e, SendDelta)) == result.content
    user, answer = chat.chat.messages(thread.id)
    assert (user.role, user.content, answer.id) == ("user", "Capital of France?", result.message.id)
    assert (answer.tokens_out, answer.tokens_estimated, answer.cost_usd) == (4, False, Decimal(0))
    assert answer.meta["usage"] == "provider" and answer.meta["price"]["source"] == "local"
    assert (answer.provider, answer.model) == ("local", "test-model")
    after = chat.chat.get_thread(thread.id)
    assert after.total_tokens == result.thread_total_tokens == answer.tokens_in + 4
    assert (after.provider, after.model, after.title) == (
        "local",
        "test-model",
        "Capital of France?",
    )
    [record] = usage_records(chat)
    assert (record.provider, record.model, record.conversation_id) == (
        "local",
        "test-model",
        thread.id,
    )
    assert (record.tokens_in, record.tokens_out, record.cost_usd) == (
        answer.tokens_in,
        4,
        Decimal(0),
    )
    # The whole conversation went along, as the user and assistant turns.
    llm.push(Script(text="About 2 million."))
    chat.chat_send.send(thread.id, "Population?")
    roles = [(m["role"], m["content"]) for m in llm.requests[-1].body["messages"]]
    assert roles == [
        ("user", "Capital of France?"),
        ("assistant", "Paris is the capital."),
        ("user", "Population?"),
    ]


def test_usage_is_estimated_and_marked_when_the_provider_gives_none(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(text="No counts here, sorry.", usage=False))
    result = chat.chat_send.send(thread.id, "hi")
    assert result.message.tokens_estimated is True and result.message.meta["usage"] == "estimated"
    assert result.message.tokens_out and result.message.tokens_in
    assert usage_records(chat)[0].meta == {"estimated": True}


def test_the_preset_is_sent_as_system_prompt_and_its_use_counted(
    chat: Services, llm: LLMServer
) -> None:
    role = chat.components.create("role", "Pirate", "You are a pirate.")
    style = chat.components.create("style", "Terse", "Answer in five words.")
    pirate = chat.presets.create("Pirate", role=role.id, style=style.id)
    plain = chat.presets.create("Plain", style=style.id)
    thread = chat.chat.create_thread(preset_id=pirate.id)
    chat.chat_send.send(thread.id, "Hello")
    sent = llm.requests[-1].body["messages"][0]
    assert sent == {"role": "system", "content": "You are a pirate.\n\nAnswer in five words."}

    chat.chat.set_preset(thread.id, plain.id)  # switched mid-thread: recorded in the history
    result = chat.chat_send.send(thread.id, "Again")
    assert llm.requests[-1].body["messages"][0]["content"] == "Answer in five words."
    assert result.message.meta["preset"] == {"id": str(plain.id), "name": "Plain"}
    history = chat.chat.get_thread(thread.id).preset_history
    assert [h.preset_name for h in history] == ["Pirate", "Plain"]
    assert history[1].changed_components == ("role",)
    assert chat.presets.get(pirate.id).usage_count == 1
    assert chat.presets.get(plain.id).usage_count == 1
    assert chat.components.get(style.id).usage_count == 2


def test_unfilled_variables_stop_the_send_until_given_then_the_thread_keeps_them(
    chat: Services, llm: LLMServer
) -> None:
    role = chat.components.create("role", "Tutor", "Teach {{ audience }}.")
    thread = chat.chat.create_thread(preset_id=chat.presets.create("Tutor", role=role.id).id)
    with pytest.raises(UnfilledVariables) as refused:
        chat.chat_send.send(thread.id, "Explain {{topic}} and {{audience}}")
    assert refused.value.names == ["audience", "topic"]
    assert chat.chat.messages(thread.id) == [] and llm.requests == []

    values = {"audience": "new users", "topic": "sorting"}
    chat.chat_send.send(thread.id, "Explain {{topic}}", variables=values)
    sent = llm.requests[-1].body["messages"]
    assert sent[0]["content"] == "Teach new users."
    assert sent[-1]["content"] == "Explain sorting"
    chat.chat_send.regenerate(thread.id)  # remembered: no values given this time
    assert llm.requests[-1].body["messages"][0]["content"] == "Teach new users."
    chat.chat_send.send(thread.id, "{{x}} {{topic}}", variables={"x": "{{topic}}"})
    assert llm.requests[-1].body["messages"][-1]["content"] == "{{topic}} sorting"


def test_the_monthly_token_limit_stops_the_send_before_anything_is_stored(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    chat.billing.record_usage(
        tokens_in=49_990, tokens_out=0, provider="x", model="y", cost_usd=None
    )
    with pytest.raises(LimitReached, match="the Free plan has 10 of its 50,000 tokens left"):
        chat.chat_send.send(thread.id, "a question long enough to need more than ten tokens " * 3)
    assert chat.chat.messages(thread.id) == [] and llm.requests == []


def test_stop_keeps_the_partial_answer_as_stopped(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(tokens=[f" w{n}" for n in range(300)], write_pause=SLOW))
    token = CancelToken()
    shown: list[str] = []

    def on_event(event: SendEvent) -> None:
        if isinstance(event, SendDelta):
            shown.append(event.text)
            if len(shown) == 5:
                token.cancel()

    result = chat.chat_send.send(thread.id, "Count", on_event=on_event, cancel=token)
    assert result.status == "stopped"
    assert result.content == "".join(shown) == " w0 w1 w2 w3 w4"
    assert chat.chat.messages(thread.id)[-1].content == result.content  # nothing shown is lost
    assert result.message.tokens_estimated and usage_records(chat)[0].tokens_out > 0


def test_stop_from_another_thread_while_a_worker_thread_streams(
    chat: Services, llm: LLMServer
) -> None:
    """The chat screen's shape: send() in a thread worker, Stop pressed on the UI thread."""
    thread = chat.chat.create_thread()
    llm.push(Script(tokens=[f" w{n}" for n in range(300)], write_pause=SLOW))
    token = CancelToken()
    three = threading.Event()
    deltas: list[str] = []

    def on_event(event: SendEvent) -> None:
        if isinstance(event, SendDelta):
            deltas.append(event.text)
            if len(deltas) == 3:
                three.set()

    results = []
    worker = threading.Thread(
        target=lambda: results.append(
            chat.chat_send.send(thread.id, "go", on_event=on_event, cancel=token)
        )
    )
    worker.start()
    assert three.wait(CEILING)
    token.cancel()
    worker.join(CEILING)
    [result] = results
    assert result.status == "stopped" and result.content == "".join(deltas)
    assert 3 <= len(deltas) < 300


def test_cancelling_the_async_worker_also_keeps_the_partial_answer(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(tokens=[f" w{n}" for n in range(300)], write_pause=SLOW))

    async def main() -> None:
        seen = asyncio.Event()

        def on_event(event: SendEvent) -> None:
            if isinstance(event, SendDelta) and event.text == " w4":
                seen.set()

        task = asyncio.create_task(chat.chat_send.send_async(thread.id, "go", on_event=on_event))
        await seen.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    answer = chat.chat.messages(thread.id)[-1]
    assert answer.status == "stopped" and answer.content.startswith(" w0 w1 w2 w3 w4")


def test_a_program_that_ends_just_after_stopping_a_send_ends(
    chat: Services, llm: LLMServer
) -> None:
    # The app quitting while an answer streams: the send is stopped, then the event loop
    # closes and cancels every task left, the answer's final write among them. The program
    # used to wait on that cancelled write for ever, a core at 100 %.
    chat.chat_send.flush_interval = 0.05
    thread = chat.chat.create_thread()
    llm.push(Script(tokens=[f" w{n}" for n in range(300)], write_pause=SLOW))

    async def wait_for_saved(text: str) -> None:
        started = time.monotonic()
        while not (await asyncio.to_thread(chat.chat.messages, thread.id))[-1].content.startswith(
            text
        ):
            assert time.monotonic() - started < CEILING, "the growing answer was never saved"

    async def program() -> None:
        seen = asyncio.Event()

        def on_event(event: SendEvent) -> None:
            if isinstance(event, SendDelta) and event.text == " w4":
                seen.set()

        send = asyncio.ensure_future(chat.chat_send.send_async(thread.id, "go", on_event=on_event))
        await seen.wait()
        await wait_for_saved(" w0 w1 w2 w3 w4")
        await stop_and_wait_for_its_final_write(send, "send")
        # ...and the program ends: asyncio.run cancels the write.

    ended = threading.Event()
    thread_ = threading.Thread(target=lambda: (asyncio.run(program()), ended.set()), daemon=True)
    thread_.start()
    assert ended.wait(CEILING), "the program never ended: it waits on the answer's final write"
    answer = chat.chat.messages(thread.id)[-1]
    assert answer.content.startswith(" w0 w1 w2 w3 w4")  # what was saved is kept


def test_the_growing_answer_is_saved_while_it_streams(chat: Services, llm: LLMServer) -> None:
    """A process killed mid-stream loses at most the last flush interval of text."""
    chat.chat_send.flush_interval = 0.05
    thread = chat.chat.create_thread()
    llm.push(Script(tokens=[f" w{n}" for n in range(60)], write_pause=SLOW))
    saved: list[str] = []

    def on_event(event: SendEvent) -> None:
        if isinstance(event, SendDelta) and event.text == " w40":
            saved.append(chat.chat.messages(thread.id)[-1].content)

    result = chat.chat_send.send(thread.id, "go", on_event=on_event)
    [partial] = saved
    assert partial and result.content.startswith(partial) and partial.startswith(" w0 w1")
    assert len(partial) >= len(" w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18")


def test_an_error_before_any_token_stores_the_error_and_meters_nothing(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    result = chat.chat_send.send(thread.id, "hi", model="no-such-model")
    assert (result.status, result.error_kind, result.content) == ("error", "unknown model", "")
    assert "promptterm provider models local" in (result.error or "")
    assert result.message.meta["error"]["kind"] == "unknown model"
    assert usage_records(chat) == [] and result.message.tokens_in is None


def test_an_error_event_mid_stream_keeps_the_text_before_it(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(text="one two three four", error_after=2))
    result = chat.chat_send.send(thread.id, "hi")
    assert (result.status, result.content, result.error_kind) == (
        "error",
        "one two",
        "stream error",
    )
    assert len(usage_records(chat)) == 1  # the server worked on it: metered, estimated


def test_a_dropped_connection_is_marked_interrupted(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(text="one two three four", drop_after=3))
    result = chat.chat_send.send(thread.id, "hi")
    assert (result.status, result.content) == ("error", "one two three")
    assert result.message.meta["interrupted"] is True


def test_a_failing_event_handler_still_closes_the_answer(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(text="one two three"))

    def broken(event: SendEvent) -> None:
        if isinstance(event, SendDelta) and event.text == " two":
            raise KeyError("widget gone")

    result = chat.chat_send.send(thread.id, "hi", on_event=broken)
    assert (result.status, result.content) == ("error", "one two")
    assert "Unexpected failure while streaming (KeyError" in (result.error or "")


def test_retries_are_reported_as_events(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(status=429, headers={"retry-after": "0"}), Script(text="ok"))
    events: list[SendEvent] = []
    result = chat.chat_send.send(thread.id, "hi", on_event=events.append)
    assert result.content == "ok"
    assert [(e.attempt, e.reason) for e in events if isinstance(e, SendRetrying)] == [
        (1, "HTTP 429")
    ]


def test_iterate_gives_events_and_stops_when_left_early(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(tokens=[f" w{n}" for n in range(300)], write_pause=SLOW))

    async def main() -> list[str]:
        texts: list[str] = []
        async for event in chat.chat_send.iterate(chat.chat_send.send_async, thread.id, "go"):
            if isinstance(event, SendDelta):
                texts.append(event.text)
                if len(texts) == 3:
                    break
        return texts

    assert asyncio.run(main()) == [" w0", " w1", " w2"]
    answer = chat.chat.messages(thread.id)[-1]
    assert answer.status == "stopped" and answer.content.startswith(" w0 w1 w2")


def test_the_key_reaches_the_server_and_nowhere_else(services: Services) -> None:
    secret = "sk-send-test-77aa88bb99cc00dd11ee22ff"
    services.billing.set_plan("pro")  # the Free plan sends to OpenAI-compatible providers only
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with LLMServer(api_key=secret) as server:
            services.providers.add(
                "remote", "anthropic", base_url=server.url, default_model="claude-test"
            )
            services.api_keys.add("remote", "main", secret)
            thread = services.chat.create_thread()
            result = services.chat_send.send(thread.id, "hi")
            assert result.status == "complete"
            assert server.requests[-1].headers["x-api-key"] == secret
            server.api_key = "sk-rotated-000000000000000000"
            refused = services.chat_send.send(thread.id, "again")
    finally:
        keyring.set_keyring(previous)
    assert refused.error_kind == "bad key" and secret not in (refused.error or "")
    engine = services.ctx.db.engine
    with engine.connect() as conn:
        dump = "\n".join(
            repr(tuple(row))
            for table in inspect(conn).get_table_names()
            for row in conn.execute(text(f'SELECT * FROM "{table}"'))
        )
    assert "remote" in dump and secret not in dump and secret[:12] not in dump


def test_without_a_provider_the_send_says_what_to_do(services: Services) -> None:
    thread = services.chat.create_thread()
    with pytest.raises(ValidationError, match="No provider is set up yet"):
        services.chat_send.send(thread.id, "hi")
    assert services.chat.messages(thread.id) == []
