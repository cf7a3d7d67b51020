"""Starts the stdio MCP test server from a parent that has imported the SDK already.

A cold start of the SDK server is ~1.5 s of CPU, nearly all of it building ``mcp.types``'
pydantic models on import, and the suite starts it dozens of times (each check, each chat
or CLI session with tools). Here one process a test process (this "zygote") imports the SDK
and the server once; each start is then a fork of it:

    promptterm's launcher -> python -I -S mcp_spawn.py SOCKET --stdio ... (~15 ms of CPU)
        sends its stdin, stdout and stderr (the SDK client's pipes) and its argv, cwd and
        environment over SOCKET, then waits for the server's exit status and ends the same way
    zygote -> fork: a waiter -> fork: the server, on those very pipes, running
        ``mcp_server.main(argv)``: the same SDK server over the same real stdio

What the client sees is what a cold start gives it: its own pipes, a process that exits
(or dies of a signal) as the server does, and whose killing ends the server: the SDK ends a
server by signalling its process group, which the forked server is not in, so when the
spawner dies the waiter sends the server SIGTERM, as the group's signal would have.
"""

from __future__ import annotations

import array
import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

SPAWN = Path(__file__).with_name("mcp_spawn.py")
_SERVER = Path(__file__).with_name("mcp_server.py")
READY = "ready"  # the file the zygote makes once it listens
# One zygote a test process, started by the first test that asks for the server.
_started: tuple[subprocess.Popen[bytes], str] | None = None


def socket_path() -> str:
    """The zygote's socket; starts the zygote on the first call of the process."""
    global _started
    if _started is not None and _started[0].poll() is None:
        return _started[1]
    from support.waiting import wait_until

    # Short: a socket's path may not pass 107 bytes.
    folder = tempfile.mkdtemp(prefix="mcpz-")
    path = os.path.join(folder, "s")
    # Its stdin is the lifeline: the zygote ends when this process does, however it ends.
    process = subprocess.Popen(
        [sys.executable, __file__, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=None,
    )
    wait_until(
        lambda: process.poll() is not None or os.path.exists(os.path.join(folder, READY)),
        "the MCP test server's zygote to listen",
    )
    assert process.poll() is None, "the MCP test server's zygote exited at start"
    atexit.register(_stop, process, folder)
    _started = (process, path)
    return path


def _stop(process: subprocess.Popen[bytes], folder: str) -> None:
    assert process.stdin is not None
    process.stdin.close()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    shutil.rmtree(folder, ignore_errors=True)


# -- the zygote process ---------------------------------------------------------------------


def _receive(conn: socket.socket) -> tuple[dict[str, object], list[int]]:
    """The spawner's request and its three file descriptors."""
    fds = array.array("i")
    data, ancillary, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(3 * fds.itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    size = int.from_bytes(data[:4], "big")
    body = data[4:]
    while len(body) < size:
        more = conn.recv(size - len(body))
        if not more:
            raise EOFError("the spawner went away mid-request")
        body += more
    return json.loads(body), list(fds)


def _become_server(request: dict[str, object], fds: list[int]) -> None:
    """In the forked server: take the client's pipes, cwd and environment, run the server."""
    code = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        # Fresh stdio objects on the new descriptors, as a new interpreter makes them.
        sys.stdin = open(0, closefd=False, encoding="utf-8")  # noqa: SIM115
        sys.stdout = open(1, "w", closefd=False, encoding="utf-8")  # noqa: SIM115
        sys.stderr = open(  # noqa: SIM115
            2, "w", closefd=False, encoding="utf-8", errors="backslashreplace", buffering=1
        )
        os.chdir(str(request["cwd"]))
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update(env)
        argv = request["argv"]
        assert isinstance(argv, list)
        sys.argv = [str(_SERVER), *argv]
        import mcp_server

        code = mcp_server.main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed pipe: nothing left to say
                stream.flush()
        os._exit(code)


def _wait_on(conn: socket.socket, request: dict[str, object], fds: list[int]) -> None:
    """In the forked waiter: start the server, end it if the spawner dies, report its end."""
    pid = os.fork()
    if pid == 0:
        conn.close()
        _become_server(request, fds)
    for fd in fds:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    ready, _, _ = select.select([pidfd, conn], [], [])
    if conn in ready and pidfd not in ready:
        # The spawner is gone (its process group was signalled, or it was killed).
        os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    with contextlib.suppress(OSError):  # the spawner is gone: nobody to tell
        conn.sendall(status.to_bytes(4, "big"))
    os._exit(0)


def _reap() -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0] != 0:
            pass
    except ChildProcessError:  # none left
        pass


def _serve(path: str) -> None:
    sys.path.insert(0, str(_SERVER.parent))
    import mcp_server

    # Everything a start imports: one server built (not run), and the stdio transport.
    mcp_server.build(mortal=True, resources=True)
    import anyio._backends._asyncio  # noqa: F401
    import mcp.server.stdio  # noqa: F401

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    Path(path).with_name(READY).touch()
    while True:
        # Waiters are reaped by waiting on them (each waiter waits on its server), not by
        # ignoring SIGCHLD: only a waited-for child's CPU time counts in its parent's, and so
        # in what `time pytest` reports.
        ready, _, _ = select.select([listener, sys.stdin], [], [], 1.0)
        _reap()
        if sys.stdin in ready:  # the test process ended
            return
        if listener not in ready:
            continue
        conn, _ = listener.accept()
        try:
            request, fds = _receive(conn)
        except (OSError, EOFError, ValueError):
            conn.close()
            continue
        if os.fork() == 0:
            listener.close()
            _wait_on(conn, request, fds)
        conn.close()
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    _serve(sys.argv[1])
