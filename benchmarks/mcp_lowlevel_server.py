"""A stdio MCP server on the official SDK's low-level ``Server`` (benchmarks/mcp_checks.py).

What a lightweight server written with the SDK looks like: no MCPServer (FastMCP) layer,
handlers given by hand, stdio only. Five tools, as benchmarks/mcp_minimal_server.py has.
Its start costs about what the test server's does (~0.8 s of CPU): ``import mcp`` loads the
whole SDK (client, server, starlette, the protocol types of every version), whichever part
a server uses.
"""

from __future__ import annotations

import anyio
import mcp.server.stdio
import mcp.types as types
from mcp.server.lowlevel import Server

TOOLS = [
    types.Tool(
        name=f"tool_{n}",
        description=f"Tool number {n}",
        input_schema={"type": "object", "properties": {"x": {"type": "integer"}}},
    )
    for n in range(5)
]


async def list_tools(ctx: object, params: object) -> types.ListToolsResult:
    return types.ListToolsResult(tools=TOOLS)


async def call_tool(ctx: object, params: types.CallToolRequestParams) -> types.CallToolResult:
    x = (params.arguments or {}).get("x", 0)
    return types.CallToolResult(content=[types.TextContent(type="text", text=str(x))])


async def main() -> None:
    server = Server(
        "lowlevel", version="0.1", on_list_tools=list_tools, on_call_tool=call_tool
    )  # fmt: skip
    async with mcp.server.stdio.stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


if __name__ == "__main__":
    anyio.run(main)
