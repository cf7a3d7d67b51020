"""A user flow of 200 pages laid out as text: how long ``layout_flow`` takes (ranking the
positions, placing the boxes, routing every arrow), and how long drawing one 120x40 window
and the whole picture take. Pure computation on plain data: no database, no terminal.

Two shapes: a canvas-like grid (20 columns by 10 rows at 250/150 px spacing, each page
linked to its right and lower neighbours and a few long arrows), and the worst case for the
ranking (every page at its own x and y, so 200 columns by 200 rows). Target: layout < 50 ms.

    .venv/bin/python benchmarks/plan_flow.py [--pages 200] [--runs 30]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from datetime import UTC, datetime

from promptterm.services.plan import FlowConnectionInfo, FlowPageInfo, layout_flow

TARGET_MS = 50.0
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PROJECT = uuid.uuid4()


def page(n: int, x: int, y: int) -> FlowPageInfo:
    status = ("not_started", "in_progress", "done")[n % 3]
    return FlowPageInfo(uuid.uuid4(), PROJECT, f"Page {n}", None, None, (), status, x, y, NOW, NOW)


def grid(count: int, rng: random.Random) -> tuple[list[FlowPageInfo], list[FlowConnectionInfo]]:
    pages = [page(n, (n % 20) * 250, (n // 20) * 150) for n in range(count)]
    links = []
    for n, p in enumerate(pages):
        for m in (n + 1, n + 20):
            if m < count and (m != n + 1 or m % 20):
                links.append(FlowConnectionInfo(uuid.uuid4(), PROJECT, p.id, pages[m].id))
    for _ in range(count // 4):
        a, b = rng.sample(pages, 2)
        links.append(FlowConnectionInfo(uuid.uuid4(), PROJECT, a.id, b.id))
    return pages, links


def scattered(
    count: int, rng: random.Random
) -> tuple[list[FlowPageInfo], list[FlowConnectionInfo]]:
    xs, ys = rng.sample(range(100_000), count), rng.sample(range(100_000), count)
    pages = [page(n, xs[n], ys[n]) for n in range(count)]
    links = [
        FlowConnectionInfo(uuid.uuid4(), PROJECT, a.id, b.id)
        for a, b in (rng.sample(pages, 2) for _ in range(count * 3 // 2))
    ]
    return pages, links


def timed(fn: object, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float]) -> float:
    p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
    print(f"  {label:28} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")
    return p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(17)
    worst = 0.0
    for name, build in (("grid", grid), ("scattered", scattered)):
        pages, links = build(args.pages, rng)
        layout = layout_flow(pages, links)
        print(f"{name}: {len(pages)} pages, {len(links)} arrows, picture "
              f"{layout.width}x{layout.height} cells")  # fmt: skip
        laid = timed(lambda p=pages, c=links: layout_flow(p, c), args.runs)
        worst = max(worst, report("layout", laid))
        report("draw a 120x40 window", timed(lambda f=layout: f.render(0, 0, 120, 40), args.runs))
        if name == "grid":
            report("draw the whole picture", timed(layout.render, max(3, args.runs // 5)))
    verdict = "PASS" if worst < TARGET_MS else "FAIL"
    print(f"verdict: {verdict} (worst layout p95 {worst:.2f} ms; target < {TARGET_MS:.0f} ms)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
