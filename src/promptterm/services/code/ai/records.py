"""What an AI job is, as the services hand it out, and the plan a run follows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from promptterm.db.models import AiJob
from promptterm.services.chat import ProviderInfo
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound

if TYPE_CHECKING:
    from promptterm.providers.base import ProviderSettings


@dataclass(frozen=True)
class AiJobInfo:
    id: uuid.UUID
    project_id: uuid.UUID
    file_id: uuid.UUID | None
    kind: str
    status: str
    input: dict[str, Any]
    output: str
    error: str | None
    provider: str | None
    model: str | None
    tokens_in: int | None
    tokens_out: int | None
    cost_usd: Decimal | None
    duration_ms: int | None
    change_state: str | None  # proposed | invalid | applied | discarded
    applied_version: int | None
    created_at: datetime

    @property
    def path(self) -> str:
        return str(self.input.get("path", ""))

    @property
    def title(self) -> str:
        lines = self.input.get("lines")
        what = self.input.get("aspect") or self.kind
        return f"{what} {self.path}" + (f":{lines}" if lines else "")


@dataclass
class JobPlan:
    job: AiJobInfo
    entry: ProviderInfo
    settings: ProviderSettings
    model: str
    system: str
    question: str
    estimate: int
    text: str  # the file as the job saw it


def own_job(session: Session, ctx: ServiceContext, job_id: uuid.UUID) -> AiJob:
    row = session.get(AiJob, job_id)
    if row is None or row.user_id != ctx.user_id:
        raise NotFound("That AI job is not yours or no longer exists.")
    return row


def job_info(row: AiJob) -> AiJobInfo:
    return AiJobInfo(
        id=row.id,
        project_id=row.project_id,
        file_id=row.file_id,
        kind=row.kind,
        status=row.status,
        input=dict(row.input or {}),
        output=row.output,
        error=row.error,
        provider=row.provider,
        model=row.model,
        tokens_in=row.tokens_in,
        tokens_out=row.tokens_out,
        cost_usd=row.cost_usd,
        duration_ms=row.duration_ms,
        change_state=row.change_state,
        applied_version=row.applied_version,
        created_at=row.created_at,
    )
