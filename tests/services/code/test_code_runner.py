"""The runner against real programs: fast, slow and killed, a flood, a hang with a time
limit, one reading stdin, one leaving a child behind, a fork bomb; and its output cleaning."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from promptterm.services.code.runs.output import MASK, LineTail, OutputCleaner, SecretMasker
from promptterm.services.code.runs.runner import RunSpec, describe_outcome, start_run
from support.unprivileged import SRC, account, own_folder
from support.waiting import CEILING, wait_until


def _spec(tmp_path: Path, code: str, **kw: object) -> RunSpec:
    return RunSpec(
        argv=(sys.executable, "-c", textwrap.dedent(code)),
        cwd=tmp_path,
        env=dict(os.environ),
        log_path=tmp_path / "logs" / "run.log",
        **kw,  # type: ignore[arg-type]
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie waiting for its parent is gone for our purposes.
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_fast_run_reports_exit_time_memory_and_keeps_colours(tmp_path: Path) -> None:
    handle = start_run(
        _spec(tmp_path, "print('\\x1b[31mred\\x1b[0m ok\\x1b]52;c;aGk=\\x07\\x1b[2J')")
    )
    outcome = handle.wait(CEILING)
    assert outcome is not None and outcome.status == "completed" and outcome.exit_code == 0
    assert outcome.memory_kb and outcome.memory_kb > 1000  # a Python's peak, in KB
    assert handle.tail.text() == "\x1b[31mred\x1b[0m ok\n"
    assert (tmp_path / "logs" / "run.log").read_text() == "\x1b[31mred\x1b[0m ok\n"
    assert describe_outcome(outcome).startswith("exit 0 · ")


def test_a_failing_run_gives_its_exit_code(tmp_path: Path) -> None:
    outcome = start_run(_spec(tmp_path, "import sys; sys.exit(3)")).wait(CEILING)
    assert outcome is not None and (outcome.status, outcome.exit_code) == ("failed", 3)


def test_a_slow_run_is_killed_with_its_whole_group(tmp_path: Path) -> None:
    code = """
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        print(child.pid, flush=True)
        time.sleep(600)
    """
    handle = start_run(_spec(tmp_path, code))
    wait_until(lambda: handle.tail.lines()[0].strip().isdigit(), "the child's pid")
    child = int(handle.tail.lines()[0])
    handle.kill()
    outcome = handle.wait(CEILING)
    assert outcome is not None and outcome.status == "killed"
    assert outcome.exit_code == -signal.SIGTERM
    wait_until(lambda: not _alive(child), "the grandchild to be gone")


def test_a_run_that_ignores_sigterm_is_killed_after_the_grace(tmp_path: Path) -> None:
    code = """
        import signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("ready", flush=True)
        time.sleep(600)
    """
    handle = start_run(_spec(tmp_path, code))
    wait_until(lambda: "ready" in handle.tail.text(), "the program to start")
    handle.kill()
    outcome = handle.wait(CEILING)
    assert outcome is not None and outcome.exit_code == -signal.SIGKILL


def test_a_hang_ends_at_its_time_limit(tmp_path: Path) -> None:
    outcome = start_run(_spec(tmp_path, "import time; time.sleep(600)", timeout_s=0.3)).wait(
        CEILING
    )
    assert outcome is not None and outcome.status == "timeout"
    assert outcome.duration_ms < CEILING * 1000


def test_a_program_reading_stdin_gets_end_of_file(tmp_path: Path) -> None:
    handle = start_run(_spec(tmp_path, "import sys; print(repr(sys.stdin.read()))"))
    outcome = handle.wait(CEILING)
    assert outcome is not None and outcome.status == "completed"
    assert handle.tail.text() == "''\n"


def test_a_child_outliving_the_program_is_killed_and_does_not_hold_the_run(
    tmp_path: Path,
) -> None:
    code = """
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        print(child.pid, flush=True)
    """
    handle = start_run(_spec(tmp_path, code))
    outcome = handle.wait(CEILING)
    assert outcome is not None and outcome.status == "completed"
    child = int(handle.tail.lines()[0])
    wait_until(lambda: not _alive(child), "the orphan to be killed with the group")


def test_a_flood_keeps_only_the_last_lines_in_memory_and_all_in_the_file(
    tmp_path: Path,
) -> None:
    code = """
        import sys
        line = b"y" * 1023 + b"\\n"
        for _ in range(50 * 1024):
            sys.stdout.buffer.write(line)
        print("the end")
    """
    handle = start_run(_spec(tmp_path, code, tail_lines=100))
    outcome = handle.wait(CEILING)
    assert outcome is not None and outcome.output_bytes == 50 * 1024 * 1024 + 8
    lines = handle.tail.lines()
    assert len(lines) == 100 and lines[-2:] == ["the end", ""]
    assert handle.tail.total_lines == 50 * 1024 + 1
    assert (tmp_path / "logs" / "run.log").stat().st_size == 50 * 1024 * 1024 + 8


def test_secret_values_are_masked_on_screen_and_in_the_file(tmp_path: Path) -> None:
    code = """
        import os, sys
        secret = os.environ["TOKEN"]
        sys.stdout.write("token=" + secret[:5]); sys.stdout.flush()
        sys.stdout.write(secret[5:] + " done\\n")
    """
    env = {**os.environ, "TOKEN": "hunter2-very-secret"}
    spec = _spec(tmp_path, code, secrets=("hunter2-very-secret",))
    handle = start_run(RunSpec(**{**spec.__dict__, "env": env}))
    handle.wait(CEILING)
    assert handle.tail.text() == f"token={MASK} done\n"
    assert "hunter2" not in (tmp_path / "logs" / "run.log").read_text()


def test_a_program_that_cannot_start_says_so(tmp_path: Path) -> None:
    spec = RunSpec(argv=("no-such-program-here",), cwd=tmp_path, env=dict(os.environ))
    outcome = start_run(spec).wait(CEILING)
    assert outcome is not None and outcome.status == "error"
    assert "no-such-program-here" in (outcome.error or "")


def test_the_output_is_cleaned_and_logged_outside_the_apps_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cleaning every byte of a flood in the app's process held the GIL its screen needs to
    # echo keys: it is done by a process of its own, so no cleaner runs here.
    def in_this_process(self: OutputCleaner, text: str) -> str:
        raise AssertionError("output cleaned in the app's process")

    monkeypatch.setattr(OutputCleaner, "feed", in_this_process)
    code = """
        import sys
        out = sys.stdout.buffer
        for n in range(3000):
            out.write(b"\\x1b[32m%d\\x1b[0m\\x07 \\xc3" % n)
            out.write(b"\\xa9\\r\\n")
    """
    handle = start_run(_spec(tmp_path, code, tail_lines=10))
    outcome = handle.wait(CEILING)
    assert outcome is not None and outcome.status == "completed"
    assert outcome.output_bytes == sum(
        len(b"\x1b[32m%d\x1b[0m\x07 \xc3\xa9\r\n" % n) for n in range(3000)
    )
    assert handle.tail.last(2) == ["\x1b[32m2999\x1b[0m é", ""]
    assert handle.tail.total_lines == 3000
    log = (tmp_path / "logs" / "run.log").read_text(encoding="utf-8")
    assert log == "".join(f"\x1b[32m{n}\x1b[0m é\n" for n in range(3000))
    assert (tmp_path / "logs" / "run.log").stat().st_mode & 0o777 == 0o600


def test_a_run_whose_output_cleaner_cannot_start_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    handle = start_run(RunSpec(argv=("sleep", "600"), cwd=tmp_path, env=dict(os.environ)))
    outcome = handle.wait(CEILING)
    assert outcome is not None and outcome.status == "error"
    assert "output cleaner" in (outcome.error or "") and handle.pid is None


FORK_BOMB = """
import os, sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from promptterm.services.code.runs.runner import RunSpec, start_run
bomb = '''
import os, time
made = 0
for _ in range(500):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    made += 1
print(made, flush=True)
'''
spec = RunSpec(argv=(sys.executable, "-c", bomb), cwd=Path({folder!r}), env=dict(os.environ),
               max_processes=20)
handle = start_run(spec)
handle.wait(120)
print(handle.tail.text().strip())
"""


def test_the_fork_bomb_guard_stops_a_program_forking_without_end(tmp_path: Path) -> None:
    # RLIMIT_NPROC does not bind root: the guard is tried as an unprivileged account.
    who = account()
    with own_folder(who, tmp_path) as folder:
        script = FORK_BOMB.format(src=str(SRC), folder=str(folder))
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=CEILING,
            user=who.pw_uid if who else None,
            group=who.pw_gid if who else None,
            env={"PATH": os.environ["PATH"], "HOME": str(folder)},
            check=True,
        )
    made = int(done.stdout.strip().splitlines()[-1])
    assert made < 20, done.stdout  # refused after at most 20 processes, not 500


def test_the_cleaner_keeps_colours_across_chunks_and_drops_other_controls() -> None:
    cleaner = OutputCleaner()
    pieces = ["a\x1b[3", "2mgreen\x1b", "[0m\r", "\nb\x07c\x1b]0;ti", "tle\x07d\re"]
    text = "".join(cleaner.feed(p) for p in pieces) + cleaner.close()
    assert text == "a\x1b[32mgreen\x1b[0m\nbcde"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[38:5:196mred\x1b[m", "\x1b[38:5:196mred\x1b[m"),  # every SGR form stays
        ("a\x1b[2Jb\x1b[10;5Hc", "abc"),  # clears and cursor moves go
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x1b(Bb\x1b=c", "abc"),  # two-character escapes
        ("a\x1b[?1049h\x1b[1;31mb", "a\x1b[1;31mb"),  # a private mode, then a colour
        ("a\x1b\x1b[32mb", "a\x1b[32mb"),  # a lone ESC before a colour
        ("\x9b31m\x00tab\there", "31mtab\there"),  # C1 and NUL; tab kept
    ],
)
def test_the_cleaner_keeps_only_colours(raw: str, clean: str) -> None:
    cleaner = OutputCleaner()
    assert cleaner.feed(raw) + cleaner.close() == clean


def test_the_tail_gives_its_last_lines_without_the_rest() -> None:
    tail = LineTail(limit=5)
    tail.feed("".join(f"{n}\n" for n in range(9)) + "part")
    assert tail.last(3) == ["7", "8", "part"]
    assert tail.last(99) == tail.lines() == ["5", "6", "7", "8", "part"]


@pytest.mark.parametrize("cut", range(1, 12))
def test_the_masker_finds_a_secret_cut_anywhere(cut: int) -> None:
    masker = SecretMasker(["s3cret-value"])
    text = "x=s3cret-value;"
    assert masker.feed(text[:cut]) + masker.feed(text[cut:]) + masker.close() == f"x={MASK};"
