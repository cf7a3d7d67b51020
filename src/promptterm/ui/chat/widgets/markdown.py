"""A message's Markdown as one ``Content``, for one Static: headings, paragraphs, lists,
quotes, tables, rules, inline styles and highlighted code blocks.

Why not Textual's Markdown widget for every message: it makes a widget per block (a list
item is three), parses in a thread and mounts asynchronously, and 50 messages of answers
took four seconds to open on the development machine, against half a second as Statics.
An answer that streams is drawn from here too, a block at a time (stream_body.py). Same
parser as Textual's widget (markdown-it, "gfm-like"), theme variables only, so it follows
the theme like the rest of the screen.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from textual.content import Content
from textual.style import Style

from promptterm.links import safe_url, web_url
from promptterm.ui.chat.widgets.format import markdown_parser

if TYPE_CHECKING:
    from markdown_it.token import Token

HEADING_STYLES = {
    "h1": "bold underline $text-accent",
    "h2": "bold $text-accent",
    "h3": "bold $text-primary",
}
INLINE_STYLES = {
    "strong": "bold",
    "em": "italic",
    "s": "strike",
    "link": "underline $text-primary",
}
LINK_SCHEMES = ("http", "https", "mailto")
CODE_INLINE = "$text-warning on $warning 10%"
CODE_BLOCK = "on $boost"
QUOTE_BAR = "▌ "
RULE = "─" * 24


@lru_cache(maxsize=256)
def render_markdown(text: str) -> Content:
    """``text`` rendered (cached: a thread reopened or a version flipped back costs nothing)."""
    return markdown_content(text)


def markdown_content(text: str) -> Content:
    """``text`` rendered, not cached (a streaming answer's text is never seen twice)."""
    if not text.strip():
        return Content("")
    return tokens_content(markdown_parser().parse(text))


def tokens_content(tokens: list[Token]) -> Content:
    """What ``markdown_content`` draws, from the text's tokens (a caller that parsed the
    text already does not parse it twice)."""
    return Content("\n\n").join(_Renderer(tokens).blocks())


class _Renderer:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def blocks(self, until: str | None = None, indent: str = "") -> list[Content]:
        """Blocks until the closing token ``until`` (or the end), each a Content."""
        out: list[Content] = []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            self.i += 1
            kind = token.type
            if kind == until:
                break
            if kind == "heading_open":
                style = HEADING_STYLES.get(token.tag, "bold")
                out.append(self._inline().stylize_before(style))
                self.i += 1  # heading_close
            elif kind == "paragraph_open":
                out.append(self._inline())
                self.i += 1  # paragraph_close
            elif kind in ("bullet_list_open", "ordered_list_open"):
                out.append(self._list(kind == "ordered_list_open", token))
            elif kind in ("fence", "code_block"):
                out.append(_code(token.content, (token.info or "").strip().split(" ")[0]))
            elif kind == "blockquote_open":
                inner = Content("\n\n").join(self.blocks("blockquote_close"))
                out.append(_prefix(inner, Content.styled(QUOTE_BAR, "$text-muted")))
            elif kind == "hr":
                out.append(Content.styled(RULE, "$text-muted"))
            elif kind == "table_open":
                out.append(self._table())
            elif kind in ("html_block", "inline"):
                out.append(Content(token.content.rstrip("\n")))
        return out

    def _inline(self) -> Content:
        token = self.tokens[self.i]
        self.i += 1
        return inline(token.children or [])

    def _list(self, ordered: bool, opener: Token) -> Content:
        close = "ordered_list_close" if ordered else "bullet_list_close"
        number = int(opener.attrs.get("start", 1) or 1) if ordered else 0
        items: list[Content] = []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            self.i += 1
            if token.type == close:
                break
            if token.type != "list_item_open":
                continue
            marker = f"{number}. " if ordered else "• "
            number += 1
            # A tight list's items are one line apart, a loose list's a blank line apart.
            parts = self.blocks("list_item_close")
            body = Content("\n").join(parts)
            pad = " " * len(marker)
            lines = body.split("\n")
            first = Content.assemble((marker, "$text-primary"), lines[0] if lines else "")
            rest = [Content(pad) + line for line in lines[1:]]
            items.append(Content("\n").join([first, *rest]))
        return Content("\n").join(items)

    def _table(self) -> Content:
        rows: list[list[Content]] = []
        header_rows = 0
        row: list[Content] = []
        in_head = False
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            self.i += 1
            if token.type == "table_close":
                break
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close":
                rows.append(row)
                header_rows += in_head
            elif token.type == "inline":
                row.append(inline(token.children or []))
        if not rows:
            return Content("")
        widths = [
            max(r[c].cell_length if c < len(r) else 0 for r in rows)
            for c in range(max(len(r) for r in rows))
        ]
        lines = []
        for n, r in enumerate(rows):
            cells = [
                (r[c] if c < len(r) else Content("")).pad_right(
                    widths[c] - (r[c].cell_length if c < len(r) else 0)
                )
                for c in range(len(widths))
            ]
            line = Content(" │ ").join(cells)
            lines.append(line.stylize_before("bold") if n < header_rows else line)
            if n == header_rows - 1:
                lines.append(Content.styled("─┼─".join("─" * w for w in widths), "$text-muted"))
        return Content("\n").join(lines)


def inline(children: list[Token]) -> Content:
    """The inline tokens of a paragraph or heading: text with bold, italic, code, links."""
    pieces: list[tuple[str, str] | Content] = []
    styles: list[str] = []
    target: str | None = None  # the link the text is in, if any
    for child in children:
        kind = child.type
        if kind == "text" or kind == "html_inline" or (kind == "softbreak" and target):
            text = " " if kind == "softbreak" else child.content
            pieces.append(_linked(text, " ".join(styles), target))
        elif kind == "softbreak":
            pieces.append((" ", " ".join(styles)))
        elif kind == "link_open":
            styles.append(INLINE_STYLES["link"])
            target = link_target(str(child.attrs.get("href") or ""))
        elif kind == "link_close":
            styles.pop()
            target = None
        elif kind == "hardbreak":
            pieces.append(("\n", ""))
        elif kind == "code_inline":
            pieces.append((child.content, CODE_INLINE))
        elif kind == "image":
            pieces.append((f"[{child.content or 'image'}]", "italic $text-muted"))
        elif kind.endswith("_open"):
            styles.append(INLINE_STYLES.get(kind[: -len("_open")], ""))
        elif kind.endswith("_close") and styles:
            styles.pop()
    return Content.assemble(*pieces)


def link_target(href: str) -> str | None:
    """Where a link in a model's answer may lead when clicked: web and mail addresses only
    (a ``file:`` link in an answer could point anywhere on the disk), percent-encoded so the
    terminal's OSC 8 sequence cannot be broken out of."""
    return safe_url(href) if web_url(href, LINK_SCHEMES) else None


def _linked(text: str, style: str, target: str | None) -> tuple[str, str] | Content:
    if target is None:
        return (text, style)
    # Rich writes a style's link as an OSC 8 hyperlink: the terminal makes it clickable
    # (ctrl/cmd+click; shift too where the app holds the mouse) and others ignore it.
    return Content.styled(text, style).stylize(Style(link=target))


def _code(code: str, language: str) -> Content:
    """A highlighted block on a panel of its own, every line padded to the longest."""
    from textual.highlight import highlight

    code = code.rstrip("\n")
    try:
        lit = highlight(code, language=language or "text")
    except Exception:  # an odd lexer name or input: plain is better than nothing
        lit = Content(code)
    lines = lit.split("\n")
    width = max((line.cell_length for line in lines), default=0)
    padded = [
        (Content(" ") + line + Content(" " * (width - line.cell_length + 1))).stylize_before(
            CODE_BLOCK
        )
        for line in lines
    ]
    return Content("\n").join(padded)


def _prefix(block: Content, bar: Content) -> Content:
    return Content("\n").join(bar + line for line in block.split("\n"))
