"""A neutral order (db/lean_rows.py ``Order``) as SQLAlchemy's ORDER BY terms: the service's
query and the lean read sort by the one spec."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import col

from promptterm.db.lean_rows import Order, lowered


def order_by(model: Any, order: Order) -> tuple[Any, ...]:
    return tuple(_term(model, column, way) for column, way in order)


def _term(model: Any, column: str, way: str) -> Any:
    name, lower = lowered(column)
    value = func.lower(getattr(model, name)) if lower else col(getattr(model, name))
    if way == "desc nulls last":
        return value.desc().nulls_last()
    return getattr(value, way)()
