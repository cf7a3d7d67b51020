"""A neutral order (db/lean_rows.py ``Order``) as SQLAlchemy's ORDER BY terms: the service's
query and the lean read sort by the one spec."""

from __future__ import annotations

from typing import Any

from sqlmodel import col

from promptterm.db.lean_rows import Order


def order_by(model: Any, order: Order) -> tuple[Any, ...]:
    return tuple(getattr(col(getattr(model, column)), way)() for column, way in order)
