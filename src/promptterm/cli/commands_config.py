"""`promptterm config path|show|edit`: where the files are, what is in force, and the config
file in the user's own editor.

These run without opening the database: `config edit` is how a broken config gets fixed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

from promptterm.cli.output import emit, fail

TEMPLATE = Path(__file__).with_name("config_template.toml")
# Tried in this order when neither $VISUAL nor $EDITOR is set.
FALLBACK_EDITORS = ("editor", "nano", "vi")


def register(commands: Any, as_json: argparse.ArgumentParser) -> None:
    config = commands.add_parser("config", help="settings: where the files are, what is in force")
    sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    sub.add_parser(
        "path", parents=[as_json], help="the config file, data directory, database and log"
    ).set_defaults(plain=config_path)
    sub.add_parser(
        "show", parents=[as_json], help="the settings in force (file, environment, flags)"
    ).set_defaults(plain=config_show)
    sub.add_parser(
        "edit", help="open the config file in $VISUAL or $EDITOR (created if missing)"
    ).set_defaults(plain=config_edit)


def config_path(args: argparse.Namespace) -> int:
    from promptterm import locations
    from promptterm.config import load_settings

    config_file = locations.config_file()
    settings = load_settings(args.database_url)
    log = os.environ.get("TEXTUAL_LOG") or None
    data = {
        "config": str(config_file),
        "config_exists": config_file.is_file(),
        "data": str(locations.data_dir()),
        "database": _without_password(settings.database_url),
        "database_from": settings.source,
        "log": log,
    }

    def human() -> None:
        missing = "" if data["config_exists"] else "  (not created yet: promptterm config edit)"
        print(f"config    {data['config']}{missing}")
        print(f"data      {data['data']}")
        print(f"database  {data['database']}  (from: {settings.source})")
        # The app keeps no log of its own; Textual writes one where TEXTUAL_LOG says.
        print(f"log       {log or 'none (set TEXTUAL_LOG=FILE to keep the app log)'}")

    emit(args.json, data, human)
    return 0


def config_show(args: argparse.Namespace) -> int:
    from promptterm import locations
    from promptterm.config import load_config_file, load_settings, parse_budget

    raw = load_config_file()  # ConfigError (bad TOML) is reported by main
    settings = load_settings(args.database_url)
    budget = parse_budget(raw)
    prices = raw.get("prices", {})
    data = {
        "file": str(locations.config_file()),
        "database": {"url": _without_password(settings.database_url), "from": settings.source},
        "ui": {"theme": settings.theme},
        "keymap": settings.keymap,
        "budget": {
            "monthly_spend_usd": budget.monthly_spend_usd,
            "monthly_tokens": budget.monthly_tokens,
        },
        "prices": prices if isinstance(prices, dict) else {},
    }
    emit(args.json, data, lambda: _print_settings(data))
    return 0


def _print_settings(data: dict[str, Any]) -> None:
    print(f"# the settings in force: flags, then the environment, then {data['file']}")
    print("[database]")
    print(f"url = {_toml(data['database']['url'])}  # from: {data['database']['from']}")
    print("\n[ui]")
    print(f"theme = {_toml(data['ui']['theme'])}")
    print("\n[keymap]" + ("" if data["keymap"] else "  # no keys remapped"))
    for key, keys in data["keymap"].items():
        print(f"{key} = {_toml(keys)}")
    budget = {k: v for k, v in data["budget"].items() if v is not None}
    print("\n[budget]" + ("" if budget else "  # no caps below the plan's"))
    for key, value in budget.items():
        print(f"{key} = {value}")
    for model, price in data["prices"].items():
        print(f"\n[prices.{_toml(model)}]")
        for key, value in price.items() if isinstance(price, dict) else ():
            print(f"{key} = {value}")


def _without_password(url: str) -> str:
    """The URL as `db info` shows it, password hidden, without importing SQLAlchemy for it
    (these commands answer at once, and work when the database cannot be opened)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<unparseable URL>"
    if not password:
        return url
    return url.replace(f":{password}@", ":***@", 1)


def _toml(text: str) -> str:
    import json

    return json.dumps(str(text), ensure_ascii=False)


def config_edit(args: argparse.Namespace) -> int:
    from promptterm import locations
    from promptterm.config import ConfigError, load_config_file

    path = locations.config_file()
    command = _editor()
    if command is None:
        return fail(
            f"No editor found: set $EDITOR (for example EDITOR=nano), or edit {path} directly."
        )
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        except OSError as exc:
            return fail(f"Cannot create {path}: {exc.strerror or exc}.")
    try:
        status = subprocess.run([*command, str(path)], check=False).returncode
    except OSError as exc:
        return fail(f"Cannot start the editor {shlex.join(command)!r}: {exc.strerror or exc}.")
    if status != 0:
        return fail(f"The editor {shlex.join(command)!r} exited with status {status}.")
    try:
        load_config_file(path)
    except ConfigError as exc:
        return fail(f"{exc} Run `promptterm config edit` again.")
    print(f"Saved {path}.")
    return 0


def _editor() -> list[str] | None:
    """$VISUAL, then $EDITOR (either may hold arguments: "code --wait"), then a fallback."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            return shlex.split(value)
    found = next((shutil.which(e) for e in FALLBACK_EDITORS if shutil.which(e)), None)
    return [found] if found else None
