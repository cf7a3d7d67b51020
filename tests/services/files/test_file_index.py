"""The palette's file index: every live file the user can see, in one query, recent first."""

from __future__ import annotations

import uuid

from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def test_files_of_every_visible_project_recent_project_first(
    services: Services, clock: FixedClock
) -> None:
    services.billing.set_plan("pro")
    team = services.workspaces.create("Team")
    site = services.projects.create(team.id, "Site")
    docs = services.projects.create(team.id, "Docs")
    services.files.create(site.id, "b.py", "b\n")
    services.files.create(site.id, "a.py", "a\n")
    gone = services.files.create(docs.id, "old.md", "old\n")
    services.files.create(docs.id, "guide.md", "# Guide\n")
    services.files.create_folder(docs.id, "drafts")
    services.files.delete(gone.id)
    clock.advance(minutes=5)
    services.projects.open(docs.id)

    refs = services.file_index.files()

    # Docs was opened, so its files come first; folders and the trash are left out.
    assert [(r.project, r.path) for r in refs] == [
        ("Team/Docs", "guide.md"),
        ("Team/Site", "a.py"),
        ("Team/Site", "b.py"),
    ]
    assert refs[0].head_version == 1 and refs[0].size_bytes == len("# Guide\n")
    assert refs[0].workspace_id == team.id and refs[0].project_id == docs.id


def test_another_persons_files_stay_out_until_they_share(
    services: Services, clock: FixedClock
) -> None:
    bob = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    as_bob = services.as_user(bob.id)
    ws = as_bob.workspaces.create("Bob's")
    project = as_bob.projects.create(ws.id, "Secret")
    as_bob.files.create(project.id, "plan.md", "plan\n")

    assert services.file_index.files() == []
    as_bob.workspaces.add_member(ws.id, services.user.email or services.user.display_name, "viewer")
    assert [r.path for r in services.file_index.files()] == ["plan.md"]
