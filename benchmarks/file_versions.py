"""Version storage of a big file, through the real service layer, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/file_versions.py                  # both backends
    .venv/bin/python benchmarks/file_versions.py --backend sqlite  # or postgres
    .venv/bin/python benchmarks/file_versions.py --versions 200    # a quicker run

The case of issue 4, item 6: a 100 KB source file saved 1,000 times, each save a small edit
(one to three lines changed, added or removed). Targets: under 5 MB in the database, and any
version loads in under 20 ms. Also: saving a 1 MB file (a small edit, a rewrite, and a small
edit written through to a bound directory with fsync).

Load figures are ``files.read(file_id, n)`` for every version in random order, authorization
queries included, after a warm-up. Sizes: the stored payloads, and the table on disk
(PostgreSQL: pg_total_relation_size of file_versions, indexes and TOAST included; SQLite:
the pages of the file_versions table and its indexes, from the dbstat table when SQLite has
it, else the growth of the database file).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pg import BenchPostgres, PostgresUnavailable, find_bin_dir
from promptterm.db.models import FileVersion
from promptterm.services.facade import Services

WORDS = [
    *("self", "value", "result", "items", "index", "count", "total", "name", "data"),
    *("config", "request", "response", "user", "token", "model", "prompt", "message"),
    *("cache", "error", "status", "path", "text", "line", "file", "version"),
]


def make_line(rng: random.Random) -> str:
    indent = "    " * rng.randint(0, 3)
    kind = rng.random()
    if kind < 0.1:
        return f"{indent}def {rng.choice(WORDS)}_{rng.randrange(999)}(self, {rng.choice(WORDS)}):\n"
    if kind < 0.2:
        return "\n"
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9)))
    return f"{indent}{rng.choice(WORDS)} = {words!r}  # {rng.randrange(10**6)}\n"


def make_text(rng: random.Random, size: int) -> str:
    lines: list[str] = []
    total = 0
    while total < size:
        lines.append(make_line(rng))
        total += len(lines[-1])
    return "".join(lines)


def small_edit(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines))
        roll = rng.random()
        if roll < 0.6:
            lines[at] = make_line(rng)
        elif roll < 0.8:
            lines.insert(at, make_line(rng))
        else:
            del lines[at]
    return "".join(lines)


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def settle(services: Services, is_sqlite: bool) -> None:
    """What the database does on its own soon after 1,000 inserts, done before measuring
    (as benchmarks/run.py does): otherwise autovacuum lands in the middle of the loads."""
    if is_sqlite:
        with services.ctx.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with services.ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql("VACUUM ANALYZE file_versions")
        c.exec_driver_sql("CHECKPOINT")


def table_bytes(services: Services, sqlite_file: Path | None, file_growth: int) -> int:
    with services.ctx.db.engine.connect() as conn:
        if sqlite_file is None:
            query = text("SELECT pg_total_relation_size('file_versions')")
            return int(conn.execute(query).scalar_one())
        try:
            query = text(
                "SELECT SUM(pgsize) FROM dbstat WHERE name = 'file_versions'"
                " OR tbl_name = 'file_versions'"
            )
            return int(conn.execute(query).scalar_one() or 0)
        except Exception:  # SQLite built without SQLITE_ENABLE_DBSTAT_VTAB
            return file_growth


def run_backend(name: str, url: str, sqlite_file: Path | None, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    services = Services.open(url)
    try:
        ws = services.workspaces.create("Bench")
        project = services.projects.create(ws.id, "Versions")
        start_size = sqlite_file.stat().st_size if sqlite_file else 0
        text_now = make_text(rng, args.size)
        file = services.files.create(project.id, "big.py", text_now)
        saves: list[float] = []
        for number in range(1, args.versions):
            text_now = small_edit(rng, text_now)
            saves.append(
                timed(lambda t=text_now, n=number: services.files.save(file.id, t, base_version=n))
            )
        settle(services, sqlite_file is not None)
        with services.ctx.db.session() as session:
            payload, keyframes = session.execute(
                select(
                    func.sum(func.length(FileVersion.payload)),
                    func.count().filter(FileVersion.encoding == "zlib"),
                ).where(FileVersion.file_id == file.id)
            ).one()
        growth = sqlite_file.stat().st_size - start_size if sqlite_file else 0
        on_disk = table_bytes(services, sqlite_file, growth)
        order = list(range(1, args.versions + 1))
        rng.shuffle(order)
        for n in order[:50]:
            services.files.read(file.id, n)  # warm-up
        loads = [timed(lambda n=n: services.files.read(file.id, n)) for n in order]

        big = services.files.create(project.id, "huge.py", make_text(rng, 1_000_000))
        big_text = services.files.read(big.id).text
        big_saves, rewrites = [], []
        for n in range(1, 21):
            big_text = small_edit(rng, big_text)
            big_saves.append(
                timed(lambda t=big_text, n=n: services.files.save(big.id, t, base_version=n))
            )
        for n in range(21, 26):
            big_text = make_text(rng, 1_000_000)
            rewrites.append(
                timed(lambda t=big_text, n=n: services.files.save(big.id, t, base_version=n))
            )
        through = bound_saves(services, ws.id, rng)
    finally:
        services.close()

    mb = 1024 * 1024
    what = "rows, indexes" + ("" if sqlite_file else ", TOAST")
    loads_ok = "met" if pct(loads, 95) < 20 else "MISSED"
    lines = [
        f"== {name}: {args.versions} versions of a {args.size // 1000} KB file",
        f"  stored payloads     {payload / mb:6.2f} MB  ({keyframes} keyframes, the rest deltas)",
        f"  table on disk       {on_disk / mb:6.2f} MB  ({what})",
        f"  size target         {'met' if on_disk < 5 * mb else 'MISSED'}: under 5 MB",
        f"  load any version    p50 {pct(loads, 50):6.2f} ms  p95 {pct(loads, 95):6.2f} ms  "
        f"p99 {pct(loads, 99):6.2f} ms  max {max(loads):6.2f} ms  ({loads_ok}: p95 < 20 ms; "
        f"{sum(ms >= 20 for ms in loads)} of {len(loads)} loads took 20 ms or more)",
        f"  save, small edit    p50 {pct(saves, 50):6.2f} ms  p95 {pct(saves, 95):6.2f} ms",
        f"  save 1 MB, edit     p50 {pct(big_saves, 50):6.2f} ms  p95 {pct(big_saves, 95):6.2f} ms",
        f"  save 1 MB, rewrite  median {statistics.median(rewrites):6.2f} ms",
        f"  save 1 MB, edit, written through to a bound folder (fsync)  "
        f"p50 {pct(through, 50):6.2f} ms  p95 {pct(through, 95):6.2f} ms",
    ]
    print("\n" + "\n".join(lines), flush=True)


def bound_saves(services: Services, workspace_id: object, rng: random.Random) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-bound-"))
    try:
        (folder / "huge.py").write_text(make_text(rng, 1_000_000), encoding="utf-8")
        project = services.projects.create(workspace_id, "Bound")  # type: ignore[arg-type]
        services.disk_sync.bind(project.id, folder)
        file = services.files.find(project.id, "huge.py")
        services.files.max_file_bytes = 2 * 1024 * 1024
        text_now = services.files.read(file.id).text
        samples = []
        for n in range(1, 21):
            text_now = small_edit(rng, text_now)
            samples.append(
                timed(lambda t=text_now, n=n: services.files.save(file.id, t, base_version=n))
            )
        return samples
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--size", type=int, default=100_000, help="bytes of the file")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args(argv)
    print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="promptterm-bench-versions-"))
        try:
            run_backend("SQLite", f"sqlite:///{folder / 'bench.db'}", folder / "bench.db", args)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.backend in ("postgres", "both"):
        bin_dir = find_bin_dir()
        if bin_dir is None:
            print("PostgreSQL server binaries not found: skipped (set PROMPTTERM_PG_BIN)")
            return 1
        server = BenchPostgres(bin_dir)
        try:
            server.start()
        except PostgresUnavailable as exc:
            print(f"PostgreSQL unavailable: {exc}")
            return 1
        try:
            server.create_database("bench")
            print(server.version())
            run_backend("PostgreSQL", server.url("bench"), None, args)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
