"""The scriptable CLI: the same services, human output and --json, clear errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli_in_process import run, run_json


def test_preset_show_prints_the_composed_prompt_of_a_cli_made_preset(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    style = tmp_path / "style.md"
    style.write_text("Use professional, concise language.\n", encoding="utf-8")
    assert (
        run(
            capsys,
            url,
            "component",
            "add",
            "role",
            "Marketing Expert",
            "--content",
            "You are a marketing expert.",
        )[0]
        == 0
    )
    assert (
        run(capsys, url, "component", "add", "style", "Professional B2B", "--file", str(style))[0]
        == 0
    )
    assert (
        run(capsys, url, "component", "add", "mode", "Ship Mode", "-c", "Focus on execution.")[0]
        == 0
    )
    assert (
        run(
            capsys,
            url,
            "preset",
            "add",
            "LinkedIn Pro",
            "--role",
            "Marketing Expert",
            "--style",
            "Professional B2B",
            "--mode",
            "Ship Mode",
        )[0]
        == 0
    )

    shown = run_json(capsys, url, "preset", "show", "LinkedIn Pro")
    assert shown["text"] == (
        "You are a marketing expert.\n\nUse professional, concise language.\n\nFocus on execution."
    )
    assert shown["parts"] == [
        ["role", "Marketing Expert"],
        ["style", "Professional B2B"],
        ["mode", "Ship Mode"],
    ]
    assert shown["token_estimate"] > 0

    code, out, _ = run(capsys, url, "preset", "show", "LinkedIn Pro")
    assert code == 0 and out.startswith("You are a marketing expert.")


def test_workspace_and_project_commands(capsys: pytest.CaptureFixture[str], url: str) -> None:
    created = run_json(capsys, url, "workspace", "create", "Acme Corp")
    assert created["slug"] == "acme-corp" and created["role"] == "owner"
    project = run_json(
        capsys, url, "project", "create", "Web App", "-w", "acme-corp", "--language", "python"
    )
    assert project["workspace_name"] == "Acme Corp"
    listed = run_json(capsys, url, "project", "list", "-w", "Acme Corp")
    assert [p["slug"] for p in listed] == ["web-app"]
    code, out, _ = run(capsys, url, "workspace", "list")
    assert code == 0 and "acme-corp" in out and "owner" in out


def test_component_edit_and_rm_report_incomplete_presets(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    run(capsys, url, "component", "add", "role", "Writer", "-c", "You write.")
    run(capsys, url, "component", "add", "mode", "Fast", "-c", "Be quick.")
    run(capsys, url, "preset", "add", "Quick", "--role", "Writer", "--mode", "Fast")
    edited = run_json(capsys, url, "component", "edit", "Writer", "--content", "You write well.")
    assert edited["content"] == "You write well."
    removed = run_json(capsys, url, "component", "rm", "Fast")
    assert removed["incomplete_presets"] == ["Quick"]
    [preset] = run_json(capsys, url, "preset", "list")
    assert preset["is_incomplete"] is True
    assert preset["warning"] == "Preset incomplete: Mode component missing"


@pytest.mark.usefixtures("fixed_clock")  # `usage` shows the period
def test_usage_reports_every_limit(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run(capsys, url, "component", "add", "role", "Writer", "-c", "You write.")
    usage = run_json(capsys, url, "usage")
    assert usage["plan"]["slug"] == "free"
    lines = {line["key"]: line for line in usage["lines"]}
    assert lines["max_components"]["used"] == 1 and lines["max_components"]["limit"] == 20
    assert lines["tokens_per_month"]["limit"] == 50_000
    assert set(lines) == {
        "tokens_per_month",
        "max_components",
        "max_presets",
        "max_projects",
        "storage_mb",
    }
    run(capsys, url, "billing", "plan", "set", "pro")
    usage = run_json(capsys, url, "usage")
    assert usage["plan"]["slug"] == "pro"
    assert {line["key"]: line["limit"] for line in usage["lines"]}["max_presets"] is None


def test_errors_are_one_clear_line_and_a_nonzero_exit(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, err = run(capsys, url, "component", "add", "role", "x" * 101, "-c", "text")
    assert code == 1 and out == ""
    assert err.strip() == "promptterm: Name is 101 characters; the most allowed is 100."
    code, _, err = run(capsys, url, "preset", "show", "Nope")
    assert code == 1 and "no preset named 'Nope'" in err
    code, _, err = run(capsys, url, "preset", "add", "Empty")
    assert code == 1 and "at least one component" in err


def test_a_database_that_cannot_be_opened_exits_2_before_anything(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "postgresql://me@127.0.0.1:1/none", "workspace", "list")
    assert code == 2 and out == ""
    assert "Cannot open the database" in err and "Traceback" not in err


def test_db_info_and_upgrade(capsys: pytest.CaptureFixture[str], url: str) -> None:
    info = run_json(capsys, url, "db", "info")
    assert info["dialect"] == "sqlite" and info["up_to_date"] is True
    assert run_json(capsys, url, "db", "upgrade")["revision"] == info["head"]


def test_the_console_entry_point_and_python_m_work(tmp_path: Path) -> None:
    env_url = f"sqlite:///{tmp_path / 'm.db'}"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "promptterm",
            "--database-url",
            env_url,
            "workspace",
            "list",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_demo_loads_once_and_again_adds_nothing(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, _ = run(capsys, url, "demo")
    assert code == 0
    assert out == "Loaded the demo workspace Demo (demo). Open it with: promptterm\n"
    again = run_json(capsys, url, "demo")
    assert isinstance(again, dict)
    assert again["created"] is False
    assert again["workspace"]["slug"] == "demo"
    workspaces = run_json(capsys, url, "workspace", "list")
    projects = run_json(capsys, url, "project", "list")
    assert [w["slug"] for w in workspaces] == ["demo"]  # type: ignore[union-attr]
    assert len(projects) == 2  # type: ignore[arg-type]
    code, out, _ = run(capsys, url, "demo")
    assert "already loaded" in out


def test_every_option_of_every_command_says_what_it_does() -> None:
    import argparse

    from promptterm.cli.main import build_parser

    def silent(parser: argparse.ArgumentParser, path: str) -> list[str]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found += silent(sub, f"{path} {name}")
            elif action.option_strings and not action.help:
                found.append(f"{path} {action.option_strings[-1]}")
        return found

    assert silent(build_parser(), "promptterm") == []
    ask = build_parser()._subparsers._group_actions[0].choices["ask"]  # type: ignore[union-attr]
    assert "provider entry" in ask.format_help()
