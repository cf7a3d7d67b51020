"""Issue 19: AI jobs on code (explain, refactor, generate, analyze) are provider calls like a
chat send, so the activity log keeps each one, on both databases, against the local LLM
server: provider, model, status, tokens, cost and duration; failures with their status;
cancellations as "stopped"; bodies only when asked; never the API key."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from sqlalchemy import inspect, text

from promptterm.cli.main import main
from promptterm.services.activity import ActivityFilter, ActivitySettings
from promptterm.services.chat import CancelToken
from promptterm.services.code import AiRequest, Lines
from promptterm.services.facade import Services
from services.keyring_backend import MemoryKeyring
from support.llm_server import LLMServer, Script
from support.waiting import CEILING

SOURCE = "def add(a, b):\n    return a+b\n"
SECRET = "sk-ai-job-test-0a1b2c3d4e5f6a7b8c9d"


@pytest.fixture
def file_id(chat: Services):  # type: ignore[no-untyped-def]
    ws = chat.workspaces.create("Team")
    project = chat.projects.create(ws.id, "App")
    return chat.files.create(project.id, "calc.py", SOURCE).id


def _logged(services: Services, **where: object) -> list:
    assert services.activity.flush(CEILING)
    return services.activity.list(ActivityFilter(**where)).entries  # type: ignore[arg-type]


def test_a_job_is_logged_with_provider_model_status_tokens_cost_and_duration(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(text="It adds two numbers."))
    done = chat.ai_jobs.run(AiRequest(file_id, "explain"))
    [entry] = _logged(chat)
    assert (entry.kind, entry.provider, entry.model, entry.status) == (
        "api",
        "local",
        "test-model",
        "ok",
    )
    assert entry.endpoint == llm.openai_url.rstrip("/") + "/chat/completions"
    assert (entry.tokens_in, entry.tokens_out) == (done.tokens_in, done.tokens_out)
    assert entry.tokens_out == 4 and entry.cost_usd == done.cost_usd
    assert entry.duration_ms == done.duration_ms
    whole = chat.activity.get(entry.id)
    assert whole.context == {"job": str(done.id), "action": "explain", "file": "calc.py"}
    assert whole.request_body is None and whole.response_body is None  # bodies are opt-in


def test_failed_and_canceled_jobs_are_logged_and_a_job_canceled_before_its_call_is_not(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(status=401, error_message="bad key"))
    failed = chat.ai_jobs.run(AiRequest(file_id, "refactor", lines=Lines(1, 2)))
    assert failed.status == "failed"
    [entry] = _logged(chat)
    assert (entry.status, entry.error_type, entry.model) == ("401", "bad key", "test-model")
    assert entry.message == failed.error

    llm.push(Script(tokens=[f" w{n}" for n in range(300)], write_pause=0.01))
    token = CancelToken()
    shown: list[str] = []

    def on_text(piece: str) -> None:
        shown.append(piece)
        if len(shown) == 3:
            token.cancel()

    stopped = chat.ai_jobs.run(AiRequest(file_id, "explain"), on_text=on_text, cancel=token)
    assert stopped.status == "canceled"
    entry = _logged(chat)[0]
    assert (entry.status, entry.tokens_out) == ("stopped", stopped.tokens_out)

    early = CancelToken()
    early.cancel()
    assert chat.ai_jobs.run(AiRequest(file_id, "explain"), cancel=early).status == "canceled"
    assert len(_logged(chat)) == 2  # no call was made: nothing to log


def test_bodies_only_when_asked_redacted_and_the_key_never_in_the_database(
    services: Services,
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        with LLMServer(api_key=SECRET) as server:
            services.providers.add(
                "remote",
                "openai-compatible",
                base_url=server.openai_url,
                default_model="test-model",
            )
            services.api_keys.add("remote", "main", SECRET)
            project = services.projects.create(services.workspaces.create("Team").id, "App")
            calc = services.files.create(project.id, "calc.py", SOURCE).id
            services.activity.settings = ActivitySettings(log_bodies=True)
            server.push(Script(status=400, error_message=f"upstream refused {SECRET}"))
            assert services.ai_jobs.run(AiRequest(calc, "explain")).status == "failed"
            assert services.ai_jobs.run(AiRequest(calc, "explain")).status == "completed"
            assert services.activity.flush(CEILING)
            # The key is in the keyring only: not a byte of it in the database's files.
            stored = _database_text(services)
            assert SECRET not in stored and SECRET[:12] not in stored

            # A user pastes the key into a file, and the server echoes it back.
            pasted = services.files.create(project.id, "keys.py", f'KEY = "{SECRET}"\n').id
            server.push(Script(text=f"It holds {SECRET}; send Authorization: Bearer {SECRET}"))
            assert services.ai_jobs.run(AiRequest(pasted, "explain")).status == "completed"
            services.activity.settings = ActivitySettings(log_bodies=False)
            server.push(Script(status=400, error_message=f"upstream refused {SECRET}"))
            services.ai_jobs.run(AiRequest(pasted, "analyze", aspect="security"))
    finally:
        keyring.set_keyring(previous)
    newest, echoed, ok, refused = _logged(services)
    assert [e.status for e in (newest, echoed, ok, refused)] == ["400", "ok", "ok", "400"]
    assert services.activity.get(newest.id).request_body is None  # bodies off again
    assert "refused [key]" in (services.activity.get(refused.id).response_body or "")
    whole = services.activity.get(echoed.id)
    assert 'KEY = \\"[redacted]\\"' in (whole.request_body or "")
    assert "It holds [redacted]; send Authorization: [redacted]" in (whole.response_body or "")
    with services.ctx.db.engine.connect() as conn:
        rows = "\n".join(repr(tuple(r)) for r in conn.execute(text("SELECT * FROM activity_log")))
    assert "chat/completions" in rows and SECRET not in rows and SECRET[-12:] not in rows


def _database_text(services: Services) -> str:
    """Every row of every table (PostgreSQL), or the SQLite file and its WAL as bytes."""
    url = services.ctx.db.url
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        data = b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))
        assert b"chat/completions" in data  # the log's rows are in these bytes
        return data.decode("latin-1")
    with services.ctx.db.engine.connect() as conn:
        return "\n".join(
            repr(tuple(row))
            for table in inspect(conn).get_table_names()
            for row in conn.execute(text(f'SELECT * FROM "{table}"'))
        )


def test_log_list_shows_the_job_call(
    sqlite_database,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = sqlite_database.url
    services = Services.open(url)
    try:
        with LLMServer() as server:
            services.providers.add(
                "local", "openai-compatible", base_url=server.openai_url, default_model="test-model"
            )
            project = services.projects.create(services.workspaces.create("Team").id, "App")
            file_id = services.files.create(project.id, "calc.py", SOURCE).id
            server.push(Script(text="Adds."))
            done = services.ai_jobs.run(AiRequest(file_id, "explain"))
    finally:
        services.close()  # writes what the recorder holds, as a command does before it exits
    assert main(["--database-url", url, "log", "list", "--kind", "api", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["provider"], entry["model"], entry["status"]) == ("local", "test-model", "ok")
    assert (entry["tokens_in"], entry["tokens_out"]) == (done.tokens_in, done.tokens_out)
    assert entry["duration_ms"] == done.duration_ms
