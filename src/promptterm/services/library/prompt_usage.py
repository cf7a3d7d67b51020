"""Prompt usage (seed 000 ``usage_tracking``): each render, copy and send is kept with the
options and variable values chosen; prompts count their uses so lists can sort by use."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import select

from promptterm.db.models import Prompt, PromptUse
from promptterm.db.order import order_by
from promptterm.db.vocab import PROMPT_ACTIONS
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound
from promptterm.services.library.prompt_use_info import USE_ORDER, PromptUseInfo, use_info
from promptterm.services.validation import choice

# What one use keeps of a value: enough to recognise it, not a second copy of a document.
VALUE_KEEP = 500


class PromptUsageService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def record(
        self,
        prompt_id: uuid.UUID,
        action: str,
        *,
        options: dict[uuid.UUID, uuid.UUID] | None = None,
        values: dict[str, Any] | None = None,
    ) -> PromptUseInfo | None:
        """Keep one use (None: the prompt is someone else's, shared with me, and my use of
        it is not theirs to count). ``options`` maps a module id to the option picked (modules not
        named used their default, and are kept as such)."""
        choice(action, "action", label="Action", options=PROMPT_ACTIONS)
        from promptterm.services.library.prompt_info import prompt_info
        from promptterm.services.library.prompt_sharing import shared_with

        now = self.ctx.now()
        with self.ctx.db.session() as session:
            prompt = session.get(Prompt, prompt_id)
            if prompt is not None and prompt.user_id != self.ctx.user_id:
                if shared_with(session, prompt, self.ctx.user_id):
                    return None  # a reader's use counts nowhere: the counts are the owner's
                prompt = None
            if prompt is None:
                raise NotFound("That prompt does not exist; it may have been deleted.")
            info = prompt_info(session, prompt)
            picks = options or {}
            chosen: dict[str, str] = {}
            for module in info.modules:
                if not module.visible or not module.options:
                    continue
                option = next((o for o in module.options if o.id == picks.get(module.id)), None)
                option = option or next(
                    (o for o in module.options if o.is_default), module.options[0]
                )
                chosen[module.name] = option.name
            kept = {str(k): str(v)[:VALUE_KEEP] for k, v in (values or {}).items()}
            session.add(
                PromptUse(
                    id=self.ctx.new_id(),
                    user_id=self.ctx.user_id,
                    prompt_id=prompt.id,
                    action=action,
                    meta={"options": chosen, "values": kept},
                    created_at=now,
                )
            )
            # Counting is not an edit: no version, and updated_at stays the last change.
            prompt.usage_count += 1
            prompt.last_used_at = now
            session.add(prompt)
            return PromptUseInfo(action, chosen, kept, now)

    def recent(self, prompt_id: uuid.UUID, limit: int = 10) -> list[PromptUseInfo]:
        """The prompt's latest uses, newest first."""
        stmt = (
            select(PromptUse)
            .where(PromptUse.user_id == self.ctx.user_id, PromptUse.prompt_id == prompt_id)
            .order_by(*order_by(PromptUse, USE_ORDER))
            .limit(limit)
        )
        with self.ctx.db.session() as session:
            return [use_info(row) for row in session.exec(stmt).all()]
