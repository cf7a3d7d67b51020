"""Which tool sources a thread offers the model, and the tools its user approved "always".

A thread's own list wins; without one (None) it offers its preset's. An empty list on the
thread means "no tools here", even when the preset has some.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from promptterm.db.models import Conversation
from promptterm.services.chat.tools.registry import check_refs
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound
from promptterm.services.library import PresetService


@dataclass(frozen=True)
class ThreadToolSettings:
    tools: tuple[str, ...]  # what the thread offers now
    from_preset: bool  # True: the preset's default, not set on the thread
    always: tuple[str, ...]  # "server:tool" run without asking in this thread


class ThreadTools:
    def __init__(self, ctx: ServiceContext, presets: PresetService) -> None:
        self.ctx = ctx
        self.presets = presets

    def get(self, thread_id: uuid.UUID) -> ThreadToolSettings:
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            own, preset_id = thread.tools, thread.current_preset_id
            always = tuple(thread.tool_approvals or ())
        if own is None and preset_id is not None:
            try:
                return ThreadToolSettings(tuple(self.presets.tools(preset_id)), True, always)
            except NotFound:
                pass  # the preset went meanwhile: no default
        return ThreadToolSettings(tuple(own or ()), False, always)

    def set(self, thread_id: uuid.UUID, refs: list[str] | None) -> ThreadToolSettings:
        """The thread's own tool sources; None goes back to the preset's."""
        clean = None if refs is None else check_refs(refs)
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            thread.tools = clean
            thread.updated_at = self.ctx.now()
            session.add(thread)
        return self.get(thread_id)

    def approve_always(self, thread_id: uuid.UUID, label: str) -> None:
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            approvals = list(thread.tool_approvals or ())
            if label not in approvals:
                thread.tool_approvals = [*approvals, label]
                session.add(thread)

    def forget_approvals(self, thread_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            thread.tool_approvals = None
            session.add(thread)

    def _own(self, session: Session, thread_id: uuid.UUID) -> Conversation:
        thread = session.get(Conversation, thread_id)
        if thread is None or thread.user_id != self.ctx.user_id:
            raise NotFound("That thread does not exist; it may have been deleted.")
        return thread
