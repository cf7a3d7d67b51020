"""A project's environment variables on both databases: plain values in the database, secret
ones only in the keyring, never shown, and a keyring that is missing said in words."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from sqlalchemy import text

from promptterm.services.errors import NotFound, SecretStoreUnavailable, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.projects import ProjectInfo
from services.keyring_backend import MemoryKeyring, NoKeyring

SECRET = "tok-9f8e7d6c5b4a"


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def project(services: Services) -> ProjectInfo:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "App")


def _all_rows(services: Services) -> str:
    with services.ctx.db.engine.connect() as conn:
        return repr(conn.execute(text("SELECT * FROM project_env_vars")).fetchall())


def test_plain_and_secret_values_are_kept_apart(
    services: Services, project: ProjectInfo, memory: MemoryKeyring
) -> None:
    services.env.set(project.id, "MODE", "debug", secret=False)
    services.env.set(project.id, "API_TOKEN", SECRET, secret=True)
    listed = services.env.list(project.id)
    assert [(v.key, v.shown) for v in listed] == [("API_TOKEN", "••••"), ("MODE", "debug")]
    assert SECRET not in _all_rows(services)
    assert SECRET in memory.passwords.values()
    resolved = services.env.resolve(project.id)
    assert resolved.values == {"API_TOKEN": SECRET, "MODE": "debug"}
    assert resolved.secrets == (SECRET,)


def test_turning_a_secret_plain_or_removing_it_forgets_the_keyring_value(
    services: Services, project: ProjectInfo, memory: MemoryKeyring
) -> None:
    services.env.set(project.id, "A", SECRET, secret=True)
    services.env.set(project.id, "A", "now-plain", secret=False)
    assert memory.passwords == {}
    services.env.set(project.id, "B", SECRET, secret=True)
    services.env.remove(project.id, "B")
    assert memory.passwords == {}
    assert [v.key for v in services.env.list(project.id)] == ["A"]
    with pytest.raises(NotFound):
        services.env.remove(project.id, "B")


def test_bad_names_and_values_are_refused_in_words(
    services: Services, project: ProjectInfo, memory: MemoryKeyring
) -> None:
    with pytest.raises(ValidationError, match="not a variable name"):
        services.env.set(project.id, "1BAD", "x", secret=False)
    with pytest.raises(ValidationError, match="control character"):
        services.env.set(project.id, "GOOD", "a\x1b[2Jb", secret=False)
    with pytest.raises(ValidationError, match="needs a value"):
        services.env.set(project.id, "GOOD", "", secret=True)
    assert services.env.list(project.id) == []


def test_no_keyring_keeps_no_row_and_says_what_to_do(
    services: Services, project: ProjectInfo
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        with pytest.raises(SecretStoreUnavailable, match="keyring backend"):
            services.env.set(project.id, "TOKEN", SECRET, secret=True)
    finally:
        keyring.set_keyring(previous)
    assert services.env.list(project.id) == []
