"""Database errors that mean the setup is wrong, not the data: said in words, with what to run.

A teammate whose PostgreSQL role was never granted ``promptterm_user``, a database a newer
promptterm has upgraded, a full disk, a read-only database file: each reached the user as a
driver traceback (``psycopg.errors.InsufficientPrivilege``, ``Can't locate revision``,
``disk I/O error``). ``explain`` turns them into one sentence a person can act on; the CLI
prints it and the app shows it instead of the traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path

from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError

GROUP_ROLE = "promptterm_user"

_DISK_FULL = ("database or disk is full", "no space left on device", "could not extend file")
_READ_ONLY = ("attempt to write a readonly database", "readonly database")


def explain(exc: BaseException, url: str) -> str | None:
    """The words for ``exc`` when it is a setup problem, else None (a real bug: let it show)."""
    if not isinstance(exc, DBAPIError):
        return _os_error(exc, url)
    orig = exc.orig
    text = str(orig or exc).lower()
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "42501" or "permission denied" in text:
        return no_access(url)
    if sqlstate == "53100" or any(words in text for words in _DISK_FULL) or _is_enospc(exc):
        return disk_full(url)
    if "disk i/o error" in text and _disk_is_full(url):
        return disk_full(url)
    if any(words in text for words in _READ_ONLY):
        return (
            f"The data folder is read-only: {_where(url)} cannot be written, so nothing can "
            "be saved. Fix the permissions of the file and its folder, or choose another "
            "file with --database-url sqlite:///PATH."
        )
    return None


def no_access(url: str) -> str:
    role = make_url(url).username or "your role"
    return (
        f"Your PostgreSQL role {role!r} may not use promptterm's tables in {_where(url)}. "
        "Ask whoever ran `promptterm db upgrade` there (the tables' owner) or a DBA to run: "
        f"GRANT {GROUP_ROLE} TO {role};"
    )


def disk_full(url: str) -> str:
    return (
        f"The disk holding {_where(url)} is full (disk full): nothing more can be saved. "
        "Free some space and try again."
    )


def _where(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database or "the database")
    return f"database {parsed.database!r} on {parsed.host or 'the local server'}"


def _os_error(exc: BaseException, url: str) -> str | None:
    from promptterm.db.errors import ReadOnlyDatabase

    if isinstance(exc, ReadOnlyDatabase):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return disk_full(url)
    return None


def _is_enospc(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _disk_is_full(url: str) -> bool:
    """SQLite reports a failed WAL write as 'disk I/O error': ask the file system."""
    import shutil

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return False
    try:
        return shutil.disk_usage(Path(parsed.database).expanduser().parent).free < 64 * 1024
    except OSError:
        return False


# -- team mode: the group role and its grants ----------------------------------------------------

_UNGRANTED = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relrowsecurity
  AND NOT has_table_privilege(:role, c.oid, 'SELECT')
ORDER BY c.relname
"""


def role_problem(connection: Connection) -> str | None:
    """Before migrating PostgreSQL: the migrations create ``promptterm_user`` and grant it
    the tables, which needs CREATEROLE when the role does not exist yet. Without it they
    used to succeed with a notice, leaving no teammate able to open the database."""
    from sqlalchemy import text

    if connection.dialect.name != "postgresql":
        return None
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": GROUP_ROLE}
    ).first()
    if exists:
        return None
    me = connection.execute(
        text(
            "SELECT current_user, rolcreaterole OR rolsuper FROM pg_roles "
            "WHERE rolname = current_user"
        )
    ).one()
    if me[1]:
        return None
    return (
        f"Your PostgreSQL role {me[0]!r} cannot create the group role {GROUP_ROLE!r} that "
        "gives teammates access (it needs CREATEROLE). Ask a superuser to run: "
        f"CREATE ROLE {GROUP_ROLE} NOLOGIN; then run `promptterm db upgrade` again."
    )


def upgrade_owner_problem(connection: Connection, current: str, head: str) -> str | None:
    """Before migrating PostgreSQL: only the tables' owner can upgrade them. A teammate with
    a newer promptterm used to be told to ask for a grant they already had."""
    from sqlalchemy import text

    if connection.dialect.name != "postgresql":
        return None
    row = connection.execute(
        text(
            "SELECT t.tableowner, pg_has_role(current_user, t.tableowner, 'USAGE'), current_user"
            " FROM pg_tables t WHERE t.tablename = 'alembic_version'"
            " AND t.schemaname = current_schema()"
        )
    ).first()
    if row is None or row[1]:
        return None
    owner, me = row[0], row[2]
    return (
        f"This promptterm needs the database upgraded ({current} → {head}), and only the "
        f"tables' owner, {owner!r}, may do that (you are {me!r}). Ask them to run "
        "`promptterm db upgrade` with this promptterm, or use the promptterm version your "
        "team uses."
    )


def grants_problem(connection: Connection) -> str | None:
    """After migrating PostgreSQL: tables the group role cannot read (no teammate can)."""
    from sqlalchemy import text

    if connection.dialect.name != "postgresql":
        return None
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": GROUP_ROLE}
    ).first()
    if not exists:
        return (
            f"The group role {GROUP_ROLE!r} does not exist, so no teammate can open this "
            f"database. Ask a superuser to run: CREATE ROLE {GROUP_ROLE} NOLOGIN; then grant "
            "it the tables as their owner (see README, Storage)."
        )
    missing = [row[0] for row in connection.execute(text(_UNGRANTED), {"role": GROUP_ROLE})]
    if not missing:
        return None
    tables = ", ".join(missing)
    return (
        f"The group role {GROUP_ROLE!r} has no access to {len(missing)} table(s) ({tables}), "
        "so teammates cannot use them. As the tables' owner run: GRANT SELECT, INSERT, "
        f"UPDATE, DELETE ON {tables} TO {GROUP_ROLE};"
    )
