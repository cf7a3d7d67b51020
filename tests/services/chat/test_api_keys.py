"""API keys: the secret only in the OS keyring (through the real keyring API, with a test
backend), metadata in the database, environment variables as the fallback."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import inspect, text

from promptterm.services.chat.api_keys import KEYRING_SERVICE
from promptterm.services.errors import Conflict, NotFound, SecretStoreUnavailable, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from services.keyring_backend import LeakyRefusingKeyring, MemoryKeyring, NoKeyring
from support.clock import FixedClock

SECRET = "sk-test-4f9a1c2e8b7d6a5f3e2d1c0b9a8f7e6d"
OTHER_SECRET = "sk-test-0000aaaa1111bbbb2222cccc3333dddd"


InstallKeyring = Callable[[KeyringBackend], None]


@pytest.fixture
def use_keyring() -> Iterator[InstallKeyring]:
    """Install a keyring backend for one test (``use_keyring(backend)``); restore it after."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


@pytest.fixture
def memory(use_keyring: InstallKeyring) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(backend)
    return backend


def _database_text(services: Services) -> str:
    """Every row of every table, as text."""
    engine = services.ctx.db.engine
    quote = engine.dialect.identifier_preparer.quote
    dump: list[str] = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f"SELECT * FROM {quote(table)}")):
                dump.append(f"{table}: {tuple(row)!r}")
    return "\n".join(dump)


def _api_key_rows(services: Services) -> int:
    with services.ctx.db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM api_keys")).scalar_one())


# Where the secret lives --------------------------------------------------------------------


def test_the_secret_is_in_the_keyring_and_nowhere_in_the_database(
    services: Services, memory: MemoryKeyring, clock: FixedClock
) -> None:
    key = services.api_keys.add("openai", "  Work  ", f"  {SECRET}  ")
    assert (key.provider, key.nickname, key.created_at, key.active) == (
        "openai",
        "Work",
        clock(),
        True,
    )
    assert memory.passwords == {(KEYRING_SERVICE, f"api-key:{key.id}"): SECRET}
    assert keyring.get_password(KEYRING_SERVICE, f"api-key:{key.id}") == SECRET

    dump = _database_text(services)
    assert "api_keys" in dump and "Work" in dump  # the dump does see the metadata row
    assert SECRET not in dump
    assert SECRET[3:] not in dump and SECRET[-16:] not in dump
    assert services.api_keys.list() == [key]


def test_revoke_deletes_the_secret_and_keeps_the_metadata(
    services: Services, memory: MemoryKeyring, clock: FixedClock
) -> None:
    key = services.api_keys.add("openai", "Work", SECRET)
    clock.advance(days=1)
    revoked = services.api_keys.revoke(key.id)
    assert (revoked.revoked_at, revoked.active) == (clock(), False)
    assert memory.passwords == {}
    assert services.api_keys.list() == []
    assert services.api_keys.list(include_revoked=True) == [revoked]
    # Revoking again changes nothing and is not an error.
    assert services.api_keys.revoke(key.id) == revoked
    assert services.api_keys.resolve("openai") is None


def test_revoke_when_the_keyring_lost_the_secret_already(
    services: Services, memory: MemoryKeyring
) -> None:
    key = services.api_keys.add("openai", "Work", SECRET)
    memory.passwords.clear()  # deleted with the OS's own keyring tool
    assert not services.api_keys.revoke(key.id).active


# Resolving ---------------------------------------------------------------------------------


def test_resolve_prefers_a_stored_key_over_the_environment(
    services: Services, memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, clock: FixedClock
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OTHER_SECRET)
    key = services.api_keys.add("openai", "Work", SECRET)
    clock.advance(minutes=3)
    resolved = services.api_keys.resolve("openai")
    assert resolved is not None
    assert (resolved.secret, resolved.source, resolved.key_id) == (SECRET, "keyring", key.id)
    assert services.api_keys.list()[0].last_used_at == clock()


def test_resolve_falls_back_to_the_environment_variable(
    services: Services, memory: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert services.api_keys.resolve("openai") is None
    monkeypatch.setenv("OPENAI_API_KEY", f" {OTHER_SECRET}\n")
    resolved = services.api_keys.resolve("openai")
    assert resolved is not None
    assert (resolved.secret, resolved.source, resolved.key_id) == (
        OTHER_SECRET,
        "OPENAI_API_KEY",
        None,
    )
    # A revoked key, or one whose secret is gone from the keyring, is passed over.
    key = services.api_keys.add("openai", "Work", SECRET)
    memory.passwords.clear()
    assert services.api_keys.resolve("openai").source == "OPENAI_API_KEY"  # type: ignore[union-attr]
    services.api_keys.revoke(key.id)
    assert services.api_keys.resolve("openai").source == "OPENAI_API_KEY"  # type: ignore[union-attr]
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    assert services.api_keys.resolve("anthropic").source == "ANTHROPIC_API_KEY"  # type: ignore[union-attr]


def test_resolve_picks_the_named_key_else_the_newest(
    services: Services, memory: MemoryKeyring, clock: FixedClock
) -> None:
    old = services.api_keys.add("openai", "Old", OTHER_SECRET)
    clock.advance(days=1)
    services.api_keys.add("openai", "New", SECRET)
    services.api_keys.add("anthropic", "Claude", "sk-ant-something-long")
    assert services.api_keys.resolve("openai").secret == SECRET  # type: ignore[union-attr]
    assert services.api_keys.resolve("openai", old.id).secret == OTHER_SECRET  # type: ignore[union-attr]
    assert services.api_keys.resolve("anthropic").secret == "sk-ant-something-long"  # type: ignore[union-attr]


# Validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("secret", ["sk-1x", "sk-with a space", "   ", "sk-tab\tinside-1234"])
def test_what_does_not_look_like_a_key_is_refused_without_echoing_it(
    services: Services, memory: MemoryKeyring, secret: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.api_keys.add("openai", "Work", secret)
    assert err.value.field == "secret"
    if secret.strip():
        assert secret.strip() not in err.value.message
    assert memory.passwords == {}
    assert _api_key_rows(services) == 0


def test_nicknames_are_unique_per_provider(services: Services, memory: MemoryKeyring) -> None:
    first = services.api_keys.add("openai", "Work", SECRET)
    with pytest.raises(Conflict, match="already have a openai key called 'Work'"):
        services.api_keys.add("openai", "Work", OTHER_SECRET)
    # The first secret is still the one stored, and only one is stored.
    assert memory.passwords == {(KEYRING_SERVICE, f"api-key:{first.id}"): SECRET}
    assert services.api_keys.add("anthropic", "Work", OTHER_SECRET).provider == "anthropic"
    second = services.api_keys.add("openai", "Home", OTHER_SECRET)
    with pytest.raises(Conflict):
        services.api_keys.rename(second.id, "Work")
    assert services.api_keys.rename(second.id, "Personal").nickname == "Personal"


# No keyring --------------------------------------------------------------------------------


def test_without_a_keyring_add_says_to_use_the_environment_and_stores_nothing(
    services: Services, use_keyring: InstallKeyring
) -> None:
    use_keyring(NoKeyring())
    with pytest.raises(SecretStoreUnavailable) as err:
        services.api_keys.add("openai", "Work", SECRET)
    message = err.value.message
    assert "OPENAI_API_KEY" in message
    assert "keyring" in message
    assert SECRET not in message and SECRET not in str(err.value)
    assert _api_key_rows(services) == 0
    assert services.api_keys.list(include_revoked=True) == []
    assert SECRET not in _database_text(services)

    # Once a keyring is there, the same add works.
    use_keyring(MemoryKeyring())
    assert services.api_keys.add("openai", "Work", SECRET).nickname == "Work"


def test_without_a_keyring_the_environment_still_works(
    services: Services, use_keyring: InstallKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keyring(NoKeyring())
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    resolved = services.api_keys.resolve("anthropic")
    assert resolved is not None and resolved.source == "ANTHROPIC_API_KEY"


def test_a_keyring_error_that_repeats_the_secret_is_not_passed_on(
    services: Services, use_keyring: InstallKeyring
) -> None:
    use_keyring(LeakyRefusingKeyring())
    with pytest.raises(SecretStoreUnavailable) as err:
        services.api_keys.add("openrouter", "Work", SECRET)
    assert SECRET not in err.value.message
    assert "KeyringError" in err.value.message
    assert "OPENROUTER_API_KEY" in err.value.message
    assert _api_key_rows(services) == 0


def test_a_stored_key_without_a_keyring_later(
    services: Services, use_keyring: InstallKeyring, memory: MemoryKeyring
) -> None:
    """The keyring disappears (e.g. the same database opened over SSH): a clear error."""
    services.api_keys.add("openai", "Work", SECRET)
    use_keyring(NoKeyring())
    with pytest.raises(SecretStoreUnavailable, match="OPENAI_API_KEY"):
        services.api_keys.resolve("openai")


# Ownership ---------------------------------------------------------------------------------


def test_another_user_cannot_see_use_or_revoke_my_keys(
    services: Services, memory: MemoryKeyring, clock: FixedClock
) -> None:
    key = services.api_keys.add("openai", "Work", SECRET)
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(user.id)
    assert bob.api_keys.list(include_revoked=True) == []
    assert bob.api_keys.resolve("openai") is None
    assert bob.api_keys.resolve("openai", key.id) is None
    with pytest.raises(NotFound):
        bob.api_keys.revoke(key.id)
    with pytest.raises(NotFound):
        bob.api_keys.rename(key.id, "Bob's now")
    assert services.api_keys.list() == [key]
    assert memory.passwords[(KEYRING_SERVICE, f"api-key:{key.id}")] == SECRET
