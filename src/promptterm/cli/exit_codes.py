"""The `promptterm` command's exit statuses: one table for scripts, the help and README.

A script can tell "try again later or upgrade" (3) and "someone changed it first" (4) from a
plain error without parsing the message.
"""

from __future__ import annotations

OK = 0
ERROR = 1
USAGE = 2  # argparse uses 2 for a bad command line too
LIMIT_REACHED = 3
CONFLICT = 4
INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl+C
# `promptterm run` exits with the program's status; these two are its own, as timeout(1)
# and shells use them.
RUN_TIMED_OUT = 124
RUN_NOT_STARTED = 127

TABLE = (
    (OK, "ok"),
    (ERROR, "error (the message says what went wrong and what to do)"),
    (USAGE, "usage: a bad command line, or a config file or database that cannot be used"),
    (LIMIT_REACHED, "limit reached: a plan limit or your own budget stops the action"),
    (CONFLICT, "conflict: a name is taken, or the data changed since you read it"),
    (RUN_TIMED_OUT, "`run`: the time limit ended the program (else: the program's own status)"),
    (RUN_NOT_STARTED, "`run`: the program could not be started"),
    (INTERRUPTED, "interrupted (Ctrl+C)"),
)


def epilog() -> str:
    """The table as the help's closing lines."""
    return "exit status:\n" + "\n".join(f"  {code:<5}{words}" for code, words in TABLE)


def for_error(error: BaseException) -> int:
    """The status for a service error (services/errors.py): its kind, not its wording."""
    from promptterm.services.errors import Conflict, LimitReached

    if isinstance(error, LimitReached):  # BudgetReached too
        return LIMIT_REACHED
    if isinstance(error, Conflict):
        return CONFLICT
    return ERROR
