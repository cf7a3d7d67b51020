"""Every service verb on workspaces, members, projects and files, tried by an owner, an admin,
a member, a viewer and an outsider: once through the services and once in raw SQL from the
person's own PostgreSQL role. The app and the database must agree on every cell.

README promises that row-level security makes the database refuse, even to raw SQL, what the
app refuses; and the database must not refuse what the app allows (a teammate would see an
error the app never meant). Verbs the app does not have at all (deleting a file for good,
rewriting its history) must be refused to everyone.

Each cell gets its own copy of one prepared team database, so a delete in one cell cannot
change another; the raw SQL runs in a transaction that is rolled back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from promptterm.db.engine import create_database
from promptterm.services.errors import Forbidden, NotFound, ValidationError
from promptterm.services.facade import Services
from support.clock import FixedClock
from support.postgres import PostgresServer
from support.team import attempt, ensure_login_roles, log_in
from support.template_copies import TemplateCopies

pytestmark = pytest.mark.postgres

ACTORS = ("owner", "admin", "member", "viewer", "outsider")
# People who are only acted upon: members of each role, and someone to invite.
TARGETS = {"owner": "owner", "admin": "admin2", "member": "member2", "viewer": "viewer2"}
ROLES = ("owner", "admin", "member", "viewer")
PEOPLE = (*ACTORS, "admin2", "member2", "viewer2", "newcomer")
PREFIX = "mx_"
TEMPLATE = "authz_matrix_template"


@dataclass(frozen=True)
class World:
    ws: uuid.UUID
    project: uuid.UUID
    file: uuid.UUID
    trashed: uuid.UUID
    users: dict[str, uuid.UUID]


@pytest.fixture(params=["postgres"])
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def world(pg_server: PostgresServer, _postgres_template: str) -> World:
    """A workspace with one person of each role, a project, a file and a trashed file, all
    made through the services by the people themselves; frozen as a template."""
    ensure_login_roles(pg_server, (PREFIX + p for p in PEOPLE))
    pg_server.drop_database(TEMPLATE)
    pg_server.create_database(TEMPLATE, template=_postgres_template)
    db = create_database(pg_server.url(TEMPLATE))
    clock = FixedClock()
    people = {p: log_in(db, PREFIX + p, clock, 1000 * (n + 1)) for n, p in enumerate(PEOPLE)}
    try:
        owner = people["owner"]
        ws = owner.workspaces.create("Team")
        for person in ("admin", "member", "viewer", "admin2", "member2", "viewer2"):
            role = person.rstrip("2")
            owner.workspaces.add_member(ws.id, PREFIX + person, role)
        project = owner.projects.create(ws.id, "Site")
        file = owner.files.create(project.id, "index.md", "# Hello\n")
        trashed = owner.files.create(project.id, "old.md", "old\n")
        owner.files.delete(trashed.id)
        users = {p: s.user.id for p, s in people.items()}
    finally:
        for services in people.values():
            services.close()
        db.dispose()
    pg_server.freeze_template(TEMPLATE)
    return World(ws.id, project.id, file.id, trashed.id, users)


@pytest.fixture(scope="module")
def world_copies(pg_server: PostgresServer, world: World) -> Iterator[TemplateCopies]:
    copies = TemplateCopies(pg_server, TEMPLATE, "authz_matrix")
    try:
        yield copies
    finally:
        copies.close()


@pytest.fixture
def copy_of_world(pg_server: PostgresServer, world_copies: TemplateCopies) -> Iterator[str]:
    """The URL of a fresh copy: the cell connects to it as its person only (an engine of the
    test's own would cost each of the 210 cells a connection it never uses). Made and dropped
    beside the cells (support/template_copies.py): ~50 ms of each cell's set-up and teardown."""
    name = world_copies.take()
    try:
        yield pg_server.url(name)
    finally:
        world_copies.give_back(name)


@dataclass(frozen=True)
class Verb:
    name: str
    # What the app does; None when the app has no way to do it at all.
    app: Callable[[Services, World], object] | None
    sql: tuple[str, ...]
    params: Callable[[World], dict[str, object]] = lambda w: {}


def _ids(w: World) -> dict[str, object]:
    return {"ws": w.ws, "project": w.project, "file": w.file, "trashed": w.trashed}


NEW_FILE = (
    "INSERT INTO files (id, project_id, path, name, type, size_bytes, head_version, is_deleted,"
    " created_by, updated_by, created_at, updated_at, content_state)"
    " VALUES ('00000000-0000-0000-0000-00000000f11e', :project, 'new.md', 'new.md', 'file', 3, 1,"
    " false, promptterm_uid(), promptterm_uid(), now(), now(), 'text') RETURNING id"
)


def _new_version(file: str, number: int) -> str:
    return (
        "INSERT INTO file_versions (id, file_id, version_number, encoding, payload, size_bytes,"
        f" sha256, changed_by, created_at) VALUES (gen_random_uuid(), {file}, {number}, 'zlib',"
        " '\\x00', 3, repeat('0', 64), promptterm_uid(), now()) RETURNING id"
    )


VERBS = [
    Verb(
        "workspace.get",
        lambda s, w: s.workspaces.get(w.ws),
        ("SELECT id FROM workspaces WHERE id = :ws",),
        _ids,
    ),
    Verb(
        "workspace.members",
        lambda s, w: s.workspaces.members(w.ws),
        ("SELECT id FROM workspace_members WHERE workspace_id = :ws",),
        _ids,
    ),
    Verb(
        "workspace.rename",
        lambda s, w: s.workspaces.rename(w.ws, "Renamed"),
        ("UPDATE workspaces SET name = 'Renamed', updated_at = now() WHERE id = :ws RETURNING id",),
        _ids,
    ),
    Verb(
        "workspace.delete",
        lambda s, w: s.workspaces.delete(w.ws),
        ("DELETE FROM workspaces WHERE id = :ws RETURNING id",),
        _ids,
    ),
    *(
        Verb(
            f"member.add-{role}",
            lambda s, w, role=role: s.workspaces.add_member(w.ws, PREFIX + "newcomer", role),
            (
                "INSERT INTO workspace_members (id, workspace_id, user_id, role, invited_by,"
                " joined_at) VALUES (gen_random_uuid(), :ws, :newcomer, :role,"
                " promptterm_uid(), now()) RETURNING id",
            ),
            lambda w, role=role: {"ws": w.ws, "newcomer": w.users["newcomer"], "role": role},
        )
        for role in ROLES
    ),
    *(
        Verb(
            f"member.set-{target}-to-{role}",
            lambda s, w, t=target, role=role: s.workspaces.set_role(
                w.ws, w.users[TARGETS[t]], role
            ),
            (
                "UPDATE workspace_members SET role = :role"
                " WHERE workspace_id = :ws AND user_id = :target RETURNING id",
            ),
            lambda w, t=target, role=role: {
                "ws": w.ws,
                "target": w.users[TARGETS[t]],
                "role": role,
            },
        )
        for target in ROLES
        for role in ROLES
    ),
    *(
        Verb(
            f"member.remove-{target}",
            lambda s, w, t=target: s.workspaces.remove_member(w.ws, w.users[TARGETS[t]]),
            (
                "DELETE FROM workspace_members"
                " WHERE workspace_id = :ws AND user_id = :target RETURNING id",
            ),
            lambda w, t=target: {"ws": w.ws, "target": w.users[TARGETS[t]]},
        )
        for target in ROLES
    ),
    Verb(
        "project.get",
        lambda s, w: s.projects.get(w.project),
        ("SELECT id FROM projects WHERE id = :project",),
        _ids,
    ),
    Verb(
        "project.create",
        lambda s, w: s.projects.create(w.ws, "New"),
        (
            "INSERT INTO projects (id, workspace_id, name, slug, visibility, settings,"
            " created_at, updated_at) VALUES (gen_random_uuid(), :ws, 'New', 'new', 'private',"
            " '{}', now(), now()) RETURNING id",
        ),
        _ids,
    ),
    Verb(
        "project.rename",
        lambda s, w: s.projects.rename(w.project, "Renamed"),
        (
            "UPDATE projects SET name = 'Renamed', updated_at = now()"
            " WHERE id = :project RETURNING id",
        ),
        _ids,
    ),
    Verb(
        "project.open",
        lambda s, w: s.projects.open(w.project),
        ("UPDATE projects SET last_accessed_at = now() WHERE id = :project RETURNING id",),
        _ids,
    ),
    Verb(
        "project.delete",
        lambda s, w: s.projects.delete(w.project),
        ("DELETE FROM projects WHERE id = :project RETURNING id",),
        _ids,
    ),
    Verb(
        "file.read",
        lambda s, w: s.files.read(w.file),
        (
            "SELECT id FROM files WHERE id = :file",
            "SELECT id FROM file_versions WHERE file_id = :file",
        ),
        _ids,
    ),
    Verb(
        "file.create",
        lambda s, w: s.files.create(w.project, "new.md", "new"),
        (NEW_FILE, _new_version("'00000000-0000-0000-0000-00000000f11e'", 1)),
        _ids,
    ),
    Verb(
        "file.save",
        lambda s, w: s.files.save(w.file, "# Hello again\n", base_version=1),
        (
            "UPDATE files SET head_version = 2, updated_by = promptterm_uid(), updated_at = now()"
            " WHERE id = :file RETURNING id",
            _new_version(":file", 2),
        ),
        _ids,
    ),
    Verb(
        "file.rename",
        lambda s, w: s.files.rename(w.file, "renamed.md"),
        (
            "UPDATE files SET path = 'renamed.md', name = 'renamed.md', updated_at = now()"
            " WHERE id = :file RETURNING id",
        ),
        _ids,
    ),
    Verb(
        "file.trash",
        lambda s, w: s.files.delete(w.file),
        ("UPDATE files SET is_deleted = true WHERE id = :file RETURNING id",),
        _ids,
    ),
    Verb(
        "file.untrash",
        lambda s, w: s.files.undelete(w.trashed),
        ("UPDATE files SET is_deleted = false WHERE id = :trashed RETURNING id",),
        _ids,
    ),
    # No service deletes a file for good or touches a stored version: nobody may.
    Verb("file.purge", None, ("DELETE FROM files WHERE id = :file RETURNING id",), _ids),
    Verb(
        "version.rewrite",
        None,
        (
            "UPDATE file_versions SET change_message = 'rewritten'"
            " WHERE file_id = :file RETURNING id",
        ),
        _ids,
    ),
    Verb(
        "version.delete",
        None,
        ("DELETE FROM file_versions WHERE file_id = :file RETURNING id",),
        _ids,
    ),
]


def _app_allows(verb: Verb, services: Services, world: World) -> bool:
    if verb.app is None:
        return False
    try:
        verb.app(services, world)
    except (Forbidden, NotFound, ValidationError):
        return False
    return True


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("verb", VERBS, ids=lambda v: v.name)
def test_the_database_refuses_exactly_what_the_app_refuses(
    verb: Verb, actor: str, world: World, copy_of_world: str, clock: FixedClock
) -> None:
    services = log_in(copy_of_world, PREFIX + actor, clock)
    try:
        in_sql = attempt(services, verb.sql, **verb.params(world))
        in_app = _app_allows(verb, services, world)
    finally:
        services.close()
    assert (in_app, in_sql) in ((True, True), (False, False)), (
        f"{actor} {verb.name}: the app {'allows' if in_app else 'refuses'} it,"
        f" raw SQL {'succeeds' if in_sql else 'is refused'}"
    )
