"""Status lines that get shorter by whole words: each part says how it can be put in fewer
words (down to nothing, for the ones that may go), and how soon it gives way. A line never
ends mid-word ("watching the"): at 80 columns it reads "… · Ln 3, Col 1 · watching", at 60
"… · 3:1".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

SEPARATOR = " \u00b7 "


@dataclass(frozen=True)
class Part:
    """One part of a status line: ``texts`` from the longest to the shortest way to say it
    ("" as the last: it may be left out); the highest ``gives_way`` shortens first."""

    texts: tuple[str, ...]
    gives_way: int = 0

    @classmethod
    def fixed(cls, text: str) -> Part:
        return cls((text,))


def fit_parts(parts: Sequence[Part], width: int, separator: str = SEPARATOR) -> str:
    """The parts joined by ``separator`` in at most ``width`` cells where it can be done by
    shortening them; otherwise their shortest forms (the caller's overflow then cuts)."""
    chosen = [0] * len(parts)

    def line() -> str:
        texts = [p.texts[i] for p, i in zip(parts, chosen, strict=True)]
        return separator.join(t for t in texts if t)

    order = sorted(range(len(parts)), key=lambda n: -parts[n].gives_way)
    for index in order:
        while cell_len(line()) > width and chosen[index] + 1 < len(parts[index].texts):
            chosen[index] += 1
        if cell_len(line()) <= width:
            break
    return line()
