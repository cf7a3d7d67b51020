"""Each importer reads its source's documented format (the hand-written fixtures in
import_fixtures/) into source threads, reports a bad item by name and reads the rest, and
refuses a file that is not its source's at all. No database here: see test_chat_import.py."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from promptterm.services.chat.importers import chatgpt, claude, elia, llm, oterm
from promptterm.services.chat.importers.model import ItemProblem, SourceThread
from promptterm.services.chat.importers.tree import plan
from promptterm.services.errors import ValidationError
from support.import_fixtures import CHATGPT, CLAUDE, sqlite_source


def split(items: object) -> tuple[list[SourceThread], list[ItemProblem]]:
    threads, problems = [], []
    for item in items:  # type: ignore[attr-defined]
        (problems if isinstance(item, ItemProblem) else threads).append(item)
    return threads, problems


def lines(thread: SourceThread) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in thread.messages]


# -- ChatGPT -------------------------------------------------------------------------------------


def test_chatgpt_reads_the_tree_and_reports_the_broken_conversation() -> None:
    threads, problems = split(chatgpt.read(CHATGPT))
    assert [t.title for t in threads] == [
        "Sourdough starter",
        "Escape \x1b]0;pwned\x07 test",
        "Pasta water",
    ]
    assert problems == [
        ItemProblem(
            "conversation 3 (Broken export)",
            "it has no message tree (its 'mapping' is missing or not an object)",
        )
    ]
    sourdough = threads[0]
    assert sourdough.source_id == "c0ffee00-0000-4000-8000-000000000001"
    assert sourdough.created_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert sourdough.current_id == "n-a2"
    by_id = {m.source_id: m for m in sourdough.messages}
    # The hidden system message and the tool's output are left out; the answer after the
    # tool hangs from the question.
    assert set(by_id) == {"n-q1", "n-a1-old", "n-a1", "n-q2-old", "n-a2-old", "n-q2", "n-a2"}
    assert by_id["n-a2"].parent_id == "n-q2"
    assert by_id["n-q1"].parent_id is None
    assert by_id["n-a2"].content == "Keep the kitchen near 24 degrees, like this:\n[image]"
    assert by_id["n-a1-old"].model == "gpt-4"
    assert sourdough.notes == ("2 hidden, tool or non-text messages left out",)
    # Control characters are kept as they were: stored faithfully, shown made harmless.
    assert threads[1].messages[1].content == "\x1b[31mred\x1b[0m and \x1b[2J"


def test_chatgpt_branches_become_versions_and_an_earlier_branch() -> None:
    sourdough = split(chatgpt.read(CHATGPT))[0][0]
    planned = plan(sourdough)
    main, branch = planned.lines
    assert [(m.source.source_id, [v.source_id for v in m.versions]) for m in main.messages] == [
        ("n-q1", []),
        ("n-a1", ["n-a1-old"]),  # the regenerated answer: a version
        ("n-q2", []),
        ("n-a2", []),
    ]
    # The edited question: its first wording and the answer to it, from position 3.
    assert branch.from_seq == 3 and branch.branch_of is main
    assert [m.source.source_id for m in branch.messages] == ["n-q2-old", "n-a2-old"]
    assert main.messages[2].replaced is branch
    assert planned.unplaced == 0


def test_chatgpt_reads_a_zip_and_a_folder(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(CHATGPT, "conversations.json")
        z.writestr("chat.html", "<html></html>")
    assert len(split(chatgpt.read(archive))[0]) == 3
    folder = tmp_path / "unzipped"
    folder.mkdir()
    (folder / "conversations.json").write_bytes(CHATGPT.read_bytes())
    assert len(split(chatgpt.read(folder))[0]) == 3


def test_a_file_cut_short_keeps_every_conversation_before_the_cut(tmp_path: Path) -> None:
    text = CHATGPT.read_text(encoding="utf-8")
    cut = tmp_path / "conversations.json"
    cut.write_text(text[: text.index('"title": "Pasta water"') + 30], encoding="utf-8")
    threads, problems = split(chatgpt.read(cut))
    assert [t.title for t in threads] == ["Sourdough starter", "Escape \x1b]0;pwned\x07 test"]
    assert [p.item for p in problems] == ["conversation 3 (Broken export)", "conversation 4"]
    assert "cut short" in problems[1].message


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        ('{"not": "a list"}', "should be a JSON list"),
        ("", "should be a JSON list"),
    ],
)
def test_not_an_export_is_refused_whole(tmp_path: Path, content: str, refusal: str) -> None:
    path = tmp_path / "conversations.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=refusal):
        list(chatgpt.read(path))
    with pytest.raises(ValidationError, match="There is no"):
        list(chatgpt.read(tmp_path / "missing.json"))


# -- Claude --------------------------------------------------------------------------------------


def test_claude_reads_messages_attachments_and_a_retried_answer() -> None:
    threads, problems = split(claude.read(CLAUDE))
    assert [p.item for p in problems] == ["conversation 3 (Half a chat)"]
    lisbon, cat = threads
    assert lisbon.tree is False
    assert lines(lisbon) == [
        ("user", "Plan two days in Lisbon for me.\n\n[notes.txt]\nLikes trams."),
        ("assistant", "Day one: Alfama and tram 28.\n\nDay two: Belem and its pastries."),
    ]
    assert lisbon.messages[1].model == "claude-3-5-sonnet-20240620"
    assert lisbon.messages[0].created_at == datetime(2024, 6, 1, 9, 0, 10, tzinfo=UTC)
    assert cat.tree is True
    (line,) = plan(cat).lines
    assert [m.source.content for m in line.messages] == [
        "Suggest a name for a grey cat.",
        "Earl Grey.",
    ]
    assert [v.content for v in line.messages[1].versions] == ["Smokey."]


# -- llm -----------------------------------------------------------------------------------------


def test_llm_reads_responses_as_exchanges_with_tokens(tmp_path: Path) -> None:
    threads, problems = split(llm.read(sqlite_source(tmp_path, "llm_logs")))
    assert problems == [
        ItemProblem(
            "conversation 01j1bad0000000000000000000",
            "response 01j1bad0000000000000000001 has no prompt or no response text",
        )
    ]
    tea, lone = threads
    assert tea.title == "Haiku about tea" and tea.model == "gpt-4o-mini"
    assert [m.role for m in tea.messages] == ["system", "user", "assistant", "user", "assistant"]
    first, second = tea.messages[2], tea.messages[4]
    assert (first.tokens_in, first.tokens_out, second.tokens_in, second.tokens_out) == (
        12,
        17,
        40,
        18,
    )
    assert first.created_at == datetime(2024, 7, 1, 12, 0, 0, 123456, tzinfo=UTC)
    # A response logged outside any conversation is a thread of its own.
    assert lone.source_id == "response:01j1one0000000000000000001"
    assert lines(lone) == [("user", "What is a kettle?"), ("assistant", "A pot for boiling water.")]
    assert lone.messages[1].model == "claude-3-haiku"


def test_llm_before_token_counts_were_logged(tmp_path: Path) -> None:
    """llm before 0.19 had no input_tokens/output_tokens columns: read without counts."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE conversations (id TEXT PRIMARY KEY, name TEXT, model TEXT);"
            "CREATE TABLE responses (id TEXT PRIMARY KEY, model TEXT, prompt TEXT, system TEXT,"
            " prompt_json TEXT, options_json TEXT, response TEXT, response_json TEXT,"
            " conversation_id TEXT, duration_ms INTEGER, datetime_utc TEXT);"
            "INSERT INTO conversations VALUES ('c1', 'Old', 'gpt-3.5-turbo');"
            "INSERT INTO responses VALUES ('r1', 'gpt-3.5-turbo', 'hi', NULL, NULL, '{}',"
            " 'hello', NULL, 'c1', 5, '2023-07-12T01:32:51.445453');"
        )
    (thread,) = split(llm.read(path))[0]
    assert lines(thread) == [("user", "hi"), ("assistant", "hello")]
    assert thread.messages[1].tokens_in is None


def test_a_file_that_is_not_the_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "logs.db"
    junk.write_text("this is not a database at all, just text" * 20)
    with pytest.raises(ValidationError, match="not a readable SQLite database"):
        list(llm.read(junk))
    with pytest.raises(ValidationError, match="is not elia's database: it has no chat, message"):
        list(elia.read(sqlite_source(tmp_path, "llm_logs")))


# -- elia and oterm ------------------------------------------------------------------------------


def test_elia_reads_chats_roles_old_and_new_and_archived(tmp_path: Path) -> None:
    threads, problems = split(elia.read(sqlite_source(tmp_path, "elia")))
    assert problems == [ItemProblem("chat 3 (Unreadable)", "none of its messages could be read")]
    regex, old = threads
    assert lines(regex) == [
        ("system", "You are a helpful assistant."),
        ("user", "How do I match an email address?"),
        ("assistant", "Use a library; a regex only gets close."),
    ]
    assert regex.tree is True and regex.current_id == "3"
    assert regex.messages[2].created_at == datetime(2024, 8, 1, 10, 0, 9, tzinfo=UTC)
    assert [m.role for m in old.messages] == ["user", "assistant"]
    assert old.archived is True and regex.archived is False
    # Keyed on the chat's number and what it began with: chat 1 of another machine differs.
    assert regex.source_id.startswith("1:") and len(regex.source_id) == 14


def test_oterm_reads_the_system_prompt_and_notes_images(tmp_path: Path) -> None:
    threads, problems = split(oterm.read(sqlite_source(tmp_path, "oterm")))
    assert problems == [ItemProblem("chat 2 (Robot voices)", "none of its messages could be read")]
    (llama,) = threads
    assert lines(llama) == [
        ("system", "Be brief."),
        ("user", "Why is the sky blue?"),
        ("assistant", "Rayleigh scattering."),
        ("user", "And this photo?"),
    ]
    assert llama.messages[2].model == "llama3.2:latest"
    assert llama.messages[0].created_at is None  # oterm keeps no times
    assert llama.notes == ("1 image not imported",)
