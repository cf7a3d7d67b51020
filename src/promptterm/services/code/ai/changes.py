"""A refactor's or generation's proposed change: shown as a diff, applied as a new file
version (message "AI: refactor PATH:LINES"; written to disk in a bound project, by the files
service) or discarded. A file changed since the job read it is refused (StaleEdit) and both
are shown: the proposal stays, so the user can compare and ask again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from promptterm.db.models import AiJob
from promptterm.services.code.ai.jobs import AiJobService
from promptterm.services.code.ai.records import AiJobInfo, job_info
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, StaleEdit, ValidationError, refuse_stale
from promptterm.services.files import FileService, SideBySide, VersionInfo, side_by_side, unified


@dataclass(frozen=True)
class ProposedChange:
    job: AiJobInfo
    before: str  # the file as the job read it
    after: str  # the file as the change would leave it
    current_version: int  # the file's version now

    @property
    def stale(self) -> bool:
        return self.current_version != int(self.job.input["version"])

    def unified(self, context: int = 3) -> str:
        path = self.job.path
        old = f"{path}@v{self.job.input['version']}"
        return unified(self.before, self.after, old, f"{path}@AI", context)

    def side_by_side(self, context: int | None = 3) -> SideBySide:
        return side_by_side(self.before, self.after, context)


class ChangeService:
    def __init__(self, ctx: ServiceContext, *, jobs: AiJobService, files: FileService) -> None:
        self.ctx = ctx
        self.jobs = jobs
        self.files = files

    def proposed(self, job_id: uuid.UUID) -> ProposedChange:
        job = self.jobs.get(job_id)
        proposal = self._proposal(job)
        assert job.file_id is not None
        before = self.files.read(job.file_id, int(job.input["version"])).text
        current = self.files.get(job.file_id).head_version
        return ProposedChange(job, before, proposal, current)

    def apply(self, job_id: uuid.UUID) -> VersionInfo:
        """The proposal as the file's next version; StaleEdit if the file moved on since."""
        change = self.proposed(job_id)
        job = change.job
        if job.change_state != "proposed":
            raise Conflict(f"That change was already {job.change_state}.")
        assert job.file_id is not None
        seen = int(job.input["version"])
        refuse_stale(
            job.path,
            {"version": seen},
            {"version": change.current_version},
            "The proposal is kept: compare it with the file now (both are shown) and ask "
            "again on the new version.",
        )
        lines = job.input.get("lines")
        message = f"AI: {job.kind} {job.path}" + (f":{lines}" if lines else "")
        version = self.files.save(job.file_id, change.after, base_version=seen, message=message)
        with self.ctx.db.session() as session:
            row = session.get(AiJob, job.id)
            assert row is not None
            row.change_state = "applied"
            row.applied_version = version.number
            session.add(row)
        return version

    def discard(self, job_id: uuid.UUID) -> AiJobInfo:
        job = self.jobs.get(job_id)
        self._proposal(job)
        if job.change_state != "proposed":
            raise Conflict(f"That change was already {job.change_state}.")
        with self.ctx.db.session() as session:
            row = session.get(AiJob, job.id)
            assert row is not None
            row.change_state = "discarded"
            session.add(row)
            session.flush()
            return job_info(row)

    def _proposal(self, job: AiJobInfo) -> str:
        with self.ctx.db.session() as session:
            row = session.get(AiJob, job.id)
            proposal = row.proposal if row is not None else None
        if job.change_state == "invalid":
            raise ValidationError(job.error or "The model's answer is not a change to apply.")
        if proposal is None or job.file_id is None:
            raise ValidationError(
                f"That {job.kind} job has no change to apply (status {job.status})."
            )
        return proposal


__all__ = ["ChangeService", "ProposedChange", "StaleEdit"]
