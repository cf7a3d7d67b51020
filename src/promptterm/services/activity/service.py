"""The activity log of the acting user: record provider calls and caught errors, list and
filter them newest first (keyset pages), show one whole, and apply retention.

Entries are append-only: nothing here changes one, and retention only deletes (PostgreSQL's
row-level security allows exactly that: see migration 0024_activity_log).
"""

from __future__ import annotations

import itertools
import secrets
import traceback as tb
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from promptterm.db.models.activity import KINDS, SEVERITIES, ActivityEntry
from promptterm.services.activity.model import (
    ActivityFilter,
    ActivityPage,
    CaughtError,
    Cursor,
    EntryInfo,
    ProviderCall,
)
from promptterm.services.activity.recorder import ActivityRecorder
from promptterm.services.activity.redact import body_text, redact_text
from promptterm.services.activity.settings import ActivitySettings, load_activity_settings
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError

T = ActivityEntry.__table__  # type: ignore[attr-defined]
# The columns a list shows; the long ones (traceback, bodies) only come with ``get``.
_LIST_COLUMNS = (
    T.c.id, T.c.at, T.c.kind, T.c.status, T.c.provider, T.c.model, T.c.endpoint,
    T.c.duration_ms, T.c.tokens_in, T.c.tokens_out, T.c.cost_usd, T.c.thread_id,
    T.c.message_id, T.c.error_type, T.c.message,
)  # fmt: skip
_ROWID = sa.literal_column("activity_log.rowid")
MAX_PAGE = 1000
MAX_MESSAGE = 4000
MAX_TRACEBACK = 20_000
MAX_BODY = 200_000


class ActivityService:
    def __init__(
        self,
        ctx: ServiceContext,
        settings: ActivitySettings | Callable[[], ActivitySettings] = load_activity_settings,
        recorder: ActivityRecorder | None = None,
    ) -> None:
        self.ctx = ctx
        self._settings = settings
        self.recorder = recorder or ActivityRecorder()

    @property
    def settings(self) -> ActivitySettings:
        if isinstance(self._settings, ActivitySettings):
            return self._settings
        self._settings = self._settings()  # read once, on first use
        return self._settings

    @settings.setter
    def settings(self, value: ActivitySettings) -> None:
        self._settings = value

    # -- recording ------------------------------------------------------------------------------

    def record_call_later(self, describe: Callable[[], ProviderCall]) -> None:
        """Log the call ``describe()`` tells of, on the recorder's thread; never raises.
        Whether its bodies are kept is decided now, as the call ends, not when it is written."""
        bodies = self.settings.log_bodies
        self.recorder.submit(lambda: self.record_call(describe(), bodies=bodies))

    def record_error_later(self, error: CaughtError) -> None:
        self.recorder.submit(lambda: self.record_error(error))

    def flush(self, timeout: float | None = 10.0) -> bool:
        return self.recorder.flush(timeout)

    @property
    def failures(self) -> int:
        """Entries that could not be written (and were dropped) in this process."""
        return self.recorder.failures

    def record_call(self, call: ProviderCall, *, bodies: bool | None = None) -> uuid.UUID:
        hide = call.secrets
        bodies = self.settings.log_bodies if bodies is None else bodies
        row = ActivityEntry(
            id=self._new_id(),
            user_id=self.ctx.user_id,
            at=self.ctx.now(),
            kind="api",
            status=call.status[:16],
            provider=call.provider[:100],
            model=call.model[:200] if call.model else None,
            endpoint=redact_text(call.endpoint, hide)[:500] if call.endpoint else None,
            duration_ms=call.duration_ms,
            tokens_in=call.tokens_in,
            tokens_out=call.tokens_out,
            cost_usd=call.cost_usd,
            thread_id=call.thread_id,
            message_id=call.message_id,
            error_type=call.error_type[:200] if call.error_type else None,
            message=_cut(redact_text(call.message, hide), MAX_MESSAGE) if call.message else None,
            context={k: redact_text(str(v), hide) for k, v in call.context.items()},
            request_body=_cut(body_text(call.request, hide), MAX_BODY) if bodies else None,
            response_body=_cut(body_text(call.response, hide), MAX_BODY) if bodies else None,
        )
        return self._add(row)

    def record_error(self, error: CaughtError) -> uuid.UUID:
        severity = error.severity if error.severity in SEVERITIES else "error"
        context = {k: v for k, v in (("area", error.area), ("action", error.action)) if v}
        row = ActivityEntry(
            id=self._new_id(),
            user_id=self.ctx.user_id,
            at=self.ctx.now(),
            kind="error",
            status=severity,
            error_type=error.error_type[:200],
            message=_cut(redact_text(error.message), MAX_MESSAGE),
            traceback=_cut(redact_text(error.traceback or ""), MAX_TRACEBACK) or None,
            context=context,
        )
        return self._add(row)

    def record_exception(
        self, exc: BaseException, *, severity: str = "error", area: str | None = None,
        action: str | None = None,
    ) -> uuid.UUID:  # fmt: skip
        return self.record_error(caught(exc, severity=severity, area=area, action=action))

    def _new_id(self) -> uuid.UUID:
        return time_ordered_id(self.ctx.now())

    def _add(self, row: ActivityEntry) -> uuid.UUID:
        row.size = 200 + sum(
            len(v or "")
            for v in (
                row.message, row.traceback, row.request_body, row.response_body, row.endpoint,
            )
        )  # fmt: skip
        with self.ctx.db.session() as session:
            session.add(row)
            session.commit()
        return row.id

    # -- reading --------------------------------------------------------------------------------

    def list(
        self, where: ActivityFilter | None = None, *, limit: int = 100, after: Cursor | None = None
    ) -> ActivityPage:
        """The newest entries matching ``where``, ``limit`` at most, after ``after``."""
        limit = max(1, min(limit, MAX_PAGE))
        where = where or ActivityFilter()
        matches = self._text_matches(where)
        # Driven by the text index's matches (SQLite, a rare text): no column's index may
        # lead instead, so each filter reads the column from the row a match names.
        col = _column if matches is None else _unindexed
        indexed = matches is not None
        query = self._query(where, (_ROWID,) if indexed else _LIST_COLUMNS, col, indexed=indexed)
        if after is not None:
            # One row-value comparison, so both databases read it as one index range.
            edge = sa.tuple_(sa.literal(after.at, T.c.at.type), sa.literal(after.id, T.c.id.type))
            query = query.where(sa.tuple_(col(T.c.at), col(T.c.id)) < edge)
        newest = (T.c.at.desc(), T.c.id.desc())
        query = query.order_by(*newest).limit(limit + 1)
        if matches is not None:
            # The matches are ordered by what the rows' (at, id) say, then only the page's
            # rows are read whole.
            found = sa.select(sa.literal_column("value")).select_from(
                sa.func.json_each(sa.bindparam("matches", matches))
            )
            query = query.where(_ROWID.in_(found))
            query = sa.select(*_LIST_COLUMNS).where(_ROWID.in_(query)).order_by(*newest)
        with self.ctx.db.engine.connect() as conn:
            rows = conn.execute(query).all()
        entries = [_info(row) for row in rows[:limit]]
        more = len(rows) > limit
        return ActivityPage(entries, Cursor(entries[-1].at, entries[-1].id) if more else None)

    def iterate(self, where: ActivityFilter | None = None, page: int = 500) -> Iterator[EntryInfo]:
        """Every matching entry, newest first, whole (for export), a page at a time."""
        after: Cursor | None = None
        while True:
            found = self.list(where, limit=page, after=after)
            for entry in found.entries:
                yield self.get(entry.id)
            if found.next is None:
                return
            after = found.next

    def get(self, entry_id: uuid.UUID) -> EntryInfo:
        query = sa.select(T).where(T.c.id == entry_id, T.c.user_id == self.ctx.user_id)
        with self.ctx.db.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound("There is no such log entry; retention may have removed it.")
        return _info(row, whole=True)

    def find(self, prefix: str) -> EntryInfo:
        """An entry by its id or the start of it (as `promptterm log list` shows ids)."""
        text = prefix.strip().lower().replace("-", "")
        if len(text) < 6 or any(c not in "0123456789abcdef" for c in text):
            raise ValidationError("Give an entry's id, or at least its first 6 characters.", "id")
        if len(text) == 32:
            return self.get(uuid.UUID(text))
        low = uuid.UUID(text.ljust(32, "0"))
        high = uuid.UUID(text.ljust(32, "f"))
        query = (
            sa.select(T.c.id)
            .where(T.c.user_id == self.ctx.user_id, T.c.id >= low, T.c.id <= high)
            .limit(2)
        )
        with self.ctx.db.engine.connect() as conn:
            ids = conn.execute(query).scalars().all()
        if not ids:
            raise NotFound(f"No log entry's id starts with {prefix!r}.")
        if len(ids) > 1:
            raise ValidationError(f"More than one entry's id starts with {prefix!r}.", "id")
        return self.get(ids[0])

    def last_error(self) -> EntryInfo | None:
        page = self.list(ActivityFilter(kind="error"), limit=1)
        return self.get(page.entries[0].id) if page.entries else None

    def _text_matches(self, where: ActivityFilter) -> str | None:
        """SQLite: the text index's matches when the text is rare (search.py), else None."""
        if not where.text or not self.ctx.db.is_sqlite:
            return None
        from promptterm.services.activity.search import trigram_candidates

        with self.ctx.db.engine.connect() as conn:
            return trigram_candidates(conn, self.ctx.user_id, where.text)

    def _query(
        self,
        where: ActivityFilter,
        columns: tuple[Any, ...],
        col: Callable[[sa.Column[Any]], Any] = lambda c: c,
        *,
        indexed: bool = False,
    ) -> sa.Select[Any]:
        if where.kind is not None and where.kind not in KINDS:
            raise ValidationError(f"The kind is one of: {', '.join(KINDS)}.", "kind")
        query = sa.select(*columns).where(col(T.c.user_id) == self.ctx.user_id)
        for column, value in (
            (T.c.kind, where.kind),
            (T.c.provider, where.provider),
            (T.c.model, where.model),
            (T.c.status, where.status),
        ):
            if value:
                query = query.where(col(column) == value)
        if where.since is not None:
            query = query.where(col(T.c.at) >= where.since)
        if where.until is not None:
            query = query.where(col(T.c.at) < where.until)
        if where.text:
            query = query.where(self._text_condition(where.text, indexed))
        return query

    def _text_condition(self, text: str, indexed: bool) -> Any:
        """The text anywhere in the message, error type, endpoint or model, ignoring case.

        On PostgreSQL as the trigram index reads it: ``lower(column) LIKE``. SQLite's LIKE
        already ignores the case of ASCII letters, and only those are what its ``lower()``
        changes, so there the plain LIKE gives the same rows without a lowered copy of each
        value. With the index's matches (``indexed``, search.py) only the message and the
        error type are read: the text is in none of the user's models and endpoints, which
        is why the index was asked."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_"
        ) + "%"  # fmt: skip
        columns = [T.c.message, T.c.error_type]
        if not indexed:
            columns += [T.c.endpoint, T.c.model]
        sqlite = self.ctx.db.is_sqlite
        return sa.or_(
            *(
                (c if sqlite else sa.func.lower(c)).like(pattern.lower(), escape="\\")
                for c in columns
            )
        )

    # -- retention ------------------------------------------------------------------------------

    def purge(self, stop: Callable[[], bool] | None = None, *, step: int | None = None) -> int:
        """Remove entries older than the retention, then the oldest until the log is under
        its size cap, in short steps (retention.py), asking ``stop`` between them. How many
        went; the purge itself is logged (kind error, severity info)."""
        from promptterm.services.activity.retention import STEP, trim

        settings = self.settings
        cutoff = self.ctx.now() - timedelta(days=settings.retention_days)
        removed = trim(self.ctx, cutoff, settings.max_bytes, step=step or STEP, stop=stop).removed
        if removed:
            self.record_error(
                CaughtError(
                    "Retention",
                    f"Removed {removed} log entr{'y' if removed == 1 else 'ies'} older than "
                    f"{settings.retention_days} days or beyond {settings.max_mb} MB.",
                    None,
                    "info",
                    area="activity",
                    action="retention",
                )
            )
        return removed


def caught(
    exc: BaseException, *, severity: str = "error", area: str | None = None,
    action: str | None = None,
) -> CaughtError:  # fmt: skip
    """A CaughtError for ``exc``, with its traceback."""
    trace = "".join(tb.format_exception(exc)) if exc.__traceback__ is not None else None
    name = type(exc).__name__
    return CaughtError(name, str(exc) or name, trace, severity, area, action)


_sequence = itertools.count()


def time_ordered_id(at: datetime) -> uuid.UUID:
    """A UUIDv7-style id: the entry's time in ms, a process counter, random bits. Entries are
    written on the recorder's thread, so the context's id source (sequential in tests) is left
    alone, and entries of the same millisecond still list in the order they were written."""
    ms = int(at.timestamp() * 1000) & ((1 << 48) - 1)
    counter = next(_sequence) & 0xFFF
    value = (ms << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | secrets.randbits(62)
    return uuid.UUID(int=value)


def _column(column: sa.Column[Any]) -> Any:
    return column


def _unindexed(column: sa.Column[Any]) -> Any:
    """The column as SQLite's unary ``+`` hands it over: the same value, no index to lead."""
    return sa.literal_column(f"+{T.name}.{column.name}", column.type)


def _cut(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _info(row: Any, whole: bool = False) -> EntryInfo:
    m = row._mapping
    extra: dict[str, Any] = {}
    if whole:
        extra = {
            "traceback": m["traceback"],
            "context": dict(m["context"] or {}),
            "request_body": m["request_body"],
            "response_body": m["response_body"],
        }
    return EntryInfo(
        id=_uuid(m["id"]),
        at=_aware(m["at"]),
        kind=m["kind"],
        status=m["status"],
        provider=m["provider"],
        model=m["model"],
        endpoint=m["endpoint"],
        duration_ms=m["duration_ms"],
        tokens_in=m["tokens_in"],
        tokens_out=m["tokens_out"],
        cost_usd=m["cost_usd"],
        thread_id=_uuid(m["thread_id"]),
        message_id=_uuid(m["message_id"]),
        error_type=m["error_type"],
        message=m["message"],
        **extra,
    )


def _uuid(value: Any) -> Any:
    return value if value is None or isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _aware(value: Any) -> Any:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
