"""Settings: the TOML config file, overridden by environment variables, overridden by flags.

Also the one writer of the config file's simple values (``set_config_values``): the standard
library reads TOML but cannot write it, and re-serialising would drop the user's comments,
so it edits the lines it owns in place and proves by parsing that nothing else changed.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from promptterm import locations


class ConfigError(Exception):
    """The config file exists but cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Budget:
    """The user's own monthly caps, below the plan's (``[budget]``); None: no cap."""

    monthly_spend_usd: Decimal | None = None
    monthly_tokens: int | None = None

    @property
    def is_set(self) -> bool:
        return self.monthly_spend_usd is not None or self.monthly_tokens is not None


NOTIFY_KINDS = ("off", "bell", "osc9", "osc777")


@dataclass(frozen=True)
class DoneNotice:
    """``[ui] notify_when_done`` / ``notify_after_seconds``: how a long answer that finishes
    while the user is in another area gets their attention (off unless they ask)."""

    kind: str = "off"  # one of NOTIFY_KINDS
    after_seconds: float = 10.0
    problem: str | None = None  # a value we could not use, in words (the app says it once)


@dataclass(frozen=True)
class Settings:
    database_url: str
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)
    source: str = "default"  # where database_url came from: flag, env, config or default
    budget: Budget = field(default_factory=Budget)
    config_file: Path | None = None  # the file read (None: the default place)
    # OSC 8 links in the CLI's output (``[ui] hyperlinks``, or $PROMPTTERM_HYPERLINKS=0/1).
    hyperlinks: bool = True
    done_notice: DoneNotice = field(default_factory=DoneNotice)
    # ``[mcp] check_every_minutes``: the app checks enabled MCP servers at start and then this
    # often (0: never on its own; `c` and `promptterm mcp check` still do).
    mcp_check_minutes: float = 15.0


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
    try:
        budget = parse_budget(data)
    except ConfigError:
        # Not fatal at start-up: `promptterm billing budget set` must still run to fix it,
        # and a send reports the same error in words when it checks the budget.
        budget = Budget()
    ui = ui if isinstance(ui, dict) else {}
    return Settings(
        database_url=url,
        theme=str(ui.get("theme", "textual-dark")),
        keymap={str(k): str(v) for k, v in keymap.items()} if isinstance(keymap, dict) else {},
        source=source,
        budget=budget,
        config_file=config_path or locations.config_file(),
        hyperlinks=ui.get("hyperlinks", True) is not False,
        done_notice=parse_done_notice(ui),
        mcp_check_minutes=parse_mcp_minutes(data.get("mcp", {})),
    )


def parse_mcp_minutes(mcp: object) -> float:
    """``[mcp] check_every_minutes``; a value that is not minutes (0 or more) keeps 15."""
    value = mcp.get("check_every_minutes", 15) if isinstance(mcp, dict) else 15
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return 15.0
    return float(value)


def parse_done_notice(ui: Mapping[str, Any]) -> DoneNotice:
    """``[ui]``'s notification keys; a bad value is not fatal (every command must still run)
    but is kept in words so the app can say what it ignored."""
    kind = ui.get("notify_when_done", "off")
    seconds = ui.get("notify_after_seconds", 10)
    problems = []
    if kind not in NOTIFY_KINDS:
        choices = ", ".join(f'"{k}"' for k in NOTIFY_KINDS)
        problems.append(f"[ui] notify_when_done must be one of {choices}, not {kind!r}")
        kind = "off"
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        problems.append(f"[ui] notify_after_seconds must be seconds (0 or more), not {seconds!r}")
        seconds = 10
    problem = "; ".join(problems) + "." if problems else None
    return DoneNotice(kind=str(kind), after_seconds=float(seconds), problem=problem)


# -- tools in chat ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ToolLimits:
    """``[tools]``: how many answers of one send may ask for tools, and how long a tool may
    take. A bad value falls back to the default (a send must still run)."""

    max_rounds: int = 8
    timeout: float = 60.0


def load_tool_limits(path: Path | None = None) -> ToolLimits:
    try:
        table = load_config_file(path).get("tools", {})
    except ConfigError:
        return ToolLimits()
    if not isinstance(table, Mapping):
        return ToolLimits()
    rounds, timeout = table.get("max_rounds", 8), table.get("timeout", 60)
    if isinstance(rounds, bool) or not isinstance(rounds, int) or not 1 <= rounds <= 100:
        rounds = 8
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        timeout = 60
    return ToolLimits(max_rounds=rounds, timeout=float(timeout))


# -- the budget -------------------------------------------------------------------------------

BUDGET_TABLE = "budget"
MAX_TOKENS = 10**12  # a typo guard, far above any plan


def parse_budget(data: Mapping[str, Any]) -> Budget:
    """``[budget]`` of a parsed config file; ConfigError names the key and what it takes."""
    table = data.get(BUDGET_TABLE, {})
    if not isinstance(table, Mapping):
        raise ConfigError("[budget] in the config file must be a table of caps.")
    return Budget(
        monthly_spend_usd=parse_spend_cap(table.get("monthly_spend_usd")),
        monthly_tokens=parse_token_cap(table.get("monthly_tokens")),
    )


def parse_spend_cap(value: object) -> Decimal | None:
    """USD, above 0, to the cent; None or "off" means no cap."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "off", "none")):
        return None
    problem = "[budget] monthly_spend_usd must be an amount in USD above 0, such as 20 or 12.50"
    if isinstance(value, bool):
        raise ConfigError(f"{problem}.")
    try:
        amount = Decimal(str(value).strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise ConfigError(f"{problem}, not {value!r}.") from None
    if not amount.is_finite() or amount <= 0 or amount > Decimal(10**9):
        raise ConfigError(f"{problem}, not {value!r}.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ConfigError(f"{problem} (whole cents), not {value!r}.")
    return amount.quantize(Decimal("0.01"))


def parse_token_cap(value: object) -> int | None:
    """Whole tokens, above 0; None or "off" means no cap."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "off", "none")):
        return None
    problem = "[budget] monthly_tokens must be a whole number of tokens above 0, such as 500000"
    if isinstance(value, (bool, float)):
        raise ConfigError(f"{problem}, not {value!r}.")
    try:
        tokens = int(str(value).strip().replace(",", "").replace("_", ""))
    except ValueError:
        raise ConfigError(f"{problem}, not {value!r}.") from None
    if not 0 < tokens <= MAX_TOKENS:
        raise ConfigError(f"{problem}, not {value!r}.")
    return tokens


def load_budget(path: Path | None = None) -> Budget:
    return parse_budget(load_config_file(path))


def save_budget(budget: Budget, path: Path | None = None) -> Path:
    """Write ``[budget]`` (a None cap removes its line); returns the file's path."""
    spend = budget.monthly_spend_usd
    return set_config_values(
        BUDGET_TABLE,
        {
            # A TOML float would print 12.5 as 12.5 but 20 as 20.0; keep what people typed.
            "monthly_spend_usd": None if spend is None else _Raw(_plain_number(spend)),
            "monthly_tokens": budget.monthly_tokens,
        },
        path,
    )


def _plain_number(amount: Decimal) -> str:
    text = format(amount, "f")
    return text[:-3] if text.endswith(".00") else text


# -- writing the file -------------------------------------------------------------------------

# A table header, including quoted names such as [prices."local/*"].
_TABLE = re.compile(r"^\s*\[\[?\s*([^\[\]#]+?)\s*\]\]?\s*(#.*)?$")


@dataclass(frozen=True)
class _Raw:
    """A value written as is (already valid TOML)."""

    text: str


def _toml_value(value: object) -> str:
    if isinstance(value, _Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    # A JSON string with only printable ASCII is also a valid TOML basic string.
    return json.dumps(str(value), ensure_ascii=True)


def _edited(text: str, table: str, values: Mapping[str, object | None]) -> str:
    """``text`` with ``key = value`` set (None: removed) under ``[table]``, every other
    line kept as it was; a missing table is added at the end."""
    lines = text.splitlines()
    pending = dict(values)
    current: str | None = None
    header: int | None = None
    out: list[str] = []
    for line in lines:
        match = _TABLE.match(line)
        if match:
            if current == table:
                out, header = _flush(out, pending), None
            current = match.group(1).strip()
            if current == table:
                header = len(out)
            out.append(line)
            continue
        if current == table:
            key = line.split("=", 1)[0].strip() if "=" in line else None
            if key in pending:
                value = pending.pop(key)
                if value is not None:
                    out.append(f"{key} = {_toml_value(value)}")
                continue
        out.append(line)
    if current == table:
        out = _flush(out, pending)
    elif header is None and any(v is not None for v in pending.values()):
        if out and out[-1].strip():
            out.append("")
        out.append(f"[{table}]")
        out = _flush(out, pending)
    return "\n".join(out) + "\n" if out else ""


def _flush(out: list[str], pending: dict[str, object | None]) -> list[str]:
    # New keys go after the table's last non-blank line, before the blank lines that
    # separate it from the next table.
    at = len(out)
    while at > 0 and not out[at - 1].strip():
        at -= 1
    added = [f"{k} = {_toml_value(v)}" for k, v in pending.items() if v is not None]
    pending.clear()
    return out[:at] + added + out[at:]


def set_config_values(
    table: str,
    values: Mapping[str, object | None],
    path: Path | None = None,
    *,
    manual: str | None = None,
) -> Path:
    """Set (or, for None, remove) simple ``key = value`` lines of ``[table]`` in the config
    file, atomically; ConfigError, with the lines to add by hand (``manual`` if given), when
    it cannot do it safely."""
    path = path or locations.config_file()
    wanted = {k: v for k, v in values.items() if v is not None}
    manual = manual or (
        f"Add these lines under [{table}] in {path} by hand: "
        + "; ".join(f"{k} = {_toml_value(v)}" for k, v in wanted.items())
        if wanted
        else f"Remove {', '.join(values)} from [{table}] in {path} by hand."
    )
    try:
        old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}. {manual}") from exc
    try:
        before = tomllib.loads(old_text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}). {manual}") from exc
    new_text = _edited(old_text, table, values)
    try:
        after = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        after = None
    if after is None or not _only_these_changed(before, after, table, values):
        raise ConfigError(f"Cannot update {path} safely. {manual}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write a sibling and rename it over the file, so a crash never leaves half a config.
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(new_text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise ConfigError(f"Cannot write {path}: {exc.strerror}. {manual}") from exc
    return path


def _only_these_changed(
    before: dict[str, Any], after: dict[str, Any], table: str, values: Mapping[str, object | None]
) -> bool:
    old_table = before.get(table, {})
    new_table = after.get(table, {})
    if not isinstance(old_table, dict) or not isinstance(new_table, dict):
        return False
    for key, value in values.items():
        got = new_table.get(key)
        expected = tomllib.loads(f"v = {_toml_value(value)}")["v"] if value is not None else None
        if got != expected:
            return False
    rest_before = {k: v for k, v in before.items() if k != table}
    rest_after = {k: v for k, v in after.items() if k != table}
    kept_before = {k: v for k, v in old_table.items() if k not in values}
    kept_after = {k: v for k, v in new_table.items() if k not in values}
    return rest_before == rest_after and kept_before == kept_after


def load_run_interpreters(path: Path | None = None) -> dict[str, str]:
    """``[run.interpreters]``: how to run a file of each language (``python = "python3
    {file}"``), over the built-in table (services/code/runs/commands.py)."""
    run = load_config_file(path).get("run", {})
    table = run.get("interpreters", {}) if isinstance(run, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError('[run.interpreters] must be a table: python = "python3 {file}".')
    return {str(k).lower(): str(v) for k, v in table.items()}
