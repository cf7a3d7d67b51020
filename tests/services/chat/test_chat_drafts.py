"""Composer drafts, one per thread per person (issue 13, item 1)."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import NotFound
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def test_each_thread_keeps_its_own_draft(services: Services) -> None:
    a = services.chat.create_thread(title="A")
    b = services.chat.create_thread(title="B")
    drafts = services.chat_drafts
    drafts.save(a.id, "for A")
    drafts.save(b.id, "for B")
    drafts.save(None, "for a new thread")
    drafts.save(None, "for a new thread, longer")  # replaces, never a second row
    assert drafts.all() == {a.id: "for A", b.id: "for B", None: "for a new thread, longer"}
    drafts.save(a.id, "")  # emptied: gone
    assert drafts.get(a.id) == "" and drafts.get(b.id) == "for B"
    services.chat.delete_thread(b.id)
    assert drafts.all() == {None: "for a new thread, longer"}


def test_drafts_are_personal(services: Services, clock: FixedClock) -> None:
    mine = services.chat.create_thread(title="Mine")
    services.chat_drafts.save(mine.id, "secret")
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    bob = services.as_user(user.id)
    assert bob.chat_drafts.all() == {}
    with pytest.raises(NotFound):
        bob.chat_drafts.save(mine.id, "mine now")
