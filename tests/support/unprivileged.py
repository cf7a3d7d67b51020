"""Running a check as a user that file modes apply to.

root reads and writes whatever the modes say, so a test of a read-only data folder run as
root would prove nothing. Run as root (as in CI containers), such checks run in a subprocess
as an unprivileged account (like the test PostgreSQL server: support/postgres.py), in a
folder under /tmp that the account owns (root's pytest tmp_path is closed to others).
"""

from __future__ import annotations

import contextlib
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
