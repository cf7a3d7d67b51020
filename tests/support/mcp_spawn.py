"""python -I -S mcp_spawn.py SOCKET ARGS: the stdio MCP test server, started by the zygote.

Hands this process's stdin, stdout and stderr, argv, cwd and environment to the zygote
(support/mcp_zygote.py), which forks the server onto them; then waits and ends as the
server ended: the same exit status, or killed by the same signal.
"""

from __future__ import annotations

import _signal  # built in; the signal module would load enum
import array
import json
import os
import socket
import sys


def main(path: str, argv: list[str]) -> int:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    body = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    fds = array.array("i", [0, 1, 2])
    conn.sendmsg(
        [len(body).to_bytes(4, "big") + body], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)]
    )
    # The server's copies of the client's pipes must be the only ones: the client reads the
    # end of the server's output when the server closes it, as with a server of its own.
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    status = b""
    while len(status) < 4:
        more = conn.recv(4 - len(status))
        if not more:
            sys.stderr.write("mcp_spawn: the zygote went away before the server ended\n")
            return 1
        status += more
    ended = int.from_bytes(status, "big")
    if os.WIFSIGNALED(ended):
        number = os.WTERMSIG(ended)
        _signal.signal(number, _signal.SIG_DFL)
        os.kill(os.getpid(), number)
    return os.waitstatus_to_exitcode(ended)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
