"""Importing history on both databases: what lands where (threads, versions, branches,
models, times, tokens), importing twice adds nothing, a dry run stores nothing, a broken
item is reported while the rest is imported, imported threads are searchable, and none of
it counts toward this month's usage."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from promptterm.db.models import Conversation, Message, UsageRecord
from promptterm.services.chat import ImportReport, ThreadInfo
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock
from support.import_fixtures import CHATGPT, CLAUDE, sqlite_source


def counts(services: Services) -> tuple[int, int]:
    with services.ctx.db.session() as session:
        threads = session.exec(select(func.count()).select_from(Conversation)).one()
        messages = session.exec(select(func.count()).select_from(Message)).one()
    return threads, messages


def all_threads(services: Services) -> dict[str, ThreadInfo]:
    found = services.chat.list_threads() + services.chat.list_threads(archived=True)
    return {t.title: t for t in found}


def test_chatgpt_threads_keep_models_times_versions_and_the_edited_branch(
    services: Services,
) -> None:
    report = services.chat_import.import_file("chatgpt", CHATGPT)
    assert [(t.title, t.status, t.messages, t.branches) for t in report.threads] == [
        ("Sourdough starter", "new", 6, 1),
        ("Escape ]0;pwned test", "new", 2, 0),
        ("Pasta water", "new", 2, 0),
    ]
    assert [p.item for p in report.problems] == ["conversation 3 (Broken export)"]
    threads = all_threads(services)
    sourdough = threads["Sourdough starter"]
    project = services.projects.get(sourdough.project_id)  # type: ignore[arg-type]
    assert (project.name, project.workspace_name) == ("ChatGPT history", report.workspace)
    assert sourdough.model == "gpt-4o" and sourdough.provider is None
    assert sourdough.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert sourdough.updated_at == datetime(2024, 5, 1, 10, 1, 20, tzinfo=UTC)
    q1, a1, q2, a2 = services.chat.messages(sourdough.id)
    assert [(m.seq, m.role, m.model) for m in (q1, a1, q2, a2)] == [
        (1, "user", None),
        (2, "assistant", "gpt-4o"),
        (3, "user", None),
        (4, "assistant", "gpt-4o"),
    ]
    assert a1.created_at == datetime(2024, 5, 1, 10, 0, 30, tzinfo=UTC)
    # The regenerated answer is a version of the answer, as regenerate leaves it.
    (version,) = a1.meta["versions"]
    assert (version["content"], version["model"]) == ("Feed it flour.", "gpt-4")
    # The edited question names the branch with its first wording, as edit-and-resend does.
    edited = q2.meta["edited"]
    branch = threads["Sourdough starter (earlier branch)"]
    assert edited["branch_thread_id"] == str(branch.id)
    assert edited["previous_content"] == "How warm should it be?"
    assert branch.is_archived and branch.project_id == sourdough.project_id
    old_q, old_a = services.chat.messages(branch.id)
    assert (old_q.seq, old_q.content, old_a.seq, old_a.content) == (
        3,
        "How warm should it be?",
        4,
        "Around 24 degrees.",
    )
    assert edited["previous_message_id"] == str(old_q.id)
    with services.ctx.db.session() as session:
        stored = session.get(Conversation, branch.id)
        assert stored is not None
        assert stored.context == {"branch_of": str(sourdough.id), "from_seq": 3}
    # Text from outside is stored as it came; only the title (a name) loses its controls.
    escape = services.chat.messages(threads["Escape ]0;pwned test"].id)
    assert escape[1].content == "\x1b[31mred\x1b[0m and \x1b[2J"


def test_importing_twice_adds_nothing(services: Services) -> None:
    services.chat_import.import_file("chatgpt", CHATGPT)
    before = counts(services)
    again = services.chat_import.import_file("chatgpt", CHATGPT)
    assert counts(services) == before
    assert [(t.status, t.messages, t.branches) for t in again.threads] == [("unchanged", 0, 0)] * 3
    assert again.new_threads == 0 and again.messages == 0
    # Into another workspace too: a thread is imported once per person, wherever it went.
    other = services.workspaces.create("Elsewhere")
    third = services.chat_import.import_file("chatgpt", CHATGPT, workspace=other.slug)
    assert third.new_threads == 0 and counts(services) == before


def test_a_dry_run_says_what_it_would_import_and_stores_nothing(services: Services) -> None:
    before = counts(services)
    projects = services.projects.list()
    report = services.chat_import.import_file("claude", CLAUDE, dry_run=True)
    assert report.dry_run and report.project == "Claude history"
    assert [(t.title, t.status, t.messages) for t in report.threads] == [
        ("Trip to Lisbon", "new", 2),
        ("Name a cat", "new", 2),
    ]
    assert [p.item for p in report.problems] == ["conversation 3 (Half a chat)"]
    assert counts(services) == before
    assert services.projects.list() == projects  # no project made either
    # After the real import, a dry run finds nothing left to do.
    services.chat_import.import_file("claude", CLAUDE)
    rerun = services.chat_import.import_file("claude", CLAUDE, dry_run=True)
    assert [t.status for t in rerun.threads] == ["unchanged", "unchanged"]


def test_imported_threads_are_found_by_chat_search(services: Services) -> None:
    services.chat_import.import_file("chatgpt", CHATGPT)
    hits = services.chat_search.search("sourdough")
    assert [(h.thread_title, h.seq, h.role) for h in hits] == [("Sourdough starter", 1, "user")]
    # The earlier branch is searchable too (archived threads are included by default).
    (hit,) = services.chat_search.search("around 24 degrees")
    assert (hit.thread_title, hit.thread_archived) == ("Sourdough starter (earlier branch)", True)


def test_llm_tokens_show_on_the_thread_but_not_in_this_months_usage(
    services: Services, tmp_path: Path
) -> None:
    logs = sqlite_source(tmp_path, "llm_logs")
    # History from this very month (the fixed clock stands at 2026-01-15): still not usage.
    with sqlite3.connect(logs) as db:
        db.execute(
            "UPDATE responses SET datetime_utc = '2026-01-10T08:00:00' WHERE id LIKE '01j1tea%'"
        )
    used = services.billing.summary().line("tokens_per_month").used
    report = services.chat_import.import_file("llm", logs)
    assert [(t.title, t.messages) for t in report.threads] == [
        ("Haiku about tea", 5),
        ("What is a kettle?", 2),
    ]
    assert [p.item for p in report.problems] == ["conversation 01j1bad0000000000000000000"]
    tea = all_threads(services)["Haiku about tea"]
    assert tea.total_tokens == 12 + 17 + 40 + 18
    answer = services.chat.messages(tea.id)[2]
    assert (answer.tokens_in, answer.tokens_out, answer.model) == (12, 17, "gpt-4o-mini")
    assert answer.meta["usage"] == "provider"
    assert services.chat.totals(tea.id).tokens == 87
    assert services.billing.summary().line("tokens_per_month").used == used
    with services.ctx.db.session() as session:
        assert session.exec(select(func.count()).select_from(UsageRecord)).one() == 0


def test_a_source_that_grew_adds_only_the_new_messages(services: Services, tmp_path: Path) -> None:
    logs = sqlite_source(tmp_path, "llm_logs")
    services.chat_import.import_file("llm", logs)
    with sqlite3.connect(logs) as db:
        db.execute(
            "INSERT INTO responses (id, model, prompt, system, response, conversation_id,"
            " datetime_utc, input_tokens, output_tokens) VALUES ('01j1tea0000000000000000003',"
            " 'gpt-4o-mini', 'And one about water', 'You are a poet.', 'Clear and cold',"
            " '01j1tea0000000000000000000', '2024-07-01T12:05:00', 5, 6)"
        )
    before = counts(services)
    report = services.chat_import.import_file("llm", logs)
    assert [(t.title, t.status, t.messages) for t in report.threads] == [
        ("Haiku about tea", "added", 2),
        ("What is a kettle?", "unchanged", 0),
    ]
    assert counts(services) == (before[0], before[1] + 2)
    tea = all_threads(services)["Haiku about tea"]
    last = services.chat.messages(tea.id)[-2:]
    assert [(m.seq, m.content) for m in last] == [
        (6, "And one about water"),
        (7, "Clear and cold"),
    ]
    assert tea.total_tokens == 87 + 11


def test_a_thread_continued_here_is_left_as_it_is(services: Services, tmp_path: Path) -> None:
    logs = sqlite_source(tmp_path, "llm_logs")
    services.chat_import.import_file("llm", logs)
    tea = all_threads(services)["Haiku about tea"]
    services.chat.add_message(tea.id, "user", "My own follow-up")
    with sqlite3.connect(logs) as db:
        db.execute(
            "INSERT INTO responses (id, model, prompt, response, conversation_id, datetime_utc)"
            " VALUES ('01j1tea0000000000000000009', 'gpt-4o-mini', 'Later in llm', 'Answer',"
            " '01j1tea0000000000000000000', '2024-07-03T00:00:00')"
        )
    report = services.chat_import.import_file("llm", logs)
    assert report.threads[0].status == "kept"
    assert report.threads[0].notes == (
        "Haiku about tea: changed since it was imported (here, or another branch chosen "
        "there); left as it is",
    )
    assert [m.content for m in services.chat.messages(tea.id)][-1] == "My own follow-up"


def test_elia_and_oterm_databases(services: Services, tmp_path: Path) -> None:
    elia = services.chat_import.import_file("elia", sqlite_source(tmp_path, "elia"))
    assert [(t.title, t.messages) for t in elia.threads] == [("Regex help", 3), ("Old chat", 2)]
    threads = all_threads(services)
    assert threads["Old chat"].is_archived and not threads["Regex help"].is_archived
    oterm = services.chat_import.import_file("oterm", sqlite_source(tmp_path, "oterm"))
    (llama,) = oterm.threads
    assert (llama.title, llama.messages, llama.notes) == (
        "Llama talk",
        4,
        ("1 image not imported",),
    )
    stored = services.chat.messages(llama.thread_id)  # type: ignore[arg-type]
    # oterm keeps no times: the import's moment, in the source's order.
    assert {m.created_at for m in stored} == {services.ctx.now()}
    assert [m.seq for m in stored] == [1, 2, 3, 4]
    assert isinstance(llama.thread_id, uuid.UUID)


def test_the_report_counts(services: Services) -> None:
    report: ImportReport = services.chat_import.import_file("chatgpt", CHATGPT)
    assert (report.new_threads, report.messages, report.unchanged) == (3, 10, 0)


def test_each_person_imports_their_own_copy(services: Services, clock: FixedClock) -> None:
    """The key is per person: someone else importing the same export gets their own
    threads (nothing says "already imported"), and neither sees the other's."""
    services.chat_import.import_file("claude", CLAUDE)
    bob_user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(bob_user.id)
    report = bob.chat_import.import_file("claude", CLAUDE)
    assert [t.status for t in report.threads] == ["new", "new"]
    assert report.workspace == "Personal"  # Bob had none: his own was made
    mine = {t.id for t in services.chat.list_threads()}
    his = {t.id for t in bob.chat.list_threads()}
    assert len(mine) == len(his) == 2 and not mine & his
    assert [h.thread_id in his for h in bob.chat_search.search("Lisbon")] == [True]


def test_a_nul_in_imported_text_is_kept_as_a_marker_on_both_databases(
    services: Services, tmp_path: Path
) -> None:
    """PostgreSQL refuses NUL in text: it becomes ␀ (db/text_guard.py), as for an answer."""
    logs = sqlite_source(tmp_path, "llm_logs")
    with sqlite3.connect(logs) as db:
        db.execute(
            "UPDATE responses SET response = 'before' || char(0) || 'after' WHERE id = ?",
            ("01j1one0000000000000000001",),
        )
    report = services.chat_import.import_file("llm", logs)
    assert [t.title for t in report.threads] == ["Haiku about tea", "What is a kettle?"]
    kettle = all_threads(services)["What is a kettle?"]
    assert services.chat.messages(kettle.id)[1].content == "before\u2400after"


def test_another_branch_chosen_in_the_source_adds_nothing_twice(
    services: Services, tmp_path: Path
) -> None:
    """The user went back to the first wording in ChatGPT and exported again: the line the
    source now shows differs from the stored one, so the thread is left as it is rather
    than its messages stored a second time as a "new" branch."""
    services.chat_import.import_file("chatgpt", CHATGPT)
    before = counts(services)
    conversations = json.loads(CHATGPT.read_text(encoding="utf-8"))
    conversations[0]["current_node"] = "n-a2-old"
    moved = tmp_path / "conversations.json"
    moved.write_text(json.dumps(conversations), encoding="utf-8")
    report = services.chat_import.import_file("chatgpt", moved)
    assert [(t.title, t.status, t.messages) for t in report.threads] == [
        ("Sourdough starter", "kept", 0),
        ("Escape ]0;pwned test", "unchanged", 0),
        ("Pasta water", "unchanged", 0),
    ]
    assert counts(services) == before
