"""Prompt components (seed 003): role, style, context and mode texts a user owns and reuses."""

from __future__ import annotations

import functools
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from promptterm.db.models import Component, Preset
from promptterm.db.models.library import COMPONENT_TYPES
from promptterm.db.order import order_by
from promptterm.db.types import quick_ids
from promptterm.services.billing import check_room_for
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, refuse_stale
from promptterm.services.library import component_versions as history
from promptterm.services.library.component_checks import CONTENT_MAX as CONTENT_MAX
from promptterm.services.library.component_checks import DESCRIPTION_MAX as DESCRIPTION_MAX
from promptterm.services.library.component_checks import NAME_MAX as NAME_MAX
from promptterm.services.library.component_checks import check_content as check_content
from promptterm.services.library.component_checks import check_description as check_description
from promptterm.services.library.component_checks import check_name as check_name
from promptterm.services.library.component_checks import check_type as check_type
from promptterm.services.library.component_checks import storable as storable
from promptterm.services.library.component_infos import ORDER, own, pick_named
from promptterm.services.library.component_infos import ComponentInfo as ComponentInfo
from promptterm.services.library.component_infos import ComponentSort as ComponentSort
from promptterm.services.library.component_infos import component_info as component_info
from promptterm.services.library.component_versions import (
    ComponentState,
    ComponentVersionInfo,
    VersionRef,
)
from promptterm.services.validation import clean_tags, escape_like


def _state_of(info: ComponentInfo) -> ComponentState:
    return ComponentState(info.name, info.content, info.description, tuple(info.tags))


@dataclass(frozen=True)
class ComponentSummary:
    id: uuid.UUID
    type: str
    name: str
    description: str | None
    usage_count: int
    last_used_at: datetime | None
    updated_at: datetime


_SUMMARY_COLUMNS = (
    # A page of summaries is read in bulk: its ids the quick way (db/types.py).
    quick_ids(Component.id),
    Component.type,
    Component.name,
    Component.description,
    Component.usage_count,
    Component.last_used_at,
    Component.updated_at,
)

_ORDER = {sort: order_by(Component, spec) for sort, spec in ORDER.items()}


@functools.cache
def _summary_page(sort: str, *, typed: bool) -> Select[Any]:
    """A page of the user's summaries (of one type), built once with its values as bound
    parameters: building the statement on every call cost more than running it (0.4 of
    0.9 ms a call; benchmarks/run.py "list components of a type")."""
    stmt = select(*_SUMMARY_COLUMNS).where(Component.user_id == bindparam("user_id"))
    if typed:
        stmt = stmt.where(Component.type == bindparam("type"))
    return stmt.order_by(*_ORDER[sort]).limit(bindparam("limit")).offset(bindparam("offset"))


class ComponentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(
        self,
        type: str | None = None,
        *,
        sort: ComponentSort = "most_used",
        query: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ComponentInfo]:
        """Whole components (content included); screens page through ``summaries`` instead."""
        stmt = self._filtered(select(Component), type, query).order_by(*_ORDER[sort])
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        with self.ctx.db.session() as session:
            return [component_info(c) for c in session.exec(stmt).all()]

    def summaries(
        self,
        type: str | None = None,
        *,
        sort: ComponentSort = "most_used",
        query: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ComponentSummary]:
        """One page of components without their content: what a list on screen shows.

        A user can own thousands of components of kilobytes each; building every one into
        an object costs ~50 us a row, so lists fetch a page of the small columns only.
        """
        stmt = _summary_page(sort, typed=type is not None)
        params: dict[str, object] = {"user_id": self.ctx.user_id, "limit": limit, "offset": offset}
        if type is not None:
            params["type"] = check_type(type)
        if query:
            stmt = stmt.where(self._matching(query))
        # Core rows: plain columns need none of the ORM's per-row loading.
        with self.ctx.db.reading() as connection:
            rows = connection.execute(stmt, params).all()
        return [ComponentSummary(*row) for row in rows]

    def search(self, text: str, limit: int = 50) -> list[ComponentSummary]:
        """Components whose name contains ``text`` (any case), most used first."""
        pattern = f"%{escape_like(text.strip())}%"
        stmt = (
            select(*_SUMMARY_COLUMNS)
            .where(Component.user_id == self.ctx.user_id)
            .where(self._contains(col(Component.name), pattern))
            .order_by(col(Component.usage_count).desc(), col(Component.name))
            .limit(limit)
        )
        with self.ctx.db.session() as session:
            return [ComponentSummary(*row) for row in session.exec(stmt).all()]

    def names(self) -> list[tuple[uuid.UUID, str, str]]:
        """(id, type, name) of every component, for jump-to-anything lists."""
        stmt = (
            select(Component.id, Component.type, Component.name)
            .where(Component.user_id == self.ctx.user_id)
            .order_by(col(Component.name))
        )
        with self.ctx.db.session() as session:
            return [tuple(row) for row in session.exec(stmt).all()]  # type: ignore[misc]

    def counts(self) -> dict[str, int]:
        stmt = (
            select(Component.type, func.count())
            .where(Component.user_id == self.ctx.user_id)
            .group_by(col(Component.type))
        )
        with self.ctx.db.session() as session:
            found = dict(session.exec(stmt).all())
        return {kind: found.get(kind, 0) for kind in COMPONENT_TYPES}

    def get(self, component_id: uuid.UUID) -> ComponentInfo:
        with self.ctx.db.session() as session:
            return component_info(self._own(session, component_id))

    def find(self, ref: str, type: str | None = None) -> ComponentInfo:
        """A component by id or by name (with its type when the name is used for several)."""
        with self.ctx.db.session() as session:
            return component_info(self._find(session, ref, type))

    def create(
        self,
        type: str,
        name: str,
        content: str,
        description: str | None = None,
        tags: list[str] | None = None,
    ) -> ComponentInfo:
        now = self.ctx.now()
        component = Component(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            type=check_type(type),
            name=check_name(name),
            content=check_content(content),
            description=check_description(description),
            tags=clean_tags(tags),
            created_at=now,
            updated_at=now,
        )
        with self.ctx.db.session() as session:
            check_room_for(session, self.ctx.user_id, "max_components", now, self.ctx.hints)
            self._check_name_free(session, component.type, component.name, None)
            session.add(component)
            try:
                session.flush()
            except IntegrityError as exc:
                raise _name_taken(component.type, component.name) from exc
            return component_info(component)

    def update(
        self,
        component_id: uuid.UUID,
        *,
        name: str | None = None,
        content: str | None = None,
        description: str | None = None,
        tags: list[str] | None = None,
        expected: ComponentInfo | None = None,
    ) -> ComponentInfo:
        """Change what is given (``description=""`` clears it). The state it replaces is kept
        as the next version; an edit that changes nothing keeps no version.

        ``expected``: the component as the editor loaded it. When it has changed since (an
        edit in another window or process), the write is refused as a Conflict instead of
        silently replacing that edit. Compared by content, not clock: two edits in the same
        second, or on two machines, are still told apart."""
        with self.ctx.db.session() as session:
            component = self._own(session, component_id, lock=True)
            old = ComponentState.of(component)
            if expected is not None:
                refuse_stale(
                    f"{component.type.title()} component {component.name!r}",
                    asdict(_state_of(expected)),
                    asdict(old),
                    "Your text is still here: copy what you need, reopen it, and apply your "
                    "change again.",
                )
            new = ComponentState(
                name=old.name if name is None else check_name(name),
                content=old.content if content is None else check_content(content),
                description=(
                    old.description if description is None else check_description(description)
                ),
                tags=old.tags if tags is None else tuple(clean_tags(tags)),
            )
            if new.name != old.name:
                # Checked before it is set: a query would autoflush a taken name and fail.
                self._check_name_free(session, component.type, new.name, component.id)
            return component_info(self._apply(session, component, new))

    # Versions ----------------------------------------------------------------------------

    def versions(self, component_id: uuid.UUID) -> list[ComponentVersionInfo]:
        """The component's history, newest first. The first entry is always the current
        state (``version`` None, ``label`` "current"), so a list of versions on screen and
        a diff of neighbours need no second call."""
        with self.ctx.db.session() as session:
            return history.history(session, self._own(session, component_id))

    def version_diff(self, component_id: uuid.UUID, old: VersionRef, new: VersionRef) -> str:
        """A unified diff of the content of two versions (either may be "current");
        empty when their content is the same."""
        states = self.versions(component_id)
        return history.diff(history.pick(states, old), history.pick(states, new))

    def restore_version(self, component_id: uuid.UUID, version: VersionRef) -> ComponentInfo:
        """Make an earlier version current again: name, content, description and tags.

        A restore is an edit, so the state it replaces becomes the newest version.
        """
        with self.ctx.db.session() as session:
            component = self._own(session, component_id, lock=True)
            wanted = history.pick(history.history(session, component), version)
            target = ComponentState(
                name=check_name(wanted.name),
                content=check_content(wanted.content),
                description=check_description(wanted.description),
                tags=tuple(clean_tags(list(wanted.tags))),
            )
            if target.name != component.name:
                self._check_name_free(
                    session,
                    component.type,
                    target.name,
                    component.id,
                    f"Restoring {wanted.label} would rename {component.name!r} back to "
                    f"{target.name!r}, but another {component.type} is named "
                    f"{target.name!r}; rename that one first.",
                )
            return component_info(self._apply(session, component, target))

    def _apply(self, session: Session, component: Component, new: ComponentState) -> Component:
        if new == ComponentState.of(component):
            return component
        now = self.ctx.now()
        history.record_previous(session, component, self.ctx.user_id, self.ctx.new_id(), now)
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict(
                f"{component.name!r} was changed somewhere else at the same moment; "
                "reload it and try again."
            ) from exc
        component.name = new.name
        component.content = new.content
        component.description = new.description
        component.tags = list(new.tags)
        component.updated_at = now
        session.add(component)
        try:
            session.flush()
        except IntegrityError as exc:
            raise _name_taken(component.type, component.name) from exc
        return component

    def delete(self, component_id: uuid.UUID) -> list[str]:
        """Delete a component; returns the names of presets it leaves incomplete."""
        with self.ctx.db.session() as session:
            component = self._own(session, component_id)
            slot = getattr(Preset, f"{component.type}_id")
            affected = session.exec(
                select(Preset.name).where(Preset.user_id == self.ctx.user_id, slot == component.id)
            ).all()
            session.delete(component)
            return sorted(affected)

    # Helpers ---------------------------------------------------------------------------

    def _filtered(self, stmt: Any, type: str | None, query: str | None) -> Any:
        stmt = stmt.where(Component.user_id == self.ctx.user_id)
        if type is not None:
            stmt = stmt.where(Component.type == check_type(type))
        if query:
            stmt = stmt.where(self._matching(query))
        return stmt

    def _matching(self, query: str) -> Any:
        """Name or description contains ``query``, in any case."""
        pattern = f"%{escape_like(query.strip())}%"
        return or_(
            self._contains(col(Component.name), pattern),
            self._contains(col(Component.description), pattern),
        )

    def _contains(self, column: Any, pattern: str) -> Any:
        if self.ctx.db.is_sqlite:
            # SQLite's LIKE already ignores ASCII case; ilike's lower(x) LIKE lower(y) costs
            # a function call per row for the same answer.
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")

    def _own(self, session: Session, component_id: uuid.UUID, *, lock: bool = False) -> Component:
        # FOR UPDATE on PostgreSQL: two edits at once must not both take the same version
        # number (SQLite has one writer at a time and ignores it).
        component = session.get(Component, component_id, with_for_update=lock or None)
        return own(component, self.ctx.user_id)

    def _find(self, session: Session, ref: str, type: str | None) -> Component:
        try:
            return self._own(session, uuid.UUID(ref))
        except ValueError:
            pass
        stmt = select(Component).where(Component.user_id == self.ctx.user_id, Component.name == ref)
        if type is not None:
            stmt = stmt.where(Component.type == check_type(type))
        return pick_named(session.exec(stmt).all(), ref, type)

    def _check_name_free(
        self,
        session: Session,
        kind: str,
        name: str,
        except_id: uuid.UUID | None,
        message: str | None = None,
    ) -> None:
        stmt = select(Component.id).where(
            Component.user_id == self.ctx.user_id, Component.type == kind, Component.name == name
        )
        found = session.exec(stmt).first()
        if found is not None and found != except_id:
            raise Conflict(message) if message else _name_taken(kind, name)


def _name_taken(kind: str, name: str) -> Conflict:
    return Conflict(f"You already have a {kind} named {name!r}; choose another name.")
