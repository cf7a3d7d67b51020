"""The `promptterm` entry point run in the test's own process, as most CLI tests do: its exit
status and what it printed (``capsys``), or its ``--json`` answer. For a real subprocess
(a terminal, a signal, the environment) see cli_process.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from promptterm.cli.main import main


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> Any:
    code, out, err = run(capsys, url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)
