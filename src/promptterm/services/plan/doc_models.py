"""What the notes, PRD and customer-profile services hand out: plain frozen data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

PRD_FIELDS = ("problem", "solution", "target_audience", "tech_stack", "success_metrics")
PRD_TITLES = {
    "problem": "Problem",
    "solution": "Solution",
    "target_audience": "Target audience",
    "tech_stack": "Tech stack",
    "success_metrics": "Success metrics",
}


@dataclass(frozen=True)
class Note:
    id: uuid.UUID
    user_id: uuid.UUID
    project_id: uuid.UUID | None  # None: a personal note, its author's alone
    title: str
    content: str
    version: int
    updated_at: datetime
    can_edit: bool = True

    @property
    def short_id(self) -> str:
        return self.id.hex[-8:]


@dataclass(frozen=True)
class Section:
    name: str
    content: str


@dataclass(frozen=True)
class Prd:
    project_id: uuid.UUID
    problem: str = ""
    solution: str = ""
    target_audience: str = ""
    tech_stack: str = ""
    success_metrics: str = ""
    custom_sections: tuple[Section, ...] = ()
    version: int = 0  # 0: nothing saved yet
    updated_at: datetime | None = None
    can_edit: bool = True

    def fields(self) -> dict[str, object]:
        """What a form saw, by name: what ``PrdService.save`` compares for a stale edit."""
        values: dict[str, object] = {name: getattr(self, name) for name in PRD_FIELDS}
        values["custom_sections"] = [(s.name, s.content) for s in self.custom_sections]
        return values


@dataclass(frozen=True)
class DocVersion:
    number: int
    title: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class CustomerProfile:
    id: uuid.UUID
    project_id: uuid.UUID
    name: str
    overview: str
    background: str
    problems: str
    scoring: dict[str, float] = field(default_factory=dict)
    is_selected: bool = False
    updated_at: datetime | None = None

    @property
    def short_id(self) -> str:
        return self.id.hex[-8:]

    @property
    def total(self) -> float:
        return float(sum(self.scoring.values()))
