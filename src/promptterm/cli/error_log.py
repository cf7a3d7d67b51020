"""The command's top-level error handler tells the activity log what failed and in which
command (issue 19, item 5), so `promptterm log list --kind error` shows CLI failures too.
Best effort: a log that cannot be written never changes the command's message or status."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from promptterm.services.facade import Services


def log_failure(
    services: Services, exc: BaseException, args: argparse.Namespace, severity: str
) -> None:
    try:
        action = next((str(v) for k, v in vars(args).items() if k.endswith("_command") and v), None)
        services.activity.record_exception(
            exc, severity=severity, area=f"cli {args.command}", action=action
        )
    except Exception:
        pass  # the database may be what failed
