"""The launcher that starts every stdio server: how it says a command ended, what the command
inherits, and that its own start stays cheap (it runs at every check and session)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from promptterm.services.mcp.connect import LAUNCHER
from promptterm.services.mcp.launcher import MARK
from support.waiting import CEILING


def launch(*command: str, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", "-S", str(LAUNCHER), *command],
        capture_output=True,
        text=True,
        timeout=CEILING,
        **options,  # type: ignore[call-overload]
    )


def test_an_ending_is_told_on_stderr_with_its_code(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("not a program\n")
    plain.chmod(0o644)
    ran = launch("sh", "-c", "echo out; echo said >&2; exit 3")
    assert (ran.returncode, ran.stdout) == (3, "out\n")
    assert ran.stderr.splitlines()[0] == "said"
    assert ran.stderr.splitlines()[-1] == f"{MARK}exit 3"
    assert launch("sh", "-c", "exit 0").stderr == ""
    missing = launch("no-such-command-here")
    assert (missing.returncode, missing.stderr.strip()) == (127, f"{MARK}missing")
    refused = launch(str(plain))
    assert (refused.returncode, refused.stderr.strip()) == (126, f"{MARK}not-executable")
    killed = launch("sh", "-c", "kill -9 $$")
    assert killed.stderr.strip() == f"{MARK}exit -9"


def test_stdin_and_stdout_go_straight_to_the_command() -> None:
    ran = launch("cat", input="hello\n")
    assert (ran.returncode, ran.stdout) == (0, "hello\n")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_the_command_gets_default_signals_and_only_the_standard_streams() -> None:
    # Python ignores SIGPIPE and an ignored signal survives exec: a server would then not
    # die on a closed pipe. Other descriptors of the app must not leak into a server.
    ignored = launch("grep", "SigIgn", "/proc/self/status").stdout.split()[1]
    assert not int(ignored, 16) & (1 << (signal.SIGPIPE - 1))
    read_end, write_end = os.pipe()
    try:
        os.set_inheritable(write_end, True)
        listed = launch("ls", "/proc/self/fd", pass_fds=(write_end,)).stdout.split()
    finally:
        os.close(read_end)
        os.close(write_end)
    assert str(write_end) not in listed
    assert {"0", "1", "2"} <= set(listed)


def test_the_launcher_loads_nothing_beyond_what_python_starts_with() -> None:
    # It runs at every server start; the subprocess module's imports alone cost more than
    # the rest of it.
    ran = subprocess.run(
        [sys.executable, "-I", "-S", "-X", "importtime", str(LAUNCHER), "true"],
        capture_output=True,
        text=True,
        timeout=CEILING,
    )
    assert ran.returncode == 0, ran.stderr
    loaded = [line.split("|")[-1].strip() for line in ran.stderr.splitlines() if "|" in line]
    assert "subprocess" not in loaded and "signal" not in loaded, loaded
