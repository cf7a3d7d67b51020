"""Colour and bold in the command's output: only on a terminal, and never when the user set
``NO_COLOR`` (https://no-color.org: any non-empty value) or the terminal is ``TERM=dumb``.

Only our own styling goes out as escape sequences (``write_trusted``); the text inside is
made visible like any other output, so a name can never smuggle one in.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from promptterm.cli.terminal_text import visible, write_trusted

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
CYAN = "\x1b[36m"


def wanted(stream: TextIO | None = None) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: plain text
        return False


def diff_style(line: str) -> str | None:
    """The colour of a unified diff line, as git shows them (None: plain)."""
    if line.startswith(("+++", "---")):
        return BOLD
    if line.startswith("@@"):
        return CYAN
    if line.startswith("+"):
        return GREEN
    if line.startswith("-"):
        return RED
    return None


def print_diff(text: str) -> None:
    """A unified diff, coloured where colour is wanted, else exactly as it is."""
    if not wanted():
        print(text, end="")
        return
    for line in text.splitlines(keepends=True):
        style = diff_style(line)
        body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        if style is None:
            print(body, end=end)
        else:
            write_trusted(style + visible(body) + RESET + end)
