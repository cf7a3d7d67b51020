"""The SQLite database is its owner's alone: other local users cannot read the chats (issue 12,
item 7), whatever the umask, for a new database and for one an older version left open."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from promptterm import locations
from promptterm.db.engine import create_database
from promptterm.services.facade import Services
from support.clock import FixedClock

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The common umask 022, under which files come out readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_first_start_makes_a_private_data_folder_and_database(
    open_umask: None, clock: FixedClock
) -> None:
    path = locations.default_database_path()
    assert not path.parent.exists()
    services = Services.open(locations.default_database_url(), clock=clock)
    try:
        services.chat.add_message(services.chat.create_thread().id, "user", "private question")
        # While the database is open in WAL mode its -wal and -shm files exist too.
        sidecars = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in sidecars)
        assert {p.name: mode(p) for p in (path, *sidecars)} == {
            "promptterm.db": 0o600,
            "promptterm.db-wal": 0o600,
            "promptterm.db-shm": 0o600,
        }
        assert mode(path.parent) == 0o700
    finally:
        services.close()


def test_a_database_that_an_older_version_left_readable_is_made_private(
    open_umask: None, clock: FixedClock
) -> None:
    path = locations.default_database_path()
    path.parent.mkdir(parents=True, mode=0o755)
    Services.open(locations.default_database_url(), clock=clock).close()
    for p in path.parent.iterdir():
        p.chmod(0o644)
    path.parent.chmod(0o755)

    create_database(locations.default_database_url()).dispose()
    assert mode(path.parent) == 0o700
    assert {p.name: mode(p) for p in path.parent.iterdir()} == {
        p.name: 0o600 for p in path.parent.iterdir()
    }
    assert mode(path) == 0o600


def test_a_new_database_elsewhere_is_private_but_an_existing_folder_is_left_alone(
    open_umask: None, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    create_database(f"sqlite:///{shared / 'team.db'}").dispose()
    create_database(f"sqlite:///{tmp_path / 'new' / 'deep' / 'mine.db'}").dispose()
    assert (mode(shared), mode(shared / "team.db")) == (0o755, 0o600)
    assert (mode(tmp_path / "new" / "deep"), mode(tmp_path / "new" / "deep" / "mine.db")) == (
        0o700,
        0o600,
    )
