"""What a tool round trip adds to a send, beyond the tool's own time: the model asks for a
tool, the chat stores that answer (metered), runs the tool (approved), stores its result,
sends it back and streams the model's final answer. Against the loopback LLM server in its
own process and a ToolSource whose tool returns at once (its own time is measured and
subtracted). Target: < 30 ms added per round trip.

    added = median(send with one tool round) - median(plain send) - median(tool's own time)

    .venv/bin/python benchmarks/tool_roundtrip.py [--runs 30] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 30.0
ANSWER_TOKENS = 20


def start_server() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/support/llm_server.py"), "--tokens",
         str(ANSWER_TOKENS), "--lifetime", "600", "--tool", "bench__read"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


class FastTools:
    """One tool that answers at once; its own time is recorded to be subtracted."""

    name = "bench"

    def __init__(self) -> None:
        self.own: list[float] = []

    def definitions(self) -> list[Any]:
        from promptterm.services.chat import ToolSpec

        schema = {"type": "object", "properties": {"path": {"type": "string"}}}
        return [ToolSpec("read", "Read a file", schema, "bench")]

    async def call(self, name: str, arguments: dict[str, Any]) -> Any:
        from promptterm.services.chat import ToolResult

        started = time.perf_counter()
        text = f"contents of {arguments.get('path')}: " + "x" * 200
        self.own.append(time.perf_counter() - started)
        return ToolResult(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    from promptterm.services.facade import Services

    server, url = start_server()
    workdir = tempfile.mkdtemp(prefix="promptterm-bench-")
    services = Services.open(args.database_url or f"sqlite:///{workdir}/bench.db")
    tools = FastTools()

    async def approve(request: Any) -> str:
        return "once"

    try:
        name = f"bench-{int(time.time())}"
        services.providers.add(
            name, "openai-compatible", base_url=url + "/v1", default_model="test-model"
        )
        services.billing.set_plan("business")  # room for every run
        plain = services.chat.create_thread()
        with_tool = services.chat.create_thread()

        def plain_send() -> float:
            started = time.perf_counter()
            result = services.chat_send.send(plain.id, "go", provider=name)
            assert result.status == "complete", result.error
            return time.perf_counter() - started

        def tool_send() -> float:
            started = time.perf_counter()
            result = services.chat_send.send(
                with_tool.id, "go", provider=name, tools=[tools], approve=approve
            )
            assert result.status == "complete" and result.notice is None, result
            return time.perf_counter() - started

        plain_send(), tool_send()  # warm-up: connections, imports, caches
        tools.own.clear()
        plain_times, tool_times = [], []
        for _ in range(args.runs):  # interleaved, so machine load hits both alike
            plain_times.append(plain_send())
            tool_times.append(tool_send())
        base = statistics.median(plain_times)
        full = statistics.median(tool_times)
        own = statistics.median(tools.own)
        added = full - base - own
        p90 = sorted(t - base for t in tool_times)[int(len(tool_times) * 0.9) - 1]
        print(f"tool round trip, median of {args.runs} runs, {services.ctx.db.dialect}")
        print(f"  plain send ({ANSWER_TOKENS}-token answer)      {base * 1e3:8.1f} ms wall")
        print(f"  send with one tool round          {full * 1e3:8.1f} ms wall")
        print(f"  the tool's own time               {own * 1e3:8.3f} ms")
        print(f"  added by the round trip           {added * 1e3:8.1f} ms  (p90 {p90 * 1e3:.1f})")
        verdict = "PASS" if added * 1e3 < TARGET_MS else "FAIL"
        print(f"{verdict}: a tool round trip adds {added * 1e3:.1f} ms (target < {TARGET_MS:g} ms)")
    finally:
        services.close()
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
