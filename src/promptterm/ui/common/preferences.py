"""Writes the UI's own choices (the theme) back into the TOML config file.

The standard library reads TOML but cannot write it, and a full re-serialisation would drop
the user's comments and layout. So this edits the one ``theme = ...`` line in place (or adds
it) and then proves, by parsing the result, that nothing else changed before replacing the
file. A file it cannot edit safely is left untouched and the user is told what to add.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from promptterm import locations

_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")
_THEME_LINE = re.compile(r"^(\s*theme\s*=\s*)(.*)$")


class PreferencesError(Exception):
    """The config file could not be updated; the message says what to do instead."""


def _toml_string(value: str) -> str:
    # A JSON string with only printable ASCII is also a valid TOML basic string.
    return json.dumps(value, ensure_ascii=True)


def _with_theme(text: str, theme: str) -> str:
    """``text`` with ``[ui] theme`` set to ``theme``, keeping every other line as it was."""
    lines = text.splitlines()
    value = _toml_string(theme)
    table: str | None = None
    ui_header: int | None = None
    for index, line in enumerate(lines):
        header = _TABLE.match(line)
        if header:
            table = header.group(1).strip()
            if table == "ui":
                ui_header = index
            continue
        theme_line = _THEME_LINE.match(line)
        if table == "ui" and theme_line:
            lines[index] = f"{theme_line.group(1)}{value}"
            return "\n".join(lines) + "\n"
    if ui_header is not None:
        lines.insert(ui_header + 1, f"theme = {value}")
    else:
        if lines and lines[-1].strip():
            lines.append("")
        lines += ["[ui]", f"theme = {value}"]
    return "\n".join(lines) + "\n"


def _without_theme(data: dict[str, Any]) -> dict[str, Any]:
    copy = dict(data)
    ui = copy.get("ui")
    if isinstance(ui, dict):
        copy["ui"] = {k: v for k, v in ui.items() if k != "theme"}
        if not copy["ui"]:
            del copy["ui"]
    return copy


def save_theme(theme: str, path: Path | None = None) -> Path:
    """Record ``theme`` as ``[ui] theme`` in the config file and return the file's path."""
    path = path or locations.config_file()
    manual = f'Add `theme = "{theme}"` under [ui] in {path} to keep it.'
    try:
        old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as exc:
        raise PreferencesError(f"Cannot read {path}: {exc.strerror}. {manual}") from exc
    try:
        before = tomllib.loads(old_text)
    except tomllib.TOMLDecodeError as exc:
        raise PreferencesError(f"{path} is not valid TOML ({exc}). {manual}") from exc
    new_text = _with_theme(old_text, theme)
    try:
        after = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        after = {}
    if after.get("ui", {}).get("theme") != theme or _without_theme(after) != _without_theme(before):
        raise PreferencesError(f"Cannot update {path} safely. {manual}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write a sibling and rename it over the file, so a crash never leaves half a config.
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(new_text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise PreferencesError(f"Cannot write {path}: {exc.strerror}. {manual}") from exc
    return path
