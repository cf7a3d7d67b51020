"""The `promptterm` entry point run in the test's own process, as most CLI tests do: its exit
status and what it printed (``capsys``), or its ``--json`` answer. For a real subprocess
(a signal, the environment a process starts with) see cli_process.py; ``run_on_terminal``
gives the in-process command a real pseudo-terminal as its output."""

from __future__ import annotations

import json
import os
import pty
import sys
import threading
from collections.abc import Mapping
from typing import Any

import pytest

from promptterm.cli.main import main
from support.waiting import CEILING


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> Any:
    code, out, err = run(capsys, url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def run_on_terminal(
    monkeypatch: pytest.MonkeyPatch, env: Mapping[str, str], *argv: str
) -> tuple[int, str]:
    """The entry point in this process with its standard output on a real pseudo-terminal
    (``sys.stdout`` and file descriptor 1 both), the environment exactly ``env``: its exit
    status and what the terminal received. For cases that differ from a child's terminal
    test only in their settings; each child spared is a Python start (over a CPU-second)."""
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    leader, follower = pty.openpty()
    chunks: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(leader, chunks), daemon=True)
    reader.start()
    saved_fd = os.dup(1)
    saved_stdout = sys.stdout
    terminal = open(follower, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    try:
        sys.stdout.flush()
        os.dup2(follower, 1)
        sys.stdout = terminal
        code = main(list(argv))
        terminal.flush()
    finally:
        sys.stdout = saved_stdout
        os.dup2(saved_fd, 1)
        os.close(saved_fd)
        terminal.close()
        os.close(follower)  # the terminal's last writer: the reader gets EIO and ends
    reader.join(timeout=CEILING)
    assert not reader.is_alive(), "the terminal was never closed"
    os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def _read_all(leader: int, chunks: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's last writer closed
            return
        if not chunk:
            return
        chunks.append(chunk)
