"""How long one save of a file in a bound folder takes, through the real service layer.

    .venv/bin/python benchmarks/bound_save.py                   # SQLite and PostgreSQL
    .venv/bin/python benchmarks/bound_save.py --backend sqlite  # or postgres
    .venv/bin/python benchmarks/bound_save.py --saves 100       # a quicker run

Each save is a one-line edit of a 4 KB file: the check for an unseen disk change, the
commit, the write (temporary file, fsync, rename, fsync of the folder) and the record of
what was written, plus (issue 12, items 8 and 9) the folder's lock across processes and the
intended hash stored with the version. Prints the median and the 90th percentile of the
wall time, and the median CPU time of this process (steadier on a busy machine), after a
warm-up. PostgreSQL runs durable (fsync on), as a real server does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from promptterm.services.facade import Services

LINES = 100  # about 4 KB


def text_for(n: int) -> str:
    lines = [f"line {i}: the quick brown fox jumps over the lazy dog\n" for i in range(LINES)]
    lines[n % LINES] = f"line {n % LINES}: edited in save {n}\n"
    return "".join(lines)


def run_backend(name: str, url: str, folder: Path, saves: int, warmup: int) -> None:
    services = Services.open(url)
    try:
        root = folder / "site"
        root.mkdir()
        (root / "notes.md").write_text(text_for(-1), encoding="utf-8")
        ws = services.workspaces.create("Bench")
        project = services.projects.create(ws.id, "Site")
        services.disk_sync.bind(project.id, root)
        file = services.files.find(project.id, "notes.md")
        head = file.head_version
        wall: list[float] = []
        cpu: list[float] = []
        for n in range(warmup + saves):
            started, started_cpu = time.perf_counter(), time.process_time()
            info = services.files.save(file.id, text_for(n), base_version=head)
            elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
            assert info.disk_error is None, info.disk_error
            head = info.number
            if n >= warmup:
                wall.append(elapsed * 1000)
                cpu.append(elapsed_cpu * 1000)
        assert (root / "notes.md").read_text(encoding="utf-8") == text_for(warmup + saves - 1)
        wall.sort()
        p90 = wall[int(0.9 * (len(wall) - 1))]
        print(
            f"{name:<11} save of a bound 4 KB file: median {statistics.median(wall):.2f} ms, "
            f"p90 {p90:.2f} ms, CPU median {statistics.median(cpu):.2f} ms ({saves} saves)"
        )
    finally:
        services.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument(
        "--dir", help="where the database and folder go (e.g. /dev/shm: no disk, CPU only)"
    )
    args = parser.parse_args(argv)
    # The folder locks live in the data folder: keep them out of the user's.
    data = tempfile.TemporaryDirectory(dir=args.dir)
    os.environ["PROMPTTERM_DATA_DIR"] = data.name
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            folder = Path(tmp)
            url = f"sqlite:///{folder / 'bench.db'}"
            run_backend("SQLite", url, folder, args.saves, args.warmup)
    if args.backend in ("postgres", "both"):
        bin_dir = find_bin_dir()
        if bin_dir is None:
            print("PostgreSQL: skipped (no server binaries found)")
            return 0
        try:
            with BenchPostgres(bin_dir) as server, tempfile.TemporaryDirectory(dir=args.dir) as tmp:
                server.create_database("bench")
                run_backend("PostgreSQL", server.url("bench"), Path(tmp), args.saves, args.warmup)
        except PostgresUnavailable as exc:
            print(f"PostgreSQL: skipped ({exc})")
    data.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
