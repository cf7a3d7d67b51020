"""Full-text search over every thread (SQLite FTS5, PostgreSQL tsvector), on both databases:
what a person types finds their messages, never raises, and never finds anyone else's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from promptterm.db.engine import Database, create_database
from promptterm.db.migrate import ensure_schema, upgrade
from promptterm.services.chat.search import SNIPPET_CHARS, SearchHit
from promptterm.services.chat.versions import AnswerStore
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.postgres import PostgresServer

HOSTILE = [
    '"',
    '""',
    "*",
    "**",
    "AND OR NOT",
    "NEAR(",
    "NEAR(a b, 2)",
    "a:*",
    "col:value",
    "(unbalanced",
    "x)",
    "!",
    "a & b | !c",
    "<-> <2>",
    "'",
    "it's",
    "'quoted'",
    "\\",
    "back\\slash",
    "\x00",
    "nul\x00byte",
    "-",
    "-minus +plus ^caret",
    "{curly} [square]",
    "🙂",
    "🙂🙂 emoji",
    "日本語",
    "مرحبا",
    "e\u0301",
    "\u0301",
    "x" * 5000,
    "word " * 200,
    "%_%",
    "'; DROP TABLE messages; --",
]


def seen(hits: list[SearchHit]) -> list[str]:
    """Each hit as "thread title #seq: highlighted words", sorted: the order of near-equal
    matches is the ranking's business (one test below is about order)."""
    return sorted(
        f"{h.thread_title} #{h.seq}: " + ",".join(h.snippet[s:e] for s, e in h.spans) for h in hits
    )


@pytest.fixture
def corpus(services: Services, clock: FixedClock) -> Services:
    chat = services.chat
    recipes = chat.create_thread(title="Recipes")
    chat.add_message(recipes.id, "user", "How long do I bake a Café au lait cake?")
    clock.advance(seconds=1)
    chat.add_message(
        recipes.id, "assistant", "Bake it for 40 minutes; a naïve cook checks it at 30."
    )
    clock.advance(seconds=1)
    code = chat.create_thread(title="Code")
    chat.add_message(code.id, "user", "Why does main.py fail in the database_url parser?")
    clock.advance(seconds=1)
    chat.add_message(code.id, "assistant", "The database URL needs a driver: postgresql+psycopg.")
    clock.advance(seconds=1)
    chat.add_message(code.id, "user", "ПРИВЕТ мир: this and that, or not, near the end")
    return services


def test_finds_words_in_every_thread_with_the_matches_marked(corpus: Services) -> None:
    hits = corpus.chat_search.search("database")
    assert seen(hits) == ["Code #1: database", "Code #2: database"]
    [answer] = [h for h in hits if h.seq == 2]
    assert answer.role == "assistant" and answer.thread_title == "Code"
    assert answer.snippet == "The database URL needs a driver: postgresql+psycopg."
    assert answer.created_at.tzinfo is not None
    assert seen(corpus.chat_search.search("bake")) == ["Recipes #1: bake", "Recipes #2: Bake"]


def test_every_word_must_match_and_the_last_is_a_prefix_while_typing(corpus: Services) -> None:
    search = corpus.chat_search.search
    assert seen(search("data")) == ["Code #1: database", "Code #2: database"]
    assert seen(search("driver psyc")) == ["Code #2: driver,psycopg"]
    assert seen(search("datab url")) == []  # only the last word is a prefix
    assert seen(search("bake min")) == ["Recipes #2: Bake,minutes"]
    # A space after the last word: the word is finished, so only whole words match.
    assert search("data ") == [] and search("bake min ") == []
    assert search("bake database") == []


def test_case_accents_and_other_scripts_do_not_matter(corpus: Services) -> None:
    search = corpus.chat_search.search
    assert seen(search("CAFE")) == ["Recipes #1: Café"]
    assert seen(search("café au")) == ["Recipes #1: Café,au"]
    assert seen(search("naive")) == ["Recipes #2: naïve"]
    assert seen(search("NAÏVE")) == ["Recipes #2: naïve"]
    assert seen(search("привет")) == ["Code #3: ПРИВЕТ"]
    assert seen(search("МИ")) == ["Code #3: мир"]


def test_punctuated_words_match_as_written(corpus: Services) -> None:
    search = corpus.chat_search.search
    assert seen(search("main.py")) == ["Code #1: main.py"]
    assert seen(search("main.p")) == ["Code #1: main.py"]
    # Tokenized like the messages: the two words side by side, whatever joins them.
    assert seen(search("database_url")) == ["Code #1: database_url", "Code #2: database URL"]


@pytest.mark.parametrize("typed", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_never_raises(corpus: Services, typed: str) -> None:
    hits = corpus.chat_search.search(typed)
    assert isinstance(hits, list)
    for hit in hits:
        assert all(0 <= s < e <= len(hit.snippet) for s, e in hit.spans)


def test_query_syntax_is_just_text(corpus: Services) -> None:
    search = corpus.chat_search.search
    assert seen(search("AND OR NOT")) == ["Code #3: and,or,not"]
    assert seen(search("NEAR(")) == ["Code #3: near"]
    assert seen(search('"database" OR')) == []
    assert seen(search('*bake* "cake"')) == ["Recipes #1: bake,cake"]
    assert search("") == [] and search("   \n\t") == [] and search('" * -') == []


def test_changes_deletes_and_cascades_are_reflected(services: Services) -> None:
    chat, search = services.chat, services.chat_search.search
    thread = chat.create_thread(title="Fruit")
    message = chat.add_message(thread.id, "user", "I like apricots")
    assert seen(search("apricots")) == ["Fruit #1: apricots"]
    chat.update_message(message.id, content="I like bananas now")
    assert search("apricots") == [] and seen(search("bananas")) == ["Fruit #1: bananas"]
    chat.delete_message(message.id)
    assert search("bananas") == []

    # A deleted thread takes its messages out of the index, even when the next message
    # takes the place (on SQLite, the rowid) of the last one deleted.
    doomed = chat.create_thread(title="Doomed")
    chat.add_message(doomed.id, "user", "zebra crossing")
    chat.delete_thread(doomed.id)
    fresh = chat.create_thread(title="Fresh")
    chat.add_message(fresh.id, "user", "apple pie")
    assert search("zebra") == []
    assert seen(search("apple")) == ["Fresh #1: apple"]


def test_an_answer_is_found_as_it_streams_and_as_it_ends(services: Services) -> None:
    thread = services.chat.create_thread(title="Stream")
    answer = services.chat.add_message(thread.id, "assistant", "", status="streaming")
    store = AnswerStore(services.ctx)
    store.save_partial(answer.id, "Photosynthesis turns")
    assert seen(services.chat_search.search("photosynthesis")) == ["Stream #1: Photosynthesis"]
    store.finish(
        answer.id,
        content="Chlorophyll turns light into sugar.",
        status="complete",
        tokens_in=1,
        tokens_out=2,
        tokens_estimated=False,
        cost_usd=None,
        meta={},
    )
    assert services.chat_search.search("photosynthesis") == []
    assert seen(services.chat_search.search("chlorophyll")) == ["Stream #1: Chlorophyll"]


def test_edit_and_resend_branch_messages_are_found_in_the_branch(
    chat: Services, llm: LLMServer
) -> None:
    thread = chat.chat.create_thread(title="Trip")
    llm.push(Script(text="Lisbon is lovely."), Script(text="Porto has the best views."))
    chat.chat_send.send(thread.id, "Where should I stay in Lisbon?")
    question = chat.chat.messages(thread.id)[0]
    chat.chat_send.edit_and_resend(question.id, "Where should I stay in Porto?")

    old_question, old_answer = sorted(chat.chat_search.search("lisbon"), key=lambda h: h.seq)
    branch_title = "Trip (earlier branch)"
    assert {old_question.thread_title, old_answer.thread_title} == {branch_title}
    assert old_question.thread_id != thread.id and old_question.thread_archived
    assert old_question.message_id == question.id  # moved with its id
    [new] = chat.chat_search.search("porto views")
    assert new.thread_id == thread.id and not new.thread_archived
    assert chat.chat_search.search("lisbon", include_archived=False) == []


def test_another_users_messages_are_never_found(services: Services, clock: FixedClock) -> None:
    mine = services.chat.create_thread(title="Mine")
    services.chat.add_message(mine.id, "user", "my secret plan: orchids")
    bob_user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(bob_user.id)
    theirs = bob.chat.create_thread(title="Bob's")
    bob.chat.add_message(theirs.id, "user", "bob grows orchids too")

    assert seen(services.chat_search.search("orchids")) == ["Mine #1: orchids"]
    assert seen(bob.chat_search.search("orchids")) == ["Bob's #1: orchids"]
    assert bob.chat_search.search("secret plan") == []


def test_project_and_archive_filters(services: Services) -> None:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    inside = services.chat.create_thread(project_id=project.id, title="In project")
    services.chat.add_message(inside.id, "user", "deploy the site")
    outside = services.chat.create_thread(title="Global")
    services.chat.add_message(outside.id, "user", "deploy nothing")
    services.chat.archive(outside.id)

    search = services.chat_search.search
    assert sorted(h.thread_title for h in search("deploy")) == ["Global", "In project"]
    [hit] = search("deploy", project_id=project.id)
    assert (hit.thread_title, hit.project_id) == ("In project", project.id)
    assert [h.thread_title for h in search("deploy", include_archived=False)] == ["In project"]


def test_best_match_first_and_limit(services: Services, clock: FixedClock) -> None:
    thread = services.chat.create_thread(title="Notes")
    for n in range(8):
        services.chat.add_message(thread.id, "user", f"unrelated note number {n} about tea")
        clock.advance(seconds=1)
    long_one = " ".join(["filler"] * 60) + " kiwi " + " ".join(["filler"] * 60)
    services.chat.add_message(thread.id, "user", "kiwi smoothie with kiwi and kiwi")
    clock.advance(seconds=1)
    services.chat.add_message(thread.id, "user", long_one)

    hits = services.chat_search.search("kiwi")
    assert [h.seq for h in hits] == [9, 10]  # older, but the better match
    assert hits[0].rank > hits[1].rank
    assert len(services.chat_search.search("tea", limit=3)) == 3
    assert services.chat_search.search("tea", limit=0) == []


def test_snippet_of_a_long_message_is_one_line_around_the_match(services: Services) -> None:
    thread = services.chat.create_thread(title="Long")
    before = "\n".join(f"line {n} says nothing much" for n in range(40))
    after = " ".join(["trailing"] * 80)
    services.chat.add_message(thread.id, "assistant", f"{before}\nHere is the needle.\n{after}")
    [hit] = services.chat_search.search("needle")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "\n" not in hit.snippet and len(hit.snippet) <= SNIPPET_CHARS + 2
    assert [hit.snippet[s:e] for s, e in hit.spans] == ["needle"]
    assert " nothing much Here is the needle. trailing" in hit.snippet


def test_vacuum_keeps_the_index_pointing_at_the_right_messages(sqlite_database: Database) -> None:
    services = Services.for_database(sqlite_database, new_id=SequentialIds(), migrate=False)
    thread = services.chat.create_thread(title="Vacuumed")
    ids = [services.chat.add_message(thread.id, "user", f"word{n} common").id for n in range(30)]
    for message_id in ids[::3]:
        services.chat.delete_message(message_id)
    with sqlite_database.engine.connect() as conn:
        conn.execute(text("VACUUM"))
    hits = services.chat_search.search("common", limit=100)
    assert len(hits) == 20
    assert all(h.snippet == f"word{h.seq - 1} common" for h in hits)


# -- PostgreSQL: row-level security still walls off other people's messages ------------------


@pytest.fixture
def team(
    database: Database, pg_server: PostgresServer, clock: FixedClock
) -> Iterator[dict[str, Services]]:
    with psycopg.connect(pg_server.url("postgres").replace("+psycopg", ""), autocommit=True) as c:
        for name in ("alice", "bob"):
            if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
                c.execute(f"CREATE ROLE {name} LOGIN")
            c.execute(f"GRANT promptterm_user TO {name}")
    people = {}
    for n, name in enumerate(("alice", "bob"), start=1):
        url = make_url(database.url).set(username=name).render_as_string(hide_password=False)
        people[name] = Services.for_database(
            create_database(url), clock=clock, new_id=SequentialIds(1000 * n), migrate=False
        )
    yield people
    for services in people.values():
        services.close()


@pytest.mark.postgres
@pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)
def test_row_level_security_hides_other_peoples_matches(team: dict[str, Services]) -> None:
    alice, bob = team["alice"], team["bob"]
    thread = alice.chat.create_thread(title="Private")
    alice.chat.add_message(thread.id, "user", "the vault code is tangerine")
    raw = (
        "SELECT count(*) FROM messages"
        " WHERE search_vector @@ to_tsquery('promptterm_search', 'tangerine')"
    )
    with bob.ctx.db.engine.connect() as conn:
        assert conn.execute(text(raw)).scalar() == 0
    with alice.ctx.db.engine.connect() as conn:
        assert conn.execute(text(raw)).scalar() == 1
    assert bob.chat_search.search("tangerine") == []
    assert seen(alice.chat_search.search("tangerine")) == ["Private #1: tangerine"]


# -- upgrading: messages written before migration 0008 are indexed by it ---------------------


def test_messages_from_before_the_upgrade_are_found(empty_database: Database) -> None:
    upgrade(empty_database, "0007_payment_history")
    sqlite = empty_database.is_sqlite
    user_id, thread_id = uuid.uuid4(), uuid.uuid4()
    now = datetime(2025, 6, 1, tzinfo=UTC)

    def value(v: object) -> object:
        if isinstance(v, uuid.UUID) and sqlite:
            return v.hex  # how SQLAlchemy stores a UUID on SQLite
        return v.replace(tzinfo=None) if isinstance(v, datetime) and sqlite else v

    with empty_database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, display_name, is_local, preferences, created_at,"
                " updated_at) VALUES (:id, 'Old Timer', :local, '{}', :now, :now)"
            ),
            {"id": value(user_id), "local": True, "now": value(now)},
        )
        conn.execute(
            text(
                "INSERT INTO conversations (id, user_id, title, context, is_archived,"
                " preset_history, total_tokens, created_at, updated_at) VALUES"
                " (:id, :user, 'Legacy chat', '{}', :no, '[]', 0, :now, :now)"
            ),
            {"id": value(thread_id), "user": value(user_id), "no": False, "now": value(now)},
        )
        for seq, body in enumerate(("kept from the old days", "still searchable"), start=1):
            conn.execute(
                text(
                    "INSERT INTO messages (id, conversation_id, seq, role, content, status,"
                    " metadata, tokens_estimated, created_at) VALUES (:id, :thread, :seq,"
                    " 'user', :body, 'complete', '{}', :no, :now)"
                ),
                {
                    "id": value(uuid.uuid4()),
                    "thread": value(thread_id),
                    "seq": seq,
                    "body": body,
                    "no": False,
                    "now": value(now),
                },
            )
    assert ensure_schema(empty_database) is True
    legacy = Services.for_database(empty_database, migrate=False).as_user(user_id)
    assert seen(legacy.chat_search.search("old days")) == ["Legacy chat #1: old,days"]
    assert seen(legacy.chat_search.search("searchable")) == ["Legacy chat #2: searchable"]
