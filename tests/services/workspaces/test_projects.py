"""Projects: slugs per workspace, recent first, metadata, deletion."""

from __future__ import annotations

import pytest

from promptterm.services.errors import Conflict, LimitReached, NotFound, ValidationError
from promptterm.services.facade import Services
from support.clock import FixedClock


def test_slug_is_unique_within_a_workspace_only(services: Services) -> None:
    a = services.workspaces.create("A")
    b = services.workspaces.create("B")
    services.projects.create(a.id, "Web App")
    with pytest.raises(Conflict, match="web-app"):
        services.projects.create(a.id, "web app")
    assert services.projects.create(b.id, "Web App").slug == "web-app"


def test_metadata_is_validated(services: Services) -> None:
    ws = services.workspaces.create("A")
    with pytest.raises(ValidationError) as err:
        services.projects.create(ws.id, "P", visibility="secret")
    assert err.value.field == "visibility"
    project = services.projects.create(
        ws.id, "P", language="python", framework="textual", visibility="team"
    )
    assert (project.language, project.framework, project.visibility) == (
        "python",
        "textual",
        "team",
    )
    updated = services.projects.update(project.id, description="A TUI", language="rust")
    assert (updated.description, updated.language) == ("A TUI", "rust")


def test_recent_projects_come_first_and_opening_records_access(
    services: Services, clock: FixedClock
) -> None:
    ws = services.workspaces.create("A")
    first = services.projects.create(ws.id, "First")
    clock.advance(minutes=1)
    services.projects.create(ws.id, "Second")
    assert [p.name for p in services.projects.list(ws.id)] == ["Second", "First"]

    clock.advance(minutes=1)
    opened = services.projects.open(first.id)
    assert opened.last_accessed_at == clock()
    assert [p.name for p in services.projects.list(ws.id)] == ["First", "Second"]


def test_find_by_slug_name_or_id(services: Services) -> None:
    a = services.workspaces.create("A")
    b = services.workspaces.create("B")
    pa = services.projects.create(a.id, "Site")
    services.projects.create(b.id, "Site")
    assert services.projects.find(str(pa.id)).id == pa.id
    assert services.projects.find("site", workspace="A").id == pa.id
    with pytest.raises(Conflict, match="several"):
        services.projects.find("site")
    with pytest.raises(NotFound):
        services.projects.find("nope")


def test_free_plan_allows_ten_projects(services: Services) -> None:
    ws = services.workspaces.create("A")
    for n in range(10):
        services.projects.create(ws.id, f"P{n}")
    with pytest.raises(LimitReached) as err:
        services.projects.create(ws.id, "One too many")
    assert err.value.limit == "max_projects"
    assert "Free plan allows 10 projects" in err.value.message
    assert "billing plan set pro" in err.value.message
    services.billing.set_plan("pro")
    assert services.projects.create(ws.id, "Now fine").name == "Now fine"


def test_delete_removes_the_project_and_its_files(services: Services) -> None:
    ws = services.workspaces.create("A")
    project = services.projects.create(ws.id, "P")
    services.files.create(project.id, "a.txt", "a")
    assert services.projects.delete(project.id) == "P"
    assert services.projects.list(ws.id) == []
    with pytest.raises(NotFound):
        services.files.list_files(project.id)


def test_project_names_are_unique_per_workspace_ignoring_case(services: Services) -> None:
    # Issue 13, item 6: a rename could give two projects one name, which then named neither.
    ws = services.workspaces.create("Names")
    web = services.projects.create(ws.id, "Web app")
    api = services.projects.create(ws.id, "API")
    with pytest.raises(ValidationError, match="already has a project named 'web APP'") as err:
        services.projects.rename(api.id, "web APP")
    assert err.value.field == "name"
    assert services.projects.rename(web.id, "Web App").name == "Web App"  # its own name
    elsewhere = services.workspaces.create("Elsewhere")
    assert services.projects.create(elsewhere.id, "API").name == "API"


def test_an_ambiguous_project_reference_names_the_slugs(services: Services) -> None:
    one = services.workspaces.create("One")
    two = services.workspaces.create("Two")
    services.projects.create(one.id, "Site")
    services.projects.create(two.id, "Site")
    with pytest.raises(Conflict) as err:
        services.projects.find("Site")
    message = err.value.message
    assert "slug 'site' in 'One'" in message and "slug 'site' in 'Two'" in message
    assert "give --workspace" in message
    # A name that is another project's slug in the same workspace: the slug wins.
    services.projects.create(one.id, "web", slug="www")
    services.projects.create(one.id, "Homepage", slug="web")
    assert services.projects.find("web").name == "Homepage"


def test_a_limited_list_is_the_most_recently_opened_first(
    services: Services, clock: FixedClock
) -> None:
    # The palette's recent projects: the first few along the last-opened order, not all.
    ws = services.workspaces.create("A")
    names = ["One", "Two", "Three"]
    made = []
    for name in names:
        made.append(services.projects.create(ws.id, name))
        clock.advance(minutes=1)
    services.projects.open(made[0].id)
    assert [p.name for p in services.projects.list(limit=2)] == ["One", "Three"]
    assert [p.name for p in services.projects.list(ws.id, limit=1)] == ["One"]
