"""``{{name}}`` placeholders left in what a send would carry (a preset's system prompt, the
message itself): found before anything is stored, filled with values the user gave for the
thread, and remembered in the thread's context so the next send fills them too."""

from __future__ import annotations

import re
import uuid

from sqlmodel import Session

from promptterm.db.models import Conversation
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError

# The library's placeholder syntax (services/library/prompt_render.py): {{name}}, {{ name }}.
PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def placeholders(*texts: str | None) -> list[str]:
    """The names used in ``texts``, each once, in order of appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in PLACEHOLDER_RE.finditer(text or ""):
            seen.setdefault(match.group(1), None)
    return list(seen)


def fill(text: str | None, values: dict[str, str]) -> str | None:
    """``text`` with every placeholder that has a value replaced; the others stay as typed.
    One pass, so a value that itself contains ``{{x}}`` is not expanded again."""
    if not text or not values:
        return text

    def replace(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return PLACEHOLDER_RE.sub(replace, text)


def check_values(values: dict[str, str]) -> dict[str, str]:
    """Values a person typed for a send: every name usable, every value non-empty (a blank
    would silently send a hole in the prompt)."""
    checked: dict[str, str] = {}
    for name, value in values.items():
        if not NAME_RE.fullmatch(name):
            raise ValidationError(
                f"{name!r} is not a variable name: use letters, digits and _.", name
            )
        if not value.strip():
            raise ValidationError(f"Give {{{{{name}}}}} a value.", name)
        checked[name] = value
    return checked


class ThreadVariables:
    """The values a thread remembers, in ``conversations.context["variables"]``."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self, thread_id: uuid.UUID) -> dict[str, str]:
        with self.ctx.db.session() as session:
            stored = self._own(session, thread_id).context or {}
        values = stored.get("variables")
        return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}

    def remember(self, thread_id: uuid.UUID, values: dict[str, str]) -> None:
        if not values:
            return
        with self.ctx.db.session() as session:
            thread = self._own(session, thread_id)
            context = dict(thread.context or {})
            context["variables"] = {**(context.get("variables") or {}), **values}
            # Reassign (not mutate) so SQLAlchemy sees the JSON column change.
            thread.context = context
            session.add(thread)

    def _own(self, session: Session, thread_id: uuid.UUID) -> Conversation:
        thread = session.get(Conversation, thread_id)
        if thread is None or thread.user_id != self.ctx.user_id:
            raise NotFound("That thread does not exist; it may have been deleted.")
        return thread
