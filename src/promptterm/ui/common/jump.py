"""Things the palette can jump to, collected from the services (called in a thread)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from promptterm.services.words import plural

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo

TargetKind = Literal[
    "workspace", "project", "file", "thread", "component", "preset", "prompt", "note"
]


@dataclass(frozen=True)
class JumpTarget:
    kind: TargetKind
    id: uuid.UUID
    title: str  # what the palette matches and shows: "explorer: Open project Acme/Site"
    help: str
    workspace_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    area: str = "explorer"  # the area that shows it


def recent_projects(services: Services, limit: int) -> list[JumpTarget]:
    """The ``limit`` most recently opened projects: what the palette offers before a word
    is typed, one short query (collect_targets reads everything)."""
    return [_project_target(p) for p in services.projects.list(limit=limit)]


def _project_target(p: ProjectInfo) -> JumpTarget:
    details = " · ".join(x for x in (p.language, p.framework, p.visibility) if x)
    return JumpTarget(
        "project",
        p.id,
        f"explorer: Open project {p.workspace_name}/{p.name}",
        details,
        workspace_id=p.workspace_id,
        project_id=p.id,
    )


def collect_targets(services: Services) -> list[JumpTarget]:
    targets: list[JumpTarget] = []
    for ws in services.workspaces.list():
        n = ws.project_count
        targets.append(
            JumpTarget(
                "workspace",
                ws.id,
                f"explorer: Open workspace {ws.name}",
                f"{plural(n, 'project')} · you are {ws.role}",
                workspace_id=ws.id,
            )
        )
    projects = services.projects.list()
    names = {p.id: f"{p.workspace_name}/{p.name}" for p in projects}
    targets += [_project_target(p) for p in projects]
    # One query for every file of every project, most recently opened projects first.
    for f in services.file_index.files():
        targets.append(
            JumpTarget(
                "file",
                f.id,
                f"editor: Open file {f.project}/{f.path}",
                f"version {f.head_version} · {f.size_bytes:,} bytes",
                workspace_id=f.workspace_id,
                project_id=f.project_id,
                area="editor",
            )
        )
    workspace_of = {p.id: p.workspace_id for p in projects}
    for t in services.chat.list_threads():
        where = names.get(t.project_id, "no project") if t.project_id else "no project"
        targets.append(
            JumpTarget(
                "thread",
                t.id,
                f"chat: Open thread {t.title}",
                f"{where} · {t.total_tokens:,} tokens",
                workspace_id=workspace_of.get(t.project_id) if t.project_id else None,
                project_id=t.project_id,
                area="chat",
            )
        )
    for c in services.components.list(sort="name"):
        targets.append(
            JumpTarget(
                "component", c.id, f"library: Show component {c.name}", c.type, area="library"
            )
        )
    for preset in services.presets.list(sort="name"):
        parts = ", ".join(part.name for part in preset.parts) or "no components"
        targets.append(
            JumpTarget(
                "preset", preset.id, f"library: Show preset {preset.name}", parts, area="library"
            )
        )
    # Prompts: a project's prompt names its project, so typing the project finds them too.
    for prompt in services.prompts.summaries():
        where = names.get(prompt.project_id) if prompt.project_id else None
        targets.append(
            JumpTarget(
                "prompt",
                prompt.id,
                f"library: Show prompt {prompt.name}" + (f" in {where}" if where else ""),
                f"project prompt of {where}" if where else "modular prompt",
                workspace_id=workspace_of.get(prompt.project_id) if where else None,
                project_id=prompt.project_id if where else None,
                area="library",
            )
        )
    return targets
