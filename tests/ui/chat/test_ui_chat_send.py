"""Pilot tests against the real loopback LLM server: send and watch the answer stream, stop
it, keys answered while it streams, retry, edit and resend, errors and limits in place."""

from __future__ import annotations

import threading

import pytest

from promptterm.services.chat.send import ChatSendService
from promptterm.services.facade import Services
from promptterm.ui.chat import load
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from ui.chat.scenarios import (
    chat_llm,
    head,
    live,
    note,
    open_chat,
    press_now,
    seed_presets,
    shown,
    views,
    wait_for,
)
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, told, type_text
from ui.scenarios import SMALL

__all__ = ["chat_llm", "live"]  # fixtures

pytestmark = pytest.mark.anyio

SLOW = 0.01  # seconds between tokens where a test acts mid-stream


def slow_tokens(n: int) -> Script:
    return Script(tokens=[f" w{i}" for i in range(n)], write_pause=SLOW)


async def test_the_first_sends_loading_is_done_while_the_user_types(
    make_app: AppFactory, live: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the chat area shows its threads, the send's one-time loading (the HTTP client) is
    done in the background, so the session's first answer starts as fast as the next
    (tests/services/chat/test_send_made_ready.py: what that loading covers)."""
    made_ready = threading.Event()
    monkeypatch.setattr(load, "MAKE_READY_AFTER", 0.01)
    monkeypatch.setattr(ChatSendService, "make_ready", lambda self: made_ready.set())
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await wait_for(pilot, made_ready.is_set)


async def test_send_streams_the_answer_and_shows_tokens_and_cost(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    chat_llm.push(Script(text="Paris is the **capital** of France."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        assert app.focused is screen.composer  # straight to typing
        await type_text(pilot, "Capital of France?")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        await settle(pilot)
        assert shown(app) == [
            ("user", "complete", "Capital of France?"),
            ("assistant", "complete", "Paris is the **capital** of France."),
        ]
        answer = views(app)[1]
        assert "test-model" in head(answer) and " in · " in head(answer) and "$0" in head(answer)
        assert screen.composer.text == ""  # the question left the box
        # The thread was made by the send, titled from the question, totals in the bar.
        bar = str(screen.bar.query_one("#chat-bar-title").render())
        stats = str(screen.bar.query_one("#chat-bar-stats").render())
        assert bar == "Capital of France?" and "tok · $0" in stats
    thread = live.chat.list_threads()[0]
    assert thread.title == "Capital of France?" and thread.total_tokens > 0


async def test_ctrl_enter_sends_too_and_enter_is_a_new_line(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "one")
        await pilot.press("enter")
        await type_text(pilot, "two")
        assert screen.composer.text == "one\ntwo" and not views(app)
        await pilot.press("ctrl+enter")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
    assert chat_llm.requests[-1].body["messages"][-1]["content"] == "one\ntwo"


async def test_stop_keeps_the_partial_answer_marked_stopped(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    chat_llm.push(slow_tokens(400))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "Count")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: len(views(app)) == 2 and " w5" in views(app)[1].content)
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.job is None)
        await settle(pilot)
        answer = views(app)[1]
        assert answer.message.status == "stopped"
        assert "stopped" in head(answer) and "Stopped; the text so far is kept" in note(answer)
        assert "~" in head(answer)  # estimated counts, marked
        on_screen = answer.content
    stored = live.chat.messages(live.chat.list_threads()[0].id)[-1]
    assert stored.status == "stopped" and stored.content == on_screen
    assert on_screen.startswith(" w0 w1 w2 w3 w4 w5") and len(on_screen.split()) < 400


async def test_keys_are_answered_while_an_answer_streams(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    chat_llm.push(slow_tokens(1000))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "go")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: len(views(app)) == 2 and " w3" in views(app)[1].content)
        # Typing the next question and moving between the box and the messages, while it
        # streams: every key is handled before the answer ends, not queued behind it. (How
        # fast is a benchmark's question: benchmarks/chat_ui.py.)
        for ch in "next":
            typed = screen.composer.text + ch
            await press_now(pilot, ch, lambda t=typed: screen.composer.text == t)
        await press_now(pilot, "tab", lambda: app.focused is not screen.composer)
        await press_now(pilot, "shift+tab", lambda: app.focused is screen.composer)
        assert screen.job is not None, "the answer should still be streaming"
        assert len(views(app)[1].content.split()) < 1000
        # A second send while one streams is refused, and the box keeps its text.
        await press_now(
            pilot, "ctrl+j", lambda: "An answer is still streaming: esc stops it." in notes(app)
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.job is None)
        assert screen.composer.text == "next"


async def test_retry_makes_a_second_version_and_both_can_be_read(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, clock: FixedClock
) -> None:
    chat_llm.push(Script(text="First answer."), Script(text="Second answer."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "Tell me")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.job is None and "Second" in views(app)[1].content)
        await settle(pilot)
        answer = views(app)[1]
        assert len(views(app)) == 2  # the answer was replaced in place, not added
        assert "version 2 of 2" in note(answer)
        await pilot.press("escape")  # from the box to the messages
        assert app.focused is screen.transcript
        await pilot.press("left_square_bracket")
        assert answer.content == "First answer." and "version 1 of 2 (replaced)" in note(answer)
        await pilot.press("right_square_bracket")
        assert answer.content == "Second answer."
    [_, stored] = live.chat.messages(live.chat.list_threads()[0].id)
    assert [v["content"] for v in stored.meta["versions"]] == ["First answer."]


async def test_edit_and_resend_keeps_the_earlier_branch_and_jumps_there(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    chat_llm.push(Script(text="About cats."), Script(text="About dogs."))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "Tell me about cats")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        await pilot.press("escape", "up")  # to the messages, then the question
        assert screen.transcript.selected is views(app)[0]
        await pilot.press("e")
        assert app.focused is screen.composer and screen.composer.text == "Tell me about cats"
        assert screen.edit_banner.display
        screen.composer.text = "Tell me about dogs"
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and "dogs." in views(app)[-1].content)
        await settle(pilot)
        assert [c for _, _, c in shown(app)] == ["Tell me about dogs", "About dogs."]
        assert not screen.edit_banner.display
        edited = views(app)[0]
        assert "edited — earlier branch: Tell me about cats (earlier branch)" in note(edited)
        await pilot.press("escape", "up")
        assert screen.transcript.selected is edited
        await pilot.press("g")
        await settle(pilot)
        assert screen.thread is not None and screen.thread.is_archived
        assert [c for _, _, c in shown(app)] == ["Tell me about cats", "About cats."]


async def test_a_preset_switch_is_sent_and_shown_in_the_thread(
    make_app: AppFactory, live: Services, chat_llm: LLMServer, clock: FixedClock
) -> None:
    pirate, reviewer = seed_presets(live)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("down", "enter")  # No preset, then the most used: Pirate first
        await settle(pilot)
        assert screen.thread is not None and screen.thread.current_preset_id == pirate
        clock.advance(minutes=1)
        await type_text(pilot, "Hello")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        assert chat_llm.requests[-1].body["messages"][0]["content"].startswith("You are a pirate.")
        clock.advance(minutes=1)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("down", "enter")  # from the current one (Pirate) to Reviewer
        await settle(pilot)
        lines = [str(n.render()) for n in screen.transcript.query("PresetNote")]
        assert [line.split("  ")[0] for line in lines] == [
            "◆ preset Pirate: role, style",
            "◆ preset changed to Reviewer: role changed",
        ]
        assert "◆ Reviewer" in str(screen.bar.query_one("#chat-bar-stats").render())
        clock.advance(minutes=1)
        await type_text(pilot, "Again")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 4)
        system = chat_llm.requests[-1].body["messages"][0]["content"]
        assert system.startswith("You review code carefully")
        # The switch sits between the first exchange and the second.
        order = [type(w).__name__ for w in screen.transcript.children if w.display]
        assert order == [
            "PresetNote",
            "MessageView",
            "MessageView",
            "PresetNote",
            "MessageView",
            "MessageView",
        ]
    assert live.presets.get(reviewer).usage_count == 1


async def test_the_plan_limit_is_said_in_place_and_the_question_kept(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    live.billing.record_usage(
        tokens_in=49_999, tokens_out=0, provider="x", model="y", cost_usd=None
    )
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "a question that needs a few tokens")
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert screen.notice.display
        text = str(screen.notice.render())
        assert "This message needs about" in text and "it was not sent" in text
        assert "the Free plan has 1 of its 50,000 tokens left" in text
        assert "Upgrade to Pro (press 5, then p)" in text and "promptterm " not in text
        assert screen.composer.text == "a question that needs a few tokens"
        assert app.is_running and not views(app)
        # The refusal is about that message: clearing the box or a new thread ends it.
        await pilot.press("ctrl+a", "ctrl+k")
        await settle(pilot)
        assert screen.composer.text.strip() == ""
        assert not screen.notice.display
        await type_text(pilot, "again")
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert screen.notice.display
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert not screen.notice.display
    assert chat_llm.requests == []


async def test_a_rate_limit_that_does_not_end_is_an_error_in_the_thread(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    busy = Script(
        status=429,
        headers={"retry-after": "0"},
        error_type="rate_limit_error",
        error_message="Rate limit reached for requests.",
    )
    chat_llm.push(busy, busy, busy, busy)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "hi")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        await settle(pilot)
        answer = views(app)[1]
        assert answer.message.status == "error" and "error" in head(answer)
        assert note(answer).splitlines()[-1] == (
            "⚠ Provider 'local' is rate limiting requests (HTTP 429): "
            "Rate limit reached for requests."
        )
        assert len(chat_llm.requests) == 4  # the first try and three retries, all refused
        assert app.is_running


async def test_an_error_event_mid_stream_keeps_the_text_before_it(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    chat_llm.push(Script(text="one two three four", error_after=2))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "hi")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        await settle(pilot)
        assert shown(app)[1] == ("assistant", "error", "one two")
        assert "⚠" in note(views(app)[1])


async def test_without_a_provider_the_send_says_how_to_add_one(
    make_app: AppFactory, ui_services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        empty = str(screen.transcript.query_one(".empty").render())
        assert "No provider is set up yet" in empty
        await type_text(pilot, "hi")
        await pilot.press("ctrl+j")
        await settle(pilot)
        said = str(screen.notice.render())
        assert "Press f10 in chat to add one" in said and "promptterm " not in said
        assert screen.composer.text == "hi"


async def test_quitting_mid_stream_asks_then_stores_everything_shown(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    chat_llm.push(slow_tokens(400))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "Count")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: len(views(app)) == 2 and " w20" in views(app)[1].content)
        await pilot.press("ctrl+q")  # asks first: no stream is cut off by a stray key
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = app.screen.query_one("#confirm-message").render()
        assert str(question) == "An answer is still streaming \u2014 stop it and quit?"
        await pilot.press("n")  # no: the answer goes on streaming
        await wait_for(pilot, lambda: app.screen is screen and " w30" in views(app)[1].content)
        assert app.is_running and screen.streaming
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        on_screen = screen.transcript.views[1].content
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running)
    # The send's thread finishes the answer as the screen goes: stopped, nothing shown lost.
    answer = live.chat.messages(live.chat.list_threads()[0].id)[-1]
    assert answer.status == "stopped" and answer.content.startswith(on_screen)
    job = screen.job  # the quit stopped the send and waited for its thread to end
    assert job is not None and job.cancel.cancelled and job.ended.is_set()


async def test_an_answer_that_takes_the_plan_past_80_percent_warns(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    # 41,000 of the free plan's 50,000 tokens already used this period.
    live.billing.record_usage(
        tokens_in=41_000, tokens_out=0, provider="local", model="test-model", cost_usd=None
    )
    chat_llm.push(Script(text="Noted."))
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "Remember this.")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        await settle(pilot)
        warnings = [n for n in told(app) if n.title == "Budget"]
        assert warnings and warnings[0].severity == "warning"
        assert "of the 50,000 tokens the Free plan gives each month" in warnings[0].message
