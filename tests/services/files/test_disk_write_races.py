"""Two real processes saving one file of a bound folder, over and over, on SQLite and
PostgreSQL: whatever the interleaving, the disk only ever moves forward (a reader polling
it never sees an older version after a newer one), ends with the newest version's text,
and no older text comes back as a "Changed on disk" version (issue 12, item 8)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from promptterm.services.facade import Services
from promptterm.services.files.disk.reconcile import CHANGED_ON_DISK
from support.waiting import CEILING

SAVES = 40  # per process; each one races the other's

SCRIPT = textwrap.dedent(
    """
    import random, sys, time, uuid
    from pathlib import Path
    from promptterm.services.facade import Services
    from promptterm.services.errors import Conflict
    from promptterm.services.files.disk import file_actions

    url, file_id, name, flags = sys.argv[1], uuid.UUID(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    saves, ceiling = int(sys.argv[5]), float(sys.argv[6])
    services = Services.open(url)
    write_saved = file_actions.write_saved

    def write_saved_after_a_jitter(*args):
        # Between the commit and the disk write: a random pause of up to 50 ms lets the other
        # process's steps fall in between in many different orders (it waits for nothing).
        time.sleep(random.random() * 0.05)
        return write_saved(*args)

    file_actions.write_saved = write_saved_after_a_jitter
    (flags / name).touch()  # start together, so that the saves overlap
    deadline = time.monotonic() + ceiling
    while len(list(flags.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    stored = 0
    for n in range(saves):
        head = services.files.get(file_id).head_version
        try:
            info = services.files.save(file_id, f"{name} {n}\\n", base_version=head)
        except Conflict:
            continue  # the other one saved first: a stale base, refused as it should be
        assert info.disk_error is None, info.disk_error
        stored += 1
    services.close()
    print(stored)
    """
)


def _limits(flags: Path) -> list[str]:
    return [str(flags), str(SAVES), str(CEILING)]


class DiskWatcher(threading.Thread):
    """Reads the file over and over while the race runs, noting each text it finds there
    (the writes replace the file in one rename, so every read is one whole version)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.seen: list[str] = []
        self.done = threading.Event()

    def run(self) -> None:
        # Every millisecond: a version stays on disk until the other process's next write,
        # which its up to 50 ms jitter puts milliseconds away. Without the pause the loop
        # took a whole core from the two racers, on a machine of two.
        while not self.done.wait(0.001):
            text = self.path.read_text(encoding="utf-8")
            if not self.seen or self.seen[-1] != text:
                self.seen.append(text)


def _race(services: Services, tmp_path: Path, file_id: object, watcher: DiskWatcher) -> int:
    flags = tmp_path / "flags"
    flags.mkdir()
    script = tmp_path / "race.py"
    script.write_text(SCRIPT, encoding="utf-8")
    url = services.ctx.db.engine.url.render_as_string(hide_password=False)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), url, str(file_id), name, *_limits(flags)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alice", "bob")
    ]
    watcher.start()
    stored = 0
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=5 * CEILING)
            assert proc.returncode == 0, err
            stored += int(out.strip())
    finally:
        watcher.done.set()
        watcher.join(CEILING)
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    return stored


def test_two_processes_saving_one_bound_file_leave_the_newest_text_on_disk(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "notes.md").write_text("start\n", encoding="utf-8")
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    services.disk_sync.bind(project.id, root)
    file = services.files.find(project.id, "notes.md")
    watcher = DiskWatcher(root / "notes.md")

    stored = _race(services, tmp_path, file.id, watcher)

    head = services.files.read(file.id)
    assert (root / "notes.md").read_text(encoding="utf-8") == head.text
    history = services.files.versions(file.id)
    revived = [v.number for v in history if v.message == CHANGED_ON_DISK]
    assert revived == [], f"older text came back from disk as versions {revived}"
    number_of = {services.files.read(file.id, v.number).text: v.number for v in history}
    assert len(number_of) == len(history), "a text was stored twice"
    assert head.version == 1 + stored
    # The disk only ever moved forward: never back to an older version once a newer one
    # was there.
    on_disk = [number_of[text] for text in watcher.seen]
    assert on_disk == sorted(on_disk), f"the disk went back to older versions: {on_disk}"
    # What the next open sees: nothing to do, nothing to bring back.
    report = services.disk_sync.scan(project.id)
    assert (report.changed, report.conflicts, report.problems) == ([], [], [])
    assert services.files.read(file.id).version == head.version
