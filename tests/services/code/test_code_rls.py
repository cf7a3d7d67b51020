"""Runs and environment variables in team mode: the services and raw SQL from each person's
own PostgreSQL role agree. A viewer reads a project's variable names but edits none and runs
nothing; a member edits and runs; each person's run history is their own; an outsider sees
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from promptterm.db.engine import Database
from promptterm.services.errors import Forbidden, NotFound
from promptterm.services.facade import Services
from services.keyring_backend import MemoryKeyring
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import attempt, ensure_login_roles, log_in, raw

pytestmark = pytest.mark.postgres
PEOPLE = ("cr_owner", "cr_member", "cr_viewer", "cr_outsider")

NEW_VAR = (
    "INSERT INTO project_env_vars (id, project_id, key, value, is_secret, created_at,"
    " updated_at) VALUES (gen_random_uuid(), :project, 'RAW', 'x', false, now(), now())"
    " RETURNING id"
)
NEW_RUN = (
    "INSERT INTO code_runs (id, user_id, project_id, kind, command, working_directory, status,"
    " output, output_bytes, created_at) VALUES (gen_random_uuid(), promptterm_uid(), :project,"
    " 'command', 'true', '/tmp', 'completed', '', 0, now()) RETURNING id"
)


@pytest.fixture(params=["postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def team(
    database: Database, pg_server: PostgresServer, _postgres_template: str, clock: FixedClock
) -> Iterator[dict[str, Services]]:
    ensure_login_roles(pg_server, PEOPLE)
    people = {
        p.removeprefix("cr_"): log_in(database, p, clock, 1000 * (n + 1))
        for n, p in enumerate(PEOPLE)
    }
    yield people
    for services in people.values():
        services.close()


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_roles_on_variables_and_runs_agree_in_the_app_and_in_sql(
    team: dict[str, Services], memory: MemoryKeyring, tmp_path: Path
) -> None:
    owner, member, viewer, outsider = (team[p] for p in ("owner", "member", "viewer", "outsider"))
    ws = owner.workspaces.create("Team")
    owner.workspaces.add_member(ws.id, "cr_member", "member")
    owner.workspaces.add_member(ws.id, "cr_viewer", "viewer")
    project = owner.projects.create(ws.id, "App")
    folder = tmp_path / "app"
    folder.mkdir()
    owner.disk_sync.bind(project.id, folder)
    ids = {"project": project.id}

    member.env.set(project.id, "MODE", "debug", secret=False)
    member.env.set(project.id, "TOKEN", "t0ken-value", secret=True)
    assert attempt(member, [NEW_VAR], **ids)

    # A viewer reads the names, and cannot write, in the app or in SQL.
    assert [v.shown for v in viewer.env.list(project.id)] == ["debug", "••••"]
    assert sorted(k for (k,) in raw(viewer, "SELECT key FROM project_env_vars")) == [
        "MODE",
        "TOKEN",
    ]
    with pytest.raises(Forbidden):
        viewer.env.set(project.id, "MODE", "prod", secret=False)
    with pytest.raises(Forbidden):
        viewer.env.remove(project.id, "MODE")
    assert not attempt(viewer, [NEW_VAR], **ids)
    assert raw(viewer, "UPDATE project_env_vars SET value = 'prod' RETURNING id") == []
    assert raw(viewer, "DELETE FROM project_env_vars RETURNING id") == []

    # An outsider sees nothing.
    with pytest.raises(NotFound):
        outsider.env.list(project.id)
    assert raw(outsider, "SELECT key FROM project_env_vars") == []
    assert not attempt(outsider, [NEW_VAR], **ids)

    # Runs: a member runs, a viewer does not; each history is one's own.
    done = member.runs.finish(member.runs.start_command(project.id, "echo hi"))
    assert done.status == "completed"
    with pytest.raises(Forbidden):
        viewer.runs.start_command(project.id, "echo hi")
    assert not attempt(viewer, [NEW_RUN], **ids)
    assert not attempt(outsider, [NEW_RUN], **ids)
    assert attempt(owner, [NEW_RUN], **ids)
    assert owner.runs.history(project.id) == []
    assert raw(owner, "SELECT id FROM code_runs") == []
    assert raw(owner, "UPDATE code_runs SET output = 'x' RETURNING id") == []
    assert [r.id for r in member.runs.history(project.id)] == [done.id]
    with pytest.raises(NotFound):
        owner.runs.get(done.id)
