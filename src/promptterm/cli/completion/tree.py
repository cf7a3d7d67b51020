"""The command tree as the completion scripts need it, read from the real argparse parser.

Every subcommand and option comes from ``build_parser()``, so a new command completes without
touching the scripts. What an argument's value is (a workspace, a preset, a file...) is read
from its ``dest``: the names the CLI already uses for them everywhere.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass

# Values looked up in the database by `promptterm __complete KIND` (names.py).
NAME_KINDS = ("workspaces", "projects", "presets", "threads", "components")

_KIND_BY_DEST = {
    "workspace": "workspaces",
    "project": "projects",
    "preset": "presets",
    "thread": "threads",
    # A preset's slots (`preset add --role NAME`) name components.
    "role": "components",
    "style": "components",
    "context": "components",
    "mode": "components",
    "path": "file",
    "file": "file",
    "output": "file",
    "directory": "dir",
}
# `component show REF`, `preset rm REF`: what a REF names depends on the command.
_KIND_OF_REF = {"component": "components", "preset": "presets"}
# Local folders rather than any file.
_DIRECTORY_COMMANDS = {("open",)}


@dataclass(frozen=True)
class Value:
    """What goes in one argument: fixed words, names of a KIND, a file or a folder."""

    words: tuple[str, ...] = ()
    kind: str | None = None  # one of NAME_KINDS, "file" or "dir"


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]
    help: str
    value: Value | None  # None: a switch that takes no value


@dataclass(frozen=True)
class Positional:
    value: Value
    repeats: bool  # nargs "+" or "*": every later word is one of these


@dataclass(frozen=True)
class Command:
    path: tuple[str, ...]  # () is `promptterm` itself
    help: str
    subcommands: tuple[tuple[str, str], ...]  # (name, help)
    options: tuple[Option, ...]
    positionals: tuple[Positional, ...]


def commands(parser: argparse.ArgumentParser) -> list[Command]:
    """Every command of the tree, parents before children."""
    return list(_walk(parser, (), parser.description or ""))


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...], about: str) -> Iterator[Command]:
    subs: list[tuple[str, str, argparse.ArgumentParser]] = []
    options: list[Option] = []
    positionals: list[Positional] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            subs += [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]
        elif action.option_strings:
            if action.help == argparse.SUPPRESS:
                continue
            takes = action.nargs != 0
            options.append(
                Option(
                    tuple(action.option_strings),
                    _plain(action.help),
                    _value(action, path) if takes else None,
                )
            )
        else:
            positionals.append(Positional(_value(action, path), action.nargs in ("+", "*")))
    yield Command(
        path,
        _plain(about),
        tuple((name, _plain(about)) for name, about, _ in subs),
        tuple(options),
        tuple(positionals),
    )
    for name, about, sub in subs:
        yield from _walk(sub, (*path, name), about)


def _value(action: argparse.Action, path: tuple[str, ...]) -> Value:
    if action.choices:
        return Value(words=tuple(str(c) for c in action.choices))
    kind = _KIND_BY_DEST.get(action.dest)
    if action.dest == "ref" and path:
        kind = _KIND_OF_REF.get(path[0])
    if kind == "file" and path in _DIRECTORY_COMMANDS:
        kind = "dir"
    return Value(kind=kind)


def _plain(text: str | None) -> str:
    """Help text on one line, without argparse's %(default)s-style placeholders."""
    if not text or text == argparse.SUPPRESS:
        return ""
    return " ".join(text.replace("%%", "%").split())
