"""One line of a streaming answer drawn as rows, exactly as Textual draws it
(``Visual.to_strips``), and drawn again as it grows from its last row only.

A paragraph is one line of Markdown, and a streaming paragraph is redrawn on every update.
Textual wraps greedily, so the rows before a line's last one stay as they are when text is
added at its end with the same styles on what was there: those rows are kept and the text
is wrapped again from the start of the last one. At 100 tokens a second this halved what a
growing paragraph cost to draw.

Rows are drawn with the line's place in the whole answer (``y``), the offset Textual's text
selection reads, so they need no renumbering afterwards. What the short path does not cover
(tabs, alignment, another overflow, a row that starts inside a folded word) is wrapped whole
by Textual's own line wrapping; tests compare both paths with Textual's drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich._wrap import divide_line
from textual.content import Content, _FormattedLine
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.css.styles import RenderStyles
    from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class LineRows:
    """A line and its rows; ``starts``: the character each row starts at (empty: the rows
    cannot be extended, draw the line whole when it changes)."""

    line: Content
    rows: list[Strip]
    starts: tuple[int, ...] = ()


def draw_line(
    widget: Widget, line: Content, y: int, width: int, kept: LineRows | None = None
) -> LineRows:
    """``line`` wrapped to ``width`` in ``widget``'s style, its rows numbered as line ``y``;
    ``kept``: the same line drawn before, shorter, whose rows before the last are reused
    when the text only grew at its end."""
    styles = widget.styles
    if styles.content_align != ("left", "top"):
        return LineRows(line, whole_rows(widget, line, y, width))
    get_style = widget._get_style
    plainly = _wraps_plainly(styles) and "\t" not in line.plain
    start = _extends(kept, line) if plainly else 0
    rows: list[Strip] = []
    if start and kept is not None:
        rows = kept.rows[:-1]
        formatted = _wrapped(line.divide([start])[1], width, start, y, get_style)
    else:
        get = styles.get
        formatted = line._wrap_and_format(
            width,
            align=get("text_align", "left"),
            overflow=get("text_overflow", "fold"),
            no_wrap=get("text_wrap", "wrap") == "nowrap",
            line_pad=get("line_pad", 0),
            tab_size=8,
            get_style=get_style,
        )
        for row in formatted:
            row.y = y
    style = widget.visual_style
    link_style = (
        widget.link_style
        if _has_actions(line)
        and widget.auto_links
        and not widget.is_container
        and not widget.screen._selecting
        else None
    )
    pad_style = (style + Style(reverse=False)).rich_style
    for row in formatted:
        strip = Strip(*row.to_strip(style))
        if link_style is not None:
            strip = strip._apply_link_style(link_style)
        rows.append(strip.extend_cell_length(width, pad_style))
    starts = (*(kept.starts[:-1] if start and kept else ()), *(row.x for row in formatted))
    return LineRows(line, rows, starts if plainly else ())


def _wrapped(
    rest: Content, width: int, start: int, y: int, get_style: Callable[[str | Style], Style]
) -> list[_FormattedLine]:
    """``rest`` (the line from character ``start``, where a row starts) wrapped as
    ``Content._wrap_and_format`` wraps a line by default."""
    breaks = divide_line(rest.plain, width, fold=True)
    pieces = rest.divide(breaks)
    last = len(pieces) - 1
    rows = []
    for n, (piece, at) in enumerate(zip(pieces, [0, *breaks], strict=True)):
        cut = (piece if n == last else piece.rstrip()).truncate(width, ellipsis=False)
        rows.append(_FormattedLine(get_style, cut.rstrip_end(width), width, start + at, y))
    return rows


def whole_rows(widget: Widget, drawn: Content, first_line: int, width: int) -> list[Strip]:
    """``drawn`` (one line or more) wrapped by Textual, its rows counting lines from
    ``first_line``."""
    strips = Visual.to_strips(
        widget, drawn, width, None, widget.visual_style, apply_selection=False, pad=True
    )
    if first_line:
        strips = [_renumbered(strip, first_line) for strip in strips]
    return strips


def _extends(kept: LineRows | None, line: Content) -> int:
    """Where the last row of ``kept`` starts, when ``line`` is ``kept``'s line with text
    added at its end and that row starts a word; else 0."""
    if kept is None or len(kept.starts) < 2:
        return 0
    start = kept.starts[-1]
    plain, before = line.plain, kept.line.plain
    if len(plain) <= len(before) or not plain.startswith(before):
        return 0
    # A row that starts inside a word (a folded one) or on a space would be wrapped from a
    # different state than the whole line's: draw those whole.
    if plain[start].isspace() or not plain[start - 1].isspace():
        return 0
    if not line.divide([len(before)])[0].is_same(kept.line):
        return 0  # a style changed in what was there ("**bold" closed, say)
    return start


def _has_actions(line: Content) -> bool:
    """Whether a style in ``line`` may carry an action (``@click``), the only thing Textual's
    link style changes: Markdown's links are hyperlinks, and the link style costs a walk
    up the widget tree to work out."""
    for span in line.spans:
        style = span.style
        if isinstance(style, str):
            if "@" in style:  # markup such as "@click=app.bell"
                return True
        elif style._meta is not None:
            return True
    return False


def _wraps_plainly(styles: RenderStyles) -> bool:
    """The widget's text is wrapped the default way: left, folded, no padding."""
    get = styles.get
    return (
        get("text_align", "left") in ("left", "start")
        and get("text_overflow", "fold") == "fold"
        and get("text_wrap", "wrap") == "wrap"
        and not get("line_pad", 0)
    )


def _renumbered(strip: Strip, lines: int) -> Strip:
    """``strip`` with the line its selection offsets name moved down by ``lines``."""
    for segment in strip:
        style = segment.style
        offset = style.meta.get("offset") if style is not None else None
        if offset is not None:
            x, y = offset
            return strip.apply_offsets(x, y + lines)
    return strip  # (a blank row: nothing to select in it)
