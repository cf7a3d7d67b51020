"""``[activity]`` in the config file: whether bodies are logged, and how long entries stay.

[activity]
log_bodies = false      # request and response bodies of provider calls (redacted)
retention_days = 30     # entries older than this are removed
max_mb = 100            # and the oldest go first once the log holds more than this
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TABLE = "activity"


@dataclass(frozen=True)
class ActivitySettings:
    log_bodies: bool = False
    retention_days: int = 30
    max_mb: int = 100

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024


def load_activity_settings(path: Path | None = None) -> ActivitySettings:
    """The settings, defaults for anything missing or unusable: a bad value must never stop
    the app or a send (``promptterm config`` reports the file's problems)."""
    from promptterm.config import ConfigError, load_config_file

    try:
        table = load_config_file(path).get(TABLE, {})
    except ConfigError:
        return ActivitySettings()
    if not isinstance(table, dict):
        return ActivitySettings()
    default = ActivitySettings()
    return ActivitySettings(
        log_bodies=table.get("log_bodies") is True,
        retention_days=_positive(table.get("retention_days"), default.retention_days),
        max_mb=_positive(table.get("max_mb"), default.max_mb),
    )


def _positive(value: object, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default
