"""What a send keeps when the text, the process or the provider misbehaves: NUL characters in
an answer or a question, a process killed mid-answer. On SQLite and PostgreSQL, against the
local LLM server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid

from promptterm.services.facade import Services
from support.chat_fixtures import usage_records
from support.llm_server import LLMServer, Script


def test_a_nul_in_the_answer_and_the_question_is_kept_as_a_visible_marker(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(tokens=["Before", " the\x00NUL", " and after."]))
    result = chat.chat_send.send(thread.id, "q\x00x")

    assert (result.status, result.error) == ("complete", None)
    question, answer = chat.chat.messages(thread.id)
    assert question.content == "q\u2400x"
    assert answer.content == "Before the\u2400NUL and after."
    assert (answer.status, answer.tokens_out) == ("complete", 3)
    # A title made from the question leaves control characters out (names never hold them).
    assert chat.chat.get_thread(thread.id).title == "qx"
    assert len(usage_records(chat)) == 1


def test_a_nul_in_a_provider_error_is_kept_with_the_answer(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(status=400, error_message="bad\x00input", error_type="invalid_request_error"))
    result = chat.chat_send.send(thread.id, "Hello")

    [_, answer] = chat.chat.messages(thread.id)
    assert answer.status == "error"
    assert "bad\u2400input" in answer.meta["error"]["message"]
    assert result.status == "error"


# -- answers of a process that died mid-stream ----------------------------------------------


def _stamped_answer(chat: Services, pid: int, text: str) -> uuid.UUID:
    thread = chat.chat.create_thread()
    chat.chat.add_message(thread.id, "user", "Tell me a story")
    stamp = {"stream": {"host": socket.gethostname(), "pid": pid, "prompt_estimate": 7}}
    answer = chat.chat.add_message(
        thread.id,
        "assistant",
        text,
        status="streaming",
        provider="local",
        model="test-model",
        meta=stamp,
    )
    return answer.id


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait(60)
    return process.pid


def test_an_answer_of_a_dead_process_is_closed_and_metered_at_the_next_start(
    chat: Services,
) -> None:
    answer_id = _stamped_answer(chat, _dead_pid(), "Once upon a time there was")

    assert chat.chat_send.recover_interrupted() == 1
    answer = chat.chat_send.store.get(answer_id)
    assert (answer.status, answer.content) == ("error", "Once upon a time there was")
    assert answer.meta["interrupted"] is True and "stream" not in answer.meta
    assert (answer.tokens_in, answer.tokens_out, answer.tokens_estimated) == (7, 7, True)
    [record] = usage_records(chat)
    assert (record.tokens_in, record.tokens_out, record.model) == (7, 7, "test-model")
    assert chat.chat.get_thread(answer.thread_id).total_tokens == 14
    assert chat.billing.summary().line("tokens_per_month").used == 14
    # Recovering again meters nothing twice.
    assert chat.chat_send.recover_interrupted() == 0
    assert len(usage_records(chat)) == 1


def test_an_answer_another_live_process_streams_is_left_alone(chat: Services) -> None:
    # The parent of this test process runs (a shell, pytest's runner): a send still going.
    answer_id = _stamped_answer(chat, os.getppid(), "Still coming")

    assert chat.chat_send.recover_interrupted() == 0
    assert chat.chat_send.store.get(answer_id).status == "streaming"
    assert usage_records(chat) == []


def test_a_finished_answer_keeps_no_stream_stamp(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    result = chat.chat_send.send(thread.id, "Hi")
    assert result.status == "complete" and "stream" not in result.message.meta


# -- provider faults, as the thread keeps them --------------------------------------------------


def test_a_provider_of_keep_alives_only_gives_up_after_its_own_deadline(
    chat: Services, llm: LLMServer
) -> None:
    chat.providers.add(
        "patient",
        "openai-compatible",
        base_url=llm.openai_url,
        default_model="test-model",
        options={"no_content_timeout": 0.5},
    )
    thread = chat.chat.create_thread()
    llm.push(Script(text="one two three", keepalive_after=1))
    result = chat.chat_send.send(thread.id, "Hello", provider="patient")

    assert (result.status, result.content) == ("error", "one")
    assert "sent only keep-alives" in (result.error or "")
    assert result.message.meta["interrupted"] is True


def test_a_skipped_bad_event_is_kept_as_a_warning_with_the_answer(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(text="one two three", bad_json_after=1))
    result = chat.chat_send.send(thread.id, "Hello")

    assert (result.status, result.content, result.error) == ("complete", "one two three", None)
    [warning] = chat.chat.messages(thread.id)[-1].meta["warnings"]
    assert "not JSON" in warning
