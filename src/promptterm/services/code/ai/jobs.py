"""AI jobs on a file: explain, refactor, generate, analyze, on a selection or the whole file.

One job, in order (as a chat send, through the same faces): pick the provider and model (the
request's, else the project's ``settings["ai"]``, else the only provider entry and its
default model) and the preset (request, project, none); build the question; estimate its
tokens and check the plan's monthly tokens (LimitReached) and the user's budget
(BudgetReached) before anything is stored; resolve the API key; store the job "pending".
Running it marks it "running", streams the answer (``on_text`` per delta), then stores it
"completed", "failed" (the error in words, the text so far kept) or "canceled" (CancelToken or
a cancelled task; the text so far kept), with tokens, cost and a usage record, as chat does.

A completed refactor or generation keeps its proposed change (the whole new text) to apply
as a new file version or discard (changes.py); an explanation or analysis of the whole file
is kept per content hash (analyses.py).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from promptterm.db.models import AiJob, Project
from promptterm.services.billing import BillingService
from promptterm.services.chat import (
    CancelToken,
    PricingService,
    ProviderInfo,
    ProviderService,
)
from promptterm.services.code.ai import prompts
from promptterm.services.code.ai.analyses import AnalysisInfo, AnalysisStore, content_hash
from promptterm.services.code.ai.records import AiJobInfo, JobPlan, job_info, own_job
from promptterm.services.code.ai.running import JobRunner
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.files import FileService
from promptterm.services.library import PresetService
from promptterm.services.tokens import estimate_tokens
from promptterm.services.workspaces import require_role


@dataclass(frozen=True)
class AiRequest:
    file_id: uuid.UUID
    kind: str  # explain | refactor | generate | analyze
    lines: prompts.Lines | None = None  # generate: the cursor's line is ``lines.first``
    instruction: str | None = None
    aspect: str | None = None  # analyze: complexity | security | performance
    provider: str | None = None
    model: str | None = None
    preset: str | None = None  # a preset's name or id


class AiJobService:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        files: FileService,
        presets: PresetService,
        billing: BillingService,
        providers: ProviderService,
        pricing: PricingService,
    ) -> None:
        self.ctx = ctx
        self.files = files
        self.presets = presets
        self.billing = billing
        self.providers = providers
        self.pricing = pricing
        self.analyses = AnalysisStore(ctx)
        self.runner = JobRunner(ctx, billing=billing, pricing=pricing, analyses=self.analyses)

    # -- asking ----------------------------------------------------------------------------

    def prepare(self, request: AiRequest) -> JobPlan:
        """Check everything and store the job "pending"; nothing is sent yet."""
        if request.kind not in prompts.KINDS:
            raise ValidationError(
                f"{request.kind!r} is not an AI action: {', '.join(prompts.KINDS)}.", "kind"
            )
        if request.kind == "analyze" and (request.aspect or "complexity") not in prompts.ASPECTS:
            raise ValidationError(
                f"Analyse for {', '.join(prompts.ASPECTS)}, not {request.aspect!r}.", "aspect"
            )
        if request.kind == "generate" and not (request.instruction or "").strip():
            raise ValidationError("Say what to generate (an instruction).", "instruction")
        content = self.files.read(request.file_id)
        if request.lines is not None:
            prompts.check_lines(request.lines, content.text, inserting=request.kind == "generate")
        defaults = self._project_defaults(content.file.project_id)
        entry = self._entry(request.provider or defaults.get("provider"))
        model = request.model or (
            defaults.get("model") if entry.name == defaults.get("provider", entry.name) else None
        )
        model = model or entry.default_model
        if not model:
            raise ValidationError(
                f"Pick a model for {entry.name!r} (or give the provider a default model).", "model"
            )
        aspect = (request.aspect or "complexity") if request.kind == "analyze" else None
        system, question = prompts.build(
            request.kind,
            content.file.path,
            content.text,
            request.lines,
            request.instruction,
            aspect,
        )
        preset_ref = request.preset or defaults.get("preset")
        preset = None
        if preset_ref:
            found = self.presets.find(str(preset_ref))
            composed = self.presets.compose(found.id)
            preset = {"id": str(composed.preset_id), "name": composed.preset_name}
            if composed.text.strip():
                system = f"{composed.text}\n\n{system}"
        estimate = estimate_tokens(system) + estimate_tokens(question) + 4
        self.billing.tokens_left(estimate)  # LimitReached: nothing stored, nothing sent
        self.billing.check_budget(estimate, lambda: self._costs_nothing(entry, model))
        settings = self.providers.settings_for(entry)  # a missing key stops it here too
        if preset is not None:
            self.presets.record_use(uuid.UUID(preset["id"]))
        row = AiJob(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            project_id=content.file.project_id,
            file_id=content.file.id,
            kind=request.kind,
            status="pending",
            input={
                "path": content.file.path,
                "version": content.version,
                "lines": str(request.lines) if request.lines else None,
                "instruction": request.instruction,
                "aspect": aspect,
                "preset": preset,
                "sha256": content_hash(content.text),
            },
            provider=entry.name,
            model=model,
            created_at=self.ctx.now(),
        )
        with self.ctx.db.session() as session:
            session.add(row)
            session.flush()
            info = job_info(row)
        return JobPlan(info, entry, settings, model, system, question, estimate, content.text)

    def run(
        self,
        request: AiRequest,
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> AiJobInfo:
        """Prepare and run in one blocking call (the CLI, thread workers)."""
        plan = self.prepare(request)
        return asyncio.run(self.run_async(plan, on_text=on_text, cancel=cancel))

    async def run_async(
        self,
        plan: JobPlan,
        *,
        on_text: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> AiJobInfo:
        """Run a prepared job: "running", then "completed", "failed" or "canceled"."""
        return await self.runner.run(plan, on_text=on_text, cancel=cancel)

    # -- reading ---------------------------------------------------------------------------

    def get(self, job_id: uuid.UUID) -> AiJobInfo:
        with self.ctx.db.session() as session:
            return job_info(own_job(session, self.ctx, job_id))

    def recent(self, file_id: uuid.UUID, *, limit: int = 20) -> list[AiJobInfo]:
        """The user's jobs on the file, newest first."""
        self.files.get(file_id)  # NotFound/Forbidden as for reading the file
        with self.ctx.db.session() as session:
            rows = session.exec(
                select(AiJob)
                .where(AiJob.file_id == file_id, AiJob.user_id == self.ctx.user_id)
                .order_by(col(AiJob.created_at).desc(), col(AiJob.id).desc())
                .limit(limit)
            ).all()
            return [job_info(r) for r in rows]

    def analyses_of(self, file_id: uuid.UUID, text: str | None = None) -> list[AnalysisInfo]:
        """The last unexpired explanation/analyses of the file as it is now (or of ``text``,
        what the editor shows): shown at once when an unchanged file is reopened."""
        if text is None:
            text = self.files.read(file_id).text
        return self.analyses.latest(file_id, text)

    # -- helpers ---------------------------------------------------------------------------

    def _entry(self, name: str | None) -> ProviderInfo:
        return self.providers.get(name) if name else self.providers.default()

    def _project_defaults(self, project_id: uuid.UUID) -> dict[str, Any]:
        """The project's AI defaults: ``settings["ai"]`` = {provider, model, preset}."""
        with self.ctx.db.session() as session:
            project = session.get(Project, project_id)
            if project is None:
                raise NotFound("That project does not exist or you cannot see it.")
            require_role(session, project.workspace_id, self.ctx.user_id, "viewer", "ask about it")
            ai = (project.settings or {}).get("ai")
            return dict(ai) if isinstance(ai, dict) else {}

    def set_project_defaults(
        self,
        project_id: uuid.UUID,
        *,
        provider: str | None = None,
        model: str | None = None,
        preset: str | None = None,
    ) -> None:
        """What the project's AI jobs use unless the user picks otherwise."""
        with self.ctx.db.session() as session:
            project = session.get(Project, project_id)
            if project is None:
                raise NotFound("That project does not exist or you cannot see it.")
            require_role(session, project.workspace_id, self.ctx.user_id, "admin", "set its AI")
            picked = (("provider", provider), ("model", model), ("preset", preset))
            ai = {key: value for key, value in picked if value}
            project.settings = {**(project.settings or {}), "ai": ai}
            session.add(project)

    def _costs_nothing(self, entry: ProviderInfo, model: str) -> bool:
        quote = self.pricing.quote(
            provider=entry.name,
            kind=entry.kind,
            base_url=entry.base_url,
            model=model,
            tokens_in=1000,
            tokens_out=1000,
            at=self.ctx.now(),
        )
        return quote.cost_usd == 0
