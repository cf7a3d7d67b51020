"""A catalog as a folder, for teams without PostgreSQL: export one's free published items to
a folder (a shared drive, a git checkout), and add a folder's items to the local catalog.

The folder is only read when adding (it may be read-only); every path stays inside it
(services/path_guard.py), so a link in a shared folder cannot lead the reader elsewhere.
Priced items are never written: a shared folder has no way to keep their text to buyers.
Adding again updates the items a newer version of which the folder holds.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import select

from promptterm.db.models import CatalogContent, CatalogItem, CatalogProfile, CatalogTag, User
from promptterm.services.catalog import rules, snapshots
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ServiceError, ValidationError
from promptterm.services.path_guard import inside

FOLDER = "the catalog folder"
SUFFIX = ".catalog.json"
MAX_FILE = 1_000_000


@dataclass
class FolderReport:
    written: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # with the reason, in words


class CatalogFolderService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def export_to(self, path: str | Path) -> FolderReport:
        root = Path(path).expanduser()
        root.mkdir(parents=True, exist_ok=True)
        report = FolderReport()
        with self.ctx.db.session() as session:
            rows = session.exec(
                select(CatalogItem, CatalogContent)
                .join(
                    CatalogContent,
                    (CatalogContent.item_id == CatalogItem.id)  # type: ignore[arg-type]
                    & (CatalogContent.version == CatalogItem.version),
                )
                .where(CatalogItem.seller_id == self.ctx.user_id)
            ).all()
            profile = session.get(CatalogProfile, self.ctx.user_id)
            user = session.get(User, self.ctx.user_id)
        seller = profile.nickname if profile else (user.display_name if user else "someone")
        for item, content in rows:
            if item.price > 0 or not item.published:
                why = "priced" if item.price > 0 else "unpublished"
                report.skipped.append(f"{item.title} ({why}: only free published items)")
                continue
            name = f"{item.id}{SUFFIX}"
            document = {
                "id": str(item.id), "seller": seller, "kind": item.kind, "title": item.title,
                "description": item.description, "tags": item.tags, "image_urls": item.image_urls,
                "version": item.version, "created_at": item.created_at.isoformat(),
                "snapshot": content.snapshot,
            }  # fmt: skip
            target = inside(root, name, action="write", folder=FOLDER)
            target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            report.written.append(name)
        return report

    def add_from(self, path: str | Path) -> FolderReport:
        root = Path(path).expanduser()
        if not root.is_dir():
            raise NotFound(f"{root} is not a folder; name the folder a catalog was exported to.")
        report = FolderReport()
        for found in sorted(root.glob(f"*{SUFFIX}")):
            rel = found.name
            try:
                source = inside(root, rel, action="read", folder=FOLDER)
                if source.stat().st_size > MAX_FILE:
                    raise ValidationError(f"over {MAX_FILE:,} bytes", "file")
                document = json.loads(source.read_text(encoding="utf-8"))
                self._add(document, report)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                report.skipped.append(f"{rel} ({exc})")
            except ServiceError as exc:  # a bad field, a link leading out of the folder
                report.skipped.append(f"{rel} ({exc.message})")
        return report

    def _add(self, doc: dict[str, Any], report: FolderReport) -> None:
        item_id = uuid.UUID(str(doc["id"]))
        title = rules.check_title(str(doc["title"]))
        description = rules.check_description(str(doc.get("description") or ""))
        tags = rules.check_tags(list(doc.get("tags") or []))
        images = rules.check_urls(list(doc.get("image_urls") or []), "image_urls")
        kind = rules.check_kind(str(doc["kind"]))
        snapshot = dict(doc["snapshot"])
        version = int(doc["version"])
        nickname = rules.check_title(str(doc.get("seller") or "someone"))[:100]
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            row = session.get(CatalogItem, item_id)
            if row is not None and row.version >= version:
                return  # already the folder's version (or newer)
            if row is None:
                seller = self._seller(session, nickname)
                row = CatalogItem(
                    id=item_id, seller_id=seller, kind=kind, source_id=item_id, title=title,
                    description=description, created_at=now,
                )  # fmt: skip
                report.added.append(title)
            else:
                report.updated.append(title)
            row.title, row.description, row.tags, row.image_urls = title, description, tags, images
            row.version, row.price, row.currency, row.published = version, 0, "USD", True
            row.preview = rules.preview_of(snapshots.full_text(snapshot))
            row.search_text = rules.search_text(title, description, tags)
            row.updated_at = now
            session.add(row)
            session.flush()
            session.add(
                CatalogContent(item_id=item_id, version=version, snapshot=snapshot, created_at=now)
            )
            for old in session.exec(select(CatalogTag).where(CatalogTag.item_id == item_id)):
                session.delete(old)
            session.flush()
            session.add_all(CatalogTag(item_id=item_id, tag=t) for t in tags)

    def _seller(self, session: Any, nickname: str) -> uuid.UUID:
        """The local stand-in for a folder's seller: one per nickname, never a login."""
        found = session.exec(
            select(CatalogProfile).where(CatalogProfile.nickname == nickname)
        ).first()
        if found is not None:
            return found.user_id  # type: ignore[no-any-return]
        now = self.ctx.now()
        user = User(id=self.ctx.new_id(), display_name=nickname, created_at=now, updated_at=now)
        session.add(user)
        session.flush()
        session.add(CatalogProfile(user_id=user.id, nickname=nickname, updated_at=now))
        return user.id
