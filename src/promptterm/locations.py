"""Every path promptterm reads or writes, in one place.

Tests and scripts redirect them all with ``PROMPTTERM_CONFIG_DIR`` and ``PROMPTTERM_DATA_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "promptterm"


def config_dir() -> Path:
    override = os.environ.get("PROMPTTERM_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    override = os.environ.get("PROMPTTERM_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    return config_dir() / "config.toml"


def default_database_path() -> Path:
    return data_dir() / "promptterm.db"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


def export_dir() -> Path:
    """Where exports are proposed: the user's documents folder, else downloads (XDG user
    dirs on Linux, the system's own elsewhere), else home. Never the current directory: it
    may be a project folder promptterm keeps in sync, which would take the export in."""
    from platformdirs import user_documents_path, user_downloads_path

    for folder in (user_documents_path(), user_downloads_path()):
        if folder.is_dir() and os.access(folder, os.W_OK):
            return folder
    return Path.home()
