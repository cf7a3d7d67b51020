"""Editing a prompt in place: one unit of work per edit, with a version precondition.

Every edit names the version it started from (``expected_version``, the ``version`` of the
PromptInfo the editor loaded). If the prompt has moved on since (an edit in another window,
process or machine) the edit is refused as a Conflict instead of silently replacing that one.
The prompt row is locked for the edit on PostgreSQL (SQLite has one writer at a time), so two
edits at once run one after the other and the second sees the first's version.

An edit that changes something keeps the state it replaced as a version (prompt_versions);
one that changes nothing keeps none and leaves the version number as it is.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from promptterm.db.models import (
    ModuleOption,
    Prompt,
    PromptModule,
    PromptVariable,
)
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, StaleEdit, ValidationError
from promptterm.services.library import prompt_version_deltas as deltas
from promptterm.services.library import prompt_versions as history
from promptterm.services.library.prompt_cache import Content, cache_for
from promptterm.services.library.prompt_info import (
    PromptInfo,
    content_after,
    content_of,
    info_from,
)
from promptterm.services.library.prompt_sharing import readable, refuse_others
from promptterm.services.library.prompt_state import PromptState, option_order
from promptterm.services.library.prompt_version_deltas import Head, state_from_content
from promptterm.services.validation import clean_name, optional_text, plain

NAME_MAX, DESCRIPTION_MAX, CATEGORY_MAX = 255, 2000, 50


# On the table, not the class (the ORM's bulk update would first look for prompts in the
# session to bring up to date: there are none yet), and built once: it runs on every save.
_PROMPTS: Any = Prompt.__table__  # type: ignore[attr-defined]
_TAKE_LOCK = (
    update(_PROMPTS).where(_PROMPTS.c.id == bindparam("locked")).values(version=_PROMPTS.c.version)
)


@dataclass
class Edit:
    """One edit in progress: the locked prompt, the state it started from, and whether the
    verb changed anything (verbs say so; comparing whole states again would cost a load)."""

    session: Session
    prompt: Prompt
    head: Head  # the prompt's row as the edit found it (verbs change ``prompt``)
    now: datetime
    new_id: Callable[[], uuid.UUID]
    changed: bool = False
    after: bool = False  # the caller wants the prompt as the edit leaves it, in ``result``
    result: PromptInfo | None = None
    content: Content | None = None  # what ``result`` says, kept once committed
    # Set by a verb that changed nothing but these modules' options (the commonest edits):
    # only they are read again for ``result``. None: the whole prompt is.
    only_options_of: set[uuid.UUID] | None = None
    started: Content | None = None  # what the prompt said before the edit

    @cached_property
    def before(self) -> PromptState:
        """The state the edit started from, built when a verb or a whole version needs it
        (a big prompt's state is a thousand objects; most edits never look at it)."""
        assert self.started is not None
        return state_from_content(self.head, self.started)

    def modules(self) -> list[PromptModule]:
        return list(
            self.session.exec(
                select(PromptModule)
                .where(PromptModule.prompt_id == self.prompt.id)
                .order_by(col(PromptModule.order_index), col(PromptModule.created_at))
            ).all()
        )

    def module(self, module_id: uuid.UUID) -> PromptModule:
        module = self.session.get(PromptModule, module_id)
        if module is None or module.prompt_id != self.prompt.id:
            raise NotFound(f"{self.prompt.name!r} has no such module; it may have been deleted.")
        return module

    def options(self, module_id: uuid.UUID) -> list[ModuleOption]:
        rows = self.session.exec(
            select(ModuleOption).where(ModuleOption.module_id == module_id)
        ).all()
        return sorted(rows, key=option_order)

    def option(self, option_id: uuid.UUID) -> tuple[PromptModule, ModuleOption]:
        option = self.session.get(ModuleOption, option_id)
        if option is None:
            raise NotFound("That option no longer exists.")
        return self.module(option.module_id), option

    def options_only(self, module_id: uuid.UUID) -> None:
        """Say this edit changes nothing but the options of ``module_id`` (and others so
        named): the prompt it leaves is built from the one it found, reading only them."""
        if self.only_options_of is None:
            self.only_options_of = set()
        self.only_options_of.add(module_id)

    def variable(self, name: str) -> PromptVariable:
        found = self.session.exec(
            select(PromptVariable).where(
                PromptVariable.prompt_id == self.prompt.id, PromptVariable.name == name
            )
        ).first()
        if found is None:
            names = ", ".join(v.name for v in self.before.variables) or "none"
            raise NotFound(
                f"{self.prompt.name!r} has no variable {name!r}; its variables: {names}."
            )
        return found

    def renumber(self, modules: list[PromptModule]) -> None:
        """Positions 0..n-1 in the given order, with no gaps (after deletes and moves)."""
        for index, module in enumerate(modules):
            if module.order_index != index:
                module.order_index = index
                module.updated_at = self.now
                self.session.add(module)
                self.changed = True


class EditRunner:
    """Runs edits: opens the unit of work, checks the precondition, keeps the version."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @contextmanager
    def edit(self, prompt_id: uuid.UUID, expected_version: int | None) -> Iterator[Edit]:
        with self.ctx.db.session() as session:
            if self.ctx.db.is_sqlite:
                # SQLite ignores FOR UPDATE; a write as the first statement takes its one
                # writer's lock before anything is read, so concurrent edits queue up too.
                session.execute(_TAKE_LOCK, {"locked": prompt_id})
            prompt = session.get(Prompt, prompt_id, with_for_update=True)
            if prompt is None or prompt.user_id != self.ctx.user_id:
                # Shared with them to read: Forbidden, in words (FOR UPDATE sees no row
                # of someone else's on PostgreSQL, so this looks again without the lock).
                refuse_others(session, prompt_id, self.ctx.user_id)
            if prompt.deleted_at is not None:
                raise NotFound(f"{prompt.name!r} is in the trash; restore it first.")
            if expected_version is not None and expected_version != prompt.version:
                # A StaleEdit (a Conflict): screens keep the form and its text, and a second,
                # deliberate submit (naming the version now stored) goes through.
                raise StaleEdit(
                    repr(prompt.name),
                    (f"you started from v{expected_version}, it is now v{prompt.version}",),
                    "Reload it and apply your change again.",
                )
            # Read under the lock, so committed: kept for the next edit and render.
            content = content_of(session, prompt)
            edit = Edit(
                session, prompt, Head.of(prompt), self.ctx.now(), self.ctx.new_id, started=content
            )
            yield edit
            number = prompt.version
            if edit.changed:
                prompt.version = number + 1
                prompt.updated_at = edit.now
                session.add(prompt)
                with _same_moment(edit):
                    session.flush()
            known = {m.id for m in edit.started.modules} if edit.started else set()
            if edit.after and edit.only_options_of is not None and edit.only_options_of <= known:
                assert edit.started is not None
                session.flush()
                edit.content = content_after(session, edit.started, edit.only_options_of)
                edit.result = info_from(prompt, edit.content)
            elif edit.after:
                edit.content = content_of(session, prompt, keep=False)
                edit.result = info_from(prompt, edit.content)
            if edit.changed:
                # Kept last: a delta is taken against the state the edit left.
                after, started = edit.content, content
                with _same_moment(edit):
                    history.record(
                        session,
                        prompt.id,
                        number,
                        lambda: edit.before,
                        None if after is None else lambda: deltas.delta(edit.head, started, after),
                        self.ctx.user_id,
                        edit.now,
                    )
        if edit.content is not None and edit.result is not None:
            # Committed now: what this version says is kept (never before: a rolled-back
            # edit's number is used again by the next one).
            cache_for(self.ctx.db.engine).put(prompt_id, edit.result.version, edit.content)

    def _readable(self, session: Session, prompt_id: uuid.UUID) -> Prompt:
        return readable(session, prompt_id, self.ctx.user_id)

    def run(
        self,
        prompt_id: uuid.UUID,
        expected_version: int | None,
        change: Callable[[Edit], object],
    ) -> PromptInfo:
        """Apply ``change`` as one edit; the prompt as it is afterwards (read in the same
        unit of work, before the commit: no other edit can come between)."""
        with self.edit(prompt_id, expected_version) as edit:
            change(edit)
            edit.after = True
        assert edit.result is not None
        return edit.result


@contextmanager
def _same_moment(edit: Edit) -> Iterator[None]:
    """Two edits of one version at once: the second's number is taken (or, on SQLite, its
    write waited for the first) and it is refused as a conflict."""
    try:
        yield
    except IntegrityError as exc:
        raise Conflict(
            f"{edit.head.name!r} was changed somewhere else at the same moment; "
            "reload it and try again."
        ) from exc


def set_column(edit: Edit, attribute: str, value: object) -> None:
    """Set one column of the prompt (a change only if it differs)."""
    if getattr(edit.prompt, attribute) != value:
        setattr(edit.prompt, attribute, value)
        edit.session.add(edit.prompt)
        edit.changed = True


def check_prompt_name(name: str) -> str:
    return clean_name(name, "name", label="Prompt name", min_len=1, max_len=NAME_MAX)


def check_description(description: str | None) -> str | None:
    text = optional_text(description, "description", label="Description", max_len=DESCRIPTION_MAX)
    if text is not None and "\x00" in text:
        raise ValidationError("Description contains a NUL character; remove it.", "description")
    return text


def check_category(category: str | None) -> str | None:
    text = optional_text(category, "category", label="Category", max_len=CATEGORY_MAX)
    return None if text is None else plain(text, "category", "Category")
