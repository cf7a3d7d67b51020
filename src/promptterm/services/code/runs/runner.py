"""Running one program: its own process group, no stdin, a time limit, a guard against fork
bombs, its output cleaned, masked, kept in part in memory and in full in a file.

Plain threads rather than asyncio: the program is reaped with ``os.wait4``, which is what
gives its peak memory (``ru_maxrss``) on its own, not mixed with every other child this
process ever had (``getrusage(RUSAGE_CHILDREN)``). Linux counts the pages of the process
that started it (until its ``exec``) in the child's peak, so a run started from the app shows
at least the app's own size; from the CLI the figure is close to the program's. One thread
reads the output, one waits for the exit; the caller (a CLI, a screen's worker) only waits
for ``RunHandle.wait``.

- The output: the program writes into a pipe read by a process of our own
  (``cleaner_process.py``) that cleans, masks and logs all of it, so the regex work on every
  byte never holds the GIL the app's screen needs for keys. This process's reading thread
  only decodes what comes cleaned and keeps the last lines, in large blocks: while a flood
  fills the pipes, it waits a moment after each read so the next brings a lot at once.
- The group: ``start_new_session`` puts the program and whatever it starts in a group of its
  own; kill and time-out signal the whole group, and when the program exits the group is
  killed too, so a child left running in the background cannot outlive the run (nor keep
  the output pipe, and so the run, open). A child that starts its own session escapes the
  group; nothing short of a cgroup can follow it.
- stdin is ``/dev/null``: a program that reads it gets end-of-file at once, never a hang.
- The fork-bomb guard: ``RLIMIT_NPROC`` in the child is set to the processes its user has now
  plus ``max_processes``, so a program forking without end is refused after that many
  (``fork`` fails with EAGAIN) instead of filling the machine. Linux does not apply that limit
  to root, where the time limit and the group kill are what stop a bomb.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import promptterm
from promptterm.services.code.runs import cleaner_process
from promptterm.services.code.runs.output import LineTail

READ_CHUNK = 1024 * 1024
# Linux pipes hold 64 KB unless asked for more; 1 MB (the most an unprivileged process may
# ask) lets a flood wait in the pipe while the reader rests.
PIPE_SIZE = 1024 * 1024
# A read this large means output is flooding: the reader rests this long before the next.
FLOOD_READ = 64 * 1024
FLOOD_REST_S = 0.01
DEFAULT_MAX_PROCESSES = 256
# Signalled first on a kill; the group gets SIGKILL if it is still there after this.
TERM_GRACE_S = 2.0


@dataclass(frozen=True)
class RunSpec:
    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str]
    secrets: tuple[str, ...] = ()
    timeout_s: float | None = None
    log_path: Path | None = None  # the full output (cleaned and masked) goes here
    tail_lines: int = 2000
    max_processes: int = DEFAULT_MAX_PROCESSES


@dataclass(frozen=True)
class RunOutcome:
    status: str  # completed (exit 0), failed (other exit), timeout, killed, error
    exit_code: int | None  # the program's, or -N when signal N ended it
    duration_ms: int
    memory_kb: int | None  # peak resident memory of the program and the children it reaped
    output_bytes: int  # bytes the program wrote
    error: str | None = None  # why it could not start, in words


@dataclass
class RunHandle:
    spec: RunSpec
    tail: LineTail
    on_text: Callable[[str], None] | None = None
    pid: int | None = None
    outcome: RunOutcome | None = None
    output_bytes: int = 0
    _stop_reason: str | None = None
    _done: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def kill(self) -> None:
        """Stop the run (and everything it started): SIGTERM, then SIGKILL after a grace."""
        self._stop("killed")

    def wait(self, timeout: float | None = None) -> RunOutcome | None:
        self._done.wait(timeout)
        return self.outcome

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def _stop(self, reason: str) -> None:
        with self._lock:
            if self._stop_reason is not None or self.pid is None or self._done.is_set():
                return
            self._stop_reason = reason
        _signal_group(self.pid, signal.SIGTERM)
        # Stubborn programs trap SIGTERM: the group gets SIGKILL once the grace is over.
        timer = threading.Timer(TERM_GRACE_S, self._force)
        timer.daemon = True
        timer.start()

    def _force(self) -> None:
        if self.pid is not None and not self._done.is_set():
            _signal_group(self.pid, signal.SIGKILL)


def start_run(spec: RunSpec, on_text: Callable[[str], None] | None = None) -> RunHandle:
    """Start the program and return at once; ``on_text`` (from the reading thread) gets each
    cleaned, masked piece of output, for a caller that streams all of it (the CLI)."""
    handle = RunHandle(spec=spec, tail=LineTail(spec.tail_lines), on_text=on_text)
    started = time.monotonic()
    limit = _process_limit(spec.max_processes)
    log = _open_log(spec.log_path)
    read_end, write_end = os.pipe()
    _widen(write_end)
    try:
        process = subprocess.Popen(
            list(spec.argv),
            cwd=spec.cwd,
            env=dict(spec.env),
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=write_end,
            start_new_session=True,
            preexec_fn=(lambda: _limit_processes(limit)) if limit is not None else None,
        )
    except OSError as exc:
        for fd in (read_end, write_end, log):
            if fd is not None:
                os.close(fd)
        return _not_started(handle, f"Could not start {spec.argv[0]!r}: {exc.strerror or exc}.")
    os.close(write_end)  # the program (and its children) hold the only writing ends now
    try:
        cleaner = _start_cleaner(read_end, log, spec.secrets)
    except OSError as exc:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()
        return _not_started(handle, f"Could not start the output cleaner: {exc.strerror or exc}.")
    finally:
        os.close(read_end)
        if log is not None:
            os.close(log)
    handle.pid = process.pid
    threading.Thread(
        target=_supervise, args=(handle, process, cleaner, started), name="run", daemon=True
    ).start()
    if spec.timeout_s is not None:
        timer = threading.Timer(spec.timeout_s, handle._stop, args=("timeout",))
        timer.daemon = True
        timer.start()
    return handle


def _not_started(handle: RunHandle, words: str) -> RunHandle:
    handle.outcome = RunOutcome("error", None, 0, None, 0, words)
    handle.tail.feed(words)
    handle._done.set()
    return handle


def _start_cleaner(
    source: int, log: int | None, secrets: tuple[str, ...]
) -> subprocess.Popen[bytes]:
    root = os.path.dirname(os.path.dirname(os.path.abspath(promptterm.__file__)))
    env = {"PYTHONPATH": root, cleaner_process.SECRETS_VARIABLE: json.dumps(list(secrets))}
    cleaner = subprocess.Popen(
        [sys.executable, "-m", cleaner_process.MODULE, "" if log is None else str(log)],
        env=env,
        stdin=source,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=() if log is None else (log,),
        start_new_session=True,
    )
    assert cleaner.stdout is not None
    _widen(cleaner.stdout.fileno())
    return cleaner


def _widen(fd: int) -> None:
    import fcntl

    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setting is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, setting, PIPE_SIZE)


def _supervise(
    handle: RunHandle,
    process: subprocess.Popen[bytes],
    cleaner: subprocess.Popen[bytes],
    started: float,
) -> None:
    assert cleaner.stdout is not None and handle.pid is not None
    reader = threading.Thread(
        target=_read, args=(handle, cleaner.stdout), name="run-output", daemon=True
    )
    reader.start()
    status_word, rusage = _reap(handle.pid)
    # The program is gone; whatever it left running in its group goes with it, which also
    # closes the pipe those children held, so the cleaner sees the end of the output.
    _signal_group(handle.pid, signal.SIGKILL)
    process.returncode = status_word  # reaped here: Popen must not wait for it again
    reader.join()
    handle.output_bytes = _bytes_read(cleaner)
    duration_ms = int((time.monotonic() - started) * 1000)
    code = os.waitstatus_to_exitcode(status_word)
    reason = handle._stop_reason
    status = reason or ("completed" if code == 0 else "failed")
    handle.outcome = RunOutcome(
        status=status,
        exit_code=code,
        duration_ms=duration_ms,
        memory_kb=rusage.ru_maxrss if rusage is not None else None,
        output_bytes=handle.output_bytes,
    )
    handle._done.set()


def _bytes_read(cleaner: subprocess.Popen[bytes]) -> int:
    """What the cleaner says the program printed (0 if it failed, its complaint aside)."""
    assert cleaner.stderr is not None
    said = cleaner.stderr.read().decode("utf-8", "replace")
    cleaner.stderr.close()
    cleaner.wait()
    last = said.strip().rsplit("\n", 1)[-1]
    if last.startswith(cleaner_process.BYTES_PREFIX):
        return int(last.removeprefix(cleaner_process.BYTES_PREFIX))
    return 0


def _reap(pid: int) -> tuple[int, resource.struct_rusage | None]:
    while True:
        try:
            _, status, usage = os.wait4(pid, 0)
            return status, usage
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0, None


def _read(handle: RunHandle, pipe: object) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    fd = pipe.fileno()  # type: ignore[attr-defined]
    try:
        while True:
            chunk = os.read(fd, READ_CHUNK)
            final = not chunk
            text = decoder.decode(chunk, final=final)
            if text:
                handle.tail.feed(text)
                if handle.on_text is not None:
                    handle.on_text(text)
            if final:
                break
            if len(chunk) >= FLOOD_READ:
                # A flood: each wake-up takes the GIL from the screen, so fewer and larger
                # reads. The pipes hold 2 MB meanwhile; the program waits if they fill up.
                time.sleep(FLOOD_REST_S)
    finally:
        with contextlib.suppress(OSError):
            pipe.close()  # type: ignore[attr-defined]


def _open_log(path: Path | None) -> int | None:
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    # Owner-only: the output may hold what a program printed about its environment.
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _process_limit(extra: int) -> int | None:
    """The RLIMIT_NPROC to give the program: what its user runs now plus ``extra``."""
    if extra <= 0:
        return None
    uid = os.getuid()
    count = 0
    try:
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if entry.stat().st_uid == uid:
                        count += 1
    except OSError:
        return None  # no /proc (macOS): the time limit and the group kill still apply
    return count + extra


def _limit_processes(limit: int) -> None:
    # Runs in the child between fork and exec: only async-signal-safe work here.
    _, hard = resource.getrlimit(resource.RLIMIT_NPROC)
    soft = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_NPROC, (soft, hard))


def describe_outcome(outcome: RunOutcome) -> str:
    """One line for a status bar or the CLI: exit, time, memory."""
    parts = {
        "completed": "exit 0",
        "failed": f"exit {outcome.exit_code}",
        "timeout": "timed out",
        "killed": "killed",
        "error": "could not start",
    }
    words = [parts.get(outcome.status, outcome.status), _duration(outcome.duration_ms)]
    if outcome.memory_kb:
        words.append(_memory(outcome.memory_kb))
    return " · ".join(words)


def _duration(ms: int) -> str:
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    return f"{ms // 60_000} min {ms % 60_000 // 1000} s"


def _memory(kb: int) -> str:
    if kb < 1024:
        return f"{kb} KB"
    return f"{kb / 1024:.1f} MB"


def argv_words(argv: Sequence[str]) -> str:
    import shlex

    return shlex.join(argv)
