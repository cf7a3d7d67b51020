"""What a send keeps when the text, the process or the provider misbehaves: NUL characters in
an answer or a question, a process killed mid-answer. On SQLite and PostgreSQL, against the
local LLM server."""

from __future__ import annotations

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
    assert chat.chat.get_thread(thread.id).title == "q\u2400x"
    assert len(usage_records(chat)) == 1


def test_a_nul_in_a_provider_error_is_kept_with_the_answer(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(status=400, error_message="bad\x00input", error_type="invalid_request_error"))
    result = chat.chat_send.send(thread.id, "Hello")

    [_, answer] = chat.chat.messages(thread.id)
    assert answer.status == "error"
    assert "bad\u2400input" in answer.meta["error"]["message"]
    assert result.status == "error"
