"""A user's prompt folders: made, renamed, sent to the trash with their prompts, restored,
or removed for good leaving their prompts in no folder.

``PromptService`` takes these methods from ``PromptFolders`` so callers keep one service;
the class reads ``self.ctx`` (a ServiceContext) and nothing else of it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from promptterm.db.models import Prompt, PromptFolder
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound
from promptterm.services.validation import clean_name


@dataclass(frozen=True)
class FolderInfo:
    id: uuid.UUID
    name: str
    deleted_at: datetime | None


class PromptFolders:
    ctx: ServiceContext

    def folders(self, *, trash: bool = False) -> list[FolderInfo]:
        stmt = select(PromptFolder).where(PromptFolder.user_id == self.ctx.user_id)
        deleted = col(PromptFolder.deleted_at)
        stmt = stmt.where(deleted.is_not(None) if trash else deleted.is_(None))
        with self.ctx.db.session() as session:
            rows = session.exec(stmt.order_by(col(PromptFolder.name))).all()
            return [FolderInfo(f.id, f.name, f.deleted_at) for f in rows]

    def create_folder(self, name: str) -> FolderInfo:
        name = clean_name(name, "name", label="Folder name", min_len=1, max_len=255)
        now = self.ctx.now()
        folder = PromptFolder(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            name=name,
            created_at=now,
            updated_at=now,
        )
        with self.ctx.db.session() as session:
            taken = session.exec(
                select(PromptFolder).where(
                    PromptFolder.user_id == self.ctx.user_id, PromptFolder.name == name
                )
            ).first()
            if taken is not None:
                where = " in the trash" if taken.deleted_at else ""
                raise Conflict(f"You already have a folder named {name!r}{where}.")
            session.add(folder)
            return FolderInfo(folder.id, folder.name, None)

    def delete_folder(self, folder_id: uuid.UUID) -> None:
        """Move a folder and its prompts to the trash."""
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            folder = self._folder(session, folder_id)
            if folder.deleted_at is not None:
                return  # already in the trash: keep the time it went there (restore uses it)
            folder.deleted_at = now
            for prompt in session.exec(
                select(Prompt).where(
                    Prompt.folder_id == folder.id, col(Prompt.deleted_at).is_(None)
                )
            ).all():
                prompt.deleted_at = now
                session.add(prompt)
            session.add(folder)

    def rename_folder(self, folder_id: uuid.UUID, name: str) -> FolderInfo:
        name = clean_name(name, "name", label="Folder name", min_len=1, max_len=255)
        with self.ctx.db.session() as session:
            folder = self._folder(session, folder_id)
            if folder.name == name:
                return FolderInfo(folder.id, folder.name, folder.deleted_at)
            taken = session.exec(
                select(PromptFolder).where(
                    PromptFolder.user_id == self.ctx.user_id,
                    PromptFolder.name == name,
                    PromptFolder.id != folder.id,
                )
            ).first()
            if taken is not None:
                where = " in the trash" if taken.deleted_at else ""
                raise Conflict(
                    f"You already have a folder named {name!r}{where}; choose another name."
                )
            folder.name = name
            folder.updated_at = self.ctx.now()
            session.add(folder)
            return FolderInfo(folder.id, folder.name, folder.deleted_at)

    def remove_folder(self, folder_id: uuid.UUID) -> list[str]:
        """Delete a folder for good but keep its prompts: they stay in the library, in no
        folder (seed 000: prompts.folder_id ON DELETE SET NULL). Returns their names, so the
        caller can say where they went. ``delete_folder`` is the other way: the folder and its
        prompts to the trash together."""
        with self.ctx.db.session() as session:
            folder = self._folder(session, folder_id)
            prompts = session.exec(select(Prompt).where(Prompt.folder_id == folder.id)).all()
            names = sorted(p.name for p in prompts if p.deleted_at is None)
            for prompt in prompts:
                prompt.folder_id = None  # what the foreign key would do; said here too
                session.add(prompt)
            session.flush()
            session.delete(folder)
            return names

    def restore_folder(self, folder_id: uuid.UUID) -> None:
        with self.ctx.db.session() as session:
            folder = self._folder(session, folder_id)
            deleted_at = folder.deleted_at
            folder.deleted_at = None
            # Bring back the prompts that went to the trash with the folder, not older ones.
            for prompt in session.exec(
                select(Prompt).where(Prompt.folder_id == folder.id, Prompt.deleted_at == deleted_at)
            ).all():
                prompt.deleted_at = None
                session.add(prompt)
            session.add(folder)

    def _folder(self, session: Session, folder_id: uuid.UUID) -> PromptFolder:
        folder = session.get(PromptFolder, folder_id)
        if folder is None or folder.user_id != self.ctx.user_id:
            raise NotFound("That folder does not exist.")
        return folder
