"""Every language we offer is highlighted for real, and files get the right language.

The per-language test also guards the tree-sitter pin: tree-sitter 0.26.1 segfaulted on
JSON and JavaScript, which only a real parse-query-edit-reparse in each language shows.
"""

from __future__ import annotations

import pytest
from rich.style import Style
from textual._text_area_theme import TextAreaTheme
from textual.app import App, ComposeResult

from promptterm.ui.editor.widgets.code_area import CodeArea
from promptterm.ui.editor.widgets.languages import (
    PLAIN_TEXT,
    LanguageChoice,
    detect_language,
    offered_languages,
)
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio

# language: (sample, token, the theme style it must be drawn with)
SAMPLES: dict[str, tuple[str, str, str]] = {
    "python": ('def greet(name):\n    return "hi " + name\n', "return", "keyword.return"),
    "json": ('{"name": "widget", "count": 3}\n', '"name"', "json.label"),
    "javascript": ("function greet(name) {\n  return `hi ${name}`;\n}\n", "function", "keyword"),
    "markdown": ("# Title\n\nSome *text* and `code`.\n", "Title", "heading"),
    "yaml": ("name: widget\ncount: 3\nok: true\n", "true", "boolean"),
    "toml": ('[tool]\nname = "widget"\n', '"widget"', "string"),
    "rust": ("fn main() {\n    let x: i32 = 5;\n}\n", "fn", "keyword"),
    "go": ("package main\n\nfunc main() {\n}\n", "func", "keyword"),
    "html": ('<div class="box">Hello</div>\n', "div", "tag"),
    "css": (".box { color: red; }\n", "color", "css.property"),
    "sql": ("SELECT name FROM users WHERE id = 1;\n", "SELECT", "keyword"),
    "bash": ('if [ -f x ]; then\n  echo "hi"\nfi\n', "then", "keyword"),
    "java": ("class A {\n  int f() { return 1; }\n}\n", "class", "keyword"),
    "xml": ('<?xml version="1.0"?>\n<root attr="v">text</root>\n', "root", "tag"),
    "regex": ("^(a|b)+[0-9]*$", "a", "string"),
    "c": ("int main(void) {\n    return 0;\n}\n", "return", "keyword"),
    "cpp": ("class A { public: int x; };\n", "class", "keyword"),
    "csharp": ("public class A { void F() { return; } }\n", "public", "keyword"),
    "typescript": ('function f(x: number): string {\n  return "a";\n}\n', "function", "keyword"),
    "ruby": ('def greet(name)\n  return "hi"\nend\n', "def", "keyword"),
    "php": ("<?php\nfunction f() { return 1; }\n", "function", "keyword"),
    "lua": ("local function f()\n  return 1\nend\n", "local", "keyword"),
    "docker": ("FROM python:3.11\nRUN pip install x\n", "FROM", "keyword"),
    "make": ("all: build\n\tgcc -o a a.c\n", "all", "function"),
    "kotlin": ("fun main() {\n    val x = 1\n}\n", "fun", "keyword"),
    "swift": ('func greet() -> String {\n    return "hi"\n}\n', "func", "keyword"),
    "perl": ('sub greet {\n    return "hi";\n}\n', "sub", "keyword"),
    "ini": ("[section]\nkey = value\n", "[section]", "keyword"),
    "diff": ("--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n", "+new", "string"),
}

PYTHON = LanguageChoice("Python", "python", "tree-sitter")
MONOKAI = TextAreaTheme.get_builtin_theme("monokai")


class CodeApp(App[None]):
    CSS = "CodeArea { height: 1fr; }"

    def __init__(self, area: CodeArea) -> None:
        super().__init__()
        self.area = area

    def compose(self) -> ComposeResult:
        yield self.area


def style_at(area: CodeArea, row: int, column: int) -> Style:
    """The style the area draws the character at (row, column) with (ASCII samples)."""
    x = area.gutter_width + column
    for segment in area.render_line(row - area.scroll_offset.y):
        if x < len(segment.text):
            return segment.style or Style()
        x -= len(segment.text)
    raise AssertionError(f"nothing drawn at {row}:{column}")


def test_every_offered_language_has_a_sample() -> None:
    assert {choice.language for choice in offered_languages()} == set(SAMPLES)


@pytest.mark.parametrize("language", list(SAMPLES))
async def test_every_offered_language_is_highlighted(language: str) -> None:
    sample, token, style_name = SAMPLES[language]
    assert MONOKAI is not None
    expected = MONOKAI.syntax_styles[style_name].color
    assert expected is not None and MONOKAI.base_style is not None
    area = CodeArea.code_editor(sample, language=language, theme="monokai")
    area.cursor_blink = False
    async with CodeApp(area).run_test(size=SMALL) as pilot:
        area.move_cursor(area.document.end)  # the cursor's own style would hide the token's
        await pilot.pause()
        assert area.is_highlighted
        row = next(n for n, line in enumerate(area.document.lines) if token in line)
        column = area.document[row].index(token)
        for offset in range(len(token)):
            assert style_at(area, row, column + offset).color == expected, (token, offset)
        assert expected != MONOKAI.base_style.color
        # Edit above the token (incremental re-parse or re-lex): still highlighted.
        area.insert("\n", (0, 0))
        await pilot.pause()
        area.settle_highlights()
        await pilot.pause()
        assert style_at(area, row + 1, column).color == expected


C_BLOCK = """
/* Widget {n}: a block comment
   over two lines. */
static int widget_{n}(const char *name, int count) {{
    if (count > {n}) {{
        return printf("%s %d\\n", name, count);  // print it
    }}
    return 0;
}}
"""


async def test_pygments_rows_after_edits_match_a_fresh_lex() -> None:
    text = "#include <stdio.h>\n" + "".join(C_BLOCK.format(n=n) for n in range(60))
    area = CodeArea.code_editor(text, language="c", theme="monokai")
    area.cursor_blink = False
    async with CodeApp(area).run_test(size=SMALL) as pilot:
        area.focus()
        area.move_cursor((300, 0), center=True)
        await pilot.pause()
        # A block comment opened and closed a few lines down, a word typed, a line removed.
        area.move_cursor((297, 4))
        await pilot.press(*"/* new ", "enter", *"comment */ int total = 0;")
        area.move_cursor((305, 0))
        await pilot.press("shift+down", "delete", *"  return 1;")
        await pilot.pause()
        area.settle_highlights()
        await pilot.pause()
        fresh = CodeArea.code_editor(area.text, language="c", theme="monokai")
        top = area.scroll_offset.y
        fresh.highlighter.prepare(top, top + area.size.height)
        rows = range(top, top + area.size.height)
        assert [area.highlighter[row] for row in rows] == [fresh.highlighter[row] for row in rows]
        comment = area.document[297].index("/*")
        assert any(
            start == comment and name == "comment" for start, _, name in area.highlighter[297]
        )


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("app/main.py", "", PYTHON),
        ("data.json", "{}", LanguageChoice("JSON", "json", "tree-sitter")),
        ("web/app.jsx", "", LanguageChoice("JavaScript", "javascript", "tree-sitter")),
        ("README.md", "# Hi", LanguageChoice("Markdown", "markdown", "tree-sitter")),
        (".github/ci.yml", "", LanguageChoice("YAML", "yaml", "tree-sitter")),
        ("Cargo.toml", "", LanguageChoice("TOML", "toml", "tree-sitter")),
        ("schema.sql", "select 1;", LanguageChoice("SQL", "sql", "tree-sitter")),
        ("deploy.sh", "", LanguageChoice("Bash", "bash", "tree-sitter")),
        ("pom.xml", "<a/>", LanguageChoice("XML", "xml", "tree-sitter")),
        ("src/main.c", "", LanguageChoice("C", "c", "pygments")),
        ("Dockerfile", "FROM x", LanguageChoice("Dockerfile", "docker", "pygments")),
        ("Makefile", "all:", LanguageChoice("Makefile", "make", "pygments")),
        ("lib/app.rb", "", LanguageChoice("Ruby", "ruby", "pygments")),
        ("web/index.ts", "", LanguageChoice("TypeScript", "typescript", "pygments")),
        # No extension: the content decides.
        (
            "bin/tool",
            "#!/usr/bin/env python3\nprint(1)\n",
            LanguageChoice("Python", "python", "tree-sitter"),
        ),
        ("bin/run", "#!/bin/bash\necho hi\n", LanguageChoice("Bash", "bash", "tree-sitter")),
        ("notes.txt", "def f(): pass", PLAIN_TEXT),
        ("LICENSE", "MIT License\n\nPermission is hereby granted...", PLAIN_TEXT),
        ("data.unknownext", "just some words here", PLAIN_TEXT),
        ("empty", "", PLAIN_TEXT),
    ],
)
def test_detect_language(path: str, text: str, expected: LanguageChoice) -> None:
    choice = detect_language(path, text)
    assert choice == expected
    # Whatever is detected opens (and highlights unless plain) in a CodeArea.
    area = CodeArea(text, language=choice.language)
    assert area.is_highlighted == (choice.engine != "plain")
