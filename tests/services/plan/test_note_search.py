"""Notes in the chat's search, on SQLite and PostgreSQL: every word typed (the last one maybe
unfinished) in the title or text of a note the user may read, labelled with its project;
another workspace's notes and another user's personal notes never appear."""

from __future__ import annotations

import uuid

from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _titles(services: Services, query: str) -> set[tuple[str, str | None]]:
    return {(hit.title, hit.project_name) for hit in services.notes.search_hits(query)}


def test_only_notes_the_user_may_read_with_their_project(
    services: Services, clock: FixedClock
) -> None:
    team = services.workspaces.create("Team")
    site = services.projects.create(team.id, "Site").id
    elsewhere = services.projects.create(services.workspaces.create("Solo").id, "Elsewhere").id
    vic = create_user(services.ctx.db, "Vic", "vic@example.com", clock(), uuid.uuid4())
    services.workspaces.add_member(team.id, "vic@example.com", "viewer")
    as_vic = services.as_user(vic.id)

    services.notes.add("Launch checklist", "Ship the pricing page, then tell users.", site)
    services.notes.add("Pricing diary", "My own thoughts on prices.")
    services.notes.add("Solo plans", "Pricing for the solo project.", elsewhere)
    as_vic.notes.add("Vic's pricing", "Nobody else reads this.")

    assert _titles(as_vic, "pric") == {("Launch checklist", "Site"), ("Vic's pricing", None)}
    assert _titles(services, "PRICING") == {
        ("Launch checklist", "Site"),
        ("Pricing diary", None),
        ("Solo plans", "Elsewhere"),
    }
    # Every word must be there; the last may be unfinished, the others are whole.
    assert _titles(services, "ship pric") == {("Launch checklist", "Site")}
    assert _titles(services, "ship pricing  page ") == {("Launch checklist", "Site")}
    assert _titles(services, "ship nothing") == set()
    assert services.notes.search_hits("  ") == []
    hit = as_vic.notes.search_hits("tell us")[0]
    assert (hit.snippet, hit.project_id) == ("Ship the pricing page, then tell users.", site)
    assert [hit.snippet[a:b] for a, b in hit.spans] == ["tell", "users"]
    # Characters that mean something to LIKE are only text.
    services.notes.add("Discount", "100% off, snake_case names", site)
    assert _titles(services, "100%") == {("Discount", "Site")}
    assert _titles(services, "e_n") == set()  # "case names" has "e n", not "e_n"
