"""Sending: a message, a regenerated answer, an edited question; streaming and stopping.

The send runs ``services.chat_send`` in a thread worker (its own event loop, off the UI's);
its events come back as messages, tokens coalesced through a ``DeltaPipe``, and feed the
answer's streaming body. Stop cancels the send's ``CancelToken``: the service keeps the
text so far, marked stopped. One send at a time; the UI answers keys all along.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work

from promptterm.services.chat.stream import (
    CancelToken,
    SendDelta,
    SendEvent,
    SendFinished,
    SendRetrying,
    SendStarted,
)
from promptterm.services.chat.tools.events import (
    ToolCallAnswered,
    ToolCallRunning,
    ToolRoundEnded,
)
from promptterm.services.chat.variables import placeholders
from promptterm.services.errors import UnfilledVariables
from promptterm.services.validation import strip_controls
from promptterm.ui.chat.attachments import ResourceAttacher
from promptterm.ui.chat.load import ChatLoading
from promptterm.ui.chat.messages import (
    DeltaPipe,
    DrawDue,
    SendJob,
    SendRefused,
    Streamed,
    ThreadCreated,
    ToolApprovalAsked,
)
from promptterm.ui.chat.send_refusals import explain_refusal
from promptterm.ui.chat.tool_asking import approver, ask_about_tool
from promptterm.ui.chat.widgets.transcript import Window

if TYPE_CHECKING:
    from promptterm.services.chat.stream import SendResult
    from promptterm.services.chat.threads import MessageInfo


# How often a streaming answer is redrawn: smooth to the eye, a small share of a CPU.
DRAWS_PER_SECOND = 10
# Seconds between looks at whether the keys typed during a stream are handled.
KEY_FIRST = 0.01
# Seconds the app waits on quitting for a stopped answer's final write.
STOP_GRACE = 5.0


class ChatSending(ChatLoading):
    def __init__(self) -> None:
        super().__init__()
        self.job: SendJob | None = None
        self.attacher = ResourceAttacher(self)  # MCP resources to send with the message
        self.editing: MessageInfo | None = None  # the user message being edited
        self._draft = ""  # what the box held when an edit began

    @property
    def streaming(self) -> bool:
        return self.job is not None

    def quit_question(self) -> str | None:
        """Asked before the app quits (q, ctrl+q) while an answer streams."""
        if self.job is None:
            return None
        return "An answer is still streaming \u2014 stop it and quit?"

    # Starting ----------------------------------------------------------------------------------

    def send(self, text: str) -> None:
        if self.job is not None:
            self.notify("An answer is still streaming: esc stops it.", severity="warning")
            return
        attached = tuple(self.attacher.of(self.drafts.key)) if self.editing is None else ()
        if not text.strip() and not attached:
            self.notify("Type a message first; ctrl+j sends it.", severity="warning")
            return
        if self.editing is not None:
            edited = self.editing
            job = SendJob("edit", edited.thread_id, text, CancelToken(), edited=edited)
        else:
            from promptterm.services.mcp.attachments import with_attachments

            thread_id = self.thread.id if self.thread else None
            whole = with_attachments(text, [a.block for a in attached])
            job = SendJob("send", thread_id, whole, CancelToken(), typed=text, attached=attached)
        self._begin(job)

    def regenerate(self) -> None:
        if self.job is not None or self.thread is None:
            return
        self._begin(SendJob("regenerate", self.thread.id, None, CancelToken()))

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel.cancel()

    def _begin(self, job: SendJob) -> None:
        self.hide_notice()
        loop = asyncio.get_running_loop()
        job.pipe = DeltaPipe(partial(self._wake, loop, job))
        job.started_at = self.services.ctx.clock()
        self.job = job
        self.refresh_bindings()
        project = self.threads.scope.project_id
        self._run(job, project)

    @work(thread=True, exit_on_error=False, group="chat-send")
    def _run(self, job: SendJob, project_id: uuid.UUID | None) -> None:
        pipe = job.pipe
        assert pipe is not None

        def on_event(event: SendEvent) -> None:
            # The hot path, once per token, on the send's thread.
            if type(event) is SendDelta:
                pipe.add(event.text)
            else:
                self.post_message(Streamed(job, event))

        send = self.services.chat_send
        options = {
            "on_event": on_event,
            "cancel": job.cancel,
            "variables": job.variables,
            "approve": approver(self, job),
        }
        try:
            if job.thread_id is None:
                if missing := [n for n in placeholders(job.text) if n not in (job.variables or {})]:
                    raise UnfilledVariables(missing)  # asked before an empty thread is made
                thread = self.services.chat.create_thread(project_id=project_id)
                job.thread_id = thread.id
                self.post_message(ThreadCreated(thread, self.services.chat.totals(thread.id)))
            if job.kind == "regenerate":
                send.regenerate(job.thread_id, **options)
            elif job.kind == "edit":
                assert job.edited is not None and job.text is not None
                send.edit_and_resend(job.edited.id, job.text, **options)
            else:
                assert job.text is not None
                send.send(job.thread_id, job.text, **options)
        except Exception as exc:  # shown in place: a refused send must never end the app
            self.post_message(SendRefused(job, exc))
        finally:
            job.ended.set()

    @on(ToolApprovalAsked)
    def _tool_asked(self, message: ToolApprovalAsked) -> None:
        ask_about_tool(self, self.job, message)

    # Events ------------------------------------------------------------------------------------

    def _shows(self, job: SendJob) -> bool:
        return self.thread is not None and self.thread.id == job.thread_id

    @on(ThreadCreated)
    async def _thread_created(self, message: ThreadCreated) -> None:
        self.drafts.adopt(message.thread.id)
        self.attacher.adopt(message.thread.id)
        self.thread, self.totals = message.thread, message.totals
        self.show_bar(message.thread, message.totals)
        await self.transcript.show_window(Window([], 0, 0), message.thread.preset_history)
        self.reload_threads()

    @on(Streamed)
    async def _streamed(self, message: Streamed) -> None:
        job, event = message.job, message.event
        if type(event) is SendStarted:
            await self._started(job, event)
        elif type(event) is SendRetrying:
            view = self.transcript.view_of(event.message_id) if self._shows(job) else None
            if view is not None:
                view.set_retrying(
                    f"The provider is busy ({event.reason}); trying again in "
                    f"{event.delay:.1f} s (attempt {event.attempt})."
                )
        elif type(event) is SendFinished:
            await self._finished(job, event.result)
        elif type(event) is ToolRoundEnded:
            assert job.pipe is not None
            job.pipe.take()  # the stored answer below has all of its text
            job.shown.clear()
            # The round is stored with its tokens: bar and list count them while the next
            # step (a tool to approve, say) is under way, whenever the start's re-read ran.
            if job.thread_id is not None:
                self.refresh_thread(job.thread_id, reload_list=True)
            view = self.transcript.view_of(event.message.id) if self._shows(job) else None
            if view is not None:
                await view.show(event.message)
        elif type(event) is ToolCallRunning:
            label = strip_controls(event.request.label)
            self.show_notice(f"⚙ Running {label}… esc stops it.", "information")
        elif type(event) is ToolCallAnswered:
            self.hide_notice()
            if self._shows(job) and not self.transcript.newer:
                await self.transcript.append(event.message)
                self.transcript.follow()

    async def _started(self, job: SendJob, event: SendStarted) -> None:
        job.message_id = event.assistant_message.id
        composer = self.composer
        typed = job.text if job.typed is None else job.typed
        if composer.text == typed:
            composer.clear()  # taken: the question is in the thread now
        if job.kind == "send":
            self.drafts.sent(job.thread_id, typed)
            self.attacher.sent(job.thread_id, job.attached)
        if job.kind == "edit":
            self.end_edit()
        # Title (from the first question), model and recency changed: bar and list follow.
        self.refresh_thread(event.thread_id, reload_list=True)
        if not self._shows(job):
            return
        transcript = self.transcript
        if transcript.newer:
            # The window is in the middle of the thread: the answer goes at the end.
            self.open_thread(event.thread_id)
            return
        if job.kind == "edit" and job.edited is not None:
            await transcript.drop_from(job.edited.seq)
        if event.user_message is not None:
            await transcript.append(event.user_message)
        view = transcript.view_of(event.assistant_message.id)
        if view is None:
            view = await transcript.append(event.assistant_message)
        else:
            await view.show(event.assistant_message)
            transcript.move_cursor(transcript.views.index(view), scroll=False)
            transcript.show_end()
        if job.kind == "edit" and event.user_message is not None:
            self.fetch_branch_titles([event.user_message])  # "edited — earlier branch: …"

    def _wake(self, loop: asyncio.AbstractEventLoop, job: SendJob) -> None:
        """From the send's thread: words are waiting for a draw."""
        with contextlib.suppress(RuntimeError):  # the app has quit: no screen to draw on
            loop.call_soon_threadsafe(self._delta, job)

    def _delta(self, job: SendJob) -> None:
        # On the event loop, for each first token after a draw: tokens wait in the pipe
        # until the next draw. An answer is redrawn at most DRAWS_PER_SECOND times however
        # fast it comes (each draw repaints what the answer shows), and the pipe posts
        # nothing more until then. The loop's own timer, and one message per draw: a
        # Textual timer is a task and two new callables, whose signatures Textual inspects.
        wait = job.drawn_at + 1 / DRAWS_PER_SECOND - time.monotonic()
        asyncio.get_running_loop().call_later(max(wait, 0), self.post_message, DrawDue(job))

    @on(DrawDue)
    async def _draw_due(self, message: DrawDue) -> None:
        await self._draw(message.job)

    async def _draw(self, job: SendJob, after_keys: bool = False) -> None:
        assert job.pipe is not None
        if self.pt_app.keys_pending:
            # A key typed meanwhile goes first: the words stay in the pipe.
            self.set_timer(KEY_FIRST, partial(self._draw, job, True))
            return
        if after_keys and self.is_current:
            # And its echo is on the screen before the answer's next words. Only with this
            # screen in front: Textual runs "after the refresh" on the screen in front when
            # it gets to it, and a dialog that a key closes takes the draw with it (after
            # "no" to "stop it and quit?", the answer stopped moving on screen until it
            # ended). A dialog can still come up in between: a due draw follows regardless.
            self.call_after_refresh(self._draw, job)
            loop = asyncio.get_running_loop()
            loop.call_later(1 / DRAWS_PER_SECOND, self.post_message, DrawDue(job))
            return
        text = job.pipe.take()
        if not text:
            return
        job.drawn_at = time.monotonic()
        job.shown.append(text)
        if job.message_id is not None and self._shows(job):
            view = self.transcript.view_of(job.message_id)
            if view is not None:
                await view.write(text)
                self.transcript.follow()

    async def _finished(self, job: SendJob, result: SendResult) -> None:
        assert job.pipe is not None
        rest = job.pipe.take()
        if rest:
            job.shown.append(rest)
        if self.job is job:
            self.job = None
        if job.asking is not None:
            job.asking.dismiss("stop")  # the send ended meanwhile: no question is left
        if result.notice:
            self.show_notice(f"⚙ {result.notice}", "warning")
        if self._shows(job):
            view = self.transcript.view_of(result.message.id)
            if view is not None:
                await view.show(result.message)
                self.transcript.call_after_refresh(self.transcript.follow)
        elif result.error:
            self.notify(result.error, title="The answer failed", severity="error")
        self.refresh_thread(result.thread_id, reload_list=True)
        self.pt_app.usage_signal.publish(None)  # the status line's token meter moves
        budget = (result.message.meta or {}).get("budget")
        if isinstance(budget, dict) and budget.get("message"):
            # Past 80% of a budget cap or of the plan's tokens: said once per answer.
            severity = "error" if budget.get("state") == "full" else "warning"
            self.notify(str(budget["message"]), title="Budget", severity=severity, timeout=10)
        self.refresh_bindings()
        self._signal_done(job, result)

    def _signal_done(self, job: SendJob, result: SendResult) -> None:
        if job.started_at is None:
            return
        seconds = (self.services.ctx.clock() - job.started_at).total_seconds()
        title = self.thread.title if self.thread and self._shows(job) else ""
        what = "The answer failed" if result.error else "The answer is ready"
        self.pt_app.answer_finished("chat", seconds, f"{what}: {title}" if title else what)

    @on(SendRefused)
    def _refused(self, message: SendRefused) -> None:
        if self.job is message.job:
            self.job = None
        explain_refusal(self, message.job, message.error, self._begin)
        self.refresh_bindings()

    async def _reattach_stream(self) -> None:
        job = self.job
        if job is None or job.message_id is None or not self._shows(job):
            return
        view = self.transcript.view_of(job.message_id)
        if view is not None:
            # The stored text lags the screen by up to a save interval: show what streamed.
            await view.replace_text("".join(job.shown))

    async def on_unmount(self) -> None:
        # The app is closing: stop the stream and let the send store the answer as stopped,
        # with all of its text (a few ms), before the process goes.
        job = self.job
        if job is not None:
            job.cancel.cancel()
            await asyncio.to_thread(job.ended.wait, STOP_GRACE)
        # Drafts typed in the last second are not written yet: write them now.
        for key, text in self.drafts.pending().items():
            try:
                self.services.chat_drafts.save(key, text)
            except Exception as exc:  # closing anyway; never a traceback on the way out
                self.log.error(f"chat draft not saved: {exc!r}")

    # Editing -----------------------------------------------------------------------------------

    def begin_edit(self, message: MessageInfo) -> None:
        if self.editing is None:
            self._draft = self.composer.text  # back in the box if the edit is cancelled
        self.editing = message
        self.composer.set_draft(message.content)
        self.show_edit_banner(message)
        self.focus_composer()
        self.refresh_bindings()  # the footer: "typing → your edit"

    def end_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.show_edit_banner(None)
            self.refresh_bindings()

    def switch_draft(self, key: uuid.UUID | None) -> None:
        if key != self.drafts.key and self.editing is not None:
            # Leaving the thread mid-edit: the edit ends; the draft it set aside stays.
            self.end_edit()
            self.drafts.switch(key, self._draft)
        else:
            self.drafts.switch(key)
        self.attacher.redraw()

    def cancel_edit(self) -> None:
        self.end_edit()
        self.composer.set_draft(self._draft)
