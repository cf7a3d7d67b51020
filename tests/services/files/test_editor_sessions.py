"""Editor sessions: open tabs, the active file, cursors and scroll, per user per project."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update

from promptterm.db.models import EditorSession
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.files.editor_sessions import EditorState, TabState
from promptterm.services.workspaces.projects import ProjectInfo
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


@pytest.fixture
def project(services: Services) -> ProjectInfo:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site")


def _two_files(services: Services, project: ProjectInfo) -> tuple[uuid.UUID, uuid.UUID]:
    a = services.files.create(project.id, "a.py", "a\n")
    b = services.files.create(project.id, "src/b.py", "b\n")
    return a.id, b.id


def test_first_time_the_session_is_empty(services: Services, project: ProjectInfo) -> None:
    state = services.editor_sessions.load(project.id)
    assert (state.tabs, state.active_file_id, state.layout) == ((), None, {})


def test_tabs_cursors_scroll_and_layout_come_back(
    services: Services, project: ProjectInfo, clock: FixedClock
) -> None:
    a, b = _two_files(services, project)
    state = EditorState(
        project.id,
        tabs=(TabState(a, cursor=(12, 4), scroll=(0, 3)), TabState(b, cursor=(0, 0))),
        active_file_id=b,
        layout={"tree_width": 28, "soft_wrap": True},
    )
    saved = services.editor_sessions.save(state)
    assert saved.last_active_at == clock()
    loaded = services.editor_sessions.load(project.id)
    assert loaded.tabs == state.tabs
    assert loaded.active_file_id == b
    assert loaded.layout == {"tree_width": 28, "soft_wrap": True}
    tab = loaded.tab(a)
    assert tab is not None and (tab.cursor, tab.scroll) == ((12, 4), (0, 3))
    # Saving again replaces the state (one row per user and project).
    services.editor_sessions.save(EditorState(project.id, tabs=(TabState(a),), active_file_id=a))
    assert [t.file_id for t in services.editor_sessions.load(project.id).tabs] == [a]


def test_each_user_has_their_own_session(
    services: Services, project: ProjectInfo, clock: FixedClock
) -> None:
    a, b = _two_files(services, project)
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    services.workspaces.add_member(project.workspace_id, "bob@example.com", "viewer")
    bob = services.as_user(user.id)
    services.editor_sessions.save(EditorState(project.id, (TabState(a),), a))
    bob.editor_sessions.save(EditorState(project.id, (TabState(b, (5, 1)),), b))  # a viewer too
    assert services.editor_sessions.load(project.id).active_file_id == a
    assert bob.editor_sessions.load(project.id).tabs == (TabState(b, (5, 1)),)


def test_tabs_of_deleted_files_are_dropped_on_load(
    services: Services, project: ProjectInfo
) -> None:
    a, b = _two_files(services, project)
    services.editor_sessions.save(EditorState(project.id, (TabState(a), TabState(b)), b))
    services.files.delete(b)
    state = services.editor_sessions.load(project.id)
    assert ([t.file_id for t in state.tabs], state.active_file_id) == ([a], a)


def test_a_damaged_stored_session_loads_what_it_can(
    services: Services, project: ProjectInfo
) -> None:
    a, _ = _two_files(services, project)
    services.editor_sessions.save(EditorState(project.id, (TabState(a),), a))
    with services.ctx.db.session() as session:
        session.execute(
            update(EditorSession).values(
                open_files=[
                    {"file_id": "not-a-uuid"},
                    "junk",
                    {"file_id": str(a), "cursor": [3, "x"]},
                    {"file_id": str(a), "cursor": [7, 2], "scroll": [0, 1]},
                ],
                layout_state={"ok": 1},
            )
        )
    state = services.editor_sessions.load(project.id)
    assert state.tabs == (TabState(a, (7, 2), (0, 1)),)


def test_bad_states_are_refused(services: Services, project: ProjectInfo) -> None:
    a, b = _two_files(services, project)
    other = services.projects.create(project.workspace_id, "Other")
    elsewhere = services.files.create(other.id, "x.py", "x").id
    with pytest.raises(ValidationError, match="not an open file of this project"):
        services.editor_sessions.save(EditorState(project.id, (TabState(elsewhere),)))
    with pytest.raises(ValidationError, match="one of the open tabs"):
        services.editor_sessions.save(EditorState(project.id, (TabState(a),), b))
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.editor_sessions.save(EditorState(project.id, (TabState(a, (-1, 0)),)))
    with pytest.raises(NotFound):
        services.editor_sessions.load(uuid.uuid4())
    services.editor_sessions.clear(project.id)
    assert services.editor_sessions.load(project.id).tabs == ()
