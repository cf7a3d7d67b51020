"""Diffs of two texts: unified (for the CLI and patches) and side by side (for the editor).

The side-by-side form is a list of aligned rows the UI renders as two columns: equal lines,
changed pairs, lines only on the left or only on the right, and "skip" rows standing for
runs of unchanged lines left out around the changes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

RowKind = Literal["equal", "change", "delete", "insert", "skip"]


@dataclass(frozen=True)
class DiffRow:
    kind: RowKind
    left_no: int | None  # 1-based line numbers; None where the side has no line
    left: str | None  # the line without its line ending
    right_no: int | None
    right: str | None
    skipped: int = 0  # for "skip": how many unchanged lines it stands for


@dataclass(frozen=True)
class SideBySide:
    rows: list[DiffRow]
    added: int
    removed: int

    @property
    def identical(self) -> bool:
        return self.added == 0 and self.removed == 0


def unified(a: str, b: str, from_name: str, to_name: str, context: int = 3) -> str:
    """A unified diff, with git's marker for a last line that has no line ending."""
    out: list[str] = []
    for line in difflib.unified_diff(
        a.splitlines(keepends=True),
        b.splitlines(keepends=True),
        fromfile=from_name,
        tofile=to_name,
        n=context,
    ):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def side_by_side(a: str, b: str, context: int | None = 3) -> SideBySide:
    """Aligned rows from ``a`` (left) to ``b`` (right); ``context=None`` keeps every line."""
    left = a.splitlines()
    right = b.splitlines()
    rows: list[DiffRow] = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(
                DiffRow("equal", i + 1, left[i], j + 1, right[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
            continue
        removed += i2 - i1
        added += j2 - j1
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            has_left, has_right = i < i2, j < j2
            kind: RowKind = (
                "change" if has_left and has_right else "delete" if has_left else "insert"
            )
            rows.append(
                DiffRow(
                    kind,
                    i + 1 if has_left else None,
                    left[i] if has_left else None,
                    j + 1 if has_right else None,
                    right[j] if has_right else None,
                )
            )
    if context is not None:
        rows = _fold(rows, context)
    return SideBySide(rows, added, removed)


def _fold(rows: list[DiffRow], context: int) -> list[DiffRow]:
    """Replace unchanged runs longer than twice ``context`` by one "skip" row."""
    changed = [n for n, row in enumerate(rows) if row.kind != "equal"]
    keep = [False] * len(rows)
    for n in changed:
        for k in range(max(0, n - context), min(len(rows), n + context + 1)):
            keep[k] = True
    out: list[DiffRow] = []
    run = 0
    for row, kept in zip(rows, keep, strict=True):
        if kept:
            if run:
                out.append(DiffRow("skip", None, None, None, None, skipped=run))
                run = 0
            out.append(row)
        else:
            run += 1
    if run:
        out.append(DiffRow("skip", None, None, None, None, skipped=run))
    return out
