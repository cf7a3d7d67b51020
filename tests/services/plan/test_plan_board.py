"""The board's service on SQLite and PostgreSQL: seed defaults, dense positions through
adds, moves, status changes and deletes, bad input named by field, roles, links."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, Forbidden, NotFound, StaleEdit, ValidationError
from promptterm.services.facade import Services
from promptterm.services.plan import Board
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _project(services: Services) -> uuid.UUID:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site").id


def _columns(board: Board) -> dict[str, list[tuple[str, int]]]:
    columns: dict[str, list[tuple[str, int]]] = {}
    for card in board.cards:
        columns.setdefault(card.status, []).append((card.name, card.position))
    return columns


def _names(board: Board, status: str) -> list[str]:
    return [c.name for c in board.cards if c.status == status]


def _dense(board: Board) -> bool:
    return all(
        [p for _, p in column] == list(range(len(column))) for column in _columns(board).values()
    )


def test_a_new_card_takes_the_seed_defaults_and_the_end_of_its_column(
    services: Services,
) -> None:
    project = _project(services)
    first = services.plan.add(project, "task", "  Write the README ")
    bug = services.plan.add(
        project, "bug", "Login fails", bug_url="https://x.test/1", priority="high"
    )
    feature = services.plan.add(project, "feature", "Dark mode")
    assert (first.name, first.status, first.priority, first.position) == (
        "Write the README",
        "not_started",
        "not-prioritized",
        0,
    )
    assert (bug.position, bug.bug_url, bug.priority) == (1, "https://x.test/1", "high")
    assert feature.implementation_status == "not_started" and first.implementation_status is None
    board = services.plan.board(project)
    assert _names(board, "not_started") == ["Write the README", "Login fails", "Dark mode"]
    assert board.role == "owner" and board.can_edit


def test_moves_keep_every_column_dense(services: Services) -> None:
    project = _project(services)
    cards = [services.plan.add(project, "task", f"T{n}") for n in range(5)]
    services.plan.move(cards[4].id, "not_started", 0)  # up to the top
    assert _names(services.plan.board(project), "not_started") == ["T4", "T0", "T1", "T2", "T3"]
    services.plan.move(cards[4].id, "not_started", 3)  # down again
    assert _names(services.plan.board(project), "not_started") == ["T0", "T1", "T2", "T4", "T3"]
    services.plan.move(cards[1].id, "in_progress")  # across, to the end
    services.plan.move(cards[2].id, "in_progress", 0)  # across, to the top
    services.plan.move(cards[3].id, "done", 99)  # past the end: the end
    board = services.plan.board(project)
    assert _names(board, "not_started") == ["T0", "T4"]
    assert _names(board, "in_progress") == ["T2", "T1"]
    assert _names(board, "done") == ["T3"]
    assert _dense(board)
    services.plan.update(cards[0].id, {"status": "done"})  # a status change moves it
    services.plan.delete(cards[2].id)
    board = services.plan.board(project)
    assert _names(board, "done") == ["T3", "T0"]
    assert _names(board, "in_progress") == ["T1"]
    assert _dense(board)


def test_bad_input_says_what_is_allowed(services: Services) -> None:
    project = _project(services)
    with pytest.raises(ValidationError, match="not_started, in_progress, done") as status:
        services.plan.add(project, "task", "x", status="doing")
    assert status.value.field == "status"
    with pytest.raises(ValidationError, match="not-prioritized, low, medium, high, urgent"):
        services.plan.add(project, "task", "x", priority="p0")
    with pytest.raises(ValidationError, match="task, bug, feature"):
        services.plan.add(project, "epic", "x")
    with pytest.raises(ValidationError, match="201 characters; the most allowed is 200") as long:
        services.plan.add(project, "task", "x" * 201)
    assert long.value.field == "name"
    with pytest.raises(ValidationError, match="Description is 5001") as desc:
        services.plan.add(project, "task", "x", description="d" * 5001)
    assert desc.value.field == "description"
    with pytest.raises(ValidationError, match="required"):
        services.plan.add(project, "task", "   ")
    with pytest.raises(ValidationError, match="Only bugs have a bug url"):
        services.plan.add(project, "task", "x", bug_url="https://x.test")
    with pytest.raises(ValidationError, match="http"):
        services.plan.add(project, "bug", "x", screenshot_url="javascript:alert(1)")
    card = services.plan.add(project, "task", "ok")
    with pytest.raises(ValidationError, match="no field 'kind'"):
        services.plan.update(card.id, {"kind": "bug"})
    assert [c.name for c in services.plan.board(project).cards] == ["ok"]


def test_a_card_deleted_meanwhile_is_refused_clearly(services: Services) -> None:
    project = _project(services)
    card = services.plan.add(project, "task", "Gone soon")
    services.plan.delete(card.id)
    for act in (
        lambda: services.plan.move(card.id, "done"),
        lambda: services.plan.update(card.id, {"name": "x"}),
        lambda: services.plan.delete(card.id),
    ):
        with pytest.raises(NotFound, match="may have deleted it"):
            act()


def test_an_edit_from_a_stale_form_is_refused(services: Services) -> None:
    project = _project(services)
    card = services.plan.add(project, "task", "Old")
    services.plan.update(card.id, {"name": "Theirs"})
    with pytest.raises(StaleEdit, match="'Old' → 'Theirs'"):
        services.plan.update(card.id, {"priority": "low"}, expected={"name": "Old"})
    kept = services.plan.update(card.id, {"priority": "low"})  # a deliberate second save
    assert (kept.name, kept.priority) == ("Theirs", "low")


def test_viewers_read_members_edit(services: Services, clock: FixedClock) -> None:
    project = _project(services)
    card = services.plan.add(project, "task", "Shared")
    ws = services.projects.get(project).workspace_id
    vic = create_user(services.ctx.db, "Vic", "vic@example.com", clock(), uuid.uuid4())
    services.workspaces.add_member(ws, "vic@example.com", "viewer")
    as_viewer = services.as_user(vic.id)
    assert [c.name for c in as_viewer.plan.board(project).cards] == ["Shared"]
    assert not as_viewer.plan.board(project).can_edit
    for act in (
        lambda: as_viewer.plan.add(project, "task", "Mine"),
        lambda: as_viewer.plan.move(card.id, "done"),
        lambda: as_viewer.plan.update(card.id, {"name": "x"}),
        lambda: as_viewer.plan.delete(card.id),
        lambda: as_viewer.plan_links.link(card.id, card_id=card.id),
    ):
        with pytest.raises(Forbidden, match="you are a viewer"):
            act()


def test_find_by_short_id_or_title(services: Services) -> None:
    project = _project(services)
    card = services.plan.add(project, "bug", "Crash on start")
    services.plan.add(project, "task", "Twin")
    services.plan.add(project, "task", "Twin")
    assert services.plan.find(project, card.short_id).id == card.id
    assert services.plan.find(project, "Crash on start", "bug").id == card.id
    with pytest.raises(NotFound):
        services.plan.find(project, "Crash on start", "task")
    with pytest.raises(Conflict, match="names 2 tasks"):
        services.plan.find(project, "Twin", "task")


def test_links_to_a_file_a_thread_and_a_card(services: Services) -> None:
    project = _project(services)
    card = services.plan.add(project, "task", "Ship")
    other = services.plan.add(project, "bug", "Blocker")
    file = services.files.create(project, "notes.md", "x\n")
    thread = services.chat.create_thread(title="Design talk", project_id=project)
    services.plan_links.link(card.id, file_id=file.id)
    services.plan_links.link(card.id, thread_id=thread.id)
    services.plan_links.link(card.id, card_id=other.id)
    titles = [(link.target_kind, link.title) for link in services.plan_links.links(card.id)]
    assert titles == [("file", "notes.md"), ("thread", "Design talk"), ("card", "Blocker")]
    with pytest.raises(ValidationError, match="itself"):
        services.plan_links.link(card.id, card_id=card.id)
    with pytest.raises(Conflict, match="already"):
        services.plan_links.link(card.id, file_id=file.id)
    elsewhere = services.projects.create(services.projects.get(project).workspace_id, "Other")
    stranger = services.plan.add(elsewhere.id, "task", "Elsewhere")
    with pytest.raises(NotFound, match="not on this project's board"):
        services.plan_links.link(card.id, card_id=stranger.id)
    services.plan.delete(other.id)  # its links go with it
    assert [link.target_kind for link in services.plan_links.links(card.id)] == ["file", "thread"]


def test_a_first_look_reads_the_top_of_each_column_and_every_count(services: Services) -> None:
    project = _project(services)
    for n in range(5):
        services.plan.add(project, "task", f"T{n}")
    services.plan.add(project, "bug", "B", status="done")
    top = services.plan.board(project, first=2)
    assert [c.name for c in top.cards] == ["T0", "T1", "B"]
    assert top.totals == {"not_started": 5, "in_progress": 0, "done": 1}
    assert not top.complete
    full = services.plan.board(project)
    assert full.complete and len(full.cards) == 6 and full.totals == top.totals
    assert services.plan.board(project, first=10).complete
