"""Who is acting: one local user on SQLite, the database role's user on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from promptterm.db.engine import Database
from promptterm.services.errors import Conflict, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import bootstrap_user, create_user
from support.clock import FixedClock


def test_first_run_creates_one_user_on_the_free_plan(services: Services, db_backend: str) -> None:
    if db_backend == "sqlite":
        assert services.user.is_local and services.user.db_role is None
    else:
        # Team mode: the users row is keyed by the PostgreSQL role the person logged in as.
        assert not services.user.is_local and services.user.db_role == "postgres"
    assert services.billing.summary().plan.slug == "free"


def test_bootstrap_is_idempotent(database: Database, clock: FixedClock) -> None:
    first = bootstrap_user(database, clock(), uuid.uuid4())
    again = bootstrap_user(database, clock(), uuid.uuid4())
    assert again.id == first.id


def test_teammates_need_a_name_and_a_unique_email(services: Services, clock: FixedClock) -> None:
    db = services.ctx.db
    create_user(db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    with pytest.raises(Conflict, match=r"bob@example\.com"):
        create_user(db, "Robert", "bob@example.com", clock(), uuid.uuid4())
    with pytest.raises(ValidationError):
        create_user(db, "  ", None, clock(), uuid.uuid4())
