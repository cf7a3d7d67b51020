"""A diff ready to draw: the service's aligned rows plus each line syntax-highlighted.

Built in a worker thread (Pygments over thousands of lines takes a moment), drawn by
DiffView. Colours are ANSI names, so every Textual theme maps them to its own palette.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text

if TYPE_CHECKING:
    from promptterm.services.files.diff import DiffRow, SideBySide

TAB = "    "


@dataclass(frozen=True)
class DiffModel:
    path: str
    left_label: str  # "version 2"
    right_label: str  # "version 5", "your edits", "the disk's text"
    rows: list[DiffRow]
    added: int
    removed: int
    left: list[Text | None]  # per row, the highlighted left line (None: no line there)
    right: list[Text | None]

    @property
    def identical(self) -> bool:
        return self.added == 0 and self.removed == 0

    @property
    def summary(self) -> str:
        if self.identical:
            return "no differences"
        return f"+{self.added} \u2212{self.removed}"


def build_model(sbs: SideBySide, path: str, left_label: str, right_label: str) -> DiffModel:
    lexer = _lexer(path)
    return DiffModel(
        path=path,
        left_label=left_label,
        right_label=right_label,
        rows=sbs.rows,
        added=sbs.added,
        removed=sbs.removed,
        left=highlight_lines([row.left for row in sbs.rows], lexer),
        right=highlight_lines([row.right for row in sbs.rows], lexer),
    )


def _lexer(path: str) -> Any:
    from pygments.lexers import get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        # Keep every newline: the highlighted text is split back into the same lines.
        return get_lexer_for_filename(path, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight_lines(lines: list[str | None], lexer: Any) -> list[Text | None]:
    """The lines highlighted together (so a string or comment spanning lines reads right),
    then split again; None stays None."""
    present = [line.replace("\t", TAB) for line in lines if line is not None]
    if lexer is None or not present:
        texts = [Text(line) for line in present]
    else:
        from rich.syntax import ANSI_DARK, ANSISyntaxTheme

        theme = ANSISyntaxTheme(ANSI_DARK)
        joined = Text()
        for token_type, value in lexer.get_tokens("\n".join(present)):
            joined.append(value, theme.get_style_for_token(token_type))
        texts = list(joined.split("\n", allow_blank=True))
        if len(texts) != len(present):  # a lexer that rewrote line endings: stay plain
            texts = [Text(line) for line in present]
    it = iter(texts)
    return [None if line is None else next(it) for line in lines]
