"""Answers whose process died mid-stream (kill -9, a crash, a closed laptop lid on SSH).

A send stamps its answer with who streams it: ``meta["stream"] = {host, pid, prompt_estimate}``
(chat_plan.py), removed again when the answer is finished. The next start of promptterm, CLI
or TUI, calls ``recover`` before doing anything else: an answer still "streaming" whose
process is gone becomes an "error" marked interrupted, its saved text kept, and it is
metered like any interrupted answer (the prompt estimate in, the saved text's estimate
out, marked estimated), so killing the CLI is no way round the monthly token limit.

Whether the streaming process is gone: on this host, when its pid no longer runs; an answer
from another host (team mode on PostgreSQL), or a pid that still runs, is left alone until
it is older than ``STALE_AFTER``, which no real answer takes. An answer without the stamp
(from an older promptterm) is taken as abandoned. Two processes recovering at once cannot
both meter one answer: claiming it is an UPDATE ... WHERE status = 'streaming'.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from promptterm.db.models import Conversation, Message, UsageRecord
from promptterm.services.chat.pricing import PricingService
from promptterm.services.chat.providers import ProviderService
from promptterm.services.context import ServiceContext
from promptterm.services.errors import ServiceError
from promptterm.services.tokens import estimate_tokens

INTERRUPTED = "promptterm stopped while this answer streamed; the part saved before is kept."
STALE_AFTER = timedelta(hours=6)


def stream_stamp(prompt_estimate: int) -> dict[str, Any]:
    """What a send writes into its answer's meta while it streams."""
    return {"host": socket.gethostname(), "pid": os.getpid(), "prompt_estimate": prompt_estimate}


class InterruptedAnswers:
    def __init__(
        self, ctx: ServiceContext, *, providers: ProviderService, pricing: PricingService
    ) -> None:
        self.ctx = ctx
        self.providers = providers
        self.pricing = pricing

    def recover(self, thread_id: uuid.UUID | None = None, *, mine_too: bool = False) -> int:
        """Close the user's abandoned answers; returns how many. ``mine_too``: answers of
        this very process count as abandoned as well (it has no send running)."""
        stmt = (
            select(Message)
            .join(Conversation, col(Conversation.id) == col(Message.conversation_id))
            .where(Conversation.user_id == self.ctx.user_id, Message.status == "streaming")
        )
        if thread_id is not None:
            stmt = stmt.where(Message.conversation_id == thread_id)
        with self.ctx.db.session() as session:
            stale = [m for m in session.exec(stmt).all() if self._abandoned(m, mine_too)]
        return sum(self._close(m) for m in stale)

    def _abandoned(self, message: Message, mine_too: bool) -> bool:
        stamp = (message.meta or {}).get("stream")
        if not isinstance(stamp, dict):
            return True
        if self.ctx.now() - message.created_at > STALE_AFTER:
            return True
        if stamp.get("host") != socket.gethostname():
            return False
        pid = stamp.get("pid")
        if not isinstance(pid, int):
            return True
        if pid == os.getpid():
            return mine_too
        return not _running(pid)

    def _close(self, message: Message) -> bool:
        meta = {k: v for k, v in (message.meta or {}).items() if k != "stream"}
        meta["error"] = {"kind": "interrupted", "message": INTERRUPTED}
        meta["interrupted"] = True
        values: dict[str, Any] = {"status": "error"}
        record = None
        if message.content:
            stamp = (message.meta or {}).get("stream") or {}
            tokens_in = int(stamp.get("prompt_estimate") or 0)
            tokens_out = estimate_tokens(message.content)
            cost = self._cost(message, tokens_in, tokens_out)
            meta["usage"] = "estimated"
            values |= {
                "tokens_in": tokens_in,
                "tokens_out": tokens_out,
                "tokens_estimated": True,
                "cost_usd": cost,
            }
            now = self.ctx.now()
            record = UsageRecord(
                id=self.ctx.new_id(),
                user_id=self.ctx.user_id,
                conversation_id=message.conversation_id,
                resource_type="ai_tokens",
                amount=Decimal(tokens_in + tokens_out),
                unit="tokens",
                provider=message.provider,
                model=message.model,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                cost_usd=cost,
                meta={"estimated": True, "interrupted": True},
                recorded_at=now,
                created_at=now,
            )
        values["meta"] = meta
        with self.ctx.db.session() as session:
            claimed = session.execute(
                update(Message)
                .where(col(Message.id) == message.id, col(Message.status) == "streaming")
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not claimed:
                return False  # finished meanwhile, or another process recovered it
            if record is not None:
                session.add(record)
                thread = session.get(Conversation, message.conversation_id)
                if thread is not None:
                    thread.total_tokens += record.tokens_in + record.tokens_out
                    session.add(thread)
            return True

    def _cost(self, message: Message, tokens_in: int, tokens_out: int) -> Decimal | None:
        if not message.provider or not message.model:
            return None
        try:
            entry = self.providers.get(message.provider)
        except ServiceError:
            return None  # the entry was removed since: unpriced, still counted in tokens
        return self.pricing.quote(
            provider=entry.name,
            kind=entry.kind,
            base_url=entry.base_url,
            model=message.model,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            at=self.ctx.now(),
        ).cost_usd


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return False
    return True
