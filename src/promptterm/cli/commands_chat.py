"""`promptterm provider add|list|models|test|rm`, `promptterm key add|list|revoke` and
`promptterm ask`: the chat features for scripts, through the same services as the TUI.

A secret is read from standard input or a hidden prompt, never from the command line (where
it would land in the shell history and the process list).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from promptterm.cli.hyperlinks import Link, web_url, write_parts
from promptterm.cli.output import emit, print_json, table, when
from promptterm.services.errors import NotFound, UnfilledVariables, ValidationError

if TYPE_CHECKING:
    from promptterm.db.lean import LeanRead
    from promptterm.services.chat import ProviderInfo
    from promptterm.services.facade import Services

# The service checks the kind; named here only for --help (the parser loads no database code).
KINDS = "openai-compatible or anthropic"


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    provider = commands.add_parser("provider", help="LLM providers: OpenAI-compatible or Anthropic")
    sub = provider.add_subparsers(dest="provider_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", parents=[as_json], help="add a provider entry")
    add.add_argument("name", help="your name for it, e.g. openai, ollama, claude")
    add.add_argument("--kind", required=True, help=KINDS)
    add.add_argument("--base-url", help="default: the official API of the kind")
    add.add_argument("--model", help="the default model")
    add.add_argument("--key", dest="key_nickname", metavar="NICKNAME", help="use this stored key")
    add.add_argument("--key-env", metavar="VAR", help="take the key from this variable")
    add.add_argument("--read-timeout", type=float, metavar="SECONDS", help="for slow local models")
    add.add_argument(
        "--no-content-timeout",
        type=float,
        metavar="SECONDS",
        help="give up when only keep-alives come for this long (default 300)",
    )
    add.set_defaults(handler=provider_add)
    sub.add_parser("list", parents=[as_json], help="your providers").set_defaults(
        handler=provider_list, lean=provider_list_lean
    )
    models = sub.add_parser("models", parents=[as_json], help="the models a provider offers")
    models.add_argument("name")
    models.set_defaults(handler=provider_models)
    test = sub.add_parser("test", parents=[as_json], help="send a tiny request")
    test.add_argument("name")
    test.add_argument("--model", help="the model to try (default: the provider's default model)")
    test.set_defaults(handler=provider_test)
    rm = sub.add_parser("rm", parents=[as_json], help="remove a provider entry")
    rm.add_argument("name")
    rm.set_defaults(handler=provider_rm)

    key = commands.add_parser("key", help="API keys (the secret goes to the OS keyring)")
    ksub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    kadd = ksub.add_parser(
        "add", parents=[as_json], help="store a key (read from stdin or a prompt)"
    )
    kadd.add_argument("provider", help="the provider entry's name, e.g. openai")
    kadd.add_argument(
        "--nickname", default="default", help="a name for this key (default: default)"
    )
    kadd.add_argument("--stdin", action="store_true", help="read the key from standard input")
    kadd.set_defaults(handler=key_add)
    klist = ksub.add_parser("list", parents=[as_json], help="stored keys (metadata only)")
    klist.add_argument("--all", action="store_true", help="include revoked keys")
    klist.set_defaults(handler=key_list)
    revoke = ksub.add_parser("revoke", parents=[as_json], help="forget a key's secret")
    revoke.add_argument("provider")
    revoke.add_argument("nickname", nargs="?", default="default", help="or the key's id")
    revoke.set_defaults(handler=key_revoke)

    ask = commands.add_parser("ask", parents=[as_json], help="ask a model; the answer streams")
    ask.add_argument("text", help="the message ('-' reads standard input)")
    where = ask.add_mutually_exclusive_group()
    where.add_argument("--thread", metavar="ID", help="continue this thread")
    where.add_argument("--new", action="store_true", help="start a new thread (the default)")
    where.add_argument(
        "--continue",
        "-c",
        dest="resume",
        action="store_true",
        help="continue the most recent thread",
    )
    ask.add_argument("--preset", metavar="NAME", help="use this preset in the thread from now on")
    ask.add_argument(
        "--provider",
        metavar="NAME",
        help="a provider entry (see `provider list`); default: the thread's, else your only one",
    )
    ask.add_argument(
        "--model", metavar="MODEL", help="default: the thread's model, else the provider's"
    )
    ask.add_argument(
        "--var",
        dest="variables",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fill {{NAME}} in the preset's prompt or the message (repeat for each; "
        "remembered for the thread)",
    )
    ask.add_argument(
        "--tools",
        action="append",
        default=[],
        metavar="NAME[:TOOL]",
        help="let the model call the tools of this MCP server (or only this tool); repeat "
        "for more. Each call asks first on a terminal",
    )
    ask.add_argument(
        "--resource",
        dest="resources",
        action="append",
        default=[],
        metavar="SERVER:URI",
        help="attach this resource of an MCP server to the message (its text, read now); "
        "repeat for more",
    )
    ask.add_argument(
        "--approve",
        action="store_true",
        help="run every tool call the model asks for without asking (never implied)",
    )
    ask.set_defaults(handler=ask_command)


# -- providers ----------------------------------------------------------------------------------


def provider_add(services: Services, args: argparse.Namespace) -> int:
    options = {
        key: value
        for key, value in (
            ("read_timeout", args.read_timeout),
            ("no_content_timeout", args.no_content_timeout),
        )
        if value
    } or None
    info = services.providers.add(
        args.name,
        args.kind,
        base_url=args.base_url,
        default_model=args.model,
        key_nickname=args.key_nickname,
        key_env=args.key_env,
        options=options,
    )
    emit(
        args.json,
        info,
        lambda: write_parts([f"Added provider {info.name!r} (", _url_link(info.base_url), ")."]),
    )
    return 0


def provider_list(services: Services, args: argparse.Namespace) -> int:
    return _print_providers(args, services.providers.list())


def provider_list_lean(read: LeanRead, args: argparse.Namespace) -> int:
    """The same list without SQLAlchemy, when db/lean.py allows (most starts)."""
    from promptterm.services.chat import lean_provider_list

    return _print_providers(args, lean_provider_list(read))


def _print_providers(args: argparse.Namespace, items: list[ProviderInfo]) -> int:
    emit(
        args.json,
        items,
        lambda: table(
            ("NAME", "KIND", "BASE URL", "MODEL", "KEY"),
            [
                (p.name, p.kind, _url_link(p.base_url), p.default_model or "-", _key_label(p))
                for p in items
            ],
            empty="No providers yet: promptterm provider add NAME --kind openai-compatible "
            "--base-url URL --model MODEL",
        ),
    )
    return 0


def _url_link(url: str) -> str | Link:
    """A provider's address, clickable where the terminal allows (only http and https)."""
    return Link(url, url) if web_url(url) else url


def _key_label(p: Any) -> str:
    if p.key_env:
        return f"${p.key_env}"
    if p.key_nickname:
        return f"key {p.key_nickname!r}"
    return "none (local)" if p.is_local else "stored or env"


def provider_models(services: Services, args: argparse.Namespace) -> int:
    models = services.providers.models(args.name)
    emit(
        args.json,
        models,
        lambda: table(("MODEL", "NAME"), [(m.id, m.display_name or "") for m in models]),
    )
    return 0


def provider_test(services: Services, args: argparse.Namespace) -> int:
    check = services.providers.test(args.name, args.model)

    def human() -> None:
        if check.ok:
            print(
                f"OK: {check.provider} / {check.model} answered {check.reply.strip()!r} "
                f"in {check.seconds:.2f} s."
            )
        else:
            print(f"promptterm: {check.error}", file=sys.stderr)

    emit(args.json, check, human)
    return 0 if check.ok else 1


def provider_rm(services: Services, args: argparse.Namespace) -> int:
    name = services.providers.remove(args.name)
    emit(args.json, {"removed": name}, lambda: print(f"Removed provider {name!r}."))
    return 0


# -- keys ---------------------------------------------------------------------------------------


def _read_secret(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        secret = sys.stdin.readline()
    else:
        secret = getpass.getpass("API key (input hidden): ")
    if not secret.strip():
        raise ValidationError("No key was given: pipe it in with --stdin or type it at the prompt.")
    return secret


def key_add(services: Services, args: argparse.Namespace) -> int:
    info = services.api_keys.add(args.provider, args.nickname, _read_secret(args.stdin))
    emit(
        args.json,
        info,
        lambda: print(f"Stored the {info.provider} key {info.nickname!r} in the OS keyring."),
    )
    return 0


def key_list(services: Services, args: argparse.Namespace) -> int:
    keys = services.api_keys.list(include_revoked=args.all)
    emit(
        args.json,
        keys,
        lambda: table(
            ("PROVIDER", "NICKNAME", "LAST USED", "ADDED", "STATUS"),
            [
                (
                    k.provider,
                    k.nickname,
                    when(k.last_used_at),
                    when(k.created_at),
                    "active" if k.active else "revoked",
                )
                for k in keys
            ],
            empty="No stored keys: promptterm key add PROVIDER --stdin < keyfile",
        ),
    )
    return 0


def key_revoke(services: Services, args: argparse.Namespace) -> int:
    ref = args.nickname
    match = next(
        (
            k
            for k in services.api_keys.list()
            if k.provider == args.provider and (k.nickname == ref or str(k.id) == ref)
        ),
        None,
    )
    if match is None:
        raise NotFound(f"You have no active {args.provider} key called {ref!r}.")
    info = services.api_keys.revoke(match.id)
    emit(args.json, info, lambda: print(f"Revoked the {info.provider} key {info.nickname!r}."))
    return 0


# -- ask ----------------------------------------------------------------------------------------


def ask_command(services: Services, args: argparse.Namespace) -> int:
    from promptterm.cli.ask_input import thread_for, unfilled, variables_of, with_resources
    from promptterm.cli.ask_tools import approver, report, tool_sources
    from promptterm.services.chat.stream import SendDelta, SendEvent

    text = sys.stdin.read() if args.text == "-" else args.text
    if args.resources:
        text = with_resources(services, text, args.resources)
    variables = variables_of(args.variables)
    tools = tool_sources(args.tools) if args.tools else None  # unknown: refused before a thread
    thread_id = thread_for(services, args)
    started_here = not (args.thread or args.resume)

    def stream(event: SendEvent) -> None:
        if isinstance(event, SendDelta):
            sys.stdout.write(event.text)
            sys.stdout.flush()
        else:
            report(event)

    try:
        result = services.chat_send.send(
            thread_id,
            text,
            provider=args.provider,
            model=args.model,
            on_event=None if args.json else stream,
            variables=variables,
            tools=tools,
            # Also for tools the thread or its preset offers without --tools.
            approve=approver(args.approve),
        )
    except UnfilledVariables as exc:
        if started_here:
            services.chat.delete_thread(thread_id)  # nothing was sent: leave no empty thread
        raise unfilled(exc) from None
    except KeyboardInterrupt:
        print(f"\n[stopped: the partial answer is kept in thread {thread_id}]", file=sys.stderr)
        return 130
    m = result.message
    if args.json:
        print_json(
            {
                "thread_id": result.thread_id,
                "message_id": m.id,
                "status": m.status,
                "content": m.content,
                "provider": m.provider,
                "model": m.model,
                "tokens_in": m.tokens_in,
                "tokens_out": m.tokens_out,
                "tokens_estimated": m.tokens_estimated,
                "cost_usd": m.cost_usd,
                "price_source": result.price_source,
                "price_version": result.price_version,
                "thread_total_tokens": result.thread_total_tokens,
                "error": result.error,
                "notice": result.notice,
            }
        )
    else:
        if m.content and not m.content.endswith("\n"):
            sys.stdout.write("\n")
        cost = "unpriced" if m.cost_usd is None else f"${m.cost_usd:.6f}"
        mark = " (estimated)" if m.tokens_estimated else ""
        if m.tokens_in is not None:
            print(
                f"[{m.tokens_in} in, {m.tokens_out} out{mark}, {cost}; {m.model}; "
                f"thread {result.thread_id}]",
                file=sys.stderr,
            )
    for warning in m.meta.get("warnings", ()):
        print(f"promptterm: warning: {warning}", file=sys.stderr)
    if result.error:
        print(f"promptterm: {result.error}", file=sys.stderr)
    if result.notice:
        print(f"promptterm: {result.notice}", file=sys.stderr)
        return 1
    return 0 if m.status == "complete" else 1
