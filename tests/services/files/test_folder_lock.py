"""The bound folder's lock (disk/folder_lock.py): held against other processes while a real
process holds it, gone the moment that process is killed, re-entrant within a thread, and
kept in the data folder, never in the user's."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from promptterm.services.files.disk.folder_lock import folder_lock, lock_path
from support.waiting import CEILING, wait_until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from promptterm.services.files.disk.folder_lock import folder_lock

    root, held = Path(sys.argv[1]), Path(sys.argv[2])
    with folder_lock(root):
        held.touch()
        time.sleep(float(sys.argv[3]))  # until the test kills it
    """
)


def _free(root: Path) -> bool:
    """Whether another process could take the folder's lock right now."""
    fd = os.open(lock_path(root), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # releases it again if taken
    return True


def test_a_process_holding_the_lock_keeps_others_out_until_it_is_killed(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    held = tmp_path / "held"
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(root), str(held), str(CEILING)])
    try:
        wait_until(held.exists, "the other process to take the lock")
        assert not _free(root)
        child.kill()  # as a crash would: no unlock runs
        child.wait(CEILING)
        assert _free(root)
        with folder_lock(root):  # and this process gets it
            assert not _free(root)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert list(root.iterdir()) == []  # nothing in the user's folder
    assert lock_path(root).is_relative_to(Path(os.environ["PROMPTTERM_DATA_DIR"]))


def test_the_lock_is_reentrant_and_released_by_the_outermost_holder(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    with folder_lock(root):
        with folder_lock(root):  # a save's write inside its own held lock
            assert not _free(root)
        assert not _free(root)
    assert _free(root)
