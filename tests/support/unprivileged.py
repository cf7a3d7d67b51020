"""Running a check as a user that file modes apply to.

root reads and writes whatever the modes say, so a test of a read-only data folder run as
root would prove nothing. Run as root (as in CI containers), such checks run in a subprocess
as an unprivileged account (like the test PostgreSQL server: support/postgres.py), in a
folder under /tmp that the account owns (root's pytest tmp_path is closed to others).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from support.waiting import CEILING

ACCOUNTS = ("nobody", "postgres", "promptterm-pg")
TESTS = Path(__file__).resolve().parents[1]
SRC = TESTS.parent / "src"


def account() -> pwd.struct_passwd | None:
    """The account to run as: None when we are not root (file modes apply to us already)."""
    if os.geteuid() != 0:
        return None
    for name in ACCOUNTS:
        with contextlib.suppress(KeyError):
            found = pwd.getpwnam(name)
            if found.pw_uid != 0:
                return found
    raise RuntimeError(f"running as root, and none of the accounts {ACCOUNTS} exists")


@contextlib.contextmanager
def own_folder(who: pwd.struct_passwd | None, tmp_path: Path) -> Iterator[Path]:
    """A folder the account owns: ``tmp_path`` itself, or as root a new one under /tmp."""
    if who is None:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="promptterm-unprivileged-", dir="/tmp"))
    os.chown(folder, who.pw_uid, who.pw_gid)
    try:
        yield folder
    finally:
        for path in (folder, *folder.rglob("*")):
            with contextlib.suppress(OSError):
                os.chmod(path, 0o700 if path.is_dir() else 0o600)
        shutil.rmtree(folder, ignore_errors=True)


def chown_tree(who: pwd.struct_passwd | None, folder: Path) -> None:
    if who is None:
        return
    for path in (folder, *folder.rglob("*")):
        os.chown(path, who.pw_uid, who.pw_gid)


def run_python(
    who: pwd.struct_passwd | None,
    args: Sequence[str],
    *,
    home: Path,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` as the account, with HOME, config and data dirs under ``home``."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PROMPTTERM_CONFIG_DIR": str(home / "config"),
        "PROMPTTERM_DATA_DIR": str(home / "data"),
        "PYTHONPATH": f"{SRC}{os.pathsep}{TESTS}",  # the tests' helpers too
        "PYTHONDONTWRITEBYTECODE": "1",
        "LC_ALL": "C.UTF-8",
    }
    as_account = (
        {} if who is None else {"user": who.pw_uid, "group": who.pw_gid, "extra_groups": []}
    )
    return subprocess.run(
        [sys.executable, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=CEILING * 2,
        **as_account,  # type: ignore[arg-type]
    )


# Each argv through the CLI's entry point in turn, in one process (one Python start and one
# import of the app for the lot, as the in-process runner does for most CLI tests); what each
# returned and printed, as JSON.
_CLI_BATCH = """
import contextlib, io, json, sys
from promptterm.cli.main import main
done = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    done.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(done))
"""


def run_cli_batch(
    who: pwd.struct_passwd | None, argvs: Sequence[Sequence[str]], *, home: Path
) -> list[tuple[int, str, str]]:
    """``promptterm ARGV`` for each of ``argvs``, in order, in one process run as the
    account: each one's exit status, stdout and stderr. The process itself must say nothing
    else (nothing on its own stderr, as at exit)."""
    result = run_python(who, ["-c", _CLI_BATCH, json.dumps([list(a) for a in argvs])], home=home)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return [(int(code), out, err) for code, out, err in json.loads(result.stdout)]
