"""Which language a file is, and how CodeArea highlights it.

Pygments names the language (from the file name, then from the content for names it does
not know); a language Textual ships a tree-sitter grammar for is parsed with it, any other
language Pygments knows is highlighted with Pygments tokens, and the rest is plain text.
Pygments and tree-sitter are imported on first use, not at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pygments.lexer import Lexer

Engine = Literal["tree-sitter", "pygments", "plain"]

# Pygments' first alias -> Textual's tree-sitter language.
_TREE_SITTER_FOR_PYGMENTS = {
    "python": "python",
    "python2": "python",
    "json": "json",
    "javascript": "javascript",
    "jsx": "javascript",
    "markdown": "markdown",
    "yaml": "yaml",
    "toml": "toml",
    "rust": "rust",
    "go": "go",
    "html": "html",
    "css": "css",
    "sql": "sql",
    "tsql": "sql",
    "mysql": "sql",
    "postgresql": "sql",
    "sqlite3": "sql",
    "bash": "bash",
    "java": "java",
    "xml": "xml",
}

TREE_SITTER_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("python", "Python"),
    ("json", "JSON"),
    ("javascript", "JavaScript"),
    ("markdown", "Markdown"),
    ("yaml", "YAML"),
    ("toml", "TOML"),
    ("rust", "Rust"),
    ("go", "Go"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("sql", "SQL"),
    ("bash", "Bash"),
    ("java", "Java"),
    ("xml", "XML"),
    ("regex", "Regular expression"),
)
"""Languages parsed with tree-sitter: (CodeArea language, display name)."""

PYGMENTS_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("c", "C"),
    ("cpp", "C++"),
    ("csharp", "C#"),
    ("typescript", "TypeScript"),
    ("ruby", "Ruby"),
    ("php", "PHP"),
    ("lua", "Lua"),
    ("docker", "Dockerfile"),
    ("make", "Makefile"),
    ("kotlin", "Kotlin"),
    ("swift", "Swift"),
    ("perl", "Perl"),
    ("ini", "INI"),
    ("diff", "Diff"),
)
"""Languages offered in pickers that tree-sitter lacks here: highlighted with Pygments.

Any other language Pygments detects is highlighted the same way; these are the ones we
list and test."""

# Below this score Pygments' content sniffing is a guess, not a detection.
_MIN_GUESS_SCORE = 0.3
_GUESS_PREFIX = 8192


@dataclass(frozen=True)
class LanguageChoice:
    """How to show a file: pass `language` to CodeArea (None is plain text)."""

    name: str
    language: str | None
    engine: Engine


PLAIN_TEXT = LanguageChoice("Plain text", None, "plain")


def offered_languages() -> list[LanguageChoice]:
    """Every language a user can pick, tree-sitter ones first, each engine alphabetical."""
    tree_sitter = [
        LanguageChoice(display, name, "tree-sitter")
        for name, display in TREE_SITTER_LANGUAGES
        if tree_sitter_available(name)
    ]
    pygments = [LanguageChoice(display, name, "pygments") for name, display in PYGMENTS_LANGUAGES]
    return [
        *sorted(tree_sitter, key=lambda choice: choice.name.lower()),
        *sorted(pygments, key=lambda choice: choice.name.lower()),
    ]


def detect_language(path: str, text: str) -> LanguageChoice:
    """The language of a file, from its name, else (unknown names) from its content."""
    from pygments.lexers import get_lexer_for_filename
    from pygments.util import ClassNotFound

    name = PurePath(path).name
    sample = text[:_GUESS_PREFIX]
    lexer: Lexer | None
    try:
        lexer = get_lexer_for_filename(name, code=sample)
    except ClassNotFound:
        lexer = _guess(sample)
    if lexer is None:
        return PLAIN_TEXT
    return choice_for_lexer(lexer)


def choice_for_lexer(lexer: Lexer) -> LanguageChoice:
    """Map a Pygments lexer to tree-sitter when Textual has that grammar, else Pygments."""
    alias = lexer.aliases[0] if lexer.aliases else ""
    if not alias or alias == "text":
        return PLAIN_TEXT
    tree_sitter = _TREE_SITTER_FOR_PYGMENTS.get(alias)
    if tree_sitter is not None and tree_sitter_available(tree_sitter):
        display = dict(TREE_SITTER_LANGUAGES).get(tree_sitter, lexer.name)
        return LanguageChoice(display, tree_sitter, "tree-sitter")
    return LanguageChoice(dict(PYGMENTS_LANGUAGES).get(alias, lexer.name), alias, "pygments")


def _guess(sample: str) -> Lexer | None:
    from pygments.lexers import guess_lexer
    from pygments.util import ClassNotFound

    if not sample.strip():
        return None
    try:
        lexer = guess_lexer(sample)
    except ClassNotFound:
        return None
    # guess_lexer always returns its best candidate; only a confident one counts.
    if lexer.analyse_text(sample) < _MIN_GUESS_SCORE:
        return None
    return lexer


@cache
def tree_sitter_available(language: str) -> bool:
    """Is a tree-sitter grammar and Textual highlight query installed for `language`?"""
    from textual._tree_sitter import get_language
    from textual.widgets import TextArea

    return get_language(language) is not None and bool(
        TextArea._get_builtin_highlight_query(language)
    )


@lru_cache(maxsize=64)
def pygments_lexer(alias: str) -> Lexer | None:
    """A Pygments lexer by alias, set up to leave the text's offsets untouched."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(alias, stripnl=False, stripall=False, ensurenl=False)
    except ClassNotFound:
        return None
