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
    with pytest.raises(ValidationError, match=r"\{\{prd.budget\}\}.*it has: bugs.open"):
        render_with_context("Budget: {{ prd.budget }}", plan_context(services.ctx, project))


def test_the_context_carries_the_prd_and_the_selected_customer(services: Services) -> None:
    """{{prd.problem}} and {{customer.name}} render from the project's PRD and its one
    selected customer profile (issue 17, item 6); before either exists they say so."""
    project = _project(services)
    before = plan_context(services.ctx, project)
    assert before["prd.problem"] == "(not written yet)"
    assert before["customer.name"] == "(no customer profile selected)"
    services.prd.save(project, {"problem": "Teams lose prompts"}, seen_version=0)
    services.customers.add(project, "Agency lead", overview="Runs five client projects")
    chosen = services.customers.add(project, "Solo dev")
    services.customers.select(chosen.id)
    text = render_with_context(
        "{{prd.problem}} / {{customer.name}}", plan_context(services.ctx, project)
    )
    assert text == "Teams lose prompts / Solo dev"
