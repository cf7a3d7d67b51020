"""What a tool round trip through a real MCP server adds to a send: the model asks for the
SDK test server's ``add`` (tests/support/mcp_server.py; its own time is microseconds), the
chat runs it through the registry's adapter (services/mcp/tool_source.py), sends the result
back and streams the final answer. Over streamable HTTP and over stdio; the loopback LLM
server in its own process. Target (issue 16): < 30 ms added per round trip.

    added = median(send with one MCP tool round) - median(plain send)

Also printed: one ``call_tool`` on a session the pool keeps open (what the chat does), and
one with a session of its own (opened, initialized, the call, closed; over stdio a server
process start): the part of the round trip that is MCP's.

    .venv/bin/python benchmarks/mcp_roundtrip.py [--runs 20] [--transport http|stdio|both]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "tests/support/mcp_server.py"
TARGET_MS = 30.0
ANSWER_TOKENS = 20


def start_llm(tool: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/support/llm_server.py"), "--tokens",
         str(ANSWER_TOKENS), "--lifetime", "900", "--tool", tool,
         "--tool-arguments", '{"a": 20, "b": 22}'],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def start_mcp_http() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    process = subprocess.Popen(
        [sys.executable, str(SERVER), "--http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"http://127.0.0.1:{port}/mcp"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the MCP test server did not listen within 120 s")


def measure(transport: str, runs: int) -> None:
    import anyio

    from promptterm.services.facade import Services
    from promptterm.services.mcp import call_tool, check_server, connect_chat_tools
    from promptterm.services.mcp.pool import close_shared_pool, shared_pool

    name = "srv"
    llm, url = start_llm(f"{name}__add")
    mcp_process = None
    workdir = tempfile.mkdtemp(prefix="promptterm-bench-")
    services = Services.open(f"sqlite:///{workdir}/bench.db")
    connect_chat_tools(lambda: services.ctx)

    async def approve(request: Any) -> str:
        return "once"

    try:
        if transport == "http":
            mcp_process, mcp_url = start_mcp_http()
            services.mcp.add_http(name, mcp_url)
        else:
            services.mcp.add_stdio(name, sys.executable, [str(SERVER), "--stdio"])
        info = anyio.run(check_server, services.mcp, name, 120.0)
        assert info.status == "active", info.last_error
        services.providers.add(
            "bench", "openai-compatible", base_url=url + "/v1", default_model="test-model"
        )
        services.billing.set_plan("business")  # room for every run
        plain = services.chat.create_thread()
        with_tool = services.chat.create_thread()
        services.chat_send.tools.set(with_tool.id, [name])

        def plain_send() -> float:
            started = time.perf_counter()
            result = services.chat_send.send(plain.id, "go", provider="bench")
            assert result.status == "complete", result.error
            return time.perf_counter() - started

        def tool_send() -> float:
            started = time.perf_counter()
            result = services.chat_send.send(with_tool.id, "go", provider="bench", approve=approve)
            assert result.status == "complete" and result.notice is None, result
            return time.perf_counter() - started

        def bare_call() -> float:
            started = time.perf_counter()
            done = anyio.run(call_tool, services.ctx, name, "add", {"a": 1, "b": 2}, 120.0)
            assert done.text == "3", done
            return time.perf_counter() - started

        def pooled_call() -> float:
            started = time.perf_counter()
            done = anyio.run(call_tool, services.ctx, name, "add", {"a": 1, "b": 2}, 120.0, pool)
            assert done.text == "3", done
            return time.perf_counter() - started

        pool = shared_pool()
        plain_send(), tool_send(), bare_call(), pooled_call()  # warm-up: imports, caches
        plain_times, tool_times, bare_times, pooled_times = [], [], [], []
        for _ in range(runs):  # interleaved, so machine load hits all alike
            plain_times.append(plain_send())
            tool_times.append(tool_send())
            bare_times.append(bare_call())
            pooled_times.append(pooled_call())
        base, full = statistics.median(plain_times), statistics.median(tool_times)
        added = full - base
        p90 = sorted(t - base for t in tool_times)[int(len(tool_times) * 0.9) - 1]
        print(f"MCP tool round trip over {transport}, median of {runs} runs")
        print(f"  plain send ({ANSWER_TOKENS}-token answer)      {base * 1e3:8.1f} ms wall")
        print(f"  send with one MCP tool round      {full * 1e3:8.1f} ms wall")
        print(f"  added by the round trip           {added * 1e3:8.1f} ms  (p90 {p90 * 1e3:.1f})")
        pooled, bare = statistics.median(pooled_times), statistics.median(bare_times)
        print(f"  one call_tool on a pooled session {pooled * 1e3:8.1f} ms")
        print(f"  one call_tool, session per call   {bare * 1e3:8.1f} ms")
        verdict = "PASS" if added * 1e3 < TARGET_MS else "FAIL"
        print(f"{verdict}: adds {added * 1e3:.1f} ms over {transport} (target < {TARGET_MS:g} ms)")
    finally:
        close_shared_pool()
        services.close()
        llm.terminate()
        llm.wait(10)
        if mcp_process is not None:
            mcp_process.terminate()
            mcp_process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--transport", choices=("http", "stdio", "both"), default="both")
    args = parser.parse_args()
    # Nothing here has a secret: keep the user's real keyring out of it.
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    for transport in ("http", "stdio") if args.transport == "both" else (args.transport,):
        measure(transport, args.runs)


if __name__ == "__main__":
    main()
