"""Settings: the TOML config file, overridden by environment variables, overridden by flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from promptterm import locations


class ConfigError(Exception):
    """The config file exists but cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)
    source: str = "default"  # where database_url came from: flag, env, config or default


def load_config_file(path: Path | None = None) -> dict[str, Any]:
    path = path or locations.config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc.strerror}.") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"The config file {path} is not valid TOML: {exc}. Fix or remove it."
        ) from exc


def load_settings(database_url: str | None = None, config_path: Path | None = None) -> Settings:
    data = load_config_file(config_path)
    database = data.get("database", {})
    ui = data.get("ui", {})
    if database_url:
        url, source = database_url, "flag"
    elif os.environ.get("PROMPTTERM_DATABASE_URL"):
        url, source = os.environ["PROMPTTERM_DATABASE_URL"], "env"
    elif isinstance(database, dict) and database.get("url"):
        url, source = str(database["url"]), "config"
    else:
        url, source = locations.default_database_url(), "default"
    keymap = data.get("keymap", {})
    return Settings(
        database_url=url,
        theme=str(ui.get("theme", "textual-dark")) if isinstance(ui, dict) else "textual-dark",
        keymap={str(k): str(v) for k, v in keymap.items()} if isinstance(keymap, dict) else {},
        source=source,
    )
