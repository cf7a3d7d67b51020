"""More lean reads (db/lean.py): `prompt list|show`, `provider list`... answer from plain
sqlite3 and print exactly what the ordinary path prints (text and --json), options and
cases included; on PostgreSQL (team mode: the role's own view under row-level security)
the ordinary path answers, with the same output as ever."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from promptterm.db import lean
from promptterm.db.engine import Database
from promptterm.services.facade import Services
from support.cli_in_process import run
from support.cli_process import MigratedSqlite


@pytest.fixture
def seeded(database: Database) -> dict[str, str]:
    """Prompts (modules with options, variables, tags, folders, uses, the trash, a name used
    twice, one shared into a workspace) and providers; the ids the commands name."""
    services = Services.open(database.url)
    try:
        team = services.workspaces.create("Team")
        folder = services.prompts.create_folder("Work")
        old = services.prompts.create_folder("Old")
        review = services.prompts.create(
            "Review",
            description="Reviews \x1b[31mcode\x1b[0m",
            folder_id=folder.id,
            category="Dev",
            tags=["code", "review"],
        )
        tone = services.prompts.add_module(review.id, "Tone", ["Be kind.", "Be blunt.\nVery."])
        services.prompts.add_module(review.id, "Focus", ["Bugs {{lang}}", "Style"])
        hidden = services.prompts.add_module(review.id, "Notes", ["Internal"])
        services.prompts.set_module_visible(hidden.id, False)
        services.prompts.define_variable(review.id, "lang", "choice", choices=["py", "go"])
        services.prompts.define_variable(
            review.id, "depth", "number", min=1, max=5, default=2, required=True
        )
        services.prompts.define_variable(review.id, "extra", "multiline")
        services.prompt_usage.record(
            review.id, "render", options={tone.id: tone.options[1].id}, values={"lang": "py"}
        )
        services.prompt_usage.record(review.id, "copy", values={"lang": "go" * 40})
        services.prompts.create("Alpha", tags=["b", "a"])
        services.prompts.create("Twin", folder_id=folder.id)
        services.prompts.create("Twin")
        gone = services.prompts.create("Gone", folder_id=old.id)
        services.prompts.delete(gone.id)
        services.prompts.delete_folder(old.id)
        shared = services.prompts.create("Shared")
        services.prompts.sharing.share(shared.id, team.id)
        services.providers.add(
            "ollama",
            "openai-compatible",
            base_url="http://localhost:11434/v1",
            default_model="llama3",
            options={"read_timeout": 300},
        )
        services.providers.add("claude", "anthropic", key_env="MY_KEY")
        services.providers.add("openai", "openai-compatible", default_model="gpt-x")
        return {"Review": str(review.id), "Gone": str(gone.id), **_threads(services)}
    finally:
        services.close()


def _threads(services: Services) -> dict[str, str]:
    """A thread with answers of every kind (priced, failed, a tool round, one edited and
    resent whose earlier branch is kept), and an archived one."""
    chat = services.chat
    talk = chat.create_thread(title="Talk")
    branch = chat.create_thread(title="Talk (earlier branch)")
    chat.add_message(branch.id, "user", "First try")
    chat.set_model(talk.id, "openai", "gpt-x")
    chat.add_message(talk.id, "user", "Hello?")
    chat.add_message(
        talk.id,
        "assistant",
        "Hi \x1b[31mthere\x1b[0m.",
        tokens_in=12,
        tokens_out=5,
        provider="openai",
        model="gpt-x",
        cost_usd=Decimal("0.001234"),
        meta={"usage": "reported", "finish_reason": "stop", "internal": "not exported"},
    )
    chat.add_message(
        talk.id,
        "user",
        "Second try",
        meta={"edited": {"previous_content": "First try", "branch_thread_id": str(branch.id)}},
    )
    chat.add_message(
        talk.id,
        "assistant",
        "",
        status="error",
        tokens_in=3,
        tokens_estimated=True,
        meta={"error": {"message": "rate limited"}},
        tool={"calls": [{"id": "c1", "label": "fs:read", "arguments": {"path": "a"}}]},
    )
    old = chat.create_thread(title="Old")
    chat.add_message(old.id, "user", "Long ago")
    chat.archive(old.id)
    return {"Talk": str(talk.id), "Talk8": str(talk.id)[:8], "Old8": str(old.id)[:8]}


@contextmanager
def _no_lean(_url: str, _now: Any = None) -> Iterator[None]:
    yield None


COMMANDS = [
    ("prompt", "list"),
    ("prompt", "list", "--json"),
    ("prompt", "list", "--sort", "most_used"),
    ("prompt", "list", "--sort", "recent", "--json"),
    ("prompt", "list", "--trash"),
    ("prompt", "list", "--trash", "--json"),
    ("prompt", "show", "Review"),
    ("prompt", "show", "Review", "--json"),
    ("prompt", "show", "Alpha"),
    ("prompt", "show", "{Review}", "--json"),
    ("prompt", "show", "{Gone}"),
    ("provider", "list"),
    ("provider", "list", "--json"),
    ("db", "info"),
    ("db", "info", "--json"),
    ("chat", "show", "{Talk}"),
    ("chat", "show", "{Talk}", "--json"),
    ("chat", "show", "{Talk8}", "--last", "2"),
    ("chat", "show", "{Talk8}", "--last", "0", "--json"),
    ("chat", "show", "{Old8}"),
    # What a completion script asks on every tab.
    *(
        ("__complete", kind)
        for kind in ("workspaces", "projects", "presets", "threads", "components")
    ),
]
# Answered by the services on SQLite too: what the lean read leaves them.
DECLINED = [
    ("prompt", "list", "--folder", "Work"),
    ("prompt", "list", "--tag", "code", "--json"),
    ("prompt", "list", "--category", "dev"),
    ("prompt", "show", "Twin"),
    ("prompt", "show", "Twin", "--folder", "Work"),
    ("prompt", "show", "Nope"),
    ("prompt", "show", "Shared"),
    ("prompt", "show", "{missing}"),
    ("chat", "show", "zz"),
    ("chat", "show", "{missing}"),
]


def _same_moment(answer: tuple[int, str, str]) -> tuple[int, str, str]:
    """An export says when it was made: the one thing two runs may differ in."""
    code, out, err = answer
    return code, re.sub(r'"exported_at": "[^"]+"', '"exported_at": "…"', out), err


def _argv(argv: tuple[str, ...], seeded: dict[str, str]) -> tuple[str, ...]:
    missing = str(uuid.UUID(int=7))
    return tuple(a.format(missing=missing, **seeded) for a in argv)


def test_lean_reads_print_what_the_ordinary_path_prints(
    capsys: pytest.CaptureFixture[str],
    database: Database,
    db_backend: str,
    seeded: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = database.url
    commands = [_argv(argv, seeded) for argv in COMMANDS + DECLINED]
    with monkeypatch.context() as patch:
        patch.setattr(lean, "open_lean", _no_lean)
        ordinary = [run(capsys, url, *argv) for argv in commands]

    opened: list[tuple[str, ...]] = []
    real_open = Services.open
    now: tuple[str, ...] = ()

    def counted(*args: Any, **kwargs: Any) -> Services:
        opened.append(now)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Services, "open", counted)
    answered = []
    for argv in commands:
        now = argv
        answered.append(run(capsys, url, *argv))
    for argv, want, got in zip(commands, ordinary, answered, strict=True):
        assert _same_moment(got) == _same_moment(want), argv
    lean_answered = [argv for argv in commands if argv not in opened]
    if db_backend == "sqlite":
        assert lean_answered == commands[: len(COMMANDS)]
    else:  # team mode: never the lean read, always the role's own view
        assert lean_answered == []

    # What was compared says something: the data, its escapes, the orders, the errors.
    completed = dict(zip(commands, ordinary, strict=True))
    assert completed[("__complete", "workspaces")][1] == "team\tTeam\n"
    assert completed[("__complete", "threads")][1].count("\n") >= 2
    listed = [line.split()[0] for line in ordinary[0][1].splitlines()[2:]]
    assert listed == ["Alpha", "Review", "Shared", "Twin", "Twin"]
    assert ordinary[2][1].splitlines()[2].split()[0] == "Review"  # the most used
    assert json.loads(ordinary[3][1])[0]["name"] == "Shared"  # changed last
    assert ordinary[4][1].splitlines()[2].split()[:2] == ["Gone", "Old"]  # a trashed folder
    review = json.loads(ordinary[7][1])
    assert review["description"] == "Reviews \x1b[31mcode\x1b[0m"
    assert "\\u001b[31m" in ordinary[7][1] and "^[[31m" in ordinary[6][1]
    assert [m["name"] for m in review["modules"]] == ["Tone", "Focus", "Notes"]
    assert [o["content"] for o in review["modules"][0]["options"]] == [
        "Be kind.",
        "Be blunt.\nVery.",
    ]
    assert [v["name"] for v in review["variables"]] == ["lang", "depth", "extra"]
    assert [(u["action"], u["options"]) for u in review["recent_uses"]] == [
        ("copy", {"Tone": "Option 1", "Focus": "Option 1"}),
        ("render", {"Tone": "Option 2", "Focus": "Option 1"}),
    ], review["recent_uses"]
    assert "tags code, review; used 2 times" in ordinary[6][1]
    assert "(hidden)" in ordinary[6][1] and "Recent uses:" in ordinary[6][1]
    assert ordinary[10][0] == 0 and "# Gone" in ordinary[10][1]  # by id, from the trash
    providers = json.loads(ordinary[12][1])
    assert [(p["name"], p["is_local"]) for p in providers] == [
        ("claude", False),
        ("ollama", True),
        ("openai", False),
    ]
    assert "none (local)" in ordinary[11][1] and "$MY_KEY" in ordinary[11][1]
    info = json.loads(ordinary[14][1])
    assert (info["dialect"], info["up_to_date"]) == (database.dialect, True)
    assert info["user"] and info["url"] in ordinary[13][1]
    talk = json.loads(ordinary[16][1])
    assert talk["exported_at"] and talk["thread"]["cost_usd"] == "0.001234"
    assert [m["status"] for m in talk["messages"]] == ["complete"] * 3 + ["error"]
    assert "internal" not in talk["messages"][1] and talk["messages"][3]["tool"]
    assert [b["title"] for b in talk["branches"]] == ["Talk (earlier branch)"]
    assert "^[[31m" in ordinary[15][1] and "$0.001234" in ordinary[15][1]
    assert "(the last 2 of 4 messages)" in ordinary[17][1]
    assert json.loads(ordinary[18][1])["messages"]  # --json is the whole export
    assert "Old" in ordinary[19][1] and "[archived]" in ordinary[19][1]
    declined = ordinary[len(COMMANDS) :]
    assert [line.split()[0] for line in declined[0][1].splitlines()[2:]] == ["Review", "Twin"]
    assert "Several prompts are named 'Twin'" in declined[3][2]
    assert declined[4][0] == 0 and "# Twin" in declined[4][1]
    assert declined[5][2] == "promptterm: You have no prompt named 'Nope'.\n"
    assert "shared with Team" in declined[6][1]
    assert "is not a thread id" in declined[8][2] and "does not exist" in declined[9][2]


def test_db_info_leaves_a_url_sqlalchemy_would_render_otherwise_to_the_services(
    capsys: pytest.CaptureFixture[str],
    migrated_sqlite: MigratedSqlite,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = migrated_sqlite(tmp_path / "team@home" / "cli.db")
    Services.open(url).close()  # the local user and their subscription: a lean start
    with lean.open_lean(url) as read:
        assert read is not None
    opened: list[str] = []
    real_open = Services.open

    def counted(*args: Any, **kwargs: Any) -> Services:
        opened.append("open")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Services, "open", counted)
    code, out, err = run(capsys, url, "db", "info", "--json")
    assert (code, err, opened) == (0, "", ["open"])
    assert json.loads(out)["url"].endswith("/team%40home/cli.db")  # as SQLAlchemy renders it
