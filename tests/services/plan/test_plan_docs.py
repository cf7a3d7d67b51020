"""Notes, the PRD and customer profiles on SQLite and PostgreSQL: versions on every save,
stale saves refused, search, roles, over-long fields named with their limit, one selected
customer profile per project, and an export that stays in its folder."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from promptterm.services.errors import Conflict, Forbidden, NotFound, StaleEdit, ValidationError
from promptterm.services.facade import Services
from promptterm.services.path_guard import OutsideFolder
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _project(services: Services, name: str = "Site") -> uuid.UUID:
    ws = services.workspaces.create(f"Team {name}")
    return services.projects.create(ws.id, name).id


def _teammate(services: Services, clock: FixedClock, project: uuid.UUID, role: str) -> Services:
    user = create_user(services.ctx.db, role.title(), f"{role}@example.com", clock(), uuid.uuid4())
    ws = services.projects.get(project).workspace_id
    services.workspaces.add_member(ws, f"{role}@example.com", role)
    return services.as_user(user.id)


def test_each_note_save_is_a_version_and_a_stale_save_is_refused(services: Services) -> None:
    project = _project(services)
    note = services.notes.add("  Launch plan ", "# Steps\n\n1. Write", project)
    assert (note.title, note.version) == ("Launch plan", 1)
    saved = services.notes.save(
        note.id, "Launch plan", "# Steps\n\n1. Write\n2. Ship", seen_version=1
    )
    assert saved.version == 2
    same = services.notes.save(note.id, "Launch plan", saved.content, seen_version=2)
    assert same.version == 2  # nothing changed: no empty version
    with pytest.raises(StaleEdit, match="version 1 → 2"):
        services.notes.save(note.id, "Launch plan", "an old copy", seen_version=1)
    assert services.notes.get(note.id).content.endswith("2. Ship")
    history = services.notes.versions(note.id)
    assert [(v.number, v.body.splitlines()[-1]) for v in history] == [
        (2, "2. Ship"),
        (1, "1. Write"),
    ]


def test_personal_notes_are_their_authors_alone(services: Services, clock: FixedClock) -> None:
    project = _project(services)
    mine = services.notes.add("Diary", "private thoughts")
    shared = services.notes.add("Shared", "for the team", project)
    member = _teammate(services, clock, project, "member")
    assert [n.title for n in services.notes.list()] == ["Diary"]
    assert [n.title for n in member.notes.list()] == []
    assert [n.title for n in member.notes.list(project)] == ["Shared"]
    with pytest.raises(NotFound):
        member.notes.get(mine.id)
    with pytest.raises(NotFound):
        member.notes.save(mine.id, "Diary", "mine now", seen_version=1)
    member.notes.save(shared.id, "Shared", "edited by a member", seen_version=1)


def test_search_finds_notes_the_user_may_read(services: Services, clock: FixedClock) -> None:
    project = _project(services)
    services.notes.add("Pricing", "Tiers: free, pro, 100% off for students")
    services.notes.add("Roadmap", "Pricing page in March", project)
    services.notes.add("Other", "nothing here", project)
    other = _project(services, "Elsewhere")
    viewer = _teammate(services, clock, project, "viewer")
    assert {n.title for n in services.notes.search("PRICING")} == {"Pricing", "Roadmap"}
    assert [n.title for n in services.notes.search("100%")] == ["Pricing"]
    assert [n.title for n in viewer.notes.search("pricing")] == ["Roadmap"]
    assert services.notes.search("  ") == []
    assert other  # a project the viewer is not in adds nothing


def test_viewers_read_members_edit(services: Services, clock: FixedClock) -> None:
    project = _project(services)
    note = services.notes.add("Shared", "text", project)
    profile = services.customers.add(project, "Indie dev")
    services.prd.save(project, {"problem": "Loose files"}, seen_version=0)
    viewer = _teammate(services, clock, project, "viewer")
    assert viewer.prd.get(project).problem == "Loose files"
    assert not viewer.prd.get(project).can_edit and not viewer.notes.get(note.id).can_edit
    assert [p.name for p in viewer.customers.list(project)] == ["Indie dev"]
    for act in (
        lambda: viewer.notes.add("Mine", "", project),
        lambda: viewer.notes.save(note.id, "x", "y", seen_version=1),
        lambda: viewer.notes.delete(note.id),
        lambda: viewer.prd.save(project, {"problem": "x"}, seen_version=1),
        lambda: viewer.customers.add(project, "x"),
        lambda: viewer.customers.select(profile.id),
        lambda: viewer.customers.update(profile.id, overview="x"),
    ):
        with pytest.raises(Forbidden, match="you are a viewer"):
            act()


def test_prd_fields_sections_versions_and_markdown(services: Services) -> None:
    project = _project(services)
    empty = services.prd.get(project)
    assert (empty.version, empty.problem, empty.custom_sections) == (0, "", ())
    first = services.prd.save(
        project,
        {"problem": "Notes get lost", "solution": "A plan area", "tech_stack": "Python"},
        sections=[{"name": "Risks", "content": "Scope"}, ("Timeline", "Q1")],
        seen_version=0,
    )
    assert first.version == 1 and [s.name for s in first.custom_sections] == ["Risks", "Timeline"]
    second = services.prd.save(project, {"success_metrics": "50 users"}, seen_version=1)
    assert (second.version, second.problem, second.success_metrics) == (
        2,
        "Notes get lost",
        "50 users",
    )
    with pytest.raises(StaleEdit, match="version 1 → 2"):
        services.prd.save(project, {"problem": "old"}, seen_version=1)
    text = services.prd.markdown(project, "Site")
    assert text.startswith("# Site\n") and "## Problem\n\nNotes get lost" in text
    assert "## Target audience\n\n_Not written yet._" in text and "## Risks\n\nScope" in text
    assert [v.number for v in services.prd.versions(project)] == [2, 1]
    assert "50 users" in services.prd.versions(project)[0].body


def test_over_long_and_unknown_fields_are_refused_by_name(services: Services) -> None:
    project = _project(services)
    with pytest.raises(ValidationError, match="Title is 201 characters; the most allowed is 200"):
        services.notes.add("x" * 201, "", project)
    with pytest.raises(
        ValidationError, match="Problem is 20,001 characters; the most allowed is 20,000"
    ):
        services.prd.save(project, {"problem": "x" * 20_001}, seen_version=0)
    with pytest.raises(ValidationError, match="no field 'vision'"):
        services.prd.save(project, {"vision": "x"}, seen_version=0)
    with pytest.raises(ValidationError, match="Two sections are named 'risks'"):
        services.prd.save(project, {}, sections=[("Risks", "a"), ("risks", "b")], seen_version=0)
    with pytest.raises(ValidationError, match="score for 'budget' must be a number from 0 to 10"):
        services.customers.add(project, "A", scoring={"budget": 11})
    with pytest.raises(ValidationError, match="Scoring is not JSON"):
        services.customers.add(project, "A", scoring="{budget: 1}")
    assert services.prd.get(project).version == 0 and services.customers.list(project) == []


def test_one_selected_customer_per_project_and_a_ranking(services: Services) -> None:
    project = _project(services)
    indie = services.customers.add(project, "Indie dev", scoring='{"budget": 3, "urgency": 9}')
    agency = services.customers.add(project, "Agency", scoring={"budget": 9, "urgency": 6})
    student = services.customers.add(project, "Student", overview="Learns")
    assert [p.name for p in services.customers.ranked(project)] == [
        "Agency",
        "Indie dev",
        "Student",
    ]
    services.customers.select(indie.id)
    with pytest.raises(Conflict, match="'Indie dev' is already the selected customer profile"):
        services.customers.select(agency.id)
    assert services.customers.selected(project).id == indie.id  # nothing lost
    services.customers.unselect(indie.id)
    services.customers.select(agency.id)
    assert services.customers.selected(project).name == "Agency"
    assert services.customers.find(project, student.short_id).overview == "Learns"


def test_export_writes_markdown_inside_its_folder_only(services: Services, tmp_path: Path) -> None:
    project = _project(services)
    services.prd.save(project, {"problem": "P"}, seen_version=0)
    path = services.prd.export(project, tmp_path, "docs/prd.md", "Site")
    assert path.read_text(encoding="utf-8").startswith("# Site")
    with pytest.raises(OutsideFolder, match="Refused to export the PRD to"):
        services.prd.export(project, tmp_path, "../escape.md")
    assert not (tmp_path.parent / "escape.md").exists()
