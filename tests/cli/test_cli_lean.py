"""The lean reads (db/lean.py): `workspace list` and `preset show` answer from plain sqlite3,
without opening the services, and print exactly what the ordinary path prints; a start
that has work to do first (an answer to close, trash to purge, a schema to upgrade) takes
the ordinary path, so nothing a start does is skipped."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from promptterm.db import lean
from promptterm.services.facade import Services
from support.cli_in_process import run
from support.clock import DEFAULT_NOW


@pytest.fixture
def seeded(url: str) -> dict[str, str]:
    """Two workspaces (one with projects), a complete preset and one whose context
    component was deleted; the presets' ids by name."""
    services = Services.open(url)
    try:
        acme = services.workspaces.create("Acme", description="The \x1b[31mred\x1b[0m one")
        beta = services.workspaces.create("beta")
        services.projects.create(acme.id, "Site")
        services.projects.create(beta.id, "site")  # the same name but for case: by id
        services.projects.create(acme.id, "App")
        role = services.components.create("role", "Expert", "You are an expert.")
        style = services.components.create("style", "Terse", "Be brief.")
        context = services.components.create("context", "Startup", "We are small.")
        full = services.presets.create("Full", role=role.id, style=style.id)
        broken = services.presets.create("Broken", role=role.id, context=context.id)
        services.components.delete(context.id)
        sage = services.components.create("role", "Sage", "You are wise.", "Old", ["wise", "old"])
        services.components.create("role", "Twin", "One.")
        services.components.create("style", "Twin", "Two.")
        spare = services.presets.create("Spare", style=style.id)
        for _ in range(2):
            services.presets.record_use(full.id)
        services.presets.record_use(spare.id)
        services.chat.create_thread(title="Hello")
        clock_later = services.chat.create_thread(title="Later")
        services.chat.set_model(clock_later.id, "openai", "gpt-x")
        services.chat.set_preset(clock_later.id, full.id)
        services.chat.archive(services.chat.create_thread(title="Old").id)
        # One used long ago, so "recent" has a used one, one used earlier, and one never.
        with sqlite3.connect(lean.sqlite_file(url) or "") as conn:
            conn.execute(
                "UPDATE presets SET last_used_at = '2020-01-01 00:00:00.000000' WHERE name = ?",
                ("Full",),
            )
            conn.execute(  # App opened long ago, the others never
                "UPDATE projects SET last_accessed_at = CASE name "
                "WHEN 'App' THEN '2020-01-01 00:00:00.000000' END"
            )
        return {"Full": str(full.id), "Broken": str(broken.id), "Sage": str(sage.id)}
    finally:
        services.close()


@contextmanager
def _no_lean(_url: str, _now: Any = None) -> Iterator[None]:
    yield None


def test_lean_reads_print_what_the_ordinary_path_prints(
    capsys: pytest.CaptureFixture[str],
    url: str,
    seeded: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    commands = [
        ("workspace", "list"),
        ("workspace", "list", "--json"),
        ("preset", "show", "Full"),
        ("preset", "show", "Full", "--json"),
        ("preset", "show", "Broken", "--json"),
        ("preset", "show", "Broken"),
        ("preset", "show", seeded["Full"], "--json"),
        ("preset", "show", "Nope"),
        ("preset", "show", str(uuid.uuid4())),
        ("component", "list"),
        ("component", "list", "--json"),
        ("component", "list", "--type", "role", "--sort", "name", "--json"),
        ("component", "list", "--sort", "recent"),
        ("component", "list", "--type", "mode"),
        ("preset", "list"),
        ("preset", "list", "--json"),
        ("preset", "list", "--sort", "recent", "--json"),
        ("preset", "list", "--sort", "name"),
        ("chat", "list"),
        ("chat", "list", "--json"),
        ("chat", "list", "--limit", "1"),
        ("chat", "list", "--archived", "--json"),
        ("project", "list"),
        ("project", "list", "--json"),
        ("component", "show", "Sage"),
        ("component", "show", "Sage", "--json"),
        ("component", "show", "Terse", "--type", "style"),
        ("component", "show", "Twin"),
        ("component", "show", "Twin", "--type", "style"),
        ("component", "show", "Nope", "--type", "role"),
        ("component", "show", seeded["Sage"]),
        ("component", "show", str(uuid.uuid4())),
    ]
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
        assert got == want, argv
    # The lean path answers all but the refusals, which the services say (and log).
    assert opened == [commands[i] for i in (7, 8, 27, 29, 31)]
    # What was compared says something: the data, its escapes, the errors.
    assert "Acme" in ordinary[0][1] and "\\u001b[31m" in ordinary[1][1]
    assert "Preset incomplete: Context component missing" in ordinary[4][1]
    assert ordinary[7] == (1, "", "promptterm: You have no preset named 'Nope'.\n")
    sage = [c for c in json.loads(ordinary[10][1]) if c["name"] == "Sage"]
    assert [(c["tags"], c["description"]) for c in sage] == [(["wise", "old"], "Old")]
    assert ordinary[13][1].startswith("No components yet")
    listed = [line.split()[0] for line in ordinary[14][1].splitlines()[2:]]
    assert listed == ["Full", "Spare", "Broken"]  # the most used first
    recent = [p["name"] for p in json.loads(ordinary[16][1])]
    assert recent == ["Spare", "Full", "Broken"]  # never used last
    threads = json.loads(ordinary[19][1])
    assert [(t["title"], t["model"]) for t in threads] == [("Later", "gpt-x"), ("Hello", None)]
    assert threads[0]["preset_history"][0]["preset_name"] == "Full"
    assert len(ordinary[20][1].splitlines()) == 3  # a header, its rule, one thread
    assert [t["title"] for t in json.loads(ordinary[21][1])] == ["Old"]
    projects = [(p["workspace_name"], p["name"]) for p in json.loads(ordinary[23][1])]
    assert projects[0] == ("Acme", "App")  # opened; then the others by name
    assert sorted(projects[1:]) == [("Acme", "Site"), ("beta", "site")]
    assert ordinary[24][1] == "# role: Sage\n# Old\n# tags: wise, old\nYou are wise.\n"
    assert ordinary[27][2] == (
        "promptterm: 'Twin' is the name of several components (role, style); give the type.\n"
    )
    assert "Twin" in ordinary[28][1] and ordinary[30] == ordinary[24]
    assert ordinary[29][2] == "promptterm: You have no role component named 'Nope'.\n"
    assert "does not exist" in ordinary[31][2]


@pytest.mark.parametrize(
    ("argv", "first"),
    [
        # Matching names and descriptions "in any case" is the service's.
        (("component", "list", "--search", "EXP"), ["role", "Expert"]),
        # Finding the workspace by slug or name and checking the user's role in it too.
        (("project", "list", "--workspace", "acme"), ["Acme", "app"]),
    ],
    ids=["component search", "project list of a workspace"],
)
def test_what_a_lean_read_leaves_to_the_services_they_answer(
    capsys: pytest.CaptureFixture[str],
    url: str,
    seeded: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    first: list[str],
) -> None:
    """The lean read declines an option it does not know, before printing anything, and
    the ordinary path answers."""
    opened: list[str] = []
    real_open = Services.open

    def counted(*args: Any, **kwargs: Any) -> Services:
        opened.append("open")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Services, "open", counted)
    code, out, err = run(capsys, url, *argv)
    assert (code, err, opened) == (0, "", ["open"])
    assert [line.split()[:2] for line in out.splitlines()[2:]][:1] == [first]


def test_an_answer_left_streaming_is_closed_by_a_read_as_by_any_start(
    capsys: pytest.CaptureFixture[str], url: str, seeded: dict[str, str]
) -> None:
    services = Services.open(url)
    try:
        thread = services.chat.create_thread(title="Stalled")
        services.chat.add_message(thread.id, "user", "Hello?")
        services.chat.add_message(thread.id, "assistant", "Half an ans", status="streaming")
    finally:
        services.close()

    assert run(capsys, url, "workspace", "list")[0] == 0

    services = Services.open(url)
    try:
        statuses = [m.status for m in services.chat.messages(thread.id)]
    finally:
        services.close()
    assert "streaming" not in statuses


def test_trash_due_for_purging_is_purged_by_a_read_as_by_any_start(
    capsys: pytest.CaptureFixture[str], url: str, seeded: dict[str, str]
) -> None:
    long_ago = DEFAULT_NOW - timedelta(days=100)  # and so more than 30 days before today
    services = Services.open(url, clock=lambda: long_ago)
    try:
        prompt = services.prompts.create("Old draft")
        services.prompts.delete(prompt.id)
    finally:
        services.close()

    assert run(capsys, url, "preset", "show", "Full")[0] == 0

    services = Services.open(url)
    try:
        assert services.prompts.summaries(trash=True) == []
    finally:
        services.close()


def _database_file(url: str) -> Path:
    file = lean.sqlite_file(url)
    assert file is not None
    return file


def test_the_lean_read_declines_a_database_the_ordinary_start_must_see_first(
    url: str, seeded: dict[str, str]
) -> None:
    file = _database_file(url)
    with lean.open_lean(url) as read:
        assert read is not None  # the seeded database itself is ready
    with lean.open_lean(url + "?mode=ro") as read:
        assert read is None  # options: SQLAlchemy's to interpret
    with lean.open_lean(f"sqlite:///{file.parent / 'missing.db'}") as read:
        assert read is None
        assert not (file.parent / "missing.db").exists()
    with sqlite3.connect(file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001_core_schema'")
    with lean.open_lean(url) as read:
        assert read is None  # to be upgraded


def test_the_trash_age_is_the_same_in_the_lean_check_and_the_library() -> None:
    from promptterm.services.library.prompts import TRASH_DAYS

    assert lean.TRASH_DAYS == TRASH_DAYS


def test_the_app_s_early_read_gives_the_name_and_workspaces_or_waits_for_the_start(
    url: str, seeded: dict[str, str]
) -> None:
    """What the explorer shows before the services open (ui/explorer/load.py): the user's
    workspaces as ``workspace list`` has them; nothing while the start has work to do."""
    from promptterm.services.workspaces import early_explorer

    services = Services.open(url)
    try:
        early = early_explorer(url)
        assert early is not None
        assert early.user_name == services.user.display_name
        assert early.workspaces == services.workspaces.list()
        thread = services.chat.create_thread(title="Stalled")
        services.chat.add_message(thread.id, "assistant", "Half an ans", status="streaming")
    finally:
        services.close()
    assert early_explorer(url) is None  # the start closes that answer first


def test_a_lean_read_that_fails_in_sqlite_is_answered_by_the_ordinary_path(
    capsys: pytest.CaptureFixture[str],
    url: str,
    seeded: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import promptterm.services.workspaces as workspaces

    def locked(_read: lean.LeanRead) -> list[object]:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(workspaces, "lean_workspace_list", locked)
    code, out, err = run(capsys, url, "workspace", "list")
    assert (code, err) == (0, "")
    assert "Acme" in out and "beta" in out
