"""What regenerate and edit-and-resend keep (earlier versions, the replaced branch), and
answers left "streaming" by a process that died; on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import ValidationError
from promptterm.services.facade import Services
from support.chat_fixtures import usage_records
from support.llm_server import LLMServer, Script


def test_regenerate_keeps_the_replaced_answer_as_a_version(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(text="first try"), Script(text="second try, better"))
    first = chat.chat_send.send(thread.id, "Question")
    total_before = chat.chat.get_thread(thread.id).total_tokens
    second = chat.chat_send.regenerate(thread.id)
    assert second.message.id == first.message.id and second.content == "second try, better"
    [old] = second.message.meta["versions"]
    assert (old["content"], old["status"], old["tokens_out"]) == ("first try", "complete", 2)
    assert [m.content for m in chat.chat.messages(thread.id)] == ["Question", "second try, better"]
    # The thread counts the answer as it stands; both calls are metered.
    assert chat.chat.get_thread(thread.id).total_tokens == total_before - 2 + 3
    assert len(usage_records(chat)) == 2
    assert [m["content"] for m in llm.requests[-1].body["messages"]] == ["Question"]


def test_regenerate_answers_an_unanswered_question(chat: Services) -> None:
    thread = chat.chat.create_thread()
    with pytest.raises(ValidationError, match="nothing to regenerate"):
        chat.chat_send.regenerate(thread.id)
    chat.chat.add_message(thread.id, "user", "Left without an answer")
    result = chat.chat_send.regenerate(thread.id)
    assert result.status == "complete" and result.user_message_id is None
    assert [m.role for m in chat.chat.messages(thread.id)] == ["user", "assistant"]


def test_edit_and_resend_keeps_the_replaced_branch(chat: Services, llm: LLMServer) -> None:
    thread = chat.chat.create_thread()
    for question in ("One", "Two", "Three"):
        chat.chat_send.send(thread.id, question)
    second_question = chat.chat.messages(thread.id)[2]
    llm.push(Script(text="Edited answer"))
    result = chat.chat_send.edit_and_resend(second_question.id, "Two, rephrased")

    messages = chat.chat.messages(thread.id)
    assert [(m.seq, m.content) for m in messages] == [
        (1, "One"),
        (2, "Hello from the test server."),
        (3, "Two, rephrased"),
        (4, "Edited answer"),
    ]
    edited = messages[2].meta["edited"]
    assert edited["previous_content"] == "Two"
    branch = chat.chat.get_thread(uuid.UUID(edited["branch_thread_id"]))
    assert branch.is_archived and branch.title == "One (earlier branch)"
    old = chat.chat.messages(branch.id)
    assert [(m.seq, m.content) for m in old][::2] == [(3, "Two"), (5, "Three")]
    assert old[0].id == second_question.id  # moved untouched, with its id
    total = sum((m.tokens_in or 0) + (m.tokens_out or 0) for m in messages)
    assert chat.chat.get_thread(thread.id).total_tokens == total
    assert [m["content"] for m in llm.requests[-1].body["messages"]] == [
        "One",
        "Hello from the test server.",
        "Two, rephrased",
    ]
    assert result.user_message_id == messages[2].id


def test_an_answer_left_streaming_by_a_dead_process_is_recovered(chat: Services) -> None:
    thread = chat.chat.create_thread()
    chat.chat.add_message(thread.id, "user", "q")
    chat.chat.add_message(thread.id, "assistant", "half an ans", status="streaming")
    assert chat.chat_send.recover_interrupted() == 1
    answer = chat.chat.messages(thread.id)[-1]
    assert (answer.status, answer.content, answer.meta["interrupted"]) == (
        "error",
        "half an ans",
        True,
    )
