"""Component history: every edit keeps the state it replaced; versions diff and restore, and a
restore is itself an edit, so history is never rewritten."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from promptterm.db.engine import Database, create_database
from promptterm.services.context import SequentialIds
from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock
from support.postgres import PostgresServer


def _bob(services: Services, clock: FixedClock) -> Services:
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


def test_a_new_component_has_only_its_current_state(services: Services) -> None:
    made = services.components.create("role", "Writer", "You write.", description="d")
    [current] = services.components.versions(made.id)
    assert current.is_current and current.version is None and current.label == "current"
    assert (current.name, current.content, current.description) == ("Writer", "You write.", "d")
    assert current.saved_at == made.created_at and current.replaced_at is None


def test_every_edit_keeps_the_state_it_replaced(services: Services, clock: FixedClock) -> None:
    made = services.components.create("role", "Writer", "one", tags=["a"])
    t1 = clock.advance(minutes=1)
    services.components.update(made.id, content="two")
    t2 = clock.advance(minutes=1)
    services.components.update(made.id, name="Author", description="now with a description")
    t3 = clock.advance(minutes=1)
    services.components.update(made.id, tags=["b", "c"])

    states = services.components.versions(made.id)
    assert [s.label for s in states] == ["current", "v3", "v2", "v1"]
    assert [(s.name, s.content, s.description, s.tags) for s in states] == [
        ("Author", "two", "now with a description", ("b", "c")),
        ("Author", "two", "now with a description", ("a",)),
        ("Writer", "two", None, ("a",)),
        ("Writer", "one", None, ("a",)),
    ]
    # Each state was made by the edit before it and replaced by the one after it.
    assert [(s.saved_at, s.replaced_at) for s in states] == [
        (t3, None),
        (t2, t3),
        (t1, t2),
        (made.created_at, t1),
    ]


def test_an_edit_that_changes_nothing_keeps_no_version(
    services: Services, clock: FixedClock
) -> None:
    made = services.components.create("style", "Terse", "Be brief.", tags=["x"])
    clock.advance(minutes=1)
    same = services.components.update(made.id, name=" Terse ", content="Be brief.  ", tags=["X"])
    assert same.updated_at == made.updated_at
    assert len(services.components.versions(made.id)) == 1


def test_a_refused_edit_keeps_no_version(services: Services) -> None:
    services.components.create("role", "Taken", "x")
    made = services.components.create("role", "Mine", "x")
    with pytest.raises(Conflict):
        services.components.update(made.id, name="Taken", content="changed")
    with pytest.raises(ValidationError):
        services.components.update(made.id, content="c" * 5001)
    assert [s.label for s in services.components.versions(made.id)] == ["current"]
    assert services.components.get(made.id).content == "x"


def test_version_numbers_count_per_component(services: Services) -> None:
    a = services.components.create("role", "A", "a1")
    b = services.components.create("mode", "B", "b1")
    services.components.update(a.id, content="a2")
    services.components.update(b.id, content="b2")
    services.components.update(a.id, content="a3")
    assert [s.label for s in services.components.versions(a.id)] == ["current", "v2", "v1"]
    assert [s.label for s in services.components.versions(b.id)] == ["current", "v1"]


def test_diff_between_versions_and_the_current_state(services: Services) -> None:
    made = services.components.create("context", "Stack", "Python\nSQLite\nTextual")
    services.components.update(made.id, content="Python\nPostgreSQL\nTextual")
    services.components.update(
        made.id, name="Tech stack", content="Python\nPostgreSQL\nTextual\nhttpx"
    )

    first = services.components.version_diff(made.id, 1, 2)
    assert first.splitlines() == [
        "--- Stack (v1)",
        "+++ Stack (v2)",
        "@@ -1,3 +1,3 @@",
        " Python",
        "-SQLite",
        "+PostgreSQL",
        " Textual",
    ]
    to_now = services.components.version_diff(made.id, 1, "current")
    assert "+++ Tech stack (current)" in to_now and "+httpx" in to_now and "-SQLite" in to_now
    # Backwards works too, and the same content gives an empty diff.
    assert "-httpx" in services.components.version_diff(made.id, "current", 2)
    assert services.components.version_diff(made.id, "current", "current") == ""


def test_diff_and_restore_name_the_versions_that_exist(services: Services) -> None:
    made = services.components.create("role", "Writer", "one")
    with pytest.raises(NotFound, match="no earlier versions yet"):
        services.components.version_diff(made.id, 1, "current")
    services.components.update(made.id, content="two")
    services.components.update(made.id, content="three")
    with pytest.raises(NotFound, match="no version 7; it has v1 to v2 and the current one"):
        services.components.restore_version(made.id, 7)
    with pytest.raises(ValidationError, match="not a version"):
        services.components.version_diff(made.id, "latest", 1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="numbered from 1"):
        services.components.restore_version(made.id, 0)


def test_restore_is_an_edit_and_never_rewrites_history(
    services: Services, clock: FixedClock
) -> None:
    made = services.components.create("role", "Writer", "one", description="first", tags=["a"])
    services.components.update(made.id, name="Author", content="two", description="", tags=[])
    clock.advance(minutes=1)

    restored = services.components.restore_version(made.id, 1)
    assert (restored.name, restored.content, restored.description, restored.tags) == (
        "Writer",
        "one",
        "first",
        ("a",),
    )
    assert restored.updated_at == clock()
    states = services.components.versions(made.id)
    assert [(s.label, s.content) for s in states] == [
        ("current", "one"),
        ("v2", "two"),  # the state the restore replaced
        ("v1", "one"),
    ]
    # Restoring the state that was replaced undoes the restore, again as a new version.
    assert services.components.restore_version(made.id, "v2").content == "two"  # type: ignore[arg-type]
    assert [s.label for s in services.components.versions(made.id)][:2] == ["current", "v3"]


def test_restore_refuses_a_name_another_component_took_meanwhile(services: Services) -> None:
    made = services.components.create("role", "Writer", "one")
    services.components.update(made.id, name="Author")
    services.components.create("role", "Writer", "someone else")
    # A component of another type may have the name: no clash.
    services.components.create("style", "Writer", "a style")
    with pytest.raises(Conflict, match="another role is named 'Writer'; rename that one first"):
        services.components.restore_version(made.id, 1)
    assert services.components.get(made.id).name == "Author"
    assert len(services.components.versions(made.id)) == 2


def test_versions_belong_to_the_owner_and_go_with_the_component(
    services: Services, clock: FixedClock
) -> None:
    made = services.components.create("role", "Mine", "secret one")
    services.components.update(made.id, content="secret two")
    bob = _bob(services, clock)
    with pytest.raises(NotFound):
        bob.components.versions(made.id)
    with pytest.raises(NotFound):
        bob.components.version_diff(made.id, 1, "current")
    with pytest.raises(NotFound):
        bob.components.restore_version(made.id, 1)
    assert services.components.get(made.id).content == "secret two"

    services.components.delete(made.id)
    with services.ctx.db.engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM component_versions")).scalar_one()
    assert left == 0


# Text a database can store (edits, restores and imports all pass these checks) -------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Bad\x00name"),
        ("content", "NUL \x00 inside"),
        ("description", "\x00"),
        ("content", "lone surrogate \ud800"),
    ],
)
def test_text_no_database_can_store_is_refused_at_its_field(
    services: Services, field: str, value: str
) -> None:
    made = services.components.create("role", "Fine", "fine")
    with pytest.raises(ValidationError) as err:
        services.components.update(made.id, **{field: value})
    assert err.value.field == field
    assert services.components.get(made.id) == made


def test_windows_line_endings_are_stored_as_newlines(services: Services) -> None:
    made = services.components.create("style", "Pasted", "one\r\ntwo\r\n")
    assert made.content == "one\ntwo"
    assert services.components.update(made.id, content="one\ntwo").updated_at == made.updated_at


# Row-level security: the second wall on PostgreSQL -----------------------------------------


@pytest.fixture
def teammates(
    db_backend: str, database: Database, request: pytest.FixtureRequest, clock: FixedClock
) -> Iterator[tuple[Services, Services]]:
    """Two people on one PostgreSQL database, each logged in with a role of their own."""
    if db_backend != "postgres":
        pytest.skip("row-level security is PostgreSQL's")
    server: PostgresServer = request.getfixturevalue("pg_server")
    with psycopg.connect(server.url("postgres").replace("+psycopg", ""), autocommit=True) as c:
        for name in ("cv_alice", "cv_bob"):
            if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
                c.execute(f"CREATE ROLE {name} LOGIN")
            c.execute(f"GRANT promptterm_user TO {name}")
    people = [
        Services.for_database(
            create_database(
                make_url(database.url).set(username=name).render_as_string(hide_password=False)
            ),
            clock=clock,
            new_id=SequentialIds(1000 * n),
            migrate=False,
        )
        for n, name in enumerate(("cv_alice", "cv_bob"), 1)
    ]
    yield people[0], people[1]
    for person in people:
        person.close()


def test_raw_sql_cannot_read_or_forge_someone_elses_versions(
    teammates: tuple[Services, Services],
) -> None:
    alice, bob = teammates
    made = alice.components.create("role", "Secret", "first draft")
    alice.components.update(made.id, content="second draft")
    with bob.ctx.db.engine.begin() as conn:
        seen = conn.execute(text("SELECT count(*) FROM component_versions")).scalar_one()
    assert seen == 0
    forge = text(
        "INSERT INTO component_versions"
        " (id, component_id, user_id, version, name, content, tags, created_at)"
        " VALUES (:id, :cid, :uid, 99, 'x', 'forged', '[]', now())"
    )
    params = {"id": uuid.uuid4(), "cid": made.id, "uid": alice.user.id}
    with (
        pytest.raises(ProgrammingError, match="row-level security"),
        bob.ctx.db.engine.begin() as conn,
    ):
        conn.execute(forge, params)
    assert [s.label for s in alice.components.versions(made.id)] == ["current", "v1"]
