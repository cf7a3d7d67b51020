"""PromptService.summaries: the prompt tree and the trash list in one query, on both
databases (the library screen lists with it)."""

from __future__ import annotations

import uuid

from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def test_summaries_list_live_prompts_by_name_and_the_trash_apart(
    services: Services, clock: FixedClock
) -> None:
    folder = services.prompts.create_folder("Work")
    beta = services.prompts.create("beta", folder_id=folder.id)
    services.prompts.add_module(beta.id, "Body", ["text"])
    alpha = services.prompts.create("Alpha")
    gone = services.prompts.create("Gone")
    clock.advance(minutes=5)
    services.prompts.delete(gone.id)

    live = services.prompts.summaries()
    assert [(s.name, s.folder_id) for s in live] == [("Alpha", None), ("beta", folder.id)]
    assert all(s.deleted_at is None for s in live)
    assert live[0].id == alpha.id

    (trashed,) = services.prompts.summaries(trash=True)
    assert (trashed.id, trashed.deleted_at) == (gone.id, clock())


def test_summaries_show_only_the_acting_users_prompts(
    services: Services, clock: FixedClock
) -> None:
    services.prompts.create("Mine")
    bob = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    assert [s.name for s in services.as_user(bob.id).prompts.summaries()] == []
    assert [s.name for s in services.prompts.summaries()] == ["Mine"]
