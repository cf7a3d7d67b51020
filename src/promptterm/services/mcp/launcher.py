"""Runs a registered stdio server's command and says on stderr how it ended.

The SDK's stdio transport keeps the server process to itself, so a server that dies at start
would read as "the connection closed". Started as ``python -I -S launcher.py COMMAND ARGS``,
this passes its stdin and stdout straight to the command (it inherits them: no copying) and,
when the command cannot start or exits with an error, writes one marked line that the health
check turns into words ("exited with code 3"). Standard library only: it starts in ~20 ms.
"""

from __future__ import annotations

import subprocess
import sys

# Plain ASCII: str.splitlines() would break a line at a control character.
MARK = "promptterm-mcp-launcher:"


def main(argv: list[str]) -> int:
    try:
        code = subprocess.call(argv)
    except FileNotFoundError:
        sys.stderr.write(f"\n{MARK}missing\n")
        return 127
    except PermissionError:
        sys.stderr.write(f"\n{MARK}not-executable\n")
        return 126
    except KeyboardInterrupt:
        return 130
    if code != 0:
        sys.stderr.write(f"\n{MARK}exit {code}\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
