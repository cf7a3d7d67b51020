""" "Propose tasks": the project's model reads the project's context (its description, the
board, later its PRD) and answers with a task list, which is parsed into a checklist; the
tasks the user keeps are added to the board.

The request goes through the chat send service, in a thread of the project, so it passes the
same pre-send checks (plan limits, budget, keys) and is metered like any message; the answer
stays in that thread whatever is kept.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from promptterm.services.context import ServiceContext
from promptterm.services.plan.board import PlanService
from promptterm.services.plan.context import plan_context
from promptterm.services.plan.models import PlanCard
from promptterm.services.plan.rules import LIMITS
from promptterm.services.validation import strip_controls

if TYPE_CHECKING:
    from promptterm.services.chat import ChatSendService, ChatService

# - item, * item, • item, + item, 1. item, 1) item, (1) item, - [ ] item, [x] item
_ITEM = re.compile(r"^\s*(?:[-*•+]\s+|\(?\d{1,3}[.)]\s+)?(?:\[[ xX]?\]\s+)?(?P<text>.+?)\s*$")
_MARKED = re.compile(r"^\s*(?:[-*•+]|\(?\d{1,3}[.)]|\[[ xX]?\])\s+")
PROMPT = (
    "You plan software work. From the project below, propose the next concrete tasks, "
    "each small enough for one person in a day or two. Answer with a checklist only: one "
    "task per line, each line starting with '- ', no headings and no other text.\n\n"
    "Project: {name}\n\n{description}Open tasks already on the board:\n{open}\n\n"
    "Done already:\n{done}\n{extra}"
)


@dataclass(frozen=True)
class TaskProposal:
    thread_id: uuid.UUID
    answer: str
    items: tuple[str, ...]

    @property
    def is_list(self) -> bool:
        return bool(self.items)


def parse_checklist(answer: str) -> list[str]:
    """The answer's list items, in order, without their bullets, numbers, checkboxes or
    bold marks; lines that are not items (a heading, a sentence around the list) are left
    out. No marked line at all: no list (an empty result)."""
    items: list[str] = []
    for line in answer.splitlines():
        if not _MARKED.match(line):
            continue
        match = _ITEM.match(line)
        text = match.group("text") if match else ""
        text = strip_controls(text.replace("**", "").replace("__", "")).strip(" .;:")
        if text and text not in items:
            items.append(text[: LIMITS["name"]])
    return items


class TaskProposer:
    def __init__(self, ctx: ServiceContext, *, chat: ChatService, chat_send: ChatSendService):
        self.ctx = ctx
        self.chat = chat
        self.chat_send = chat_send

    def prompt(self, project_id: uuid.UUID, description: str | None = None) -> str:
        context = plan_context(self.ctx, project_id)
        extra = "".join(
            f"\n{key}:\n{value}\n"
            for key, value in sorted(context.items())
            if key.startswith(("prd.", "customer."))
        )
        about = f"About it:\n{description}\n\n" if description else ""
        return PROMPT.format(
            name=context["project.name"],
            description=about,
            open=context["tasks.open"],
            done=context["tasks.done"],
            extra=extra,
        )

    def propose(
        self,
        project_id: uuid.UUID,
        *,
        thread_id: uuid.UUID | None = None,
        description: str | None = None,
        **send_options: Any,
    ) -> TaskProposal:
        """Ask the thread's model (a new thread of the project by default, with the default
        model) for tasks; the answer is kept, list or not."""
        PlanService(self.ctx).board(project_id)  # may the user see the project at all
        if thread_id is None:
            thread_id = self.chat.create_thread(project_id=project_id, title="Proposed tasks").id
        result = self.chat_send.send(
            thread_id, self.prompt(project_id, description), **send_options
        )
        answer = result.message.content or ""
        return TaskProposal(thread_id, answer, tuple(parse_checklist(answer)))

    def keep(self, project_id: uuid.UUID, names: Iterable[str]) -> list[PlanCard]:
        """Add each kept task at the end of the board's first column."""
        board = PlanService(self.ctx)
        return [board.add(project_id, "task", name) for name in names]
