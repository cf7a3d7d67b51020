"""Checking 20 registered stdio MCP servers in parallel: wall time against the < 3 s target.

    .venv/bin/python benchmarks/mcp_checks.py [--servers 20] [--concurrency 2,4,8]
        [--server minimal|sdk|sdk-lowlevel]      (--sdk: the same as --server sdk)

Registers N stdio servers in a throwaway SQLite database and checks them all through the
service (``check_servers``: connect, initialize, list tools, prompts and resources, record),
as the app's "check all" does. The servers:

- ``minimal``: benchmarks/mcp_minimal_server.py, standard library only (~30 ms to start):
  the figure is the checker's own cost;
- ``sdk``: the test server on the official SDK's MCPServer (tests/support/mcp_server.py);
- ``sdk-lowlevel``: a server on the SDK's low-level ``Server`` over stdio, what a light
  server written with the SDK would be (benchmarks/mcp_lowlevel_server.py).

Bytecode of everything the servers import is compiled first (as an installed package is),
so no server start compiles the SDK from source. Printed: one server checked alone (its
start to initialize, the listings, the CPU its processes used), then the whole check per
concurrency bound, with wall, this process's CPU (the checker) and the CPU of the started
processes (the servers and their launchers). Python servers' start is CPU work: with S s of
it in all on N cores, no checker finishes in under S / N s; the verdict says so when that
is what stands between the figure and the target.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0
SERVERS = {
    "minimal": ([str(ROOT / "benchmarks/mcp_minimal_server.py")], "minimal stdlib server"),
    "sdk": ([str(ROOT / "tests/support/mcp_server.py"), "--stdio"], "SDK MCPServer server"),
    "sdk-lowlevel": (
        [str(ROOT / "benchmarks/mcp_lowlevel_server.py")],
        "SDK low-level Server",
    ),
}


def children_cpu() -> float:
    """CPU seconds of the child processes ended and reaped so far (servers, launchers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def launcher_cpu() -> float:
    """CPU seconds our launcher costs per stdio server (it starts the registered command)."""
    from promptterm.services.mcp.connect import LAUNCHER

    before = children_cpu()
    for _ in range(5):
        subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), "true"], check=True)
    return (children_cpu() - before) / 5


def anatomy(script: list[str]) -> tuple[float, float, float, float]:
    """One server checked alone, the SDK client as the check uses it: seconds to initialize
    (process start, its imports, the handshake), for the three listings, to close (the
    process told to end and gone), and the CPU seconds of its processes."""
    import uuid

    import anyio

    from promptterm.services.mcp.connect import open_client
    from promptterm.services.mcp.spec import ServerSpec

    spec = ServerSpec(uuid.uuid4(), "alone", "stdio", command=sys.executable, args=tuple(script))
    marks: list[float] = []

    async def check() -> None:
        with tempfile.TemporaryFile("w+", encoding="utf-8") as errlog:
            marks.append(time.perf_counter())
            async with open_client(spec, errlog, 60.0) as client:
                marks.append(time.perf_counter())
                caps = client.server_capabilities
                await client.list_tools()
                if caps.prompts is not None:
                    await client.list_prompts()
                if caps.resources is not None:
                    await client.list_resources()
                marks.append(time.perf_counter())
            marks.append(time.perf_counter())

    cpu = children_cpu()
    anyio.run(check)
    return marks[1] - marks[0], marks[2] - marks[1], marks[3] - marks[2], children_cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--concurrency", help="bounds to try, e.g. 2,4,8 (default: the app's)")
    parser.add_argument("--server", choices=sorted(SERVERS), default="minimal")
    parser.add_argument("--sdk", action="store_true", help="the same as --server sdk")
    args = parser.parse_args()
    kind = "sdk" if args.sdk else args.server
    script, label = SERVERS[kind]

    compiled = [str(ROOT / "src"), str(ROOT / "tests/support"), str(ROOT / "benchmarks")]
    compiled.append(sys.prefix + "/lib")
    subprocess.run([sys.executable, "-m", "compileall", "-q", *compiled], check=False)
    print("bytecode compiled first: " + ", ".join(compiled))

    import anyio

    from promptterm.services.facade import Services
    from promptterm.services.mcp import check_servers
    from promptterm.services.mcp.checks import DEFAULT_CONCURRENCY

    bounds = [int(b) for b in args.concurrency.split(",")] if args.concurrency else []
    bounds = bounds or [DEFAULT_CONCURRENCY]
    cores = os.cpu_count() or 1
    print(f"servers: {args.servers} x {label}; {cores} CPUs; app's bound {DEFAULT_CONCURRENCY}")

    with tempfile.TemporaryDirectory(prefix="promptterm-mcp-bench-") as scratch:
        services = Services.open(f"sqlite:///{scratch}/bench.db")
        for n in range(args.servers):
            services.mcp.add_stdio(f"server-{n:02d}", sys.executable, script)
        warm = services.mcp.add_stdio("warm-up", sys.executable, script, enabled=False)
        started = time.perf_counter()
        [first] = anyio.run(lambda: check_servers(services.mcp, [warm.id]))
        first_s = time.perf_counter() - started
        print(
            f"first check (the SDK client's import + one check): {first_s:.2f} s ({first.status})"
        )

        alone = [anatomy(script) for _ in range(3)]
        start_s = statistics.median(a[0] for a in alone)
        list_s = statistics.median(a[1] for a in alone)
        close_s = statistics.median(a[2] for a in alone)
        per_server_cpu = statistics.median(a[3] for a in alone)
        ours_launcher = launcher_cpu()
        print(
            f"one server alone: start to initialized {start_s * 1e3:.0f} ms wall, "
            f"three listings {list_s * 1e3:.1f} ms, closing {close_s * 1e3:.0f} ms; "
            f"{per_server_cpu * 1e3:.0f} ms CPU in its processes "
            f"(of which our launcher {ours_launcher * 1e3:.0f} ms)"
        )

        verdicts = []
        for bound in bounds:
            cpu, kids = time.process_time(), children_cpu()
            started = time.perf_counter()
            results = anyio.run(
                lambda b=bound: check_servers(services.mcp, concurrency=b, timeout=60.0)
            )
            wall = time.perf_counter() - started
            cpu, kids = time.process_time() - cpu, children_cpu() - kids
            healthy = sum(r.status == "active" for r in results)
            latencies = sorted(r.latency_ms or 0 for r in results)
            print(
                f"check all, bound {bound}: {wall:.2f} s wall; CPU: checker {cpu:.2f} s, "
                f"servers + launchers >= {kids:.2f} s (those reaped); healthy "
                f"{healthy}/{len(results)}; latency p50 {latencies[len(latencies) // 2]} ms, "
                f"max {latencies[-1]} ms"
            )
            verdicts.append((wall, healthy == len(results), cpu))
        services.close()

    # The servers' start is CPU work: N of them need N times one alone's CPU, and the
    # cores can give it no faster than this, whatever the checker does.
    floor = per_server_cpu * args.servers / cores
    print(f"servers' own start-up: {floor:.2f} s of wall at best ({args.servers} x "
          f"{per_server_cpu * 1e3:.0f} ms CPU on {cores} CPUs)")  # fmt: skip
    wall, all_healthy, cpu = min(verdicts)
    met = wall < TARGET_S and all_healthy
    print(f"verdict: {'met' if met else 'NOT met'} (target < {TARGET_S:.0f} s wall, all healthy)")
    if not met and floor >= TARGET_S * 0.8:
        print(
            f"  the servers alone need {floor:.1f} s on {cores} CPUs: no checker meets the "
            f"target with them here; the checker's own CPU was {cpu:.2f} s "
            f"(+ {ours_launcher * args.servers:.2f} s in launchers)"
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
