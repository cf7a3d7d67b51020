"""Code: what makes a project a coding workspace. AI jobs on a file (``ai/``: explain,
refactor, generate, analyze; proposed changes; analyses kept per content hash). Runs of
commands and files in a bound folder (``runs/``: the runner, the history), a project's
environment variables (``env/``, secrets in the keyring) and what git says about the
folder (``git/``, read-only).

The face other layers import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.code.ai.analyses import AnalysisInfo as AnalysisInfo
    from promptterm.services.code.ai.changes import ChangeService as ChangeService
    from promptterm.services.code.ai.changes import ProposedChange as ProposedChange
    from promptterm.services.code.ai.jobs import AiJobService as AiJobService
    from promptterm.services.code.ai.jobs import AiRequest as AiRequest
    from promptterm.services.code.ai.prompts import AI_KINDS as AI_KINDS
    from promptterm.services.code.ai.prompts import ASPECTS as ASPECTS
    from promptterm.services.code.ai.prompts import Lines as Lines
    from promptterm.services.code.ai.prompts import parse_lines as parse_lines
    from promptterm.services.code.ai.records import AiJobInfo as AiJobInfo
    from promptterm.services.code.ai.records import JobPlan as JobPlan
    from promptterm.services.code.env.variables import EnvService as EnvService
    from promptterm.services.code.env.variables import EnvVarInfo as EnvVarInfo
    from promptterm.services.code.git.repo import GitCommit as GitCommit
    from promptterm.services.code.git.repo import GitStatus as GitStatus
    from promptterm.services.code.git.repo import commits_touching as commits_touching
    from promptterm.services.code.git.repo import git_status as git_status
    from promptterm.services.code.git.repo import in_repository as in_repository
    from promptterm.services.code.git.repo import text_at_commit as text_at_commit
    from promptterm.services.code.git.repo import text_at_head as text_at_head
    from promptterm.services.code.runs.commands import language_of as language_of
    from promptterm.services.code.runs.output import without_colours as without_colours
    from promptterm.services.code.runs.runner import RunOutcome as RunOutcome
    from promptterm.services.code.runs.runner import describe_outcome as describe_outcome
    from promptterm.services.code.runs.service import ActiveRun as ActiveRun
    from promptterm.services.code.runs.service import RunInfo as RunInfo
    from promptterm.services.code.runs.service import RunService as RunService

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "ai.analyses": ("AnalysisInfo",),
        "ai.changes": ("ChangeService", "ProposedChange"),
        "ai.jobs": ("AiJobService", "AiRequest"),
        "ai.records": ("AiJobInfo", "JobPlan"),
        "ai.prompts": ("AI_KINDS", "ASPECTS", "Lines", "parse_lines"),
        "env.variables": ("EnvService", "EnvVarInfo"),
        "git.repo": (
            "GitStatus",
            "GitCommit",
            "git_status",
            "commits_touching",
            "text_at_head",
            "text_at_commit",
            "in_repository",
        ),
        "runs.commands": ("language_of",),
        "runs.output": ("without_colours",),
        "runs.runner": ("RunOutcome", "describe_outcome"),
        "runs.service": ("RunService", "RunInfo", "ActiveRun"),
    },
)
