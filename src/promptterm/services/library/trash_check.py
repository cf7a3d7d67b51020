"""Whether the prompt trash holds anything old enough to purge, asked in one query per
table before the prompt service (and the editor behind it) is loaded: most starts have
nothing to purge, and a command then loads only its own domain."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from promptterm.db.models import Prompt, PromptFolder
from promptterm.services.context import ServiceContext

TRASH_DAYS = 30  # days in the trash before a start deletes it for good


def trash_due(ctx: ServiceContext, older_than_days: int = TRASH_DAYS) -> bool:
    """What ``PromptService.empty_trash`` would delete, is there any."""
    cutoff = ctx.now() - timedelta(days=older_than_days)
    with ctx.db.session() as session:
        for model in (Prompt, PromptFolder):
            query = (
                select(model.id)
                .where(
                    model.user_id == ctx.user_id,
                    col(model.deleted_at).is_not(None),
                    col(model.deleted_at) <= cutoff,
                )
                .limit(1)
            )
            if session.exec(query).first() is not None:
                return True
    return False
