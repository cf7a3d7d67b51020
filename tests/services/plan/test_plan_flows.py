"""User flows on SQLite and PostgreSQL: pages with the seed's fields, connections refused to
the page itself or to another project's page in words, roles, and the text drawing."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, Forbidden, NotFound, StaleEdit, ValidationError
from promptterm.services.facade import Services
from promptterm.services.plan import layout_flow
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _project(services: Services, name: str = "Site") -> uuid.UUID:
    ws = services.workspaces.create(f"Team {name}")
    return services.projects.create(ws.id, name).id


def test_a_page_keeps_the_seed_fields_and_whole_positions(services: Services) -> None:
    project = _project(services)
    page = services.flows.add_page(
        project,
        " Sign up ",
        description="Create an account",
        layout_description="Form in the middle",
        features="email, password, email",
        implementation_status="in progress",
        x="250",
        y=100.0,
    )
    assert (page.name, page.features, page.implementation_status, page.x, page.y) == (
        "Sign up",
        ("email", "password"),
        "in_progress",
        250,
        100,
    )
    with pytest.raises(ValidationError, match="whole number"):
        services.flows.add_page(project, "Half", x="2.5")
    with pytest.raises(ValidationError, match="Status"):
        services.flows.add_page(project, "Odd", implementation_status="shipped")
    with pytest.raises(ValidationError, match="control"):
        services.flows.add_page(project, "Bad\x1b[31m")
    changed = services.flows.update_page(
        page.id, {"features": ["oauth"], "implementation_status": "done"}
    )
    assert changed.features == ("oauth",) and changed.implementation_status == "done"
    with pytest.raises(StaleEdit):
        services.flows.update_page(page.id, {"name": "Join"}, expected={"name": "Sign up!"})
    moved = services.flows.move_page(page.id, 3, -2)
    assert (moved.x, moved.y) == (3, -2)


def test_connections_refuse_the_page_itself_another_project_and_twins(
    services: Services,
) -> None:
    project = _project(services)
    home = services.flows.add_page(project, "Home")
    login = services.flows.add_page(project, "Login", x=1)
    elsewhere = services.flows.add_page(_project(services, "Other"), "Stranger")
    link = services.flows.connect(home.id, login.id)
    assert (link.source_id, link.target_id) == (home.id, login.id)
    with pytest.raises(ValidationError, match="cannot lead to itself"):
        services.flows.connect(home.id, home.id)
    with pytest.raises(ValidationError, match="belongs to another project"):
        services.flows.connect(home.id, elsewhere.id)
    with pytest.raises(Conflict, match="already leads to"):
        services.flows.connect(home.id, login.id)
    services.flows.connect(login.id, home.id)  # the way back is another arrow
    assert len(services.flows.flow(project).connections) == 2
    services.flows.disconnect(login.id, home.id)
    with pytest.raises(NotFound, match="no connection"):
        services.flows.disconnect(login.id, home.id)
    services.flows.delete_page(login.id)  # takes its arrows with it
    flow = services.flows.flow(project)
    assert [p.name for p in flow.pages] == ["Home"] and flow.connections == ()


def test_a_viewer_reads_the_flow_and_edits_nothing(services: Services, clock: FixedClock) -> None:
    project = _project(services)
    page = services.flows.add_page(project, "Home")
    other = services.flows.add_page(project, "Login")
    ws = services.projects.get(project).workspace_id
    user = create_user(services.ctx.db, "Vera", "vera@example.com", clock(), uuid.uuid4())
    services.workspaces.add_member(ws, "vera@example.com", "viewer")
    vera = services.as_user(user.id)
    assert vera.flows.flow(project).role == "viewer"
    assert [p.name for p in vera.flows.flow(project).pages] == ["Home", "Login"]
    for write in (
        lambda: vera.flows.add_page(project, "Mine"),
        lambda: vera.flows.update_page(page.id, {"name": "Mine"}),
        lambda: vera.flows.delete_page(page.id),
        lambda: vera.flows.connect(page.id, other.id),
    ):
        with pytest.raises(Forbidden):
            write()


def test_find_page_by_name_or_id_end(services: Services) -> None:
    project = _project(services)
    page = services.flows.add_page(project, "Home")
    assert services.flows.find_page(project, "Home").id == page.id
    assert services.flows.find_page(project, page.short_id).id == page.id
    with pytest.raises(NotFound, match="No flow page"):
        services.flows.find_page(project, "Nowhere")


def test_the_drawing_places_pages_by_rank_and_routes_arrows(services: Services) -> None:
    project = _project(services)
    home = services.flows.add_page(project, "Home", x=0, y=0)
    login = services.flows.add_page(project, "Login", x=500, y=0, implementation_status="done")
    below = services.flows.add_page(project, "Settings", x=500, y=300)
    services.flows.connect(home.id, login.id)
    services.flows.connect(login.id, below.id)
    flow = services.flows.flow(project)
    layout = layout_flow(flow.pages, flow.connections)
    picture = "\n".join(layout.render())
    assert "│Home" in picture and "│Login" in picture and "● done" in picture
    assert picture.count("▶") == 1 and picture.count("◀") == 1
    boxes = layout.boxes
    assert boxes[home.id].x < boxes[login.id].x and boxes[login.id].y < boxes[below.id].y
    assert layout.nearest(home.id, "right") == login.id
    assert layout.nearest(login.id, "down") == below.id
    assert layout.nearest(below.id, "left") == home.id
    assert layout.nearest(home.id, "up") is None
