"""AI jobs and analyses in team mode: the services and raw SQL from each person's own
PostgreSQL role agree. Anyone in the workspace may ask about a file (a viewer too) but a job
is its asker's own; an analysis is seen by everyone who sees the project and removed only
by its author; applying a change needs an editing role; an outsider sees and asks nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from promptterm.db.engine import Database
from promptterm.providers.base import RetryPolicy, Timeouts
from promptterm.services.code import AiRequest
from promptterm.services.errors import Forbidden, NotFound
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.postgres import PostgresServer
from support.team import attempt, ensure_login_roles, log_in, raw
from support.waiting import CEILING

pytestmark = pytest.mark.postgres
PEOPLE = ("ai_owner", "ai_member", "ai_viewer", "ai_outsider")

NEW_JOB = (
    "INSERT INTO ai_jobs (id, user_id, project_id, kind, status, input, output,"
    " tokens_estimated, created_at) VALUES (gen_random_uuid(), promptterm_uid(), :project,"
    " 'explain', 'pending', '{}', '', false, now()) RETURNING id"
)
NEW_ANALYSIS = (
    "INSERT INTO code_analyses (id, user_id, project_id, file_id, kind, content_sha256,"
    " file_version, output, created_at, expires_at) VALUES (gen_random_uuid(),"
    " promptterm_uid(), :project, :file, 'explain', 'x', 1, '', now(), now()) RETURNING id"
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
        p.removeprefix("ai_"): log_in(database, p, clock, 1000 * (n + 1))
        for n, p in enumerate(PEOPLE)
    }
    yield people
    for services in people.values():
        services.close()


def _local(services: Services, llm: LLMServer) -> None:
    services.providers.retry = RetryPolicy(base_delay=0.01)
    services.providers.timeouts = Timeouts(connect=CEILING, read=CEILING)
    services.providers.add(
        "local", "openai-compatible", base_url=llm.openai_url, default_model="test-model"
    )


def test_jobs_are_ones_own_and_analyses_are_the_projects_in_the_app_and_in_sql(
    team: dict[str, Services], llm: LLMServer
) -> None:
    owner, member, viewer, outsider = (team[p] for p in ("owner", "member", "viewer", "outsider"))
    ws = owner.workspaces.create("Team")
    owner.workspaces.add_member(ws.id, "ai_member", "member")
    owner.workspaces.add_member(ws.id, "ai_viewer", "viewer")
    project = owner.projects.create(ws.id, "App")
    file = owner.files.create(project.id, "calc.py", "def add(a, b):\n    return a+b\n")
    ids = {"project": project.id, "file": file.id}
    for person in (member, viewer, outsider):
        _local(person, llm)

    # A viewer may ask; the explanation is kept for everyone who sees the project.
    llm.push(Script(text="It adds."))
    asked = viewer.ai_jobs.run(AiRequest(file.id, "explain"))
    assert asked.status == "completed"
    assert [a.output for a in member.ai_jobs.analyses_of(file.id)] == ["It adds."]
    assert len(raw(member, "SELECT id FROM code_analyses")) == 1
    assert attempt(viewer, [NEW_JOB, NEW_ANALYSIS], **ids)

    # The job itself is the viewer's own.
    with pytest.raises(NotFound):
        member.ai_jobs.get(asked.id)
    assert raw(member, "SELECT id FROM ai_jobs") == []
    assert raw(member, "UPDATE ai_jobs SET output = 'x' RETURNING id") == []
    assert raw(member, "DELETE FROM code_analyses RETURNING id") == []
    assert len(raw(viewer, "SELECT id FROM ai_jobs")) == 1

    # A viewer's proposed change is not applied: the file's own rules say so.
    llm.push(Script(text="```\ndef add(a, b):\n    return a + b\n```"))
    proposal = viewer.ai_jobs.run(AiRequest(file.id, "refactor"))
    assert proposal.change_state == "proposed"
    with pytest.raises(Forbidden):
        viewer.ai_changes.apply(proposal.id)

    # An outsider sees nothing and asks nothing.
    with pytest.raises(NotFound):
        outsider.ai_jobs.prepare(AiRequest(file.id, "explain"))
    with pytest.raises(NotFound):
        outsider.ai_jobs.analyses_of(file.id, "def add(a, b):\n    return a+b\n")
    assert raw(outsider, "SELECT id FROM code_analyses") == []
    assert raw(outsider, "SELECT id FROM ai_jobs") == []
    assert not attempt(outsider, [NEW_JOB], **ids)
    assert not attempt(outsider, [NEW_ANALYSIS], **ids)
