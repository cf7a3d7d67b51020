"""The project context product prompts render with: the board's tasks and the project's
name as {{dotted.names}}, a library prompt's own variables first, an unknown name refused."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import ValidationError
from promptterm.services.facade import Services
from promptterm.services.plan import plan_context, render_product_prompt, render_with_context


def _project(services: Services) -> uuid.UUID:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site").id


def test_the_context_lists_open_and_done_tasks(services: Services) -> None:
    project = _project(services)
    services.plan.add(project, "task", "Write docs")
    services.plan.add(project, "task", "Ship", status="done")
    services.plan.add(project, "bug", "Crash")  # a bug is not a task
    context = plan_context(services.ctx, project)
    assert context["project.name"] == "Site"
    assert context["tasks.open"] == "- Write docs"
    assert context["tasks.done"] == "- Ship"
    assert context["bugs.open"] == "- Crash"


def test_a_project_prompt_renders_with_its_variables_then_the_context(
    services: Services,
) -> None:
    project = _project(services)
    services.plan.add(project, "task", "Write {{tasks.done}} docs")  # left as typed
    prompt = services.prompts.create("Standup")
    services.prompts.add_module(
        prompt.id, "Body", ["For {{project.name}}, {{who}}: open work\n{{tasks.open}}"]
    )
    services.prompts.define_variable(prompt.id, "who", "text", default="team")
    text = render_product_prompt(services.ctx, prompt.id, project)
    assert text == "For Site, team: open work\n- Write {{tasks.done}} docs"
    with pytest.raises(ValidationError, match=r"\{\{prd.problem\}\}.*it has: bugs.open"):
        render_with_context("Problem: {{ prd.problem }}", plan_context(services.ctx, project))
