"""Who is acting: the local user on SQLite, the database role's user on PostgreSQL."""

from __future__ import annotations

import getpass
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, select

from promptterm.db.engine import Database
from promptterm.db.models import User
from promptterm.services.billing import ensure_subscription
from promptterm.services.errors import Conflict, NotFound
from promptterm.services.validation import clean_name, optional_text


@dataclass(frozen=True)
class UserInfo:
    id: uuid.UUID
    display_name: str
    email: str | None
    db_role: str | None
    is_local: bool
    created_at: datetime


def user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        display_name=user.display_name,
        email=user.email,
        db_role=user.db_role,
        is_local=user.is_local,
        created_at=user.created_at,
    )


def _local_name() -> str:
    try:
        return getpass.getuser() or "me"
    except (KeyError, OSError):
        return "me"


def bootstrap_user(db: Database, now: datetime, new_id: uuid.UUID | None = None) -> UserInfo:
    """Find or create the acting user, with a free subscription, on first run.

    SQLite has one local user. On PostgreSQL each person logs in with their own role and
    the users row is keyed by that role, so authentication stays the database's own.
    """
    with db.session() as session:
        if db.is_sqlite:
            user = session.exec(select(User).where(User.is_local)).first()
            role = None
        else:
            # session_user, like the row-level security policies: the role that logged in.
            role = session.execute(text("SELECT session_user")).scalar_one()
            user = session.exec(select(User).where(User.db_role == role)).first()
        if user is None:
            user = User(
                id=new_id or uuid.uuid4(),
                display_name=_local_name() if db.is_sqlite else str(role),
                db_role=role,
                is_local=db.is_sqlite,
                created_at=now,
                updated_at=now,
            )
            session.add(user)
            session.flush()
        ensure_subscription(session, user.id, now)
        return user_info(user)


def create_user(
    db: Database, display_name: str, email: str | None, now: datetime, new_id: uuid.UUID
) -> UserInfo:
    """Add a person (a teammate to invite into workspaces)."""
    name = clean_name(display_name, "display_name", label="Name", min_len=1, max_len=100)
    mail = optional_text(email, "email", label="Email", max_len=320)
    with db.session() as session:
        if mail and session.exec(select(User).where(User.email == mail)).first():
            raise Conflict(f"A user with the email {mail} already exists.")
        user = User(id=new_id, display_name=name, email=mail, created_at=now, updated_at=now)
        session.add(user)
        session.flush()
        ensure_subscription(session, user.id, now)
        return user_info(user)


def get_user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That user no longer exists.")
    return user


def find_user(session: Session, who: str) -> User:
    """A user by email, database role or display name (in that order)."""
    if session.get_bind().dialect.name == "postgresql":
        return _find_user_in_team(session, who)
    for column in (User.email, User.db_role, User.display_name):
        matches = session.exec(select(User).where(column == who)).all()
        if len(matches) == 1:
            return matches[0]
    raise NotFound(f"No user is known as {who!r}. Give their email or database role.")


def _find_user_in_team(session: Session, who: str) -> User:
    # Row-level security shows a teammate only the people they share a workspace with; the
    # database's promptterm_find_user answers one exact email, role or name, so an admin can
    # invite someone new without anyone being able to list everybody.
    row = session.execute(
        text("SELECT id, display_name, email, db_role FROM promptterm_find_user(:who)"),
        {"who": who},
    ).first()
    if row is None:
        raise NotFound(f"No user is known as {who!r}. Give their email or database role.")
    visible = session.get(User, row.id)
    if visible is not None:
        return visible
    # Not visible yet (not in a shared workspace): a detached copy, for reading only.
    return User(id=row.id, display_name=row.display_name, email=row.email, db_role=row.db_role)
