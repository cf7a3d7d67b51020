"""What the flow service hands out: plain frozen data, never live rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FlowPageInfo:
    id: uuid.UUID
    project_id: uuid.UUID
    name: str
    description: str | None
    layout_description: str | None
    features: tuple[str, ...]
    implementation_status: str
    x: int
    y: int
    created_at: datetime
    updated_at: datetime

    @property
    def short_id(self) -> str:
        return self.id.hex[-6:]


@dataclass(frozen=True)
class FlowConnectionInfo:
    id: uuid.UUID
    project_id: uuid.UUID
    source_id: uuid.UUID
    target_id: uuid.UUID


@dataclass(frozen=True)
class Flow:
    """A project's pages (ordered top to bottom, then left to right) and connections."""

    project_id: uuid.UUID
    project_name: str
    role: str
    pages: tuple[FlowPageInfo, ...]
    connections: tuple[FlowConnectionInfo, ...]

    @property
    def can_edit(self) -> bool:
        return self.role in ("owner", "admin", "member")

    def page(self, page_id: uuid.UUID) -> FlowPageInfo | None:
        return next((p for p in self.pages if p.id == page_id), None)
