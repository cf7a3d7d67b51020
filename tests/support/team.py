"""Team mode in tests: PostgreSQL login roles, services logged in as them, raw SQL as them.

Each person logs in with their own role (granted ``promptterm_user``), as README says a team
does, so row-level security applies to them exactly as it would to a teammate's psql.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from promptterm.db.engine import Database, create_database
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from support.postgres import PostgresServer


def ensure_login_roles(server: PostgresServer, names: Iterable[str]) -> None:
    """Create each role (once per server) and grant it ``promptterm_user``.

    The group role comes from the migrations, so a migrated database must exist first.
    """
    with psycopg.connect(server.url("postgres").replace("+psycopg", ""), autocommit=True) as c:
        for name in names:
            if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
                c.execute(f'CREATE ROLE "{name}" LOGIN')
            c.execute(f'GRANT promptterm_user TO "{name}"')


def log_in(
    db: Database | str, role: str, clock: Callable[[], datetime], first_id: int = 1000
) -> Services:
    """Services for ``role`` on the same database as ``db`` (a Database or its URL; its users
    row made if new)."""
    given = db if isinstance(db, str) else db.url
    url = make_url(given).set(username=role).render_as_string(hide_password=False)
    return Services.for_database(
        create_database(url), clock=clock, new_id=SequentialIds(first_id), migrate=False
    )


def raw(services: Services, sql: str, **params: object) -> list[tuple[object, ...]]:
    """Run ``sql`` as the services' role and commit; the rows it returns."""
    with services.ctx.db.engine.begin() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def attempt(services: Services, statements: Iterable[str], **params: object) -> bool:
    """Whether the database lets the role do all of ``statements`` (each must return a row),
    tried in a transaction that is rolled back, so nothing changes either way."""
    with services.ctx.db.engine.connect() as conn:
        transaction = conn.begin()
        try:
            return all(conn.execute(text(sql), params).fetchall() for sql in statements)
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != "42501":  # insufficient_privilege
                raise
            return False
        finally:
            transaction.rollback()
