"""The project context that product prompts render with: ``{{project.name}}``,
``{{tasks.open}}``, ``{{tasks.done}}``..., one dotted name per value.

Each provider reads one part of a project and returns its variables; ``plan_context`` merges
them. A new part (the PRD, the selected customer profile) is one function here and one line
in ``PROVIDERS``. Placeholders with a dot are the context's; those without are the library
prompt's own variables, rendered by services/library before this runs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping

from promptterm.services.context import ServiceContext
from promptterm.services.errors import ValidationError
from promptterm.services.plan.board import PlanService

Provider = Callable[[ServiceContext, uuid.UUID], dict[str, str]]
CONTEXT_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\}\}")


def _board(ctx: ServiceContext, project_id: uuid.UUID) -> dict[str, str]:
    board = PlanService(ctx).board(project_id)

    def listed(cards: list[str]) -> str:
        return "\n".join(f"- {name}" for name in cards) or "(none)"

    tasks = [c for c in board.cards if c.kind == "task"]
    return {
        "project.name": board.project_name,
        "tasks.open": listed([c.name for c in tasks if c.status != "done"]),
        "tasks.done": listed([c.name for c in tasks if c.status == "done"]),
        "tasks.all": listed([c.name for c in tasks]),
        "bugs.open": listed(
            [c.name for c in board.cards if c.kind == "bug" and c.status != "done"]
        ),
        "features.all": listed([c.name for c in board.cards if c.kind == "feature"]),
    }


def _prd(ctx: ServiceContext, project_id: uuid.UUID) -> dict[str, str]:
    from promptterm.services.plan.prd import PrdService

    prd = PrdService(ctx).get(project_id)
    fields = ("problem", "solution", "target_audience", "tech_stack", "success_metrics")
    values = {f"prd.{name}": getattr(prd, name) or "(not written yet)" for name in fields}
    return values


def _customer(ctx: ServiceContext, project_id: uuid.UUID) -> dict[str, str]:
    from promptterm.services.plan.customers import CustomerService

    chosen = CustomerService(ctx).selected(project_id)
    if chosen is None:
        return {"customer.name": "(no customer profile selected)"}
    return {
        "customer.name": chosen.name,
        "customer.overview": chosen.overview,
        "customer.background": chosen.background,
        "customer.problems": chosen.problems,
    }


# Read in order; a later provider's key wins.
PROVIDERS: list[Provider] = [_board, _prd, _customer]


def plan_context(ctx: ServiceContext, project_id: uuid.UUID) -> dict[str, str]:
    """Every context variable of the project, by dotted name."""
    values: dict[str, str] = {}
    for provider in PROVIDERS:
        values.update(provider(ctx, project_id))
    return values


def render_with_context(text: str, context: Mapping[str, str]) -> str:
    """``text`` with each ``{{part.name}}`` replaced; an unknown one is refused, naming it and
    what exists, rather than sent to a model as a blank."""
    missing = sorted({m.group(1) for m in CONTEXT_RE.finditer(text)} - set(context))
    if missing:
        raise ValidationError(
            f"The prompt uses {{{{{missing[0]}}}}}, which this project's context does not "
            f"have; it has: {', '.join(sorted(context))}.",
            "prompt",
        )
    # One pass: a value holding {{x.y}} (a task named so) is left as typed.
    return CONTEXT_RE.sub(lambda m: context[m.group(1)], text)


def render_product_prompt(
    ctx: ServiceContext,
    prompt_id: uuid.UUID,
    project_id: uuid.UUID,
    values: Mapping[str, object] | None = None,
) -> str:
    """A library prompt rendered (its own variables from ``values`` or their defaults), then
    filled with the project's context: the text a product prompt sends to a chat."""
    from promptterm.services.library import PromptService

    text = PromptService(ctx).render(prompt_id, dict(values or {}))
    return render_with_context(text, plan_context(ctx, project_id))
