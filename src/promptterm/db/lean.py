"""A plain sqlite3 connection for the hottest reads of the CLI (`workspace list`,
`preset show`…), so that they answer without SQLAlchemy or the models.

Why: importing SQLAlchemy costs ~0.2 s of CPU and building the SQLModel tables ~0.3 s more,
while `promptterm --help` takes ~0.1 s and the query a few ms. A read that can use this
answers in about the time of `--help`; everything else (every write, PostgreSQL, a database
that needs upgrading or start-up work) takes the ordinary path through the services.

``open_lean`` gives a connection only when the ordinary path would do nothing before the
read: a SQLite file (one the user may only read is opened as read_only.py opens it) at the
current schema revision, whose local user exists with a subscription, with no answer left
"streaming" to close and nothing in the prompt trash old enough to purge. Otherwise it says
None and the caller opens the services as usual, so the lean path never changes what a
command prints or does.

SQLite stores what SQLAlchemy wrote: UUIDs as 32 hex digits, UTC timestamps without an
offset as ``YYYY-MM-DD HH:MM:SS.ffffff``, JSON as text (see ``uuid_of``, ``moment``).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from promptterm.db.read_only import read_only_reason, read_only_uri
from promptterm.db.revisions import HEAD_REVISION

# The prompt trash's age limit (services/library/prompts.py TRASH_DAYS; a test keeps them
# equal): older items are purged by every ordinary start, so their presence sends a command
# down the ordinary path.
TRASH_DAYS = 30
_STORED = "%Y-%m-%d %H:%M:%S.%f"


class Declined(Exception):
    """A lean read that cannot answer exactly this (an option it does not know, a column
    it does not find): the ordinary path answers instead. Raised before anything is printed."""


@dataclass(frozen=True)
class LeanRead:
    """A read-only connection, the acting (local) user, the database's URL and the moment
    the read is made (what the services' clock would say: periods, months, the trash)."""

    conn: sqlite3.Connection
    user_id: uuid.UUID
    url: str = ""
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def rows(self, sql: str, *params: Any) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, *params: Any) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()


def uuid_of(stored: str | None) -> uuid.UUID | None:
    return uuid.UUID(stored) if stored else None


def key(value: uuid.UUID) -> str:
    """A UUID as SQLite holds it, for a query parameter."""
    return value.hex


def moment(stored: str | None) -> datetime | None:
    """A stored timestamp as the models give it back: timezone-aware UTC."""
    return datetime.fromisoformat(stored).replace(tzinfo=UTC) if stored else None


def stored(value: datetime) -> str:
    """A moment as SQLAlchemy binds it on SQLite (UTC, no offset), for a query parameter
    compared with stored timestamps as text."""
    return value.astimezone(UTC).strftime(_STORED)


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (no options), else None."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    raw = url[len("sqlite:///") :]
    if not raw or raw == ":memory:":
        return None
    return Path(raw).expanduser()


@contextmanager
def open_lean(url: str, now: datetime | None = None) -> Iterator[LeanRead | None]:
    """A lean read of the database at ``url``, or None when the ordinary path is needed."""
    file = sqlite_file(url)
    if file is None or not file.is_file():
        yield None  # not made yet: the ordinary path creates it
        return
    file = file.resolve()
    # mode=ro: never creates, never writes, never takes a write lock. A read-only data folder
    # is opened as the ordinary path opens it: without leaving a side file beside it that
    # would block writes once the user makes it writable again (read_only.py).
    uri = f"{file.as_uri()}?mode=ro" if read_only_reason(file) is None else read_only_uri(file)
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
    except (sqlite3.Error, OSError, ValueError):
        yield None
        return
    try:
        conn.row_factory = sqlite3.Row
        moment = now or datetime.now(UTC)
        try:
            user_id = _ready_user(conn, moment)
        except sqlite3.Error:
            user_id = None
        yield None if user_id is None else LeanRead(conn, user_id, url, moment)
    finally:
        conn.close()


def _ready_user(conn: sqlite3.Connection, now: datetime) -> uuid.UUID | None:
    """The local user if the ordinary start would have nothing to do first, else None."""
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if [tuple(r) for r in revision] != [(HEAD_REVISION,)]:
        return None  # new, older or newer schema: the ordinary path upgrades or explains
    users = conn.execute("SELECT id FROM users WHERE is_local").fetchall()
    if len(users) != 1:
        return None
    uid = users[0]["id"]
    if conn.execute("SELECT 1 FROM subscriptions WHERE user_id = ?", (uid,)).fetchone() is None:
        return None  # the ordinary start gives the user a free subscription
    streaming = conn.execute(
        "SELECT 1 FROM messages JOIN conversations ON conversations.id = "
        "messages.conversation_id WHERE conversations.user_id = ? "
        "AND messages.status = 'streaming' LIMIT 1",
        (uid,),
    ).fetchone()
    if streaming is not None:
        return None  # an answer a killed process left: the ordinary start closes it
    cutoff = (now.astimezone(UTC) - timedelta(days=TRASH_DAYS)).strftime(_STORED)
    for table in ("prompts", "prompt_folders"):
        stale = conn.execute(
            f"SELECT 1 FROM {table} WHERE user_id = ? AND deleted_at IS NOT NULL "
            "AND deleted_at <= ? LIMIT 1",
            (uid, cutoff),
        ).fetchone()
        if stale is not None:
            return None  # the ordinary start purges it
    return uuid.UUID(uid)
