"""Setup problems said in words, not tracebacks: a teammate without the grants, a database a
newer promptterm upgraded, a `db upgrade` that left teammates without access. Run through
the real CLI entry point on SQLite and on the test PostgreSQL server."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from promptterm.db.engine import Database
from support.cli_in_process import run
from support.postgres import PostgresServer


@pytest.mark.parametrize("command", [("db", "info"), ("usage",), ("component", "list")])
def test_a_database_from_a_newer_promptterm_says_so(
    database: Database, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    database.dispose()

    code, _, err = run(capsys, database.url, *command)

    assert code == 2
    assert "'0999_from_the_future'" in err and "newer promptterm" in err
    assert "Upgrade promptterm" in err and "Traceback" not in err


@pytest.fixture
def no_grants_role(pg_server: PostgresServer, _postgres_template: str) -> str:
    with psycopg.connect(pg_server.url("postgres").replace("+psycopg", ""), autocommit=True) as c:
        # A name of its own: roles are server-wide, and other tests grant theirs access.
        if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'ungranted'").fetchone():
            c.execute("CREATE ROLE ungranted LOGIN")
    return "ungranted"


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
@pytest.mark.parametrize("command", [("db", "info"), ("usage",), ("ask", "hi")])
def test_a_role_without_the_grants_is_told_what_to_ask_for(
    database: Database,
    no_grants_role: str,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
) -> None:
    url = make_url(database.url).set(username=no_grants_role)
    code, _, err = run(capsys, url.render_as_string(hide_password=False), *command)

    assert code == 2
    assert "Your PostgreSQL role 'ungranted' may not use promptterm's tables" in err
    assert "GRANT promptterm_user TO ungranted;" in err and "Traceback" not in err


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
def test_db_upgrade_reports_tables_teammates_cannot_use(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.engine.begin() as conn:
        conn.execute(text("REVOKE ALL ON components FROM promptterm_user"))
    database.dispose()

    code, out, err = run(capsys, database.url, "db", "upgrade")

    assert code == 1 and "(newest)" not in out
    assert "has no access to 1 table(s) (components)" in err
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON components TO promptterm_user;" in err


@pytest.mark.postgres
def test_db_upgrade_by_a_role_without_createrole_says_what_to_ask_for(
    pg_server: PostgresServer, _postgres_template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh server where the group role does not exist yet, migrated by a role that owns
    its database but may not create roles: refused in words, with nothing half made."""
    admin = pg_server.url("postgres").replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = 'plainowner'").fetchone():
            c.execute("CREATE ROLE plainowner LOGIN NOCREATEROLE")
        c.execute("DROP DATABASE IF EXISTS plain_fresh")
        c.execute("CREATE DATABASE plain_fresh OWNER plainowner")
        # Roles are server-wide: put the group role out of sight for this test only.
        c.execute("ALTER ROLE promptterm_user RENAME TO promptterm_user_away")
    url = make_url(pg_server.url("plain_fresh")).set(username="plainowner")
    try:
        code, out, err = run(capsys, url.render_as_string(hide_password=False), "db", "upgrade")
        with psycopg.connect(pg_server.url("plain_fresh").replace("+psycopg", "")) as c:
            created = c.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute("ALTER ROLE promptterm_user_away RENAME TO promptterm_user")
        pg_server.drop_database("plain_fresh")

    assert code == 2 and "(newest)" not in out and "Traceback" not in err
    assert "Your PostgreSQL role 'plainowner' cannot create the group role" in err
    assert "(it needs CREATEROLE)" in err
    assert "CREATE ROLE promptterm_user NOLOGIN; then run `promptterm db upgrade` again." in err
    assert created == (0,)  # refused before migrating: no tables without their grants


@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
def test_a_teammate_with_a_newer_promptterm_is_told_who_must_upgrade(
    database: Database, capsys: pytest.CaptureFixture[str], pg_server: PostgresServer
) -> None:
    """A teammate (granted, not the owner) opens a database one migration behind: told that
    the owner must run `db upgrade`, not to ask for the grant they already have."""
    from alembic.script import ScriptDirectory

    from promptterm.db.migrate import HEAD_REVISION, alembic_config
    from support.team import ensure_login_roles

    ensure_login_roles(pg_server, ["mate_newer"])
    script = ScriptDirectory.from_config(alembic_config(database))
    before = script.get_revision(HEAD_REVISION).down_revision
    with database.engine.begin() as conn:  # as the owner: the schema one step behind
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": before})
    database.dispose()
    url = make_url(database.url).set(username="mate_newer")

    code, _, err = run(capsys, url.render_as_string(hide_password=False), "usage")

    assert code == 2 and "Traceback" not in err
    assert f"needs the database upgraded ({before} → {HEAD_REVISION})" in err
    assert "only the tables' owner, 'postgres', may do that (you are 'mate_newer')" in err
    assert "GRANT" not in err
