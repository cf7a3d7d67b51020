"""A long answer finished while the user was in another area: ring the bell or ask the
terminal for a desktop notification (``[ui] notify_when_done``, off unless asked).

The kinds, and the terminals that act on them:

- ``bell``: BEL, which every terminal knows (a sound, a flash or an urgent window).
- ``osc9``: ``ESC ] 9 ; message BEL``, a desktop notification in iTerm2, WezTerm, Windows
  Terminal, Ghostty, kitty and ConEmu.
- ``osc777``: ``ESC ] 777 ; notify ; title ; body BEL``, the form of urxvt, foot and the
  VTE-based terminals (GNOME Terminal, Tilix, Ghostty too).

Inside tmux these reach the outer terminal only with ``allow-passthrough``; a terminal that
does not know a sequence ignores it. The words inside come partly from outside (a thread's
title): every control character is dropped, so the sequence cannot be ended early.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
LONGEST = 120  # characters of the title shown; desktop notifications cut long ones anyway


def _clean(text: str) -> str:
    return _CONTROLS.sub(" ", text).strip()[:LONGEST]


def done_sequence(kind: str, title: str, body: str) -> str | None:
    """What to write to the terminal for ``kind`` (None for "off" or a kind we do not know)."""
    title, body = _clean(title), _clean(body)
    if kind == "bell":
        return "\a"
    if kind == "osc9":
        return f"\x1b]9;{title}: {body}\a"
    if kind == "osc777":
        # ";" separates the fields: one inside the title would start the body early.
        return f"\x1b]777;notify;{title.replace(';', ',')};{body}\a"
    return None


@dataclass(frozen=True)
class DoneNotifier:
    """Decides whether a finished answer is worth a signal, and writes it."""

    kind: str
    after_seconds: float
    write: Callable[[str], None]

    def answer_finished(self, seconds: float, away: bool, what: str) -> bool:
        """``what`` finished after ``seconds``; ``away``: the user is in another area.
        True when a signal was written."""
        if not away or seconds < self.after_seconds:
            return False
        sequence = done_sequence(self.kind, "promptterm", what)
        if sequence is None:
            return False
        self.write(sequence)
        return True
