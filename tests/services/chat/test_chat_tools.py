"""Tools in a send, on SQLite and PostgreSQL, against the loopback LLM server in both
protocols: approve once / always / deny, the cap on rounds, stop mid-loop, timeouts, broken
arguments, metering and the limit check, and tool rounds kept as messages."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from promptterm.providers.http import HttpProvider
from promptterm.services.chat.stream import CancelToken, SendEvent, SendFinished
from promptterm.services.chat.tools.events import ToolRoundEnded
from promptterm.services.chat.tools.registry import set_tool_resolver
from promptterm.services.chat.tools.source import Decision, ToolRequest
from promptterm.services.errors import LimitReached, NotFound
from promptterm.services.facade import Services
from support.chat_fixtures import usage_records
from support.llm_server import LLMServer, Script
from support.tool_sources import FunctionTools, never_answers, read_file
from support.waiting import CEILING

ARGS = '{"path": "notes/a.md"}'


def call(n: int = 1, arguments: str = ARGS, name: str = "files__read") -> dict[str, str]:
    return {"id": f"call_{n}", "name": name, "arguments": arguments}


def asks(*calls: dict[str, str]) -> Script:
    # Cut mid-event into 9-byte writes, without the server's default 1 ms pause between
    # them: a round took 0.2-0.5 s of sleeps on a loaded machine. Reads cut at every byte
    # are test_provider_tools.py's business; here the arguments still come in 3-character
    # deltas (Script.tool_piece).
    return Script(text="", tool_calls=list(calls), chunk_bytes=9, write_pause=0.0)


def approver(*decisions: Decision) -> tuple[list[ToolRequest], Any]:
    asked: list[ToolRequest] = []
    queue = list(decisions)

    async def approve(request: ToolRequest) -> Decision:
        asked.append(request)
        return queue.pop(0)

    return asked, approve


@pytest.fixture
def files() -> FunctionTools:
    return FunctionTools("files", read=read_file)


@pytest.fixture(params=["openai-compatible", "anthropic"])
def kind(request: pytest.FixtureRequest, chat: Services, llm: LLMServer) -> str:
    if request.param == "anthropic":
        chat.providers.add("remote", "anthropic", base_url=llm.url, default_model="claude-test")
        chat.billing.set_plan("pro")  # the Free plan sends to OpenAI-compatible providers only
    return str(request.param)


def provider(kind: str) -> str:
    return "remote" if kind == "anthropic" else "local"


@pytest.fixture
def registry(files: FunctionTools) -> Iterator[None]:
    set_tool_resolver(lambda name: files if name == "files" else None)
    yield
    set_tool_resolver(None)


def test_the_rounds_of_a_send_share_one_connection_to_the_provider(
    chat: Services,
    llm: LLMServer,
    files: FunctionTools,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A round after a tool call must not pay a new TCP (and, with a real provider, TLS)
    # handshake: the send keeps its provider client, and so its connection, across rounds.
    # The end of each answer's body is waited for however loaded the machine is.
    monkeypatch.setattr(HttpProvider, "drain_seconds", CEILING)
    thread = chat.chat.create_thread()
    llm.push(asks(call(1)), asks(call(2)), Script(text="Both read."))
    _, approve = approver("always")
    result = chat.chat_send.send(
        thread.id, "Read it twice", provider=provider(kind), tools=[files], approve=approve
    )
    assert (result.status, result.content) == ("complete", "Both read.")
    assert len(llm.requests) == 3
    assert llm.connections == 1


def test_an_approved_call_runs_and_the_model_answers_with_its_result(
    chat: Services, llm: LLMServer, files: FunctionTools, kind: str
) -> None:
    thread = chat.chat.create_thread()
    llm.push(asks(call()), Script(text="It says hello."))
    asked, approve = approver("once")
    events: list[SendEvent] = []
    result = chat.chat_send.send(
        thread.id,
        "What is in a.md?",
        provider=provider(kind),
        tools=[files],
        approve=approve,
        on_event=events.append,
    )
    assert (result.status, result.content, result.notice) == ("complete", "It says hello.", None)
    assert files.calls == [("read", {"path": "notes/a.md"})]
    assert [(r.label, r.arguments) for r in asked] == [("files:read", {"path": "notes/a.md"})]
    # The result went back in the protocol's own shape.
    sent = llm.requests[-1].body["messages"]
    if kind == "anthropic":
        assert sent[-1]["content"][0]["type"] == "tool_result"
        assert sent[-1]["content"][0]["content"] == "contents of notes/a.md"
    else:
        assert sent[-1] == {
            "role": "tool",
            "tool_call_id": "call_1",
            "content": "contents of notes/a.md",
        }
    # Kept as messages: the question, the answer that asked, the result, the answer.
    _user, asking, res, answer = chat.chat.messages(thread.id)
    assert asking.tool_calls[0]["label"] == "files:read"
    assert asking.tool_calls[0]["arguments"] == {"path": "notes/a.md"}
    assert res.is_tool_result and res.content == "contents of notes/a.md"
    assert res.tool is not None and res.tool["decision"] == "once"
    assert answer.id == result.message.id
    # Each round is metered like a send.
    assert len(usage_records(chat)) == 2
    assert [type(e) for e in events].count(SendFinished) == 1
    assert any(isinstance(e, ToolRoundEnded) for e in events)
    # The next send carries the whole round along, and it survives a new service object.
    llm.push(Script(text="ok"))
    again = Services.for_database(chat.ctx.db, migrate=False, pricing=chat.pricing)
    again.providers.timeouts = chat.providers.timeouts
    again.chat_send.send(thread.id, "thanks", provider=provider(kind), tools=[files])
    history = llm.requests[-1].body["messages"]
    text = str(history)
    assert "contents of notes/a.md" in text and "call_1" in text


def test_a_denied_call_is_not_run_and_the_model_hears_so(
    chat: Services, llm: LLMServer, files: FunctionTools
) -> None:
    thread = chat.chat.create_thread()
    llm.push(asks(call()), Script(text="Understood."))
    _, approve = approver("deny")
    result = chat.chat_send.send(thread.id, "read a.md", tools=[files], approve=approve)
    assert result.content == "Understood." and files.calls == []
    assert "denied" in llm.requests[-1].body["messages"][-1]["content"]
    res = chat.chat.messages(thread.id)[2]
    assert res.tool is not None and (res.tool["decision"], res.tool["is_error"]) == ("deny", True)


def test_without_an_approver_nothing_runs(
    chat: Services, llm: LLMServer, files: FunctionTools
) -> None:
    thread = chat.chat.create_thread()
    llm.push(asks(call()), Script(text="fine"))
    chat.chat_send.send(thread.id, "read a.md", tools=[files])
    assert files.calls == []


def test_always_runs_the_tool_again_without_asking_and_is_kept_for_the_thread(
    chat: Services, llm: LLMServer, files: FunctionTools
) -> None:
    thread = chat.chat.create_thread()
    llm.push(asks(call(1)), asks(call(2)), Script(text="done"))
    asked, approve = approver("always")
    chat.chat_send.send(thread.id, "read twice", tools=[files], approve=approve)
    assert len(asked) == 1 and len(files.calls) == 2
    assert chat.chat_send.tools.get(thread.id).always == ("files:read",)
    # A later send in the thread: still not asked. Another thread: asked.
    llm.push(asks(call(3)), Script(text="again"))
    chat.chat_send.send(thread.id, "once more", tools=[files], approve=approve)
    assert len(asked) == 1 and len(files.calls) == 3
    other = chat.chat.create_thread()
    llm.push(asks(call(4)), Script(text="x"))
    asked2, approve2 = approver("deny")
    chat.chat_send.send(other.id, "read", tools=[files], approve=approve2)
    assert len(asked2) == 1 and len(files.calls) == 3


def test_the_cap_on_rounds_stops_the_loop_and_says_so(
    chat: Services, llm: LLMServer, files: FunctionTools
) -> None:
    chat.chat_send.tool_rounds = 2
    thread = chat.chat.create_thread()
    llm.push(asks(call(1)), asks(call(2)), Script(text="never asked for"))
    _, approve = approver("always")
    result = chat.chat_send.send(thread.id, "loop", tools=[files], approve=approve)
    assert result.notice is not None and "2 tool rounds" in result.notice
    assert len(llm.requests) == 2 and len(files.calls) == 1
    last = chat.chat.messages(thread.id)[-1]
    assert last.tool is not None and last.tool["decision"] == "not run"


def test_stop_while_asked_ends_the_loop_and_answers_the_call_as_stopped(
    chat: Services, llm: LLMServer, files: FunctionTools
) -> None:
    thread = chat.chat.create_thread()
    llm.push(asks(call()), Script(text="never"))
    token = CancelToken()
    waiting = threading.Event()

    async def approve(request: ToolRequest) -> Decision:
        waiting.set()
        await asyncio.Event().wait()  # the user never answers: they press Esc instead
        return "once"

    def stop_when_asked() -> None:
        waiting.wait(CEILING)
        token.cancel()

    stopper = threading.Thread(target=stop_when_asked)
    stopper.start()
    result = chat.chat_send.send(thread.id, "read", tools=[files], approve=approve, cancel=token)
    stopper.join(CEILING)
    assert result.notice == "Stopped while the tools ran."
    assert files.calls == [] and len(llm.requests) == 1
    res = chat.chat.messages(thread.id)[-1]
    assert res.tool is not None and res.tool["decision"] == "stopped"


def test_a_tool_that_never_answers_times_out_as_an_error_result(
    chat: Services, llm: LLMServer
) -> None:
    slow = FunctionTools("slow", read=never_answers)
    chat.chat_send.tool_timeout = 0.2
    thread = chat.chat.create_thread()
    llm.push(asks(call(name="slow__read")), Script(text="it hung"))
    _, approve = approver("once")
    result = chat.chat_send.send(thread.id, "read", tools=[slow], approve=approve)
    assert result.content == "it hung"
    res = chat.chat.messages(thread.id)[2]
    assert "did not answer within 0.2 s" in res.content and res.tool["is_error"]  # type: ignore[index]


def test_broken_arguments_are_answered_with_the_error_without_asking(
    chat: Services, llm: LLMServer, files: FunctionTools
) -> None:
    thread = chat.chat.create_thread()
    llm.push(asks(call(arguments='{"path": "a.md",')), Script(text="sorry"))
    asked, approve = approver()
    result = chat.chat_send.send(thread.id, "read", tools=[files], approve=approve)
    assert result.content == "sorry" and asked == [] and files.calls == []
    res = chat.chat.messages(thread.id)[2]
    assert "not valid JSON" in res.content


def test_the_limit_check_counts_the_tool_definitions(chat: Services, llm: LLMServer) -> None:
    def wordy(path: str) -> str:
        return path

    wordy.__doc__ = "A tool described at length. " * 40
    tools = FunctionTools("wordy", read=wordy)
    thread = chat.chat.create_thread()
    chat.billing.record_usage(
        tokens_in=49_950, tokens_out=0, provider="x", model="y", cost_usd=None
    )
    with pytest.raises(LimitReached):
        chat.chat_send.send(thread.id, "hi", tools=[tools])
    assert llm.requests == []
    llm.push(Script(text="hello"))
    assert chat.chat_send.send(thread.id, "hi").content == "hello"  # without tools it fits


def test_a_thread_offers_its_own_or_its_presets_tools_through_the_registry(
    chat: Services, llm: LLMServer, files: FunctionTools, registry: None
) -> None:
    thread = chat.chat.create_thread()
    chat.chat_send.tools.set(thread.id, ["files:read"])
    llm.push(Script(text="hi"))
    chat.chat_send.send(thread.id, "hello")
    assert [t["function"]["name"] for t in llm.requests[-1].body["tools"]] == ["files__read"]
    # A preset's tools are the default of a thread that set none.
    role = chat.components.create("role", "Helper", "You help.")
    preset = chat.presets.create("With files", role=role.id)
    chat.presets.set_tools(preset.id, ["files"])
    other = chat.chat.create_thread(preset_id=preset.id)
    settings = chat.chat_send.tools.get(other.id)
    assert (settings.tools, settings.from_preset) == (("files",), True)
    llm.push(Script(text="hi"))
    chat.chat_send.send(other.id, "hello")
    assert "tools" in llm.requests[-1].body
    # An empty list on the thread: no tools even with the preset's.
    chat.chat_send.tools.set(other.id, [])
    llm.push(Script(text="hi"))
    chat.chat_send.send(other.id, "hello")
    assert "tools" not in llm.requests[-1].body


def test_an_unknown_tool_source_refuses_the_send_before_anything_is_stored(
    chat: Services, llm: LLMServer, registry: None
) -> None:
    thread = chat.chat.create_thread()
    chat.chat_send.tools.set(thread.id, ["nosuch"])
    with pytest.raises(NotFound, match="no tool source called 'nosuch'"):
        chat.chat_send.send(thread.id, "hello")
    assert chat.chat.messages(thread.id) == [] and llm.requests == []


def test_tool_results_are_searchable_and_exported(
    chat: Services, llm: LLMServer, files: FunctionTools
) -> None:
    thread = chat.chat.create_thread()
    llm.push(asks(call(arguments='{"path": "zebra.md"}')), Script(text="done"))
    _, approve = approver("once")
    chat.chat_send.send(thread.id, "read zebra", tools=[files], approve=approve)
    hits = chat.chat_search.search("contents zebra")
    assert [h.snippet for h in hits] == ["contents of zebra.md"]
    exported = chat.chat_export.to_markdown(thread.id)
    assert "files:read" in exported and "contents of zebra.md" in exported


def test_a_tool_result_cannot_be_edited_and_resent(
    chat: Services, llm: LLMServer, files: FunctionTools
) -> None:
    from promptterm.services.errors import ValidationError

    thread = chat.chat.create_thread()
    llm.push(asks(call()), Script(text="done"))
    _, approve = approver("once")
    chat.chat_send.send(thread.id, "read", tools=[files], approve=approve)
    result = chat.chat.messages(thread.id)[2]
    assert result.is_tool_result
    with pytest.raises(ValidationError, match="Only your own messages"):
        chat.chat_send.edit_and_resend(result.id, "something else")
