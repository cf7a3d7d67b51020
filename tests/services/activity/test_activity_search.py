"""Issue 19: the activity log's filters read an index at a million entries (migration
0030_activity_search), on both databases: provider+model together, and the text filter from
trigrams (SQLite FTS5, PostgreSQL pg_trgm) with the same answers as the plain scan: a
case-insensitive substring of the message, error type, endpoint or model."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from promptterm.db.migrate import upgrade
from promptterm.services.activity import ActivityFilter, ActivitySettings, CaughtError, ProviderCall
from promptterm.services.facade import Services
from support.clock import FixedClock


def _seed(services: Services, clock: FixedClock) -> None:
    log = services.activity
    for n, (provider, model, message) in enumerate(
        [
            ("openai", "gpt-4o", "Rate limit for Org-42"),
            ("openai", "gpt-4o-mini", None),
            ("anthropic", "claude-sonnet", 'quota "exceeded" 100%_done'),
            ("openai", "gpt-4o", "ok"),
        ]
    ):
        clock.advance(minutes=1)
        log.record_call(
            ProviderCall(provider, model, f"https://{provider}.example/v1/chat", "ok", n,
                         message=message)
        )  # fmt: skip
    clock.advance(minutes=1)
    log.record_error(CaughtError("TimeoutError", "saving NOTES-42.md", None, "error"))


def _found(services: Services, words: str) -> list[str]:
    entries = services.activity.list(ActivityFilter(text=words)).entries
    return [f"{e.model or e.error_type}:{e.message}" for e in entries]


def test_the_text_filter_finds_substrings_in_any_column_as_before(
    services: Services, clock: FixedClock
) -> None:
    services.activity.settings = ActivitySettings()
    _seed(services, clock)
    assert _found(services, "org-42") == ["gpt-4o:Rate limit for Org-42"]
    assert _found(services, "-42") == [
        "TimeoutError:saving NOTES-42.md",
        "gpt-4o:Rate limit for Org-42",
    ]
    assert _found(services, "timeouterr") == ["TimeoutError:saving NOTES-42.md"]  # error type
    assert _found(services, "anthropic.exa") == ['claude-sonnet:quota "exceeded" 100%_done']
    assert _found(services, "4o-mi") == ["gpt-4o-mini:None"]  # the model
    assert _found(services, '"exceeded" 100%_') == ['claude-sonnet:quota "exceeded" 100%_done']
    assert _found(services, "100%x") == []  # % and _ are themselves, not wildcards
    assert len(_found(services, "ok")) == 1  # under three letters: found by scanning
    assert _found(services, "limit for org-43") == []


def test_only_ascii_letters_match_whatever_their_case(
    services: Services, clock: FixedClock
) -> None:
    # SQLite's LIKE (and its lower()) folds only ASCII letters, as PostgreSQL's lower() does
    # in the C locale the test server runs; SQLite compares the plain column, not a lowered
    # copy, with the same rows.
    services.activity.settings = ActivitySettings()
    _seed(services, clock)
    services.activity.record_error(CaughtError("ValueError", "ÉCHEC au Café-77", None, "error"))
    assert _found(services, "CAFÉ-77") == ["ValueError:ÉCHEC au Café-77"]  # é as é, AFÉ as afé
    assert _found(services, "échec au") == []


def test_a_text_in_many_entries_is_found_by_scanning_with_the_same_answer(
    services: Services, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promptterm.services.activity import search

    _seed(services, clock)
    indexed = _found(services, "openai")
    if services.ctx.db.is_sqlite:
        with services.ctx.db.engine.connect() as conn:
            me = services.ctx.user_id
            assert search.trigram_candidates(conn, me, "rate limit") is not None
            assert search.trigram_candidates(conn, me, "openai") is None  # an endpoint's
            assert search.trigram_candidates(conn, me, "4o-mi") is None  # a model's
            monkeypatch.setattr(search, "COMMON", 1)
            assert search.trigram_candidates(conn, me, "rate limit") is None  # common now
    assert _found(services, "openai") == indexed and len(indexed) == 3


def test_a_removed_entry_is_no_longer_found(services: Services, clock: FixedClock) -> None:
    _seed(services, clock)
    services.activity.settings = ActivitySettings(retention_days=1)
    clock.advance(days=2)
    services.activity.purge()
    assert _found(services, "org-42") == []
    services.activity.record_error(CaughtError("OSError", "org-42 again", None, "error"))
    assert _found(services, "org-42") == ["OSError:org-42 again"]


def test_a_rare_text_is_listed_from_its_matches_not_by_walking_the_newest(
    services: Services, clock: FixedClock
) -> None:
    """SQLite: the index's matches lead (looked up by rowid, then ordered), whatever other
    filter is given: walking the user's (user_id, at, id) index, or kind's, until a page of
    matches turns up reads the whole log when the text is rare (100 ms at a million)."""
    if not services.ctx.db.is_sqlite:
        pytest.skip("PostgreSQL's planner chooses from the pg_trgm index's statistics")
    from sqlalchemy import event

    _seed(services, clock)
    for n in range(300):  # enough matches that SQLite's planner would rather walk an index
        clock.advance(seconds=1)
        error = CaughtError("OSError", f"saving notes-42/{n}", None, "error")
        services.activity.record_error(error)
    statements: list[tuple[str, object]] = []

    def note(_c: object, _cur: object, sql: str, params: object, *_: object) -> None:
        statements.append((sql, params))

    engine = services.ctx.db.engine
    for where in (ActivityFilter(text="notes-42"), ActivityFilter(text="notes-42", kind="error")):
        event.listen(engine, "before_cursor_execute", note)
        try:
            found = services.activity.list(where)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        assert len(found.entries) == 100 and found.next is not None
        sql, params = statements[-1]
        with engine.connect() as conn:
            plan = "\n".join(
                str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)
            )
        assert "json_each" in plan
        assert "USING INDEX ix_activity_log" not in plan, plan
    # Page after page from the matches: each once, newest first, as a scan would list them.
    where = ActivityFilter(text="notes-42")
    page = services.activity.list(where)
    seen = list(page.entries)
    while page.next is not None:
        page = services.activity.list(where, after=page.next)
        seen.extend(page.entries)
    assert len(seen) == 301 and len({e.id for e in seen}) == 301
    assert [e.at for e in seen] == sorted((e.at for e in seen), reverse=True)
    assert seen[-1].message == "saving NOTES-42.md" and seen[0].message == "saving notes-42/299"


def _plan(services: Services, sql: str) -> str:
    db = services.ctx.db
    with db.engine.connect() as conn:
        if db.is_sqlite:
            return "\n".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        conn.execute(text("SET enable_seqscan = off"))
        return "\n".join(str(r[0]) for r in conn.execute(text("EXPLAIN " + sql)))


def test_provider_and_model_together_and_text_read_their_indexes(services: Services) -> None:
    me = services.ctx.user_id.hex if services.ctx.db.is_sqlite else str(services.ctx.user_id)
    plan = _plan(
        services,
        f"SELECT id FROM activity_log WHERE user_id = '{me}' AND provider = 'openai'"
        " AND model = 'gpt-4o' ORDER BY at DESC, id DESC LIMIT 10",
    )
    assert "ix_activity_log_user_id_provider_model_at_id" in plan
    services.activity.list(ActivityFilter(text="org-42"))  # the query the service makes
    if services.ctx.db.is_sqlite:
        plan = _plan(
            services, "SELECT rowid FROM activity_log_fts WHERE activity_log_fts MATCH '\"org\"'"
        )
        assert "VIRTUAL TABLE INDEX" in plan
    else:
        plan = _plan(services, "SELECT id FROM activity_log WHERE lower(model) LIKE '%gpt%'")
        assert "ix_activity_log_search_trgm" in plan


def test_the_migration_indexes_existing_entries_and_goes_down_cleanly(
    services: Services, clock: FixedClock
) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from promptterm.db.migrate import alembic_config

    db = services.ctx.db
    config = alembic_config(db)
    before = ScriptDirectory.from_config(config).get_revision("0030_activity_search").down_revision
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, str(before))
    with db.engine.connect() as conn:
        names = {
            r[0]
            for r in conn.execute(
                text("SELECT name FROM sqlite_master")
                if db.is_sqlite
                else text("SELECT indexname FROM pg_indexes WHERE tablename = 'activity_log'")
            )
        }
    assert not {n for n in names if "activity_log_fts" in n or "provider_model" in n}
    assert "ix_activity_log_search_trgm" not in names
    _seed(services, clock)  # written without the index
    upgrade(db)
    assert _found(services, "org-42") == ["gpt-4o:Rate limit for Org-42"]
    if db.is_sqlite:
        with db.engine.connect() as conn:
            hits = conn.execute(
                text("SELECT count(*) FROM activity_log_fts WHERE activity_log_fts MATCH :m"),
                {"m": '"org-42"'},
            ).scalar()
        assert hits == 1  # backfilled by the migration


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PROMPTTERM_CONFIG_DIR", str(tmp_path / "config"))
