"""`promptterm mcp add|list|show|check|enable|disable|rm|tools|call`: MCP servers.

Secret values (a stdio server's environment, an HTTP server's headers) never come from the
command line, where other users and the shell history see them: each ``--env NAME`` takes
$NAME, each ``--header NAME`` takes $MCP_HEADER_<NAME>; otherwise a hidden prompt asks, or
standard input gives one line per value, in the order named. They go to the OS keyring.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from promptterm.cli import exit_codes
from promptterm.cli.output import emit, table, when
from promptterm.services.errors import ValidationError

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.mcp import McpServerInfo


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    mcp = commands.add_parser("mcp", help="MCP servers: register, check, list their tools")
    sub = mcp.add_subparsers(dest="mcp_command", metavar="ACTION", required=True)

    add = sub.add_parser(
        "add",
        parents=[as_json],
        help="register a stdio (--command) or streamable HTTP (--url) server",
    )
    add.add_argument("name")
    how = add.add_mutually_exclusive_group(required=True)
    # Not dest "command": that names the subcommand itself (main.py reads it).
    how.add_argument(
        "--command",
        dest="stdio_command",
        metavar="CMD",
        help="the program that starts the server (stdio)",
    )
    how.add_argument("--url", help="the server's streamable HTTP endpoint")
    add.add_argument("--arg", action="append", default=[], help="an argument (repeat)")
    add.add_argument("--cwd", help="the folder the command starts in")
    add.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME",
        help="an environment variable "
        "for the server; its value from $NAME, a prompt or stdin (kept in the keyring)",
    )
    add.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="NAME",
        help="an HTTP header; its "
        "value from $MCP_HEADER_<NAME>, a prompt or stdin (e.g. Authorization: Bearer ...)",
    )
    add.add_argument("--description", help="a line saying what the server is for")
    add.add_argument("--disabled", action="store_true", help="register it switched off")
    add.add_argument("--check", action="store_true", help="check it right away")
    add.add_argument(
        "--timeout", type=float, default=10.0, help="seconds the check may take (with --check)"
    )
    add.set_defaults(handler=mcp_add)

    sub.add_parser("list", parents=[as_json], help="servers with status").set_defaults(
        handler=mcp_list
    )
    for verb, helps, handler in (
        ("show", "a server's details, tools, prompts, resources and checks", mcp_show),
        ("enable", "switch a server on", mcp_enable),
        ("disable", "switch a server off", mcp_disable),
        ("rm", "remove a server and its stored secrets", mcp_rm),
    ):
        parser = sub.add_parser(verb, parents=[as_json], help=helps)
        parser.add_argument("name")
        parser.set_defaults(handler=handler)

    check = sub.add_parser("check", parents=[as_json], help="check servers (default: enabled)")
    check.add_argument("names", nargs="*", help="servers (default: every enabled one)")
    check.add_argument("--timeout", type=float, default=10.0, help="seconds per server")
    check.set_defaults(handler=mcp_check)

    tools = sub.add_parser("tools", parents=[as_json], help="tools as last checked")
    tools.add_argument("names", nargs="*", help="servers (default: every enabled one)")
    tools.set_defaults(handler=mcp_tools)

    call = sub.add_parser("call", parents=[as_json], help="run one tool")
    call.add_argument("name")
    call.add_argument("tool")
    call.add_argument(
        "--arg",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an argument (VALUE read as JSON when it parses, else text)",
    )
    call.add_argument("--args-json", help="all arguments as one JSON object")
    call.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait for the tool (default 60)"
    )
    call.set_defaults(handler=mcp_call)


def _secret(label: str, from_env: str) -> str:
    value = os.environ.get(from_env, "")
    if not value:
        if sys.stdin.isatty():
            value = getpass.getpass(f"{label} (input hidden): ")
        else:
            value = sys.stdin.readline().rstrip("\n")
    if not value.strip():
        raise ValidationError(f"No value for {label}: set ${from_env} or type it at the prompt.")
    return value


def mcp_add(services: Services, args: argparse.Namespace) -> int:
    if args.stdio_command:
        if args.header:
            raise ValidationError("--header is for an HTTP server (--url).")
        env = {n: _secret(f"value of {n}", n) for n in args.env}
        info = services.mcp.add_stdio(
            args.name,
            args.stdio_command,
            args.arg,
            cwd=args.cwd,
            env=env,
            description=args.description,
            enabled=not args.disabled,
        )
    else:
        if args.env or args.arg or args.cwd:
            raise ValidationError("--env, --arg and --cwd are for a stdio server (--command).")
        headers = {
            n: _secret(f"header {n}", "MCP_HEADER_" + n.upper().replace("-", "_"))
            for n in args.header
        }
        info = services.mcp.add_http(
            args.name,
            args.url,
            headers=headers,
            description=args.description,
            enabled=not args.disabled,
        )
    if args.check:
        from promptterm.services.mcp import run_checks

        [info] = run_checks(services.mcp, [info.id], timeout=args.timeout)
    emit(args.json, _public(info), lambda: print(f"Registered {info.name}: {_state(info)}"))
    return 0 if info.status != "error" else exit_codes.ERROR


def _state(info: McpServerInfo) -> str:
    if not info.enabled:
        return "disabled"
    if info.status == "active":
        return f"healthy, {info.latency_ms} ms, {info.tool_count} tools"
    if info.status == "error":
        return f"failing: {info.last_error}"
    return "not checked yet (promptterm mcp check " + info.name + ")"


def _public(info: McpServerInfo) -> dict[str, Any]:
    """What --json shows: everything but the tools' schemas (see `mcp tools`). The secrets'
    names only: their values were never here."""
    from dataclasses import asdict

    data = asdict(info)
    data["tools"] = [{"name": t.name, "tokens": t.tokens} for t in info.tools]
    return data


def mcp_list(services: Services, args: argparse.Namespace) -> int:
    items = services.mcp.list()
    emit(
        args.json,
        [_public(i) for i in items],
        lambda: table(
            ("NAME", "STATUS", "CHECKED", "LATENCY", "TOOLS", "TOKENS", "ENDPOINT"),
            [
                (
                    i.name,
                    i.status if i.enabled else "disabled",
                    when(i.last_health_check),
                    "-" if i.latency_ms is None else f"{i.latency_ms} ms",
                    "-" if i.tool_count is None else i.tool_count,
                    "-" if i.tools_tokens is None else i.tools_tokens,
                    i.endpoint,
                )
                for i in items
            ],
            empty="No MCP servers yet: promptterm mcp add NAME --command CMD (or --url URL)",
        ),
    )
    return 0


def mcp_show(services: Services, args: argparse.Namespace) -> int:
    info = services.mcp.get(args.name)
    checks = services.mcp.history(info.id, limit=5)

    def human() -> None:
        print(f"{info.name}  ({info.transport}, {_state(info)})")
        print(f"  endpoint: {info.endpoint}")
        if info.cwd:
            print(f"  folder:   {info.cwd}")
        for kind, names in (("env", info.env_names), ("headers", info.header_names)):
            if names:
                print(f"  {kind}:  {', '.join(names)} (values in the keyring)")
        if info.server_version:
            print(f"  server:   {info.server_version}, protocol {info.protocol_version}")
        for tool in info.tools:
            print(f"  tool      {tool.name} ({tool.tokens} tokens): {tool.description}")
        for prompt in info.prompts:
            names = ", ".join(a + ("" if req else "?") for a, _, req in prompt.arguments)
            print(f"  prompt    {prompt.name}({names}): {prompt.description}")
        for res in info.resources:
            print(f"  resource  {res.uri} ({res.name})")
        for check in checks:
            what = check.error or f"ok, {check.latency_ms} ms"
            print(f"  checked   {when(check.checked_at)}  {check.status}: {what}")

    emit(args.json, {**_public(info), "checks": checks}, human)
    return 0


def mcp_check(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.mcp import run_checks

    refs = list(args.names) or None
    results = run_checks(services.mcp, refs, timeout=args.timeout)
    emit(
        args.json,
        [_public(i) for i in results],
        lambda: table(
            ("NAME", "STATUS", "LATENCY", "RESULT"),
            [
                (i.name, i.status, f"{i.latency_ms} ms", i.last_error or f"{i.tool_count} tools")
                for i in results
            ],
            empty="No enabled MCP servers to check.",
        ),
    )
    return exit_codes.ERROR if any(i.status == "error" for i in results) else 0


def _set(services: Services, args: argparse.Namespace, on: bool) -> int:
    info = services.mcp.set_enabled(args.name, on)
    emit(args.json, _public(info), lambda: print(f"{info.name} is {'on' if on else 'off'}."))
    return 0


def mcp_enable(services: Services, args: argparse.Namespace) -> int:
    return _set(services, args, True)


def mcp_disable(services: Services, args: argparse.Namespace) -> int:
    return _set(services, args, False)


def mcp_rm(services: Services, args: argparse.Namespace) -> int:
    info = services.mcp.remove(args.name)
    emit(args.json, {"removed": info.name}, lambda: print(f"Removed {info.name}."))
    return 0


def mcp_tools(services: Services, args: argparse.Namespace) -> int:
    from promptterm.services.mcp import tool_definitions

    refs = list(args.names) or [s.name for s in services.mcp.list(enabled_only=True)]
    found = tool_definitions(services.ctx, refs)
    emit(
        args.json,
        found,
        lambda: table(
            ("SERVER", "TOOL", "TOKENS", "DESCRIPTION"),
            [
                (d.server, d.name, d.tokens, d.description.splitlines()[0] if d.description else "")
                for d in found
            ],
            empty="No tools known yet: promptterm mcp check",
        ),
    )
    return 0


def _arguments(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if args.args_json:
        try:
            values = json.loads(args.args_json)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"--args-json is not valid JSON: {exc.msg}.") from exc
        if not isinstance(values, dict):
            raise ValidationError("--args-json must be a JSON object.")
    for pair in args.arg:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise ValidationError(f"--arg {pair!r}: write it as KEY=VALUE.")
        try:
            values[key] = json.loads(raw)
        except json.JSONDecodeError:
            values[key] = raw
    return values


def mcp_call(services: Services, args: argparse.Namespace) -> int:
    import anyio

    from promptterm.services.mcp import call_tool

    arguments = _arguments(args)
    result = anyio.run(call_tool, services.ctx, args.name, args.tool, arguments, args.timeout)
    emit(args.json, result, lambda: print(result.text))
    return exit_codes.ERROR if result.is_error else 0
