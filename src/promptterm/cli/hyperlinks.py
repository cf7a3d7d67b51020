"""Clickable paths and URLs in the CLI's output: OSC 8 hyperlinks, where they can work.

A link is written only when the stream is a terminal (never into a pipe or a file: a script
would get escape sequences in its data) and the terminal is one known to show OSC 8 links
(others may print the sequence's text or garble the line). ``$PROMPTTERM_HYPERLINKS=0`` or
``[ui] hyperlinks = false`` turn links off; ``$PROMPTTERM_HYPERLINKS=1`` (or the common
``$FORCE_HYPERLINK=1``) turns them on in a terminal we do not recognise.

``NO_COLOR`` leaves links on: it asks for no ANSI colour, and a link adds none (the text
reads the same, it only becomes clickable); people who want plain bytes have the switch above.

The URL inside the sequence never carries a control character, space or non-ASCII
character: they are percent-encoded, so a file named ``a\\x1b]52;…`` cannot end the sequence
and start another. The visible text goes through the CLI's control-character filter like any
other text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from promptterm.cli.terminal_text import VisibleControls
from promptterm.links import file_url, safe_url, web_url

__all__ = ["Link", "file_url", "links_wanted", "safe_url", "web_url", "write_parts"]

# TERM_PROGRAM values and TERM names of terminals that show OSC 8 links.
_PROGRAMS = frozenset({"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby", "rio"})
_TERMS = frozenset({"xterm-kitty", "xterm-ghostty", "wezterm", "foot", "foot-extra", "alacritty"})
_MARKERS = ("WT_SESSION", "KITTY_WINDOW_ID", "KONSOLE_VERSION", "DOMTERM", "ALACRITTY_WINDOW_ID")
VTE_WITH_LINKS = 5000  # VTE 0.50 (GNOME Terminal, Tilix…) added OSC 8

_config_allows = True


def configure(allowed: bool) -> None:
    """The config file's ``[ui] hyperlinks`` (main sets it once, before any command)."""
    global _config_allows
    _config_allows = allowed


def terminal_shows_links(environ: Mapping[str, str]) -> bool:
    """Whether the environment names a terminal known to show OSC 8 links."""
    if environ.get("TERM", "") == "dumb" or environ.get("CI"):
        return False
    if environ.get("TERM_PROGRAM", "") in _PROGRAMS or environ.get("TERM", "") in _TERMS:
        return True
    if any(environ.get(name) for name in _MARKERS):
        return True
    vte = environ.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= VTE_WITH_LINKS


def links_wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a link written to ``stream`` now would be one (see the module's words)."""
    environ = os.environ if environ is None else environ
    switch = environ.get("PROMPTTERM_HYPERLINKS", "").strip().lower()
    if switch in ("0", "false", "no", "off") or not _config_allows:
        return False
    try:
        if not stream.isatty():
            return False
    except (ValueError, OSError):  # a closed stream
        return False
    forced = switch in ("1", "true", "yes", "on") or environ.get("FORCE_HYPERLINK", "") == "1"
    return forced or terminal_shows_links(environ)


@dataclass(frozen=True)
class Link:
    """Text to show, and where it leads; ``str()`` is the text (for widths and plain output)."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


def osc8(url: str) -> tuple[str, str]:
    """The sequences around a link's text: ESC ] 8 ; ; URL ST … ESC ] 8 ; ; ST."""
    return f"\x1b]8;;{safe_url(url)}\x1b\\", "\x1b]8;;\x1b\\"


def write_parts(parts: Sequence[str | Link], file: TextIO | None = None) -> None:
    """Write text and links as one line; links are plain text where they cannot work."""
    stream = sys.stdout if file is None else file
    linked = any(isinstance(p, Link) for p in parts) and links_wanted(stream)
    for part in parts:
        if isinstance(part, Link) and linked:
            start, end = osc8(part.url)
            _trusted(stream, start)
            stream.write(part.text)  # shown through the control-character filter
            _trusted(stream, end)
        else:
            stream.write(str(part))
    stream.write("\n")


def _trusted(stream: TextIO, sequence: str) -> None:
    if isinstance(stream, VisibleControls):
        stream.write_trusted(sequence)
    else:
        stream.write(sequence)
