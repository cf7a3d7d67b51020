"""The first send's one-time loading, done ahead: after ``make_ready`` (the chat area calls it
while the user types), a process's first answer loads no HTTP module and reads the CA bundle
no more. Checked in a fresh interpreter through ``sys.modules``, not with a stopwatch
(`benchmarks/first_answer.py` has the times)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from promptterm.services.facade import Services
from support.cli_process import CEILING, MigratedSqlite
from support.llm_server import LLMServer, Script

CHILD = """
import json, sys
from promptterm.services.facade import Services

services = Services.open(sys.argv[1])
thread = services.chat.create_thread(provider="local", model="test-model")
before = set(sys.modules)
services.chat_send.make_ready()
ready = set(sys.modules)
result = services.chat_send.send(thread.id, "Hello?")
from promptterm.providers.http import ssl_context

print(json.dumps({
    "answer": result.content,
    "ahead": sorted(ready - before),
    "on_send": sorted(set(sys.modules) - ready),
    "ca_reads": ssl_context.cache_info().misses,
}))
"""
# What a first request loads: the HTTP stack and our clients.
HTTP = ("httpx", "httpcore", "h11", "anyio", "certifi", "promptterm.providers")


def first_send(url: str) -> dict[str, object]:
    """make_ready, then a fresh process's first send."""
    env = {k: v for k, v in os.environ.items() if k != "PROMPTTERM_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url],
        capture_output=True,
        text=True,
        env=env,
        timeout=CEILING,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def http_modules(names: object) -> list[str]:
    assert isinstance(names, list)
    return [name for name in names if name.split(".")[0] in HTTP or name.startswith(HTTP)]


def test_after_make_ready_the_first_send_loads_no_http_module(
    migrated_sqlite: MigratedSqlite, tmp_path: Path, llm: LLMServer
) -> None:
    url = migrated_sqlite(tmp_path / "chat.db")
    services = Services.open(url)
    services.providers.add(
        "local", "openai-compatible", base_url=llm.openai_url, default_model="test-model"
    )
    services.close()
    llm.push(Script(text="Hi there."))

    ready = first_send(url)
    assert ready["answer"] == "Hi there."
    # Loaded ahead: without make_ready, the first send loaded these itself (the wait).
    assert "httpx" in http_modules(ready["ahead"])
    assert http_modules(ready["on_send"]) == []
    assert ready["ca_reads"] == 1  # read ahead, and the send's client took it as it was
