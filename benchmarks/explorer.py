"""The explorer with 200 workspaces x 50 projects (10,000 projects): how long until it shows?

Seeds a SQLite database through the services (on the pro plan: the free one stops at 10
projects), cached between runs, then measures:

- start to tree shown: a fresh `promptterm` process on an 80x24 pty until the tree holds
  the 200 workspaces (what a user waits for);
- in-process (headless), the parts: first load, expanding a workspace of 50 projects,
  typing a filter that searches all 10,000 projects, clearing it again.

    .venv/bin/python benchmarks/explorer.py [--workspaces 200] [--projects 50] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from startup import PROMPTTERM_CHILD, Figures, run_in_pty, sandbox


def seed(url: str, workspaces: int, projects: int) -> float:
    from promptterm.services.facade import Services

    started = time.perf_counter()
    services = Services.open(url)
    services.billing.set_plan("pro")
    for w in range(workspaces):
        ws = services.workspaces.create(f"Workspace {w:03d}")
        for p in range(projects):
            services.projects.create(ws.id, f"Project {w:03d}-{p:02d}", language="Python")
    services.close()
    return time.perf_counter() - started


async def parts(env: dict[str, str]) -> dict[str, float]:
    """Headless, in this process: where the time goes once the app runs."""
    os.environ.update(env)
    from textual.widgets import Tree

    from promptterm.app import PromptTermApp
    from promptterm.config import load_settings
    from promptterm.services.facade import Services

    settings = load_settings()
    # The opener runs after the first frame, as with the `promptterm` command.
    app = PromptTermApp(services=lambda: Services.open(settings.database_url), settings=settings)
    figures: dict[str, float] = {}

    async def until(check: object) -> float:
        started = time.perf_counter()
        while not check():  # type: ignore[operator]
            await asyncio.sleep(0.001)
        return time.perf_counter() - started

    started = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one("#explorer-tree", Tree)
        await until(lambda: len(tree.root.children) > 1)
        figures["run_test start to tree (incl. opening)"] = time.perf_counter() - started
        await pilot.pause()
        first = tree.root.children[0]
        started = time.perf_counter()
        await pilot.press("right")
        await until(lambda: len(first.children) >= 50)
        figures["expand a workspace (50 projects)"] = time.perf_counter() - started
        started = time.perf_counter()
        await pilot.press("slash", "1", "2", "3", "-", "4")
        await until(lambda: len(tree.root.children) == 1 and tree.root.children[0].children)
        figures["filter '123-4' (loads 10,000 projects once)"] = time.perf_counter() - started
        started = time.perf_counter()
        await pilot.press("backspace", "3")  # '123-3': projects 30 to 39 of workspace 123
        await until(lambda: any("123-3" in str(n.label) for n in tree.root.children[0].children))
        figures["filter again (already loaded)"] = time.perf_counter() - started
        started = time.perf_counter()
        await pilot.press("escape")
        await until(lambda: len(tree.root.children) > 1)
        figures["clear the filter"] = time.perf_counter() - started
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reseed", action="store_true", help="rebuild the cached database")
    args = parser.parse_args()

    env = sandbox()
    cache = Path(tempfile.gettempdir()) / f"promptterm-bench-{args.workspaces}x{args.projects}"
    database = cache / "promptterm.db"
    env["PROMPTTERM_DATA_DIR"] = str(cache)
    url = f"sqlite:///{database}"
    if args.reseed and cache.exists():
        for file in cache.iterdir():
            file.unlink()
    if not database.exists():
        os.environ.update(env)
        took = seed(url, args.workspaces, args.projects)
        print(f"Seeded {args.workspaces} x {args.projects} through the services in {took:.1f} s")
    print(f"Explorer with {args.workspaces} workspaces x {args.projects} projects ({database})")

    tree_env = {**env, "BENCH_UNTIL": "tree"}
    run_in_pty(PROMPTTERM_CHILD, tree_env)  # warm caches
    shown = Figures("start to tree shown (80x24 pty)", [])
    for _ in range(args.runs):
        shown.seconds.append(run_in_pty(PROMPTTERM_CHILD, tree_env))
    print("  " + shown.line())

    runs = [asyncio.run(parts(env)) for _ in range(max(1, args.runs // 2))]
    for name in runs[0]:
        median = statistics.median(run[name] for run in runs)
        print(f"  {name:<46} median {median * 1000:7.1f} ms   (n={len(runs)})")


if __name__ == "__main__":
    main()
