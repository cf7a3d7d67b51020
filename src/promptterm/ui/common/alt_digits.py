"""alt+1 … alt+6 (each area's digit) as alt+digit, the way xterm, tmux and SSH send them.

Those terminals send alt+digit as ESC and the digit. Textual 8.2.8 reads ESC 1 … ESC 5 as
the characters macOS's Option key types on the digit row (¡ ™ £ ¢ ∞), for WezTerm on macOS,
so the app would see "¡" where the user pressed alt+1, and could not bind it without also
taking £ from everyone who types one. Without those five entries the parser does what it
does for ESC and a letter: alt and the key. (Terminals with the kitty keyboard protocol
report alt+1 directly and never send these.)

tests/ui/common/test_alt_digits.py feeds the bytes through Textual's own parser, so an upgrade
that moves the table fails there, not in a user's hands.
"""

from __future__ import annotations

from promptterm.ui.common.areas import AREAS

# Every area's digit, so that a new area's alt+digit works without a change here.
ALT_DIGITS = tuple(f"\x1b{area.key}" for area in AREAS)


def read_alt_digits_as_alt() -> None:
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS

    table: dict[str, object] = ANSI_SEQUENCES_KEYS  # type: ignore[assignment]
    for sequence in ALT_DIGITS:
        table.pop(sequence, None)
