"""What to run: a command line typed by the user, or a file with its language's interpreter.

Interpreters come from ``[run.interpreters]`` in the config (``python = "python3 {file}"``),
over the defaults below. The file's path replaces ``{file}`` as one argument, after the
template is split, so no file name is ever read by a shell.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import PurePosixPath

from promptterm.services.errors import ValidationError

DEFAULT_INTERPRETERS = {
    "python": "python3 {file}",
    "javascript": "node {file}",
    "typescript": "npx tsx {file}",
    "shell": "sh {file}",
    "bash": "bash {file}",
    "ruby": "ruby {file}",
    "perl": "perl {file}",
    "php": "php {file}",
    "lua": "lua {file}",
    "r": "Rscript {file}",
    "go": "go run {file}",
}
LANGUAGES = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".ts": "typescript",
    ".sh": "shell",
    ".bash": "bash",
    ".rb": "ruby",
    ".pl": "perl",
    ".php": "php",
    ".lua": "lua",
    ".r": "r",
    ".go": "go",
}
SHELL = ("/bin/sh", "-c")


def language_of(path: str) -> str | None:
    return LANGUAGES.get(PurePosixPath(path).suffix.lower())


def command_argv(command: str) -> tuple[str, ...]:
    """A typed command runs in ``sh -c``, as in a terminal: pipes, globs and ``&&`` work."""
    if not command.strip():
        raise ValidationError("Type a command to run.", "command")
    return (*SHELL, command)


def file_argv(
    path: str, interpreters: Mapping[str, str] | None = None
) -> tuple[str, tuple[str, ...]]:
    """(language, argv) to run the project file ``path`` (relative to the project folder)."""
    language = language_of(path)
    table = {**DEFAULT_INTERPRETERS, **(interpreters or {})}
    if language is None or language not in table:
        known = ", ".join(sorted(LANGUAGES))
        raise ValidationError(
            f"promptterm does not know how to run {PurePosixPath(path).name!r} (it runs {known}). "
            "Add the language to [run.interpreters] in the config, or run a command instead.",
            "file",
        )
    try:
        words = shlex.split(table[language])
    except ValueError as exc:
        raise ValidationError(
            f"The interpreter for {language} in the config cannot be read ({exc}).", "file"
        ) from exc
    if "{file}" not in words:
        words.append("{file}")
    return language, tuple(path if w == "{file}" else w for w in words)
