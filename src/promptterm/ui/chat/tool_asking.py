"""A tool call waits for the user: the send's thread posts the question and waits on a
future; the screen shows the approval dialog and sets the future from the key pressed.
"stop" (esc in the dialog) cancels the whole send, as esc does while an answer streams."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import TYPE_CHECKING

from promptterm.ui.chat.messages import SendJob, ToolApprovalAsked

if TYPE_CHECKING:
    from textual.screen import Screen

    from promptterm.services.chat import Approver, Decision, ToolRequest

STOP = "stop"  # what esc answers (the dialog is in dialogs/tool_approval.py)


def approver(screen: Screen[object], job: SendJob) -> Approver:
    async def approve(request: ToolRequest) -> Decision:
        answer: concurrent.futures.Future[str] = concurrent.futures.Future()
        screen.post_message(ToolApprovalAsked(job, request, answer))
        decision = await asyncio.wrap_future(answer)
        if decision not in ("once", "always", "deny"):
            job.cancel.cancel()
            await asyncio.get_running_loop().create_future()  # the stop lands here
        return decision  # type: ignore[return-value]

    return approve


def ask_about_tool(
    screen: Screen[object], current: SendJob | None, message: ToolApprovalAsked
) -> None:
    from promptterm.ui.chat.dialogs.tool_approval import ToolApprovalScreen

    job, answer = message.job, message.answer
    if current is not job or job.cancel.cancelled:
        answer.set_result(STOP)  # that send is over or stopping: nothing to ask
        return
    dialog = ToolApprovalScreen(message.request)

    def decided(decision: str | None) -> None:
        job.asking = None
        if not answer.done():
            answer.set_result(decision or STOP)

    def push() -> None:
        if answer.done() or job.asking is not None:
            return  # pushed already, or the send ended before its question showed
        if job.cancel.cancelled:
            answer.set_result(STOP)
            return
        job.asking = dialog
        screen.app.push_screen(dialog, decided)

    # A screen under a modal is not laid out again until it is on top: pushing after the
    # chat screen's next refresh shows the round that asked behind the dialog, not the
    # transcript as it was before it.
    screen.call_after_refresh(push)
    # A callback queued while another screen is on top is dropped if that screen closes
    # first, and the send would wait on its question for ever.
    screen.set_timer(1.0, push)
