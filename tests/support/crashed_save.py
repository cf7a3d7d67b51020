"""A save in a bound folder whose process dies mid-way: a real promptterm process, killed
with SIGKILL (nothing runs after it, as in a power cut or ``kill -9``) right after the
version is committed and before the disk write ("write"), or right after the write and
before it is recorded ("record")."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import uuid

from support.waiting import CEILING

_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, uuid
    from promptterm.services.facade import Services
    from promptterm.services.files.disk import io as disk_io
    from promptterm.services.files.disk import reconcile

    url, file_id, text, stage = sys.argv[1], uuid.UUID(sys.argv[2]), sys.argv[3], sys.argv[4]
    services = Services.open(url)
    base = services.files.get(file_id).head_version

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if stage == "write":
        disk_io.atomic_write = die
    else:
        reconcile._record_written = die
    services.files.save(file_id, text, base_version=base)
    print("the save returned, but the process was meant to die in it")
    """
)


def save_and_die(url: str, file_id: uuid.UUID, text: str, *, stage: str = "write") -> None:
    """Save ``text`` as a new version of ``file_id`` in a process killed at ``stage``."""
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, url, str(file_id), text, stage],
        capture_output=True,
        text=True,
        timeout=CEILING,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stdout, done.stderr)
