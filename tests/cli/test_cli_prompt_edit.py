"""A modular prompt built, refined, versioned and reused from scripts (issue 15): every
`promptterm prompt` edit verb, with --json, and the refusals people meet."""

from __future__ import annotations

import json
from typing import Any

import pytest

from promptterm.services.facade import Services
from support.cli_in_process import run
from support.clock import FixedClock


def ok(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> Any:
    code, out, err = run(capsys, url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def _built(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, Any]:
    ok(capsys, url, "prompt", "create", "Review", "-d", "Reviews code", "--category", "Coding")
    ok(capsys, url, "prompt", "module", "add", "Review", "Role", "-o", "You review {{lang}}.")
    tone = ("-o", "Be kind.", "-o", "Be blunt.")
    ok(capsys, url, "prompt", "module", "add", "Review", "Tone", *tone)
    return ok(
        capsys, url, "prompt", "var", "add", "Review", "lang", "-t", "choice",
        "--choice", "go", "--choice", "python", "--default", "go",
    )  # fmt: skip


def test_create_rename_describe_move_category_tag_and_rm(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    made = ok(capsys, url, "prompt", "create", "Draft", "--tag", "Work", "--category", "Writing")
    assert (made["name"], made["version"], made["tags"]) == ("Draft", 1, ["work"])
    code, out, _ = run(capsys, url, "prompt", "rename", "Draft", "Final")
    assert code == 0 and out == "Renamed 'Draft' to 'Final' ('Final' is now v2).\n"
    assert ok(capsys, url, "prompt", "describe", "Final", "Short.")["description"] == "Short."
    services = Services.open(url)
    services.prompts.create_folder("Work")
    services.close()
    assert ok(capsys, url, "prompt", "move", "Final", "Work")["folder_id"] is not None
    assert ok(capsys, url, "prompt", "move", "Final")["folder_id"] is None
    assert ok(capsys, url, "prompt", "category", "Final")["category"] is None
    assert ok(capsys, url, "prompt", "tag", "Final", "a", "b")["tags"] == ["a", "b"]
    assert [p["name"] for p in ok(capsys, url, "prompt", "list", "--tag", "a")] == ["Final"]
    assert ok(capsys, url, "prompt", "rm", "Final")["trashed"] is True
    assert [p["name"] for p in ok(capsys, url, "prompt", "list", "--trash")] == ["Final"]


def test_modules_options_and_variables(capsys: pytest.CaptureFixture[str], url: str) -> None:
    info = _built(capsys, url)
    assert [m["name"] for m in info["modules"]] == ["Role", "Tone"]
    info = ok(capsys, url, "prompt", "module", "move", "Review", "Tone", "1")
    assert [(m["name"], m["order_index"]) for m in info["modules"]] == [("Tone", 0), ("Role", 1)]
    info = ok(capsys, url, "prompt", "module", "edit", "Review", "2", "--name", "Ask", "--hide")
    assert (info["modules"][1]["name"], info["modules"][1]["visible"]) == ("Ask", False)
    ok(capsys, url, "prompt", "module", "edit", "Review", "Ask", "--show")
    info = ok(capsys, url, "prompt", "option", "add", "Review", "Tone", "Be funny.", "--name=Fun")
    assert [o["name"] for o in info["modules"][0]["options"]] == ["Option 1", "Option 2", "Fun"]
    ok(capsys, url, "prompt", "option", "default", "Review", "Tone", "Fun")
    ok(capsys, url, "prompt", "option", "edit", "Review", "Tone", "Fun", "-c", "Be witty.")
    code, out, _ = run(capsys, url, "prompt", "option", "rm", "Review", "Tone", "Fun")
    assert code == 0 and "'Option 1' is the default now" in out
    ok(capsys, url, "prompt", "var", "edit", "Review", "lang", "--choice", "go", "--choice", "rust")
    rename = ("--rename", "language", "--rename-uses")
    code, out, _ = run(capsys, url, "prompt", "var", "edit", "Review", "lang", *rename)
    assert code == 0 and "Renamed {{lang}} to {{language}} and its uses" in out
    code, out, _ = run(capsys, url, "prompt", "render", "Review")
    assert out == "Be kind.\n\nYou review go.\n"
    info = ok(capsys, url, "prompt", "module", "rm", "Review", "Ask")
    info = ok(capsys, url, "prompt", "var", "rm", "Review", "language")
    assert info["variables"] == [] and [m["name"] for m in info["modules"]] == ["Tone"]


def test_history_diff_and_restore(capsys: pytest.CaptureFixture[str], url: str) -> None:
    _built(capsys, url)  # v4
    ok(capsys, url, "prompt", "option", "edit", "Review", "Tone", "1", "-c", "Be gentle.")
    history = ok(capsys, url, "prompt", "history", "Review")
    assert [(h["version"], h["current"], h["modules"]) for h in history] == [
        (5, True, 2),
        (4, False, 2),
        (3, False, 2),
        (2, False, 1),
        (1, False, 0),
    ]
    code, out, _ = run(capsys, url, "prompt", "diff", "Review", "v4")
    assert code == 0 and "-Be kind.\n+Be gentle.\n" in out
    assert ok(capsys, url, "prompt", "diff", "Review", "4", "4")["diff"] == ""
    restored = ok(capsys, url, "prompt", "restore", "Review", "4", "--expect-version", "5")
    assert restored["version"] == 6
    code, out, _ = run(capsys, url, "prompt", "render", "Review")
    assert out == "You review go.\n\nBe kind.\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("rename", "Review", "x" * 256), "the most allowed is 255"),
        (("rename", "Review", "New", "--expect-version", "1"), "you started from v1, it is now v4"),
        (("module", "add", "Review", "Big", "-o", "x" * 20001), "the most allowed is 20000"),
        (("module", "rm", "Review", "Outro"), "has no module 'Outro'; its modules: Role, Tone"),
        (("module", "move", "Review", "Role", "3"), "Position 3 is out of range"),
        (("option", "rm", "Review", "Role", "1"), "is the only option of 'Role'"),
        (("option", "default", "Review", "Tone", "7"), "number from 1 to 2"),
        (("var", "add", "Review", "lang"), "already has a variable 'lang'"),
        (("var", "edit", "Review", "lang", "--rename", "l2"), "is used in 'Role'"),
        (("var", "rm", "Review", "lang"), "still used in 'Role'"),
        (("var", "add", "Review", "n", "-t", "number", "--min", "5", "--max", "1"), "above max"),
        (("restore", "Review", "v9"), "has no version 9"),
        (("diff", "Review", "latest"), "not a version"),
        (("rm", "Review", "--expect-version", "2"), "is at v4, not v2"),
    ],
)
def test_refusals_say_what_is_wrong(
    capsys: pytest.CaptureFixture[str], url: str, argv: tuple[str, ...], message: str
) -> None:
    _built(capsys, url)
    code, out, err = run(capsys, url, "prompt", *argv)
    # A stale version or a name already taken is a conflict (exit status 4); the rest, 1.
    conflict = "--expect-version" in argv or "already has" in message
    assert code == (4 if conflict else 1) and out == "" and message in err
    assert ok(capsys, url, "prompt", "show", "Review")["version"] == 4  # nothing changed


def test_render_is_recorded_and_show_lists_recent_uses(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    _built(capsys, url)
    run(capsys, url, "prompt", "render", "Review", "--var", "lang=python", "--option", "Tone=2")
    shown = ok(capsys, url, "prompt", "show", "Review")
    assert shown["usage_count"] == 1
    [use] = shown["recent_uses"]
    assert (use["action"], use["options"], use["values"]) == (
        "render",
        {"Role": "Option 1", "Tone": "Option 2"},
        {"lang": "python"},
    )
    _, out, _ = run(capsys, url, "prompt", "show", "Review")
    assert "Recent uses:" in out and "render  Role=Option 1, Tone=Option 2" in out


def test_every_start_empties_what_the_trash_held_for_30_days(
    capsys: pytest.CaptureFixture[str], url: str, fixed_clock: FixedClock
) -> None:
    ok(capsys, url, "prompt", "create", "Old")
    ok(capsys, url, "prompt", "create", "Recent")
    ok(capsys, url, "prompt", "rm", "Old")
    fixed_clock.advance(days=20)
    ok(capsys, url, "prompt", "rm", "Recent")
    fixed_clock.advance(days=10, seconds=1)  # Old: 30 days and a second; Recent: 10 days
    assert [p["name"] for p in ok(capsys, url, "prompt", "list", "--trash")] == ["Recent"]
    fixed_clock.advance(days=20)
    assert ok(capsys, url, "prompt", "list", "--trash") == []


def test_a_prompt_filed_under_a_project(capsys: pytest.CaptureFixture[str], url: str) -> None:
    ok(capsys, url, "workspace", "create", "Acme")
    ok(capsys, url, "project", "create", "Web app", "--workspace", "acme")
    ok(capsys, url, "prompt", "create", "Deploy")
    ok(capsys, url, "prompt", "create", "Other")
    filed = ok(capsys, url, "prompt", "project", "Deploy", "web-app")
    assert filed["project_id"] is not None
    listed = ok(capsys, url, "prompt", "list", "--project", "Web app")
    assert [p["name"] for p in listed] == ["Deploy"]
    code, _, err = run(capsys, url, "prompt", "project", "Other", "nowhere")
    assert code == 1 and "No project 'nowhere'" in err
    assert ok(capsys, url, "prompt", "project", "Deploy")["project_id"] is None
