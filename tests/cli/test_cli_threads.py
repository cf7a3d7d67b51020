"""`promptterm chat list|show|search|export` end to end: the real entry point on a SQLite
file seeded through the services (sequential ids), both on the test's fixed clock."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from promptterm.db.engine import create_database
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from support.cli_in_process import run
from support.cli_process import MigratedSqlite
from support.clock import FixedClock

RECIPES = "00000000-0000-4000-8000-000000000002"
CODE = "00000000-0000-4000-8000-000000000004"
OLD = "00000000-0000-4000-8000-000000000007"


@pytest.fixture
def url(tmp_path: Path, fixed_clock: FixedClock, migrated_sqlite: MigratedSqlite) -> str:
    url = migrated_sqlite(tmp_path / "cli.db")
    clock = fixed_clock  # the CLI's too: it reads (and exports) at 2026-01-15 09:32 UTC
    services = Services.for_database(create_database(url), clock=clock, new_id=SequentialIds())
    chat = services.chat
    recipes = chat.create_thread(title="Recipes")
    chat.add_message(recipes.id, "user", "How long do I bake a Café au lait cake?")
    clock.advance(minutes=1)
    code = chat.create_thread(title="Code", provider="local", model="test-model")
    chat.add_message(code.id, "user", "Why does the database refuse me?")
    chat.add_message(
        code.id,
        "assistant",
        "Check the database URL.",
        provider="local",
        model="test-model",
        tokens_in=12,
        tokens_out=5,
        cost_usd=Decimal("0.000170"),
    )
    clock.advance(minutes=1)
    old = chat.create_thread(title="Old database notes")
    chat.add_message(old.id, "user", "database notes from last year")
    chat.archive(old.id)
    assert [str(t.id) for t in (recipes, code, old)] == [RECIPES, CODE, OLD]
    services.close()
    return url


def test_list_shows_threads_recent_first_and_archived_on_request(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, _ = run(capsys, url, "chat", "list")
    assert code == 0
    assert out.splitlines() == [
        "ID        TITLE    MODEL       TOKENS  LAST ACTIVE",
        "--------  -------  ----------  ------  ----------------",
        "00000000  Code     test-model  17      2026-01-15 09:31",
        "00000000  Recipes  -           0       2026-01-15 09:30",
    ]
    listed = json.loads(run(capsys, url, "chat", "list", "--json")[1])
    assert [(t["id"], t["title"]) for t in listed] == [(CODE, "Code"), (RECIPES, "Recipes")]
    archived = json.loads(run(capsys, url, "chat", "list", "--archived", "--json")[1])
    assert [t["title"] for t in archived] == ["Old database notes"]


def test_search_finds_messages_in_every_thread(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    hits = json.loads(run(capsys, url, "chat", "search", "datab", "--json")[1])
    assert sorted((h["thread_title"], h["seq"]) for h in hits) == [
        ("Code", 1),
        ("Code", 2),
        ("Old database notes", 1),
    ]
    for hit in hits:
        assert [hit["snippet"][s:e] for s, e in hit["spans"]] == ["database"]
    code, out, _ = run(capsys, url, "chat", "search", "cafe", "au")
    assert code == 0
    assert out.splitlines() == [
        "00000000  Recipes · #1 You · 2026-01-15 09:30",
        "  How long do I bake a Café au lait cake?",
    ]
    active = json.loads(run(capsys, url, "chat", "search", "database", "--active", "--json")[1])
    assert {h["thread_title"] for h in active} == {"Code"}
    assert run(capsys, url, "chat", "search", '"', "NEAR(", "*")[:2] == (0, "No messages match.\n")


def test_show_prints_the_transcript(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, out, _ = run(capsys, url, "chat", "show", CODE)
    assert code == 0
    assert out.splitlines() == [
        f"Code  ({CODE})",
        "local / test-model · 2 messages · 17 tokens · 2026-01-15 09:31",
        "",
        "[1] You · 2026-01-15 09:31",
        "Why does the database refuse me?",
        "",
        "[2] Assistant · local / test-model · 12 in, 5 out · $0.000170 · 2026-01-15 09:31",
        "Check the database URL.",
    ]
    code, out, _ = run(capsys, url, "chat", "show", CODE, "--last", "1")
    assert "(the last 1 of 2 messages)" in out and "Why does" not in out
    document = json.loads(run(capsys, url, "chat", "show", OLD, "--json")[1])
    assert document["thread"]["is_archived"] and document["messages"][0]["seq"] == 1


def test_export_writes_markdown_or_json(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, url, "chat", "export", CODE)
    assert code == 0 and out.startswith("# Code\n\n- Thread: `" + CODE + "`\n")
    assert "- Exported: 2026-01-15 09:32 UTC\n" in out
    assert "### 2. Assistant · local / test-model · 12 in, 5 out, $0.000170" in out

    target = tmp_path / "code.json"
    code, out, err = run(capsys, url, "chat", "export", CODE, "--format", "json", "-o", str(target))
    assert (code, out, err) == (0, "", f"Exported 'Code' to {target}.\n")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert [m["content"] for m in document["messages"]] == [
        "Why does the database refuse me?",
        "Check the database URL.",
    ]
    assert document["thread"]["cost_usd"] == "0.000170"

    missing = tmp_path / "no" / "such" / "dir" / "x.md"
    code, _, err = run(capsys, url, "chat", "export", CODE, "-o", str(missing))
    assert code == 1 and err == f"promptterm: Cannot write {missing}: No such file or directory.\n"


def test_threads_are_named_by_id_or_an_unambiguous_prefix(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, _ = run(capsys, url, "chat", "show", "00000000000040008000000000000002")
    assert code == 0 and out.startswith("Recipes  (")
    code, _, err = run(capsys, url, "chat", "show", "0000")
    assert code == 1 and err == (
        "promptterm: 3 threads have ids starting with '0000': give more characters.\n"
    )
    code, _, err = run(capsys, url, "chat", "export", "abcdef")
    assert code == 1 and "No thread of yours has an id starting with 'abcdef'" in err
    code, _, err = run(capsys, url, "chat", "show", "recipes")
    assert code == 1 and "'recipes' is not a thread id" in err
    code, _, err = run(capsys, url, "chat", "show", "00000000-0000-4000-8000-000000000099")
    assert code == 1 and "That thread does not exist" in err
