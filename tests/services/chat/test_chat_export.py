"""Exporting a thread to Markdown and JSON, on SQLite and PostgreSQL: all it holds (preset
history, usage, cost, regenerated versions, the branch an edit replaced), and no secret."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import keyring
import pytest

from promptterm.services.errors import NotFound
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from services.keyring_backend import MemoryKeyring
from support.clock import FixedClock
from support.llm_server import LLMServer, Script


@pytest.fixture
def dinner(chat: Services, llm: LLMServer) -> uuid.UUID:
    """A thread with a preset switch, a regenerated answer and an edited, resent question."""
    role = chat.components.create("role", "Chef", "You are a chef.")
    preset = chat.presets.create("Kitchen", role=role.id)
    thread = chat.chat.create_thread(title="Dinner | plans", preset_id=preset.id)
    llm.push(
        Script(text="Try **risotto**.\n\n```python\nprint('stir')\n```"),
        Script(text="Try pasta."),
        Script(text="Soup it is."),
    )
    chat.chat_send.send(thread.id, "What should I cook?")
    chat.chat_send.regenerate(thread.id)
    chat.chat.set_preset(thread.id, None)
    question = chat.chat.messages(thread.id)[0]
    chat.chat_send.edit_and_resend(question.id, "What soup should I cook?")
    return thread.id


def test_json_holds_the_thread_its_versions_and_the_replaced_branch(
    chat: Services, dinner: uuid.UUID
) -> None:
    document = json.loads(chat.chat_export.to_json(dinner))
    assert document["format"] == "promptterm.thread/1"
    assert document["exported_at"] == "2026-01-15T09:30:00+00:00"
    thread = document["thread"]
    assert (thread["id"], thread["title"], thread["is_archived"]) == (
        str(dinner),
        "Dinner | plans",
        False,
    )
    assert (thread["provider"], thread["model"], thread["message_count"]) == (
        "local",
        "test-model",
        2,
    )
    assert [h["preset_name"] for h in thread["preset_history"]] == ["Kitchen", "No preset"]
    assert thread["preset_history"][0]["changed_components"] == ["role"]

    question, answer = document["messages"]
    assert (question["role"], question["content"], question["status"]) == (
        "user",
        "What soup should I cook?",
        "complete",
    )
    assert question["edited"]["previous_content"] == "What should I cook?"
    assert (answer["content"], answer["tokens_in"], answer["tokens_out"]) == ("Soup it is.", 7, 3)
    assert answer["cost_usd"] == "0.000000" and answer["usage"] == "provider"
    assert thread["total_tokens"] == answer["tokens_in"] + answer["tokens_out"]

    [branch] = document["branches"]
    assert branch["id"] == question["edited"]["branch_thread_id"]
    assert branch["is_archived"] and branch["branch_of"] == {
        "thread_id": str(dinner),
        "from_seq": 1,
    }
    old_question, old_answer = branch["messages"]
    assert old_question["content"] == "What should I cook?"
    assert old_answer["content"] == "Try pasta."
    [version] = old_answer["versions"]
    assert version["content"].startswith("Try **risotto**.") and version["tokens_out"] == 5
    assert old_answer["preset"]["name"] == "Kitchen"


def test_markdown_reads_as_a_transcript(chat: Services, dinner: uuid.UUID) -> None:
    markdown = chat.chat_export.to_markdown(dinner)
    lines = markdown.splitlines()
    assert lines[0] == "# Dinner | plans"
    assert f"- Thread: `{dinner}`" in lines
    assert "- Messages: 2; tokens: 10, $0.000000" in lines
    assert "| 2026-01-15 09:30 UTC | Kitchen | role |" in lines
    assert "| 2026-01-15 09:30 UTC | No preset | role |" in lines
    assert "### 1. You · 2026-01-15 09:30 UTC" in lines
    assert (
        "### 2. Assistant · local / test-model · 7 in, 3 out, $0.000000 · 2026-01-15 09:30 UTC"
        in lines
    )
    transcript = markdown[markdown.index("## Messages") :]
    assert transcript.index("What soup should I cook?") < transcript.index("Soup it is.")
    assert "*Edited and resent. It replaced:*\n\n> What should I cook?\n" in markdown
    # The replaced branch follows, with the answer's earlier version quoted (code and all).
    branch = markdown[markdown.index("## Earlier branch: Dinner | plans (earlier branch)") :]
    assert "Try pasta." in branch and "- Archived" in branch
    assert "*Earlier version 1 of 2:* local / test-model · complete · 9 in, 5 out" in branch
    assert "> ```python\n> print('stir')\n> ```" in branch
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_stopped_and_failed_answers_say_so(services: Services, clock: FixedClock) -> None:
    thread = services.chat.create_thread(title="Troubles")
    services.chat.add_message(thread.id, "user", "Explain monads")
    clock.advance(minutes=5)
    services.chat.add_message(
        thread.id,
        "assistant",
        "A monad is",
        status="stopped",
        provider="openai",
        model="gpt-4o",
        tokens_in=1200,
        tokens_out=3,
        tokens_estimated=True,
        cost_usd=Decimal("0.003030"),
    )
    services.chat.add_message(
        thread.id,
        "assistant",
        "",
        status="error",
        meta={"error": {"kind": "rate limited", "message": "Too many requests; wait a minute."}},
    )
    markdown = services.chat_export.to_markdown(thread.id)
    assert (
        "### 2. Assistant · openai / gpt-4o · 1,200 in, 3 out (estimated), $0.003030"
        " · 2026-01-15 09:35 UTC" in markdown
    )
    assert "> **Stopped.** Stopped before the end" in markdown
    assert "> **Error.** Ended with an error: Too many requests; wait a minute." in markdown
    document = json.loads(services.chat_export.to_json(thread.id))
    assert document["thread"]["cost_usd"] == "0.003030"
    stopped, failed = document["messages"][1:]
    assert (stopped["status"], stopped["tokens_estimated"]) == ("stopped", True)
    assert failed["error"] == {
        "kind": "rate limited",
        "message": "Too many requests; wait a minute.",
    }


def test_an_empty_thread_and_threads_one_cannot_see(services: Services, clock: FixedClock) -> None:
    thread = services.chat.create_thread()
    assert "*No messages yet.*" in services.chat_export.to_markdown(thread.id)
    assert json.loads(services.chat_export.to_json(thread.id))["messages"] == []
    bob = services.as_user(
        create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4()).id
    )
    for export in (bob.chat_export.to_json, bob.chat_export.to_markdown):
        with pytest.raises(NotFound):
            export(thread.id)
        with pytest.raises(NotFound):
            export(uuid.uuid4())


def test_an_export_never_holds_the_api_key(services: Services) -> None:
    secret = "sk-export-test-0a1b2c3d4e5f6a7b8c9d0e1f"
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
            assert services.chat_send.send(thread.id, "hi").status == "complete"
            server.api_key = "sk-rotated-000000000000000000"
            refused = services.chat_send.send(thread.id, "again")
    finally:
        keyring.set_keyring(previous)
    assert refused.error_kind == "bad key"
    for text in (
        services.chat_export.to_json(thread.id),
        services.chat_export.to_markdown(thread.id),
    ):
        assert "remote" in text and "again" in text
        assert secret not in text and secret[:12] not in text and secret[-12:] not in text
