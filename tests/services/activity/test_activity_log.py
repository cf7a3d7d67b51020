"""Issue 19, item 5: the activity log records every provider call and every caught error,
lists and filters them newest first in keyset pages, shows one whole, and keeps no secret."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
from sqlalchemy import inspect, text

from promptterm.services.activity import ActivityFilter, ActivitySettings, CaughtError
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.facade import Services
from services.keyring_backend import MemoryKeyring
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.waiting import CEILING


def _logged(services: Services, **where: object) -> list:
    assert services.activity.flush(CEILING)
    return services.activity.list(ActivityFilter(**where)).entries  # type: ignore[arg-type]


def test_a_send_is_logged_with_model_status_tokens_cost_and_ids(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(text="Paris is the capital."))
    result = chat.chat_send.send(thread.id, "Capital of France?")
    [entry] = _logged(chat)
    assert (entry.kind, entry.provider, entry.model, entry.status) == (
        "api",
        "local",
        "test-model",
        "ok",
    )
    assert entry.endpoint == llm.openai_url.rstrip("/") + "/chat/completions"
    assert (entry.tokens_in, entry.tokens_out) == (
        result.message.tokens_in,
        result.message.tokens_out,
    )
    assert entry.cost_usd == result.message.cost_usd and entry.duration_ms is not None
    assert (entry.thread_id, entry.message_id) == (thread.id, result.message.id)
    whole = chat.activity.get(entry.id)
    assert whole.request_body is None and whole.response_body is None  # bodies are opt-in


def test_an_http_error_is_logged_with_its_status_and_what_went_wrong(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread()
    llm.push(Script(status=400, error_message="The prompt is malformed."))
    result = chat.chat_send.send(thread.id, "hi")
    assert result.status == "error"
    [entry] = _logged(chat, status="400")
    assert entry.error_type == result.error_kind and entry.message == result.error
    assert _logged(chat, status="ok") == []


def test_model_listings_are_logged_too(chat: Services, llm: LLMServer) -> None:
    chat.providers.models("local")
    [entry] = _logged(chat)
    assert (entry.status, entry.model) == ("ok", None)
    assert entry.endpoint is not None and entry.endpoint.endswith("/models")


def test_a_failing_log_never_breaks_the_send_and_is_counted(chat: Services, llm: LLMServer) -> None:
    def broken(*args: object, **kwargs: object) -> uuid.UUID:
        raise RuntimeError("disk full")

    chat.activity.record_call = broken  # type: ignore[method-assign]
    thread = chat.chat.create_thread()
    result = chat.chat_send.send(thread.id, "hi")
    assert result.status == "complete"
    assert chat.activity.flush(CEILING) and chat.activity.failures == 1


def test_bodies_only_when_asked_and_never_a_key(services: Services) -> None:
    secret = "sk-activity-test-5f5f6e6e7d7d8c8c9b9b"
    services.activity.settings = ActivitySettings(log_bodies=True)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with LLMServer(api_key=secret) as server:
            services.providers.add(
                "remote", "anthropic", base_url=server.url, default_model="claude-test"
            )
            services.billing.set_plan("pro")  # Free sends to OpenAI-compatible providers only
            services.api_keys.add("remote", "main", secret)
            thread = services.chat.create_thread()
            server.push(Script(status=400, error_message=f"Bad request for key {secret}"))
            services.chat_send.send(thread.id, "first")
            services.chat_send.send(thread.id, "second")
            assert services.activity.flush(CEILING)
            # The key is in the keyring only: not a byte of it in the database's files.
            assert secret not in _database_text(services)
            # A user pastes the key into a prompt and the server echoes it back.
            server.push(Script(text=f"Your key is {secret}, Authorization: Bearer {secret}"))
            services.chat_send.send(thread.id, f"my key is {secret}, x-api-key: {secret}")
            services.activity.settings = ActivitySettings(log_bodies=False)
            services.chat_send.send(thread.id, "third")
    finally:
        keyring.set_keyring(previous)
    assert services.activity.flush(CEILING)  # the recorder writes off the send's path
    newest = services.activity.get(_logged(services)[0].id)
    assert newest.request_body is None and newest.response_body is None
    entries = _logged(services)[1:]
    assert [e.status for e in entries] == ["ok", "ok", "400"]
    assert entries[0].endpoint == server.url.rstrip("/") + "/v1/messages"
    whole = services.activity.get(entries[0].id)
    assert "my key is [redacted], x-api-key: [redacted]" in (whole.request_body or "")
    assert "Your key is [redacted], Authorization: [redacted]" in (whole.response_body or "")
    with services.ctx.db.engine.connect() as conn:
        rows = "\n".join(repr(tuple(r)) for r in conn.execute(text("SELECT * FROM activity_log")))
    assert "/v1/messages" in rows and secret not in rows and secret[:12] not in rows


def _database_text(services: Services) -> str:
    """Every row of every table (PostgreSQL), or the SQLite file and its WAL as bytes."""
    url = services.ctx.db.url
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        data = b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))
        assert b"/v1/messages" in data  # the log's rows are in these bytes
        return data.decode("latin-1")
    with services.ctx.db.engine.connect() as conn:
        return "\n".join(
            repr(tuple(row))
            for table in inspect(conn).get_table_names()
            for row in conn.execute(text(f'SELECT * FROM "{table}"'))
        )


def test_caught_errors_are_logged_with_traceback_severity_and_what_the_user_did(
    services: Services,
) -> None:
    try:
        raise ValueError("the file is not UTF-8")
    except ValueError as exc:
        services.activity.record_exception(exc, area="editor", action="open file")
    services.activity.record_error(CaughtError("Notice", "slow disk", None, "warning"))
    last = services.activity.last_error()
    assert last is not None and last.status == "warning"
    [entry] = _logged(services, kind="error", status="error")
    whole = services.activity.get(entry.id)
    assert (whole.error_type, whole.message) == ("ValueError", "the file is not UTF-8")
    assert whole.context == {"area": "editor", "action": "open file"}
    assert "raise ValueError" in (whole.traceback or "")


def test_filters_and_keyset_pages(services: Services, clock: FixedClock) -> None:
    log = services.activity
    start = clock()
    for n in range(25):
        clock.set(start + timedelta(minutes=n))
        log.record_call(
            _call(
                provider="openai" if n % 2 else "anthropic",
                model=f"m{n % 3}",
                status="ok" if n % 5 else "429",
                message=f"call number {n}",
            )
        )
    log.record_error(CaughtError("KeyError", "missing", None, "error"))
    everything = log.list(limit=1000).entries
    assert len(everything) == 26 and everything[0].kind == "error"
    seen, after = [], None
    while True:
        page = log.list(limit=7, after=after)
        seen += page.entries
        if page.next is None:
            break
        after = page.next
    assert [e.id for e in seen] == [e.id for e in everything]
    assert len(log.list(ActivityFilter(kind="api")).entries) == 25
    openai = log.list(ActivityFilter(provider="openai", model="m1")).entries
    assert {(e.provider, e.model) for e in openai} == {("openai", "m1")} and len(openai) == 4
    assert len(log.list(ActivityFilter(status="429")).entries) == 5
    [hit] = log.list(ActivityFilter(text="NUMBER 13")).entries
    assert hit.message == "call number 13"
    window = log.list(
        ActivityFilter(since=start + timedelta(minutes=10), until=start + timedelta(minutes=12))
    ).entries
    assert [e.message for e in window] == ["call number 11", "call number 10"]
    assert log.find(str(hit.id)[:23]).id == hit.id
    with pytest.raises(ValidationError):
        log.list(ActivityFilter(kind="nope"))
    with pytest.raises(NotFound):
        log.get(uuid.uuid4())


def test_entries_are_the_users_own(services: Services, clock: FixedClock) -> None:
    from promptterm.services.workspaces.users import create_user

    services.activity.record_call(_call())
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(user.id)
    assert bob.activity.list().entries == []
    with pytest.raises(NotFound):
        bob.activity.get(services.activity.list().entries[0].id)


def test_retention_removes_old_entries_then_the_oldest_over_the_size_cap(
    services: Services, clock: FixedClock
) -> None:
    log = services.activity
    log.settings = ActivitySettings(log_bodies=True, retention_days=30, max_mb=1)
    start = clock()
    clock.set(start - timedelta(days=31))
    log.record_call(_call(message="too old"))
    for n in range(3):
        clock.set(start - timedelta(days=3 - n))
        log.record_call(_call(message=f"big {n}", request="x" * 250_000, response="y" * 250_000))
    clock.set(start)
    assert log.purge() == 2  # the old one, then the oldest big one (3 x 400 kB > 1 MB)
    messages = [e.message for e in log.list().entries]
    assert messages == [
        "Removed 2 log entries older than 30 days or beyond 1 MB.",
        "big 2",
        "big 1",
    ]
    assert log.list(ActivityFilter(kind="error")).entries[0].status == "info"
    assert log.purge() == 0


def _call(**fields: object):  # type: ignore[no-untyped-def]
    from promptterm.services.activity import ProviderCall

    base: dict[str, object] = {
        "provider": "openai",
        "model": "gpt",
        "endpoint": "https://api.example/v1/chat/completions",
        "status": "ok",
        "duration_ms": 12,
    }
    return ProviderCall(**(base | fields))  # type: ignore[arg-type]
