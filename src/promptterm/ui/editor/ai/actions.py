"""The editor's AI layer: explain, refactor, generate, analyze the selection (or the file) in
a side panel. The job runs in a worker; its answer streams into the panel (Esc cancels, the
text so far is kept); a proposed change shows as a diff to apply (a new version, and on disk
in a bound project) or discard. A file with unsaved edits is saved first: the model reads
the saved version and the change applies to it, so nothing typed is lost.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING

from textual import on, work

from promptterm.services.errors import StaleEdit, ValidationError
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.editor.ai.messages import AiDelta, AiFinished, AiKept, AiRefused, AiStarted
from promptterm.ui.editor.ai.panel import AiPanel
from promptterm.ui.editor.messages import Reloaded
from promptterm.ui.editor.read import read_content
from promptterm.ui.editor.run_history import EditorRunHistory
from promptterm.ui.editor.versions import _form

if TYPE_CHECKING:
    from promptterm.services.chat import CancelToken
    from promptterm.services.code import AiJobInfo, AiRequest, Lines
    from promptterm.ui.editor.widgets.diff_model import DiffModel

ASPECTS = ("complexity", "security", "performance")
# Below this width the file tree makes way for the panel, as it does for the history.
AI_WITH_TREE_MIN_WIDTH = 120


class EditorAi(EditorRunHistory):
    def __init__(self) -> None:
        super().__init__()
        self._ai_cancel: CancelToken | None = None
        self._ai_job: AiJobInfo | None = None

    @property
    def ai_panel(self) -> AiPanel:
        return self.query_one("#editor-ai", AiPanel)

    # The keys ---------------------------------------------------------------------------

    def ai_allowed(self) -> bool:
        doc = self.active
        return doc is not None and doc.kind == "text" and self.code_of(doc) is not None

    def action_ai_explain(self) -> None:
        if (target := self._ai_target()) is not None:
            self._ask(target[0], "explain", target[1])

    def action_ai_refactor(self) -> None:
        if (target := self._ai_target()) is not None:
            self._ask(target[0], "refactor", target[1])

    def action_ai_generate(self) -> None:
        target = self._ai_target(at_cursor=True)
        if target is None:
            return
        fields = [Field("instruction", "What to write", placeholder="e.g. a function that…")]

        def submit(values: dict[str, str]) -> str:
            if not values["instruction"].strip():
                raise ValidationError("Say what to generate.", "instruction")
            return values["instruction"]

        def done(instruction: str | None) -> None:
            if instruction:
                self._ask(target[0], "generate", target[1], instruction=instruction)

        self.app.push_screen(_form("Generate code", fields, submit, submit_label="Ask"), done)

    def action_ai_analyze(self) -> None:
        target = self._ai_target()
        if target is None:
            return
        fields = [Field("aspect", "Analyse for", value=ASPECTS[0], choices=ASPECTS)]

        def done(aspect: str | None) -> None:
            if aspect:
                self._ask(target[0], "analyze", target[1], aspect=aspect)

        self.app.push_screen(
            _form("Analyse", fields, lambda v: v["aspect"], submit_label="Ask"), done
        )

    def _ai_target(self, *, at_cursor: bool = False) -> tuple[uuid.UUID, Lines | None] | None:
        from promptterm.services.code import Lines

        doc = self.active
        code = self.code_of(doc)
        if doc is None or code is None or doc.kind != "text":
            self.notify("Open a text file first.", severity="warning")
            return None
        if doc.dirty:
            self.notify(
                "Save first (f2): the model reads the saved version, and its change applies to it.",
                severity="warning",
            )
            return None
        if at_cursor:
            row = code.cursor_location[0]
            return doc.file_id, Lines(row + 1, row + 1)
        start, end = sorted(code.selection)
        if start == end:
            return doc.file_id, None
        last = end[0] if end[1] > 0 or end[0] == start[0] else end[0] - 1
        return doc.file_id, Lines(start[0] + 1, last + 1)

    def _ask(
        self,
        file_id: uuid.UUID,
        kind: str,
        lines: Lines | None,
        *,
        instruction: str | None = None,
        aspect: str | None = None,
    ) -> None:
        from promptterm.services.chat import CancelToken
        from promptterm.services.code import AiRequest

        if self.ai_panel.running:
            self.notify("An answer is still coming: Esc in the panel stops it.")
            return
        self._ai_cancel = CancelToken()
        request = AiRequest(file_id, kind, lines=lines, instruction=instruction, aspect=aspect)
        self._run_ai(request, self._ai_cancel)

    # The worker -------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="editor-ai")
    async def _run_ai(self, request: AiRequest, cancel: CancelToken) -> None:
        jobs = self.services.ai_jobs
        plan = await asyncio.to_thread(jobs.prepare, request)  # a refusal is reported
        self.post_message(AiStarted(plan.job))
        job = await jobs.run_async(
            plan, on_text=lambda text: self.post_message(AiDelta(text)), cancel=cancel
        )
        change = None
        if job.change_state == "proposed":
            change = await asyncio.to_thread(self._proposal_model, job.id)
        self.post_message(AiFinished(job, change))

    def _proposal_model(self, job_id: uuid.UUID) -> DiffModel:
        from promptterm.ui.editor.widgets.diff_model import build_model

        change = self.services.ai_changes.proposed(job_id)
        version = change.job.input["version"]
        return build_model(change.side_by_side(), change.job.path, f"v{version}", "proposed")

    @on(AiStarted)
    def _ai_started(self, message: AiStarted) -> None:
        self._ai_job = message.job
        self._show_panel()
        self.ai_panel.start(_title(message.job), f"{message.job.model} · answering… · esc stops")
        self.ai_panel.focus()

    @on(AiDelta)
    def _ai_delta(self, message: AiDelta) -> None:
        self.ai_panel.add_text(message.text)

    @on(AiFinished)
    def _ai_finished(self, message: AiFinished) -> None:
        job = message.job
        self._ai_job = job
        self.ai_panel.finish(_status(job), message.change)
        self.refresh_bindings()
        if job.tokens_in is not None:
            self.pt_app.usage_signal.publish(None)  # the status line's meter moves on

    # Apply, discard, close --------------------------------------------------------------

    @on(AiPanel.Apply)
    def _ai_apply(self) -> None:
        if self._ai_job is not None:
            self._apply_change(self._ai_job.id)

    @work(thread=True, exit_on_error=False, group="editor-ai-apply")
    def _apply_change(self, job_id: uuid.UUID) -> None:
        from promptterm.services.files import side_by_side
        from promptterm.ui.editor.widgets.diff_model import build_model

        changes = self.services.ai_changes
        try:
            version = changes.apply(job_id)
        except StaleEdit as refused:
            change = changes.proposed(job_id)
            assert change.job.file_id is not None
            now = self.services.files.read(change.job.file_id).text
            model = build_model(side_by_side(now, change.after), change.job.path, "now", "proposed")
            self.post_message(AiRefused(refused.message, model))
            return
        job = self.services.ai_jobs.get(job_id)
        assert job.file_id is not None
        note = f"Applied as version {version.number}."
        self.post_message(Reloaded(read_content(self.services, job.file_id, version.number), note))
        self.post_message(AiFinished(job, None))

    @on(AiRefused)
    def _ai_refused(self, message: AiRefused) -> None:
        self.ai_panel.finish(message.message, message.change)
        self.notify(message.message, severity="error", timeout=8)

    @on(AiPanel.Discard)
    def _ai_discard(self) -> None:
        if self._ai_job is not None:
            self._discard_change(self._ai_job.id)

    @work(thread=True, exit_on_error=False, group="editor-ai-apply")
    def _discard_change(self, job_id: uuid.UUID) -> None:
        self.post_message(AiFinished(self.services.ai_changes.discard(job_id), None))

    @on(AiPanel.Close)
    def _ai_close(self) -> None:
        if self.ai_panel.running and self._ai_cancel is not None:
            self._ai_cancel.cancel()  # the worker finishes the job as canceled, text kept
            return
        self.ai_panel.display = False
        self.focus_active()
        self.refresh_bindings()

    # Reopening an unchanged file: its last analysis at once ------------------------------

    def active_changed(self) -> None:
        super().active_changed()
        doc = self.active
        if doc is None or doc.kind != "text" or doc.dirty or self.ai_panel.running:
            return
        self._load_kept(doc.file_id, doc.saved_text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="editor-ai-kept")
    def _load_kept(self, file_id: uuid.UUID, text: str) -> None:
        self.post_message(AiKept(file_id, self.services.ai_jobs.analyses_of(file_id, text)))

    @on(AiKept)
    def _ai_kept(self, message: AiKept) -> None:
        doc = self.active
        if not message.analyses or doc is None or doc.file_id != message.file_id:
            return
        if self.ai_panel.running:
            return
        kept = message.analyses[0]
        when = f"{kept.created_at:%Y-%m-%d %H:%M}"
        self._show_panel()
        self.ai_panel.show_answer(
            f"{kept.kind} {doc.path}", kept.output, f"kept from {when} · {kept.model or ''}"
        )

    def _show_panel(self) -> None:
        if self.size.width < AI_WITH_TREE_MIN_WIDTH and self.tree_view.display:
            self.set_tree_shown(False)
        if self.history_shown:
            self.action_history()  # one side panel at a time
        self.ai_panel.display = True


def _title(job: AiJobInfo) -> str:
    return job.title


def _status(job: AiJobInfo) -> str:
    if job.status == "failed":
        return f"failed: {job.error or 'no answer'}"
    if job.status == "canceled":
        return "stopped: the text so far is kept"
    tokens = (job.tokens_in or 0) + (job.tokens_out or 0)
    cost = "" if job.cost_usd is None else f" · ${job.cost_usd:.4f}"
    base = f"{job.model} · {tokens:,} tokens{cost}"
    if job.change_state == "proposed":
        return f"{base} · a applies · x discards"
    if job.change_state == "invalid":
        return f"{job.error}"
    if job.change_state == "applied":
        return f"applied as version {job.applied_version}"
    if job.change_state == "discarded":
        return "discarded; the answer stays in the job"
    return base
