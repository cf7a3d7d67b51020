"""Tool calls over real loopback HTTP, both protocols: definitions in each one's format,
calls streamed in pieces cut mid-JSON and across reads, results sent back, broken arguments."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from promptterm.providers import create_provider
from promptterm.providers.base import (
    ChatMessage,
    StreamDone,
    TextDelta,
    ToolCall,
    ToolDefinition,
)
from providers.harness import Target
from support.llm_server import Script

WEATHER = ToolDefinition(
    "files__read",
    "Read a file",
    {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
)
ARGS = '{"path": "notes/caf\\u00e9 \\"draft\\".md", "lines": [1, 20]}'


def _stream(
    target: Target, messages: list[ChatMessage], tools: list[ToolDefinition]
) -> tuple[str, list[ToolCall], StreamDone | None]:
    async def go() -> tuple[str, list[ToolCall], StreamDone | None]:
        text, calls, done = "", [], None
        async with create_provider(target.settings()) as client:
            async for event in client.stream(messages, model=target.model, tools=tools):
                if isinstance(event, TextDelta):
                    text += event.text
                elif isinstance(event, ToolCall):
                    calls.append(event)
                elif isinstance(event, StreamDone):
                    done = event
        return text, calls, done

    return asyncio.run(go())


@pytest.mark.parametrize("chunk_bytes", [None, 5], ids=["whole-writes", "5-byte-reads"])
def test_tool_calls_are_gathered_from_pieces_cut_mid_json(
    target: Target, chunk_bytes: int | None
) -> None:
    calls = [
        {"id": "call_1", "name": "files__read", "arguments": ARGS},
        {"id": "call_2", "name": "files__read", "arguments": '{"path": "b"}'},
    ]
    target.server.push(
        Script(text="Let me look.", tool_calls=calls, tool_piece=4, chunk_bytes=chunk_bytes)
    )
    text, got, done = _stream(target, [ChatMessage("user", "read it")], [WEATHER])
    assert text == "Let me look."
    assert [(c.id, c.name, c.error) for c in got] == [
        ("call_1", "files__read", None),
        ("call_2", "files__read", None),
    ]
    assert got[0].arguments == {"path": 'notes/café "draft".md', "lines": [1, 20]}
    assert got[1].arguments == {"path": "b"}
    assert done is not None and done.finish_reason in ("tool_calls", "tool_use")
    body = target.server.requests[-1].body
    if target.kind == "anthropic":
        assert body["tools"] == [
            {
                "name": "files__read",
                "description": "Read a file",
                "input_schema": WEATHER.parameters,
            }
        ]
    else:
        assert body["tools"] == [
            {
                "type": "function",
                "function": {
                    "name": "files__read",
                    "description": "Read a file",
                    "parameters": WEATHER.parameters,
                },
            }
        ]


def test_arguments_that_are_not_json_make_an_error_not_a_crash(target: Target) -> None:
    broken = '{"path": "a.md", "lines": [1,'
    target.server.push(
        Script(text="", tool_calls=[{"id": "c9", "name": "files__read", "arguments": broken}])
    )
    _, got, done = _stream(target, [ChatMessage("user", "read it")], [WEATHER])
    assert done is not None
    assert len(got) == 1 and got[0].arguments is None
    assert got[0].raw_arguments == broken
    assert got[0].error is not None
    assert "not valid JSON" in got[0].error and "'files__read'" in got[0].error


def test_arguments_that_are_not_an_object_are_refused_in_words(target: Target) -> None:
    target.server.push(
        Script(text="", tool_calls=[{"id": "c9", "name": "files__read", "arguments": "[1, 2]"}])
    )
    _, got, _ = _stream(target, [ChatMessage("user", "read it")], [WEATHER])
    assert got[0].arguments is None and got[0].error is not None
    assert "not a JSON object" in got[0].error


def test_no_arguments_at_all_is_an_empty_object(target: Target) -> None:
    target.server.push(
        Script(text="", tool_calls=[{"id": "c1", "name": "files__read", "arguments": ""}])
    )
    _, got, _ = _stream(target, [ChatMessage("user", "go")], [WEATHER])
    assert got[0].arguments == {} and got[0].error is None


def test_results_go_back_in_the_protocols_own_shape(target: Target) -> None:
    call = ToolCall("call_1", "files__read", {"path": "a.md"}, '{"path": "a.md"}')
    bad = ToolCall("call_2", "files__read", None, "{oops", "not JSON")
    history = [
        ChatMessage("user", "read a.md"),
        ChatMessage("assistant", "Looking.", tool_calls=(call, bad)),
        ChatMessage("tool", "# A\nhello", tool_call_id="call_1"),
        ChatMessage("tool", "not JSON", tool_call_id="call_2", is_error=True),
    ]
    target.server.push(Script(text="It says hello."))
    text, got, _ = _stream(target, history, [WEATHER])
    assert text == "It says hello." and got == []
    sent: list[dict[str, Any]] = target.server.requests[-1].body["messages"]
    if target.kind == "anthropic":
        assert sent[1] == {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Looking."},
                {
                    "type": "tool_use",
                    "id": "call_1",
                    "name": "files__read",
                    "input": {"path": "a.md"},
                },
                {"type": "tool_use", "id": "call_2", "name": "files__read", "input": {}},
            ],
        }
        assert sent[2] == {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "call_1", "content": "# A\nhello"},
                {
                    "type": "tool_result",
                    "tool_use_id": "call_2",
                    "content": "not JSON",
                    "is_error": True,
                },
            ],
        }
    else:
        assert sent[1] == {
            "role": "assistant",
            "content": "Looking.",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "files__read", "arguments": '{"path": "a.md"}'},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "files__read", "arguments": "{oops"},
                },
            ],
        }
        assert sent[2] == {"role": "tool", "tool_call_id": "call_1", "content": "# A\nhello"}
        assert sent[3] == {"role": "tool", "tool_call_id": "call_2", "content": "not JSON"}


def test_no_tools_sends_no_tools_field(target: Target) -> None:
    target.server.push(Script(text="plain"))
    _stream(target, [ChatMessage("user", "hi")], [])
    assert "tools" not in target.server.requests[-1].body
