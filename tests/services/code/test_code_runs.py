"""Runs in a bound project, on both databases: history, search, re-run, env applied and
masked, files run with their interpreter, and what is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from promptterm.services.errors import ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.projects import ProjectInfo
from services.keyring_backend import MemoryKeyring


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def bound(services: Services, tmp_path: Path) -> ProjectInfo:
    root = tmp_path / "app"
    root.mkdir()
    (root / "hello.py").write_text("import os\nprint('hello', os.environ.get('GREETING'))\n")
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "App")
    services.disk_sync.bind(project.id, root)
    return services.projects.get(project.id)


def test_a_command_runs_in_the_folder_and_is_kept_in_the_history(
    services: Services, bound: ProjectInfo, memory: MemoryKeyring
) -> None:
    run = services.runs.start_command(bound.id, "pwd; echo done; exit 4")
    assert run.info.status == "running"
    info = services.runs.finish(run)
    assert (info.status, info.exit_code) == ("failed", 4)
    assert info.working_directory == bound.root_path
    assert services.runs.output(info.id) == f"{bound.root_path}\ndone\n"
    assert Path(info.output_path or "").read_text() == f"{bound.root_path}\ndone\n"
    assert Path(info.output_path or "").is_relative_to(services.runs.logs_dir.resolve())
    assert [r.id for r in services.runs.history(bound.id)] == [info.id]


def test_a_file_runs_with_its_interpreter_and_the_projects_variables(
    services: Services, bound: ProjectInfo, memory: MemoryKeyring
) -> None:
    services.env.set(bound.id, "GREETING", "bonjour", secret=False)
    info = services.runs.finish(services.runs.start_file(bound.id, "hello.py"))
    assert info.status == "completed" and info.language == "python"
    assert services.runs.output(info.id) == "hello bonjour\n"
    assert info.command.startswith("python3 ")


def test_a_secret_variable_reaches_the_program_but_never_the_history(
    services: Services, bound: ProjectInfo, memory: MemoryKeyring
) -> None:
    services.env.set(bound.id, "GREETING", "pa55word-XYZ", secret=True)
    info = services.runs.finish(services.runs.start_file(bound.id, "hello.py"))
    assert services.runs.output(info.id) == "hello ••••\n"
    assert "pa55word" not in Path(info.output_path or "").read_text()
    assert [v.shown for v in services.env.list(bound.id)] == ["••••"]


def test_history_is_searchable_and_a_run_can_be_run_again(
    services: Services, bound: ProjectInfo, memory: MemoryKeyring
) -> None:
    first = services.runs.finish(services.runs.start_command(bound.id, "echo alpha_1"))
    services.runs.finish(services.runs.start_command(bound.id, "echo beta"))
    assert [r.command for r in services.runs.history(bound.id, "alpha")] == ["echo alpha_1"]
    assert [r.command for r in services.runs.history(bound.id, "a_1")] == ["echo alpha_1"]
    assert len(services.runs.history(bound.id, "%")) == 0  # a wildcard is a plain letter
    again = services.runs.finish(services.runs.rerun(first.id))
    assert again.id != first.id and again.command == "echo alpha_1"
    assert len(services.runs.history(bound.id)) == 3


def test_a_time_limit_is_kept_and_applied(
    services: Services, bound: ProjectInfo, memory: MemoryKeyring
) -> None:
    info = services.runs.finish(services.runs.start_command(bound.id, "sleep 600", timeout_s=0.3))
    assert info.status == "timeout" and info.timeout_s == 0.3


def test_what_cannot_run_is_refused_in_words(
    services: Services, bound: ProjectInfo, memory: MemoryKeyring, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="Type a command"):
        services.runs.start_command(bound.id, "  ")
    with pytest.raises(ValidationError, match="does not know how to run"):
        services.runs.start_file(bound.id, "notes.txt")
    with pytest.raises(ValidationError, match="not a file in the project"):
        services.runs.start_file(bound.id, "../outside.py")
    unbound = services.projects.create(bound.workspace_id, "Loose")
    with pytest.raises(ValidationError, match="not bound to a folder"):
        services.runs.start_command(unbound.id, "true")
    assert services.runs.history(bound.id) == []
