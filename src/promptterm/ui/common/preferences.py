"""Writes the UI's own choices (the theme) back into the TOML config file.

The editing itself is config.set_config_values's: it changes the one ``theme = ...`` line in
place (or adds it), proves by parsing the result that nothing else changed, and replaces the
file atomically. A file it cannot edit safely is left untouched and the user is told what to
add.
"""

from __future__ import annotations

from pathlib import Path

from promptterm import locations
from promptterm.config import ConfigError, set_config_values


class PreferencesError(Exception):
    """The config file could not be updated; the message says what to do instead."""


def save_theme(theme: str, path: Path | None = None) -> Path:
    """Record ``theme`` as ``[ui] theme`` in the config file and return the file's path."""
    path = path or locations.config_file()
    manual = f'Add `theme = "{theme}"` under [ui] in {path} to keep it.'
    try:
        return set_config_values("ui", {"theme": theme}, path, manual=manual)
    except ConfigError as exc:
        raise PreferencesError(str(exc)) from exc
