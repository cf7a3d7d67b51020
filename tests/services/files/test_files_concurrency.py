"""Two sessions saving the same file on the same base: exactly one wins, the other gets a
StaleSave conflict, and nothing is half-stored, with threads and with separate processes,
on SQLite and PostgreSQL. Both saves are held until each has passed the early head check,
so it is the conditional UPDATE that decides, as it must under a real race."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from promptterm.services.facade import Services
from promptterm.services.files import store as file_store
from promptterm.services.files.version_store import StaleSave
from support.waiting import CEILING

SRC = Path(__file__).resolve().parents[3] / "src"


def _file(services: Services) -> tuple[object, object]:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    return project, services.files.create(project.id, "shared.md", "base\n")


def test_two_threads_saving_the_same_base_one_wins(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, file = _file(services)
    both_checked = threading.Barrier(2, timeout=CEILING)
    encode_next = file_store.encode_next

    def encode_after_both_checked(content: str, head: file_store.Head | None) -> object:
        both_checked.wait()  # both saves have seen head == base by now
        return encode_next(content, head)

    monkeypatch.setattr(file_store, "encode_next", encode_after_both_checked)
    outcomes: dict[str, object] = {}

    def save(name: str) -> None:
        try:
            outcomes[name] = services.files.save(
                file.id, f"{name}'s text\n", base_version=1, message=name
            )
        except Exception as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=save, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(CEILING)
    assert not any(t.is_alive() for t in threads)
    conflicts = [o for o in outcomes.values() if isinstance(o, StaleSave)]
    saved = [o for o in outcomes.values() if not isinstance(o, Exception)]
    assert len(conflicts) == 1 and len(saved) == 1, outcomes
    assert (conflicts[0].base_version, conflicts[0].current_version) == (1, 2)
    monkeypatch.setattr(file_store, "encode_next", encode_next)
    history = services.files.versions(file.id)
    assert [v.number for v in history] == [2, 1]
    winner = history[0].message
    assert services.files.read(file.id).text == f"{winner}'s text\n"


SCRIPT = textwrap.dedent(
    """
    import sys, time, uuid
    from pathlib import Path
    from promptterm.services.files import store as file_store
    from promptterm.services.facade import Services
    from promptterm.services.files.version_store import StaleSave

    url, file_id, name, flags = sys.argv[1], uuid.UUID(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    CEILING = float(sys.argv[5])
    services = Services.open(url)
    encode_next = file_store.encode_next

    def wait_for_the_other(content, head):
        (flags / name).touch()
        deadline = time.monotonic() + CEILING
        while len(list(flags.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        return encode_next(content, head)

    file_store.encode_next = wait_for_the_other
    try:
        services.files.save(file_id, name + "\\n", base_version=1, message=name)
        print("saved")
    except StaleSave as exc:
        print("conflict", exc.current_version)
    """
)


def test_two_processes_saving_the_same_base_one_wins(services: Services, tmp_path: Path) -> None:
    _, file = _file(services)
    flags = tmp_path / "flags"
    flags.mkdir()
    script = tmp_path / "save.py"
    script.write_text(SCRIPT, encoding="utf-8")
    url = services.ctx.db.engine.url.render_as_string(hide_password=False)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), url, str(file.id), name, str(flags), str(CEILING)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alice", "bob")
    ]
    results = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=2 * CEILING)  # start-up, then the wait
            assert proc.returncode == 0, err
            results.append(out.strip())
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert sorted(results) == ["conflict 2", "saved"]
    assert [v.number for v in services.files.versions(file.id)] == [2, 1]
