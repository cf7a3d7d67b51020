"""`promptterm code explain|refactor|generate|analyze FILE[:LINES]` and `code apply|discard`:
the real CLI entry point, a SQLite file, a bound folder and the local LLM server over
loopback HTTP. The answer streams, a change prints as a diff and `--apply` keeps it (on disk
too); a stale file, an answer that is no change and a provider error exit with their codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptterm.cli import exit_codes
from promptterm.cli.commands_code import split_target
from promptterm.cli.main import main
from support.llm_server import LLMServer, Script

SOURCE = "def add(a, b):\n    return a+b\n\n\ndef main():\n    print(add(1, 2))\n"
REFACTOR = "```python\ndef add(a: int, b: int) -> int:\n    return a + b\n```\nTyped it."


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def app(
    capsys: pytest.CaptureFixture[str],
    url: str,
    llm: LLMServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    (root / "calc.py").write_text(SOURCE)
    code, _, err = run(
        capsys, url, "provider", "add", "local", "--kind", "openai-compatible",
        "--base-url", llm.openai_url, "--model", "test-model",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = run(capsys, url, "open", str(root), "--no-ui")
    assert code == 0, err
    monkeypatch.chdir(root)
    return root


def test_targets_split_into_file_and_lines() -> None:
    assert split_target("app.py:10-30") == ("app.py", "10-30")
    assert split_target("app.py:7") == ("app.py", "7")
    assert split_target("C:/x/app.py") == ("C:/x/app.py", None)


def test_explain_streams_the_answer_and_says_what_it_cost(
    capsys: pytest.CaptureFixture[str], url: str, llm: LLMServer, app: Path
) -> None:
    llm.push(Script(text="It adds\x1b[2J two numbers."))
    code, out, err = run(capsys, url, "code", "explain", "calc.py:1-2")
    assert code == 0, err
    assert out == "It adds^[[2J two numbers.\n"  # a control in the answer is shown, not obeyed
    assert "explain · test-model ·" in err and "tokens" in err
    assert "lines 1-2" in llm.requests[-1].body["messages"][-1]["content"]


def test_refactor_prints_a_diff_and_apply_keeps_it_on_disk(
    capsys: pytest.CaptureFixture[str], url: str, llm: LLMServer, app: Path
) -> None:
    llm.push(Script(text=REFACTOR))
    code, out, err = run(capsys, url, "code", "refactor", "calc.py:1-2")
    assert code == 0, err
    assert "-    return a+b\n+def add(a: int, b: int) -> int:\n+    return a + b\n" in out
    assert (app / "calc.py").read_text() == SOURCE  # shown, not applied
    job = err.split("promptterm code apply ")[1].strip()
    code, out, err = run(capsys, url, "code", "apply", job)
    assert (code, out) == (0, "Applied to calc.py as version 2.\n"), err
    assert (app / "calc.py").read_text().startswith("def add(a: int, b: int) -> int:\n")
    code, _, err = run(capsys, url, "code", "apply", job)
    assert code == exit_codes.CONFLICT and "already applied" in err
    code, out, _ = run(capsys, url, "file", "history", "calc.py", "--json")
    assert json.loads(out)[0]["message"] == "AI: refactor calc.py:1-2"


def test_generate_with_apply_and_json(
    capsys: pytest.CaptureFixture[str], url: str, llm: LLMServer, app: Path
) -> None:
    llm.push(Script(text="```\ndef sub(a, b):\n    return a - b\n\n\n```"))
    code, out, err = run(
        capsys, url, "code", "generate", "calc.py:5", "-i", "a subtraction", "--apply", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["status"], data["change_state"], data["applied_version"]) == (
        "completed",
        "proposed",
        2,
    )
    assert "+def sub(a, b):" in data["diff"]
    assert "def sub(a, b):\n    return a - b\n\n\ndef main():" in (app / "calc.py").read_text()


def test_a_file_changed_meanwhile_is_refused_with_both_shown(
    capsys: pytest.CaptureFixture[str], url: str, llm: LLMServer, app: Path
) -> None:
    llm.push(Script(text=REFACTOR))
    _, _, err = run(capsys, url, "code", "refactor", "calc.py:1-2")
    job_id = err.split("promptterm code apply ")[1].strip()
    (app / "calc.py").write_text(SOURCE + "# mine\n")
    run(capsys, url, "open", str(app), "--no-ui")  # the edit on disk becomes version 2
    code, out, err = run(capsys, url, "code", "apply", job_id)
    assert code == exit_codes.CONFLICT
    assert "version 1 → 2" in err and "The proposal is kept" in err
    assert "-# mine" in out and "+    return a + b" in out  # the file now against the proposal
    assert (app / "calc.py").read_text() == SOURCE + "# mine\n"


def test_an_answer_that_is_no_change_and_a_provider_error_exit_1_with_the_answer_kept(
    capsys: pytest.CaptureFixture[str], url: str, llm: LLMServer, app: Path
) -> None:
    llm.push(Script(text="Looks fine as it is."))
    code, out, err = run(capsys, url, "code", "refactor", "calc.py", "--apply")
    assert code == 1
    assert out == "Looks fine as it is.\n" and "no code block" in err
    assert (app / "calc.py").read_text() == SOURCE
    llm.push(Script(status=400, error_message="no such thing"))
    code, _, err = run(capsys, url, "code", "analyze", "calc.py", "--aspect", "security")
    assert code == 1 and err.startswith("failed: ")


def test_bad_lines_and_generate_without_an_instruction_are_said_in_words(
    capsys: pytest.CaptureFixture[str], url: str, llm: LLMServer, app: Path
) -> None:
    code, _, err = run(capsys, url, "code", "explain", "calc.py:40-50")
    assert code == 1 and "past the end of the file (6 lines)" in err
    code, _, err = run(capsys, url, "code", "generate", "calc.py:3")
    assert code == 1 and "Say what to generate" in err
    assert llm.requests == []


def test_the_projects_defaults_pick_the_model(
    capsys: pytest.CaptureFixture[str], url: str, llm: LLMServer, app: Path
) -> None:
    code, out, err = run(capsys, url, "code", "use", "--model", "test-model-large")
    assert (code, out) == (0, "AI jobs in app now use model test-model-large.\n"), err
    llm.push(Script(text="ok"))
    code, _, err = run(capsys, url, "code", "explain", "calc.py")
    assert code == 0, err
    assert llm.requests[-1].body["model"] == "test-model-large"
    code, _, err = run(capsys, url, "code", "use", "--preset", "Nope")
    assert code == 1 and "Nope" in err
