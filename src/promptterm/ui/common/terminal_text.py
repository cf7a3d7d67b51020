"""Control characters in text we show (names, file contents, model answers, imported text)
are drawn as visible symbols, never sent to the terminal to act on.

Textual (like Rich) strips only BEL, backspace, VT, FF and CR from the text it draws: an
ESC in a component name reached the terminal as is, so ``\\e[2J`` cleared the screen and
``\\e]52;…`` wrote the clipboard. Both libraries strip through one translation table each,
applied to every string that becomes drawn text; ``install`` adds the remaining controls to
those tables, mapped to their Unicode "control pictures" (ESC shows as ␛, DEL as ␡, a C1
control such as CSI as �). Line breaks and tabs are left alone: they are layout.

Textual's own escape sequences never pass through these tables (they are written by its
renderer, after), so nothing of the app's drawing changes. ``textual`` is pinned exactly;
tests/ui/common/test_terminal_text.py fails if an upgrade moves the tables.
"""

from __future__ import annotations

from typing import Final

_KEEP: Final = {0x09, 0x0A}  # tab and line break are text layout


def _pictures() -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(0x20) if code not in _KEEP}
    table[0x7F] = "\u2421"  # ␡
    table.update({code: "\ufffd" for code in range(0x80, 0xA0)})
    table.update({0x2028: "\u23ce", 0x2029: "\u23ce"})  # ⏎
    return table


def install() -> None:
    """Make every control character drawn by Textual and Rich visible (idempotent)."""
    import rich.control
    import textual.content

    pictures = _pictures()
    for table in (
        textual.content._CONTROL_STRIP_TRANSLATE,
        rich.control._CONTROL_STRIP_TRANSLATE,
    ):
        # These tables strip BEL, BS, VT, FF and CR (their entries are None): keep that,
        # a CR in a pasted line is noise; show everything else.
        for code, picture in pictures.items():
            table.setdefault(code, picture)
