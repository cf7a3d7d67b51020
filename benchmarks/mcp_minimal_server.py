"""A minimal stdio MCP server in the standard library only (benchmarks/mcp_checks.py).

It answers what a health check asks (initialize, tools/list, prompts/list, resources/list;
server/discover as unknown, so the SDK client falls back to the initialize handshake) and
starts in ~30 ms, where a server on the SDK spends ~1 s of CPU importing it: checking many
of these measures the checker, not the servers' start-up.
"""

from __future__ import annotations

import json
import sys

TOOLS = [
    {
        "name": f"tool_{n}",
        "description": f"Tool number {n}",
        "inputSchema": {"type": "object", "properties": {"x": {"type": "integer"}}},
    }
    for n in range(5)
]
RESULTS = {
    "initialize": {
        "protocolVersion": "2025-06-18",
        "capabilities": {"tools": {}, "prompts": {}, "resources": {}},
        "serverInfo": {"name": "minimal", "version": "0.1"},
    },
    "tools/list": {"tools": TOOLS},
    "prompts/list": {"prompts": []},
    "resources/list": {"resources": []},
    "ping": {},
}


def main() -> None:
    for line in sys.stdin:
        message = json.loads(line)
        if "id" not in message:
            continue  # a notification (initialized)
        method = message.get("method")
        reply: dict[str, object] = {"jsonrpc": "2.0", "id": message["id"]}
        if method in RESULTS:
            reply["result"] = RESULTS[method]
        else:
            reply["error"] = {"code": -32601, "message": f"Method not found: {method}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
