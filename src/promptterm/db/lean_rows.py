"""A table's rows on the lean path (db/lean.py) as the models give them back, so that a
service's own row-to-info function (duck-typed on attributes) serves both paths.

Why one generic reader, not SQL per command: the filter is a few equalities on the owner's
rows and the order a neutral spec the service's SQLAlchemy query is built from too
(``ORDER``s of services/library/component_infos.py, preset_infos.py), so a lean read
repeats neither the query nor the shaping; only ``SELECT * ... WHERE ... ORDER BY`` is
written here, once.

Values are decoded by the column's declared type, which SQLAlchemy chose from the model:
``CHAR(32)`` is a UUID, ``DATETIME`` a UTC moment, ``JSON`` JSON text, ``BOOLEAN`` 0/1,
``NUMERIC(p, s)`` a number SQLAlchemy hands back as a Decimal of ``s`` places.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Literal

from promptterm.db.lean import Declined, LeanRead, key, moment

Direction = Literal["asc", "desc", "desc nulls last"]
# (column, direction) pairs, most significant first: the same spec builds ORDER BY here and
# the SQLAlchemy query in the service (db/order.py). A column may be ``lower(name)``.
Order = tuple[tuple[str, Direction], ...]
_WAYS = ("asc", "desc", "desc nulls last")


class _NotNull:
    """``where``'s value for a column that must hold something (None: hold nothing)."""

    def __repr__(self) -> str:
        return "NOT_NULL"


NOT_NULL = _NotNull()

_DECODERS: dict[str, Callable[[Any], Any]] = {
    "CHAR(32)": uuid.UUID,
    "DATETIME": moment,
    "JSON": json.loads,
    "BOOLEAN": bool,
}


_NUMERIC = re.compile(r"NUMERIC\(\d+, *(\d+)\)")


def _decimal(places: int) -> Callable[[Any], Decimal]:
    # As SQLAlchemy's Numeric does on SQLite: the stored float printed to the scale.
    shape = f"%.{places}f"
    return lambda value: Decimal(shape % value)


def _decoder(declared: str) -> Callable[[Any], Any] | None:
    numeric = _NUMERIC.fullmatch(declared)
    return _decimal(int(numeric.group(1))) if numeric else _DECODERS.get(declared)


def columns(read: LeanRead, table: str) -> dict[str, Callable[[Any], Any] | None]:
    """Each column of ``table`` and how to decode it (None: as stored)."""
    found = {
        row["name"]: _decoder(str(row["type"]).upper())
        for row in read.rows(f"PRAGMA table_info({_name(table)})")
    }
    if not found:
        raise Declined(f"no table {table!r}")
    return found


def records(
    read: LeanRead,
    table: str,
    where: Mapping[str, object],
    order: Order = (),
    limit: int | None = None,
) -> list[SimpleNamespace]:
    """The rows of ``table`` whose columns equal ``where``'s values (a collection: one of
    them; None: empty; ``NOT_NULL``: not empty), in ``order``, the first ``limit`` of them;
    each a record with the model's attribute names and value types."""
    decode = columns(read, table)
    found = _where(table, decode, where)
    if found is None:
        return []
    clauses, params = found
    sql = f"SELECT * FROM {_name(table)}" + clauses
    if order:
        sql += " ORDER BY " + ", ".join(_order_term(decode, c, d) for c, d in order)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_record(row, decode) for row in read.rows(sql, *params)]


def count(read: LeanRead, table: str, where: Mapping[str, object]) -> int:
    """How many rows ``records`` would give for ``where`` (without reading them)."""
    found = _where(table, columns(read, table), where)
    if found is None:
        return 0
    clauses, params = found
    row = read.one(f"SELECT count(*) FROM {_name(table)}" + clauses, *params)
    return int(row[0]) if row is not None else 0


def _where(
    table: str, decode: Mapping[str, object], where: Mapping[str, object]
) -> tuple[str, list[object]] | None:
    """`` WHERE ...`` and its parameters (None: nothing can match, an empty "one of")."""
    clauses, params = [], []
    for column, value in where.items():
        if column not in decode:
            raise Declined(f"no column {table}.{column}")
        if value is None or value is NOT_NULL:
            clauses.append(f"{column} IS {'NOT ' if value is NOT_NULL else ''}NULL")
        elif isinstance(value, Collection) and not isinstance(value, str):
            values = [_param(v) for v in value]
            if not values:
                return None
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
        else:
            clauses.append(f"{column} = ?")
            params.append(_param(value))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _record(row: Any, decode: Mapping[str, Callable[[Any], Any] | None]) -> SimpleNamespace:
    values = {}
    for column, value in zip(row.keys(), row, strict=True):  # a Row iterates its values
        how = decode.get(column)
        values[column] = value if value is None or how is None else how(value)
    return SimpleNamespace(**values)


def lowered(column: str) -> tuple[str, bool]:
    """``lower(name)`` as ("name", True); a plain column as (column, False)."""
    if column.startswith("lower(") and column.endswith(")"):
        return column[len("lower(") : -1], True
    return column, False


def _order_term(decode: Mapping[str, object], column: str, way: str) -> str:
    name, lower = lowered(column)
    if name not in decode or way not in _WAYS:
        raise Declined(f"cannot order by {column} {way}")
    return f"{f'lower({name})' if lower else name} {way.upper()}"


def _param(value: object) -> object:
    return key(value) if isinstance(value, uuid.UUID) else value


def _name(table: str) -> str:
    if not table.replace("_", "").isalnum():
        raise ValueError(f"not a table name: {table!r}")
    return table
