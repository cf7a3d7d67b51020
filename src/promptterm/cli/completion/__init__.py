"""`promptterm completion bash|zsh|fish`: the shell's completion script, from the real
command tree; and the hidden `promptterm __complete KIND` the scripts call for names."""

from __future__ import annotations

import argparse
import sys
from typing import Any

SHELLS = ("bash", "zsh", "fish")


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    completion = commands.add_parser(
        "completion",
        help="print the shell completion script",
        description='Completion for subcommands, options and your names. Load it with: eval "$('
        'promptterm completion bash)" in ~/.bashrc (zsh: the same in ~/.zshrc); fish: promptterm '
        "completion fish > ~/.config/fish/completions/promptterm.fish",
    )
    completion.add_argument("shell", choices=SHELLS)
    completion.set_defaults(plain=print_script)


def print_script(args: argparse.Namespace) -> int:
    from promptterm.cli.completion import bash, fish, tree, zsh
    from promptterm.cli.main import build_parser

    commands = tree.commands(build_parser())
    render = {"bash": bash.script, "zsh": zsh.script, "fish": fish.script}[args.shell]
    sys.stdout.write(render(commands))
    return 0
