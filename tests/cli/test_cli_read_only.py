"""A read-only data folder (or database file) still lets the user read: list, show and
`db info` work, and every write says "The data folder is read-only: ..." in words. Checked
with real file modes, as a user they apply to (run as root, the CLI runs as an unprivileged
account: support/unprivileged.py). The commands of one state of the modes run one after
another in one such process (each start of the app's write path is over a CPU-second); the
lean path is checked in a process of its own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from promptterm.db.migrate import HEAD_REVISION
from promptterm.services.facade import Services
from support import unprivileged
from support.cli_process import MigratedSqlite
from support.clock import DEFAULT_NOW

READ_ONLY = "The data folder is read-only:"
LEAN_OPENS = """
import sys
from promptterm.db.lean import open_lean
with open_lean(sys.argv[1]) as lean:
    print(lean is not None)
"""


@pytest.fixture
def data(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Iterator[tuple[Path, Path]]:
    """(home, database): a database with a workspace and a component, owned by the user.
    A copy of the migrated template: migrating a new file is not what this file checks."""
    who = unprivileged.account()
    with unprivileged.own_folder(who, tmp_path) as home:
        folder = home / "data"
        folder.mkdir(mode=0o700)
        database = folder / "promptterm.db"
        migrated_sqlite(database)
        # Its billing period ended long ago (before the pinned test date, so before any day
        # the CLI runs on): reading it must not need to roll it forward.
        long_ago = DEFAULT_NOW - timedelta(days=100)
        services = Services.open(f"sqlite:///{database}", clock=lambda: long_ago)
        try:
            services.workspaces.create("Acme")
            services.components.create("role", "Helper", "Be nice.")
        finally:
            services.close()  # the last connection checkpoints the WAL into the file
        unprivileged.chown_tree(who, home)
        yield home, database


def cli(home: Path, database: Path, *argvs: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """Each command in turn, on the database, as the unprivileged account."""
    url = ["--database-url", f"sqlite:///{database}"]
    return unprivileged.run_cli_batch(
        unprivileged.account(), [[*url, *argv] for argv in argvs], home=home
    )


@pytest.mark.parametrize("locked", ["folder and file", "file"])
def test_a_read_only_database_reads_and_refuses_writes_in_words(
    data: tuple[Path, Path], locked: str
) -> None:
    home, database = data
    os.chmod(database, 0o400)
    if locked == "folder and file":
        os.chmod(database.parent, 0o500)

    reads = (
        (("workspace", "list"), "Acme"),
        (("component", "list"), "Helper"),
        (("component", "show", "Helper"), "Be nice."),
        (("db", "info"), HEAD_REVISION),
        (("usage",), "Free (active, billed monthly)"),
    )
    writes = (
        ("workspace", "create", "Beta"),
        ("component", "add", "role", "Other", "--content", "x"),
    )
    done = cli(home, database, *(argv for argv, _ in reads), *writes)
    for (argv, shown), (code, out, err) in zip(reads, done[: len(reads)], strict=True):
        assert (code, err) == (0, ""), argv
        assert shown in out, argv
    for argv, (code, out, err) in zip(writes, done[len(reads) :], strict=True):
        assert code == 1 and out == "", argv
        assert err.startswith(f"promptterm: {READ_ONLY}") and "Traceback" not in err, argv
        assert f"chmod u+w {database.parent} {database}" in err
    # The reads took the lean path, as on a writable database (no SQLAlchemy to import) ...
    lean = unprivileged.run_python(
        unprivileged.account(),
        ["-c", LEAN_OPENS, f"sqlite:///{database}"],
        home=home,
    )
    assert (lean.stdout, lean.stderr) == ("True\n", "")
    # ... and reading created nothing beside it (a read-only -shm would block writes later) ...
    assert sorted(p.name for p in database.parent.iterdir()) == ["promptterm.db"]

    # ... so once the user makes it writable again, writes work at once.
    os.chmod(database.parent, 0o700)
    os.chmod(database, 0o600)
    (code, _, err), (_, listed, _) = cli(
        home, database, ("workspace", "create", "Beta"), ("workspace", "list")
    )
    assert (code, err) == (0, "")
    assert "Beta" in listed


def test_a_read_only_folder_with_no_database_yet_says_so(tmp_path: Path) -> None:
    who = unprivileged.account()
    with unprivileged.own_folder(who, tmp_path) as home:
        folder = home / "data"
        folder.mkdir(mode=0o700)
        unprivileged.chown_tree(who, home)
        os.chmod(folder, 0o500)
        [(code, out, err)] = cli(home, folder / "promptterm.db", ("workspace", "list"))
    assert code == 2 and out == ""
    assert READ_ONLY in err and "Traceback" not in err
