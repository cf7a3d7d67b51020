"""Provider entries: add/list/get/update/remove on both databases, key resolution, and the
network calls (models, test) against the local LLM server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import keyring
import pytest
from sqlalchemy import inspect, text

from promptterm.providers.base import RetryPolicy, Timeouts
from promptterm.services.chat.providers import ProviderProblem
from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from services.keyring_backend import MemoryKeyring
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.waiting import CEILING

SECRET = "sk-test-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer(api_key=SECRET) as server:
        yield server


def _fast(services: Services) -> Services:
    services.providers.retry = RetryPolicy(base_delay=0.01)
    services.providers.timeouts = Timeouts(connect=CEILING, read=CEILING)  # only a hang
    return services


def test_add_list_get_update_remove(services: Services, clock: FixedClock) -> None:
    local = services.providers.add(
        "ollama",
        "openai-compatible",
        base_url="http://localhost:11434/v1/",
        default_model="llama3.2",
    )
    assert (local.base_url, local.is_local, local.created_at) == (
        "http://localhost:11434/v1",
        True,
        clock(),
    )
    claude = services.providers.add("claude", "anthropic", key_env="$MY_CLAUDE_KEY")
    assert (claude.base_url, claude.is_local, claude.key_env) == (
        "https://api.anthropic.com",
        False,
        "MY_CLAUDE_KEY",
    )
    assert [p.name for p in services.providers.list()] == ["claude", "ollama"]
    assert services.providers.get("ollama") == local
    assert services.providers.get(str(local.id)) == local

    clock.advance(minutes=5)
    changed = services.providers.update(
        "ollama", name="local", default_model=None, options={"read_timeout": 300}
    )
    assert (changed.name, changed.default_model, changed.options) == (
        "local",
        None,
        {"read_timeout": 300},
    )
    assert changed.updated_at == clock() and changed.created_at == local.created_at
    assert services.providers.settings_for(changed).timeouts.read == 300

    assert services.providers.remove("local") == "local"
    with pytest.raises(NotFound, match="no provider named 'local'"):
        services.providers.get("local")


def test_names_are_unique_per_user_but_not_across_users(
    services: Services, clock: FixedClock
) -> None:
    services.providers.add("openai", "openai-compatible")
    with pytest.raises(Conflict, match="already have a provider named 'openai'"):
        services.providers.add("openai", "anthropic")
    other = create_user(services.ctx.db, "Bea", None, clock(), uuid.uuid4())
    bea = services.as_user(other.id)
    assert bea.providers.list() == []  # mine are not hers
    bea.providers.add("openai", "openai-compatible")
    with pytest.raises(NotFound):
        bea.providers.get(str(services.providers.get("openai").id))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "my provider", "kind": "anthropic"}, "name"),
        ({"name": "x", "kind": "gemini"}, "kind"),
        ({"name": "x", "kind": "anthropic", "base_url": "ftp://example.com"}, "base_url"),
        (
            {"name": "x", "kind": "anthropic", "base_url": "https://u:sk-abc@example.com"},
            "base_url",
        ),
        ({"name": "x", "kind": "anthropic", "key_env": "NOT A VAR"}, "key_env"),
        ({"name": "x", "kind": "anthropic", "options": {"max_tokens": -1}}, "max_tokens"),
    ],
)
def test_invalid_entries_are_refused(services: Services, kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.providers.add(**kwargs)
    assert caught.value.field == field
    assert "sk-abc" not in caught.value.message


def test_key_resolution_order_and_no_secret_in_the_database(
    services: Services, memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = services.providers.add("openai", "openai-compatible")
    with pytest.raises(ValidationError, match=r"needs an API key.*OPENAI_API_KEY"):
        services.providers.settings_for(entry)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-000000000000")
    assert services.providers.settings_for(entry).api_key == "sk-from-env-000000000000"
    services.api_keys.add("openai", "work", SECRET)
    settings = services.providers.settings_for(entry)
    assert settings.api_key == SECRET and SECRET not in repr(settings)

    pinned = services.providers.update("openai", key_nickname="home")
    with pytest.raises(ValidationError, match="key 'home', which is not stored"):
        services.providers.settings_for(pinned)
    services.api_keys.add("openai", "home", "sk-home-1111111111111111")
    assert services.providers.settings_for(pinned).api_key == "sk-home-1111111111111111"

    by_env = services.providers.update("openai", key_env="TEAM_KEY")
    with pytest.raises(ValidationError, match=r"\$TEAM_KEY, which is not set"):
        services.providers.settings_for(by_env)
    monkeypatch.setenv("TEAM_KEY", "sk-team-2222222222222222")
    assert services.providers.settings_for(by_env).api_key == "sk-team-2222222222222222"

    local = services.providers.add(
        "ollama", "openai-compatible", base_url="http://127.0.0.1:11434/v1"
    )
    assert services.providers.settings_for(local).api_key is None  # a local server needs none
    assert SECRET not in _database_text(services)


def test_models_and_test_against_a_real_server(
    services: Services, memory: MemoryKeyring, llm: LLMServer
) -> None:
    _fast(services)
    services.providers.add(
        "local", "openai-compatible", base_url=llm.openai_url, default_model="test-model"
    )
    services.providers.add("claude", "anthropic", base_url=llm.url, default_model="claude-test")
    services.api_keys.add("local", "k", SECRET)
    services.api_keys.add("claude", "k", SECRET)
    assert [m.id for m in services.providers.models("local")] == ["test-model", "test-model-large"]
    assert [m.id for m in services.providers.models("claude")] == [
        "claude-test",
        "claude-test-large",
    ]

    llm.push(Script(text="ok"))
    check = services.providers.test("local")
    assert (check.ok, check.reply, check.model, check.tokens_out) == (True, "ok", "test-model", 1)
    assert llm.requests[-1].body["max_tokens"] == 16

    bad = services.providers.test("claude", model="claude-missing")
    assert (bad.ok, bad.reason) == (False, "unknown model")
    assert "promptterm provider models claude" in (bad.error or "")


def test_a_refused_key_reads_clearly_and_never_shows_the_key(
    services: Services, memory: MemoryKeyring, llm: LLMServer
) -> None:
    _fast(services)
    services.providers.add(
        "local", "openai-compatible", base_url=llm.openai_url, default_model="test-model"
    )
    services.api_keys.add("local", "old", "sk-revoked-999999999999999999")
    check = services.providers.test("local")
    assert check.reason == "bad key" and "sk-revoked" not in (check.error or "")
    assert "promptterm key add local --stdin" in (check.error or "")
    with pytest.raises(ProviderProblem) as caught:
        services.providers.models("local")
    assert caught.value.reason == "bad key" and "sk-revoked" not in caught.value.message


def _database_text(services: Services) -> str:
    engine = services.ctx.db.engine
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        return "\n".join(
            repr(tuple(row))
            for table in inspect(conn).get_table_names()
            for row in conn.execute(text(f"SELECT * FROM {quote(table)}"))
        )
