"""Runs a registered stdio server's command and says on stderr how it ended.

The SDK's stdio transport keeps the server process to itself, so a server that dies at start
would read as "the connection closed". Started as ``python -I -S launcher.py COMMAND ARGS``,
this passes its stdin and stdout straight to the command (it inherits them: no copying) and,
when the command cannot start or exits with an error, writes one marked line that the health
check turns into words ("exited with code 3").

It runs at every server start (each check, each session the chat opens), so it uses only
what Python has loaded at start (fork, exec and wait from ``os``) rather than the subprocess
module, whose imports would more than double its cost: ~10 ms of CPU instead of ~25.
"""

from __future__ import annotations

import _signal  # built in; the signal module would load enum
import os
import sys

# Plain ASCII: str.splitlines() would break a line at a control character.
MARK = "promptterm-mcp-launcher:"
# Python ignores these at start and an ignored signal stays ignored across exec: the server
# gets them back at their defaults, as the subprocess module would give them.
_DEFAULTS = [getattr(_signal, n) for n in ("SIGPIPE", "SIGXFZ", "SIGXFSZ") if hasattr(_signal, n)]


def _start(argv: list[str]) -> int:
    """The command's pid; raises what exec raised (FileNotFoundError...) when it could not
    start. The child tells its exec failure through a pipe that a successful exec closes."""
    failed, told = os.pipe()
    os.set_inheritable(told, False)
    pid = os.fork()
    if pid == 0:  # the child: become the command, or say why not
        os.close(failed)
        try:
            # Only stdin, stdout and stderr go on (as subprocess's close_fds would have it).
            os.closerange(3, told)
            os.closerange(told + 1, os.sysconf("SC_OPEN_MAX"))
            for number in _DEFAULTS:
                _signal.signal(number, _signal.SIG_DFL)
            os.execvp(argv[0], argv)
        except OSError as exc:
            os.write(told, str(exc.errno).encode())
        finally:
            os._exit(127)
    os.close(told)
    with os.fdopen(failed, "rb") as pipe:
        said = pipe.read()
    if said:
        os.waitpid(pid, 0)
        number = int(said)
        raise OSError(number, os.strerror(number))
    return pid


def main(argv: list[str]) -> int:
    try:
        pid = _start(argv)
    except FileNotFoundError:
        sys.stderr.write(f"\n{MARK}missing\n")
        return 127
    except OSError:  # no permission, or not a program (ENOEXEC)
        sys.stderr.write(f"\n{MARK}not-executable\n")
        return 126
    try:
        _, status = os.waitpid(pid, 0)
    except KeyboardInterrupt:
        return 130
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(f"\n{MARK}exit {code}\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
