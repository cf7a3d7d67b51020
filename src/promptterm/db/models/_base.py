"""Shared column helpers for the tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Field, SQLModel

from promptterm.db.types import JSONType, UTCDateTime

# Named constraints let Alembic alter them later, and SQLite's batch mode needs the names.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def id_field() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def ts_field(nullable: bool = True) -> Any:
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def json_field(default: Any) -> Any:
    return Field(default_factory=lambda: type(default)(default), sa_type=JSONType, nullable=False)


def fk(target: str, ondelete: str, nullable: bool = False, index: bool = False) -> Any:
    if nullable:
        return Field(
            default=None, foreign_key=target, ondelete=ondelete, nullable=True, index=index
        )
    return Field(foreign_key=target, ondelete=ondelete, nullable=False, index=index)
