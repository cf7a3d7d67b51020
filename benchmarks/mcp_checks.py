"""Checking 20 registered stdio MCP servers in parallel: wall time against the < 3 s target.

    .venv/bin/python benchmarks/mcp_checks.py [--servers 20] [--concurrency 8] [--sdk]

Registers N stdio servers in a throwaway SQLite database and checks them all through the
service (``check_servers``: connect, initialize, list tools, prompts and resources, record),
as the app's "check all" does. The servers are benchmarks/mcp_minimal_server.py (standard
library, ~30 ms to start), so the figure is the checker's own cost; ``--sdk`` uses the
test server written with the SDK instead (tests/support/mcp_server.py), whose start-up
alone costs ~1 s of CPU each, to show what real Python servers add. The SDK client's own
import (once per process, before the first check) is timed apart.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=None, help="default: the app's")
    parser.add_argument("--sdk", action="store_true", help="the SDK test server instead")
    args = parser.parse_args()

    import anyio

    from promptterm.services.facade import Services
    from promptterm.services.mcp import check_servers
    from promptterm.services.mcp.checks import DEFAULT_CONCURRENCY

    concurrency = args.concurrency or DEFAULT_CONCURRENCY

    script = (
        [str(ROOT / "tests/support/mcp_server.py"), "--stdio"]
        if args.sdk
        else [str(ROOT / "benchmarks/mcp_minimal_server.py")]
    )
    with tempfile.TemporaryDirectory(prefix="promptterm-mcp-bench-") as scratch:
        services = Services.open(f"sqlite:///{scratch}/bench.db")
        for n in range(args.servers):
            services.mcp.add_stdio(f"server-{n:02d}", sys.executable, script)
        warm = services.mcp.add_stdio("warm-up", sys.executable, script, enabled=False)

        started = time.perf_counter()
        [first] = anyio.run(lambda: check_servers(services.mcp, [warm.id]))
        first_s = time.perf_counter() - started

        cpu = time.process_time()
        started = time.perf_counter()
        results = anyio.run(
            lambda: check_servers(services.mcp, concurrency=concurrency, timeout=60.0)
        )
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        services.close()

    healthy = sum(r.status == "active" for r in results)
    latencies = sorted(r.latency_ms or 0 for r in results)
    kind = "SDK test server" if args.sdk else "minimal stdlib server"
    print(f"servers: {args.servers} x {kind}, concurrency {concurrency}, {os.cpu_count()} CPUs")
    print(f"first check (SDK client import + one check): {first_s:.2f} s ({first.status})")
    print(f"healthy: {healthy}/{len(results)}")
    print(f"check all: {wall:.2f} s wall, {cpu:.2f} s CPU in this process")
    print(
        f"per server: p50 {latencies[len(latencies) // 2]} ms, "
        f"max {latencies[-1]} ms (connect to listed, as recorded)"
    )
    met = wall < TARGET_S and healthy == len(results)
    print(f"verdict: {'met' if met else 'NOT met'} (target < {TARGET_S:.0f} s wall, all healthy)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
