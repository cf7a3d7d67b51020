"""``PlanService.warm`` prepares the board's reads ahead: after it, a session's first board
read (the top of each column, then all of it) compiles none of its statements, and it read
and wrote nothing of anyone's board. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from promptterm.services.facade import Services
from support.sql_compiles import watched_executions

pytestmark = pytest.mark.own_sql_cache


def test_after_warming_the_first_board_read_compiles_no_statement(services: Services) -> None:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site").id
    one = services.plan.add(project, "task", "Write the README")
    other = services.plan.add(project, "bug", "Login fails", status="in_progress")
    services.plan_links.link(one.id, card_id=other.id)
    # As the app does when a project is chosen (its statements are not the board's).
    services.projects.get(project)
    services.plan.warm(first=100)

    with watched_executions(services.ctx.db.engine) as seen:
        top = services.plan.board(project, first=100)
        whole = services.plan.board(project)

    assert seen.run  # (the board was read from the database, not from somewhere else)
    assert seen.compiled == []
    for board in (top, whole):
        assert [c.name for c in board.cards] == ["Write the README", "Login fails"]
        assert board.link_counts == {one.id: 1, other.id: 1}


def test_warming_only_reads(services: Services) -> None:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site").id
    services.plan.add(project, "task", "Write the README")
    before = services.plan.board(project)
    with watched_executions(services.ctx.db.engine) as seen:
        services.plan.warm(first=100)
    # Only SELECTs (no write, no lock: a read-only database or a busy writer does not
    # mind), and of nobody's board.
    assert seen.run and all(line.startswith("SELECT") for line in seen.run)
    assert services.plan.board(project) == before
