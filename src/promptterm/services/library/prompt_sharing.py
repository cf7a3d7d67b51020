"""Prompts shared with a workspace (seed 004 ``is_public``, in a team), and copies.

A prompt's owner shares it with one workspace they belong to (any role: a viewer belongs to
it too) and can take it back. The workspace's other members list it, read it (modules,
options, variables, tags, history) and render it, and copy it into their own library; every
change to it stays its owner's: an edit by anyone else is refused as Forbidden, in words
that say how to get a copy of one's own. A reader's renders are not counted as uses of it.

On PostgreSQL, migration 0017 makes row-level security refuse the same; on SQLite (one
person) the verbs work the same way on the data, there is simply nobody else to read it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from sqlmodel import Session, col, select

from promptterm.db.models import Prompt, PromptFolder, User, Workspace, WorkspaceMember
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Forbidden, NotFound
from promptterm.services.library.prompt_info import PromptInfo, prompt_info
from promptterm.services.library.prompt_state import state_of
from promptterm.services.library.prompt_versions import write_content


@dataclass(frozen=True)
class SharedPrompt:
    """A prompt someone else shares with a workspace of mine: what the library lists."""

    id: uuid.UUID
    name: str
    description: str | None
    owner: str
    workspace_id: uuid.UUID
    workspace: str
    updated_at: datetime


@dataclass(frozen=True)
class ShareInfo:
    """Where a prompt of mine is shared now (``workspace_id`` None: nowhere)."""

    prompt_id: uuid.UUID
    name: str
    workspace_id: uuid.UUID | None
    workspace: str | None


def shared_with(session: Session, prompt: Prompt, user_id: uuid.UUID) -> bool:
    """Whether ``user_id`` reads ``prompt`` as a member of the workspace it is shared with
    (the prompts_shared_read policy of 0017, word for word)."""
    if prompt.deleted_at is not None or prompt.shared_workspace_id is None:
        return False
    member = session.exec(
        select(WorkspaceMember.user_id).where(
            WorkspaceMember.workspace_id == prompt.shared_workspace_id,
            WorkspaceMember.user_id == user_id,
        )
    ).first()
    return member is not None


def readable(session: Session, prompt_id: uuid.UUID, user_id: uuid.UUID) -> Prompt:
    """The prompt if it is the user's own (even in the trash) or shared with them."""
    prompt = session.get(Prompt, prompt_id)
    if prompt is None or (prompt.user_id != user_id and not shared_with(session, prompt, user_id)):
        raise NotFound("That prompt does not exist; it may have been deleted.")
    return prompt


def refuse_others(session: Session, prompt_id: uuid.UUID, user_id: uuid.UUID) -> NoReturn:
    """For a change to a prompt that is not the user's: Forbidden when they can read it
    (shared with them), NotFound otherwise (they must not learn it exists)."""
    prompt = session.get(Prompt, prompt_id)
    if prompt is not None and shared_with(session, prompt, user_id):
        owner = session.get(User, prompt.user_id)
        by = owner.display_name if owner else "its owner"
        raise Forbidden(
            f"{prompt.name!r} is {by}'s, shared with you to read and copy; only {by} can "
            f"change it. Copy it into your library to change your own: "
            f"`promptterm prompt copy {prompt.name!r}`."
        )
    raise NotFound("That prompt does not exist; it may have been deleted.")


class PromptSharing:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def share(self, prompt_id: uuid.UUID, workspace_id: uuid.UUID) -> ShareInfo:
        """Share a prompt of mine with a workspace I belong to (one at a time: sharing with
        another moves it there). Not an edit of what it says: no new version."""
        from promptterm.services.workspaces import require_role

        with self.ctx.db.session() as session:
            prompt = self._mine(session, prompt_id)
            workspace, _ = require_role(
                session, workspace_id, self.ctx.user_id, "viewer", "share prompts with it"
            )
            prompt.shared_workspace_id = workspace.id
            session.add(prompt)
            return ShareInfo(prompt.id, prompt.name, workspace.id, workspace.name)

    def unshare(self, prompt_id: uuid.UUID) -> ShareInfo:
        """Take a prompt of mine back: the workspace's members no longer see it (their
        copies stay theirs)."""
        with self.ctx.db.session() as session:
            prompt = self._mine(session, prompt_id, allow_deleted=True)
            prompt.shared_workspace_id = None
            session.add(prompt)
            return ShareInfo(prompt.id, prompt.name, None, None)

    def shared_with_me(self) -> list[SharedPrompt]:
        """Others' prompts shared with a workspace I belong to, by name."""
        mine = select(WorkspaceMember.workspace_id).where(
            WorkspaceMember.user_id == self.ctx.user_id
        )
        stmt = (
            select(
                Prompt.id,
                Prompt.name,
                Prompt.description,
                User.display_name,
                Workspace.id,
                Workspace.name,
                Prompt.updated_at,
            )
            .join(User, col(User.id) == col(Prompt.user_id))
            .join(Workspace, col(Workspace.id) == col(Prompt.shared_workspace_id))
            .where(
                col(Prompt.shared_workspace_id).in_(mine),
                Prompt.user_id != self.ctx.user_id,
                col(Prompt.deleted_at).is_(None),
            )
            .order_by(col(Prompt.name), col(Prompt.id))
        )
        with self.ctx.db.session() as session:
            return [SharedPrompt(*row) for row in session.exec(stmt).all()]

    def copy(
        self,
        prompt_id: uuid.UUID,
        *,
        name: str | None = None,
        folder_id: uuid.UUID | None = None,
    ) -> PromptInfo:
        """A new prompt of mine with the same modules, options, variables, description,
        category and tags, at version 1, remembering where it came from. Works on my own
        prompts too (a duplicate to try something out)."""
        from promptterm.services.library.prompt_edit import check_prompt_name

        now = self.ctx.now()
        with self.ctx.db.session() as session:
            source = readable(session, prompt_id, self.ctx.user_id)
            if source.deleted_at is not None:
                raise NotFound(f"{source.name!r} is in the trash; restore it first.")
            if folder_id is not None:
                folder = session.get(PromptFolder, folder_id)
                if folder is None or folder.user_id != self.ctx.user_id:
                    raise NotFound("That folder does not exist.")
                if folder.deleted_at is not None:
                    raise NotFound(f"The folder {folder.name!r} is in the trash; restore it first.")
            state = state_of(session, source)
            copy = Prompt(
                id=self.ctx.new_id(),
                user_id=self.ctx.user_id,
                folder_id=folder_id,
                copied_from_id=source.id,
                name=check_prompt_name(name) if name is not None else state.name,
                created_at=now,
                updated_at=now,
            )
            session.add(copy)
            session.flush()
            write_content(session, copy, state, self.ctx.new_id, now)
            if name is not None:
                copy.name = check_prompt_name(name)  # write_content set the source's
            session.add(copy)
            session.flush()
            return prompt_info(session, copy)

    def _mine(
        self, session: Session, prompt_id: uuid.UUID, *, allow_deleted: bool = False
    ) -> Prompt:
        prompt = session.get(Prompt, prompt_id)
        if prompt is None or prompt.user_id != self.ctx.user_id:
            refuse_others(session, prompt_id, self.ctx.user_id)
        if prompt.deleted_at is not None and not allow_deleted:
            raise NotFound(f"{prompt.name!r} is in the trash; restore it first.")
        return prompt
