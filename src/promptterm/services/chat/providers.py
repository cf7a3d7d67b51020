"""Provider entries: the user's named LLM endpoints, and talking to them (models, test).

An entry's API key is found, in order: the environment variable it names (``key_env``), the
keyring key it names (``key_nickname``, stored under the entry's name), the newest keyring
key stored under its name, the conventional variable (``OPENAI_API_KEY`` for an entry named
``openai`` or at api.openai.com, ``ANTHROPIC_API_KEY``...). A server on this machine needs
none. The secret is handed to the HTTP client and nowhere else.

Methods that reach the network have an ``_async`` twin for the TUI's async workers (their
database and keyring work runs in a thread there, off the event loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from promptterm.db.models import ProviderEntry
from promptterm.db.models.providers import PROVIDER_KINDS
from promptterm.db.order import order_by
from promptterm.services.chat.api_keys import ApiKeyService, env_var_for
from promptterm.services.chat.provider_info import PROVIDER_ORDER, ProviderInfo
from promptterm.services.chat.provider_info import provider_info as _info
from promptterm.services.chat.provider_rules import (
    DEFAULT_BASE_URLS,
    KEYED_HOSTS,
    check_env,
    check_name,
    check_options,
    check_url,
    explain,
    optional_text,
    taken,
)
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ServiceError, ValidationError
from promptterm.services.validation import choice

if TYPE_CHECKING:
    from promptterm.providers.base import ModelInfo, ProviderSettings, RetryPolicy, Timeouts
    from promptterm.services.activity import ProviderCall

_UNSET: Any = object()


class ProviderProblem(ServiceError):
    """A provider refused or could not be reached; ``reason`` is the provider error's kind."""

    kind = "provider"

    def __init__(self, message: str, reason: str = "provider error") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ProviderCheck:
    """The result of ``test``: a tiny real request."""

    provider: str
    model: str
    ok: bool
    reply: str
    seconds: float
    tokens_in: int | None = None
    tokens_out: int | None = None
    error: str | None = None
    reason: str | None = None


class ProviderService:
    def __init__(self, ctx: ServiceContext, api_keys: ApiKeyService) -> None:
        self.ctx = ctx
        self.api_keys = api_keys
        # Tests and benchmarks shorten these; None: the client's defaults.
        self.retry: RetryPolicy | None = None
        self.timeouts: Timeouts | None = None
        # Told of every model listing once it ended (the activity log); returns at once.
        self.call_log: Callable[[Callable[[], ProviderCall]], None] | None = None

    # -- entries --------------------------------------------------------------------------------

    def list(self) -> list[ProviderInfo]:
        stmt = (
            select(ProviderEntry)
            .where(ProviderEntry.user_id == self.ctx.user_id)
            .order_by(*order_by(ProviderEntry, PROVIDER_ORDER))
        )
        with self.ctx.db.session() as session:
            return [_info(e) for e in session.exec(stmt).all()]

    def get(self, ref: str | uuid.UUID) -> ProviderInfo:
        with self.ctx.db.session() as session:
            return _info(self._find(session, ref))

    def default(self) -> ProviderInfo:
        """The entry to use when none is named: the only one there is."""
        entries = self.list()
        if len(entries) == 1:
            return entries[0]
        if not entries:
            raise ValidationError(
                f"No provider is set up yet. {self.ctx.hints.say('add_provider')}.",
                "provider",
            )
        names = ", ".join(e.name for e in entries)
        raise ValidationError(f"Pick a provider: you have several ({names}).", "provider")

    def add(
        self,
        name: str,
        kind: str,
        *,
        base_url: str | None = None,
        default_model: str | None = None,
        key_nickname: str | None = None,
        key_env: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> ProviderInfo:
        kind = choice(kind, "kind", label="Kind", options=PROVIDER_KINDS)
        now = self.ctx.now()
        entry = ProviderEntry(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            name=check_name(name),
            kind=kind,
            base_url=check_url(base_url or DEFAULT_BASE_URLS[kind], self.ctx.hints),
            default_model=optional_text(default_model, "default_model", 128),
            key_nickname=optional_text(key_nickname, "key_nickname", 255),
            key_env=check_env(key_env),
            options=check_options(options or {}),
            created_at=now,
            updated_at=now,
        )
        with self.ctx.db.session() as session:
            if self._lookup(session, entry.name) is not None:
                raise taken(entry.name)
            session.add(entry)
            try:
                session.flush()
            except IntegrityError as exc:
                raise taken(entry.name) from exc
            return _info(entry)

    def update(
        self,
        ref: str | uuid.UUID,
        *,
        name: str | None = None,
        base_url: str | None = None,
        default_model: str | None = _UNSET,
        key_nickname: str | None = _UNSET,
        key_env: str | None = _UNSET,
        options: dict[str, Any] | None = None,
    ) -> ProviderInfo:
        """Change an entry; ``None`` clears an optional field, leaving it out keeps it."""
        with self.ctx.db.session() as session:
            entry = self._find(session, ref)
            if name is not None and name != entry.name:
                new_name = check_name(name)
                if self._lookup(session, new_name) is not None:
                    raise taken(new_name)
                entry.name = new_name
            if base_url is not None:
                entry.base_url = check_url(base_url, self.ctx.hints)
            if default_model is not _UNSET:
                entry.default_model = optional_text(default_model, "default_model", 128)
            if key_nickname is not _UNSET:
                entry.key_nickname = optional_text(key_nickname, "key_nickname", 255)
            if key_env is not _UNSET:
                entry.key_env = check_env(key_env)
            if options is not None:
                entry.options = check_options({**entry.options, **options})
            entry.updated_at = self.ctx.now()
            session.add(entry)
            return _info(entry)

    def remove(self, ref: str | uuid.UUID) -> str:
        with self.ctx.db.session() as session:
            entry = self._find(session, ref)
            session.delete(entry)
            return entry.name

    # -- talking to the provider ----------------------------------------------------------------

    def settings_for(self, info: ProviderInfo) -> ProviderSettings:
        """What the HTTP client needs, the API key resolved (see the module docstring)."""
        from promptterm.providers.base import ProviderSettings, RetryPolicy, Timeouts

        timeouts = self.timeouts or Timeouts()
        if "read_timeout" in info.options:
            timeouts = replace(timeouts, read=float(info.options["read_timeout"]))
        if "no_content_timeout" in info.options:
            timeouts = replace(timeouts, no_content=float(info.options["no_content_timeout"]))
        return ProviderSettings(
            kind=info.kind,
            base_url=info.base_url,
            api_key=self._key_for(info),
            label=f"Provider {info.name!r}",
            timeouts=timeouts,
            retry=self.retry or RetryPolicy(),
            max_tokens=int(info.options.get("max_tokens", 4096)),
        )

    def models(self, ref: str) -> list[ModelInfo]:
        return asyncio.run(self.models_async(ref))

    async def models_async(self, ref: str) -> list[ModelInfo]:
        from promptterm.providers import create_provider
        from promptterm.providers.errors import ProviderError

        info, settings = await asyncio.to_thread(self._info_and_settings, ref)
        started, failure = time.monotonic(), None
        try:
            async with create_provider(settings) as client:
                return await client.list_models()
        except ProviderError as exc:
            failure = exc
            raise ProviderProblem(explain(exc, info, self.ctx.hints), exc.kind) from exc
        except BaseException as exc:  # cancelled, or a bug: the log says so too
            failure = exc
            raise
        finally:
            if self.call_log is not None:
                from promptterm.services.chat.call_log import describe_listing

                took = time.monotonic() - started
                self.call_log(partial(describe_listing, info, settings, failure, took))

    def test(self, ref: str, model: str | None = None) -> ProviderCheck:
        return asyncio.run(self.test_async(ref, model))

    async def test_async(self, ref: str, model: str | None = None) -> ProviderCheck:
        """A tiny real request (a one-word answer); failures come back in the result."""
        from promptterm.providers import create_provider
        from promptterm.providers.base import ChatMessage, TextDelta, UsageReport
        from promptterm.providers.errors import ProviderError

        info, settings = await asyncio.to_thread(self._info_and_settings, ref)
        model = model or info.default_model
        if not model:
            raise ValidationError(
                f"Provider {info.name!r} has no default model: {self.ctx.hints.say('test_model')}.",
                "model",
            )
        started = time.perf_counter()
        parts: list[str] = []
        usage = [None, None]
        question = [ChatMessage("user", "Reply with the single word: ok")]
        try:
            async with create_provider(settings) as client:
                async for event in client.stream(question, model=model, max_tokens=16):
                    if isinstance(event, TextDelta):
                        parts.append(event.text)
                    elif isinstance(event, UsageReport):
                        usage = [event.input_tokens or usage[0], event.output_tokens or usage[1]]
        except ProviderError as exc:
            seconds = time.perf_counter() - started
            return ProviderCheck(
                info.name,
                model,
                False,
                "".join(parts),
                seconds,
                error=explain(exc, info, self.ctx.hints),
                reason=exc.kind,
            )
        seconds = time.perf_counter() - started
        return ProviderCheck(info.name, model, True, "".join(parts), seconds, *usage)

    def _info_and_settings(self, ref: str) -> tuple[ProviderInfo, ProviderSettings]:
        info = self.get(ref)
        return info, self.settings_for(info)

    def _key_for(self, info: ProviderInfo) -> str | None:
        if info.key_env:
            value = os.environ.get(info.key_env, "").strip()
            if not value:
                raise ValidationError(
                    f"Provider {info.name!r} takes its key from ${info.key_env}, which is not "
                    f"set. Set it (`export {info.key_env}=...`) or change the provider.",
                    "key",
                )
            return value
        if info.key_nickname:
            key_id = next(
                (
                    k.id
                    for k in self.api_keys.list()
                    if k.provider == info.name and k.nickname == info.key_nickname
                ),
                None,
            )
            resolved = self.api_keys.resolve(info.name, key_id) if key_id else None
            if resolved is None or resolved.key_id is None:
                raise ValidationError(
                    f"Provider {info.name!r} uses the key {info.key_nickname!r}, which is not "
                    f"stored (or was revoked). Add it "
                    + self.ctx.hints.say(
                        "add_key", provider=info.name, options=f" --nickname {info.key_nickname}"
                    )
                    + ".",
                    "key",
                )
            return resolved.secret
        resolved = self.api_keys.resolve(info.name)
        if resolved is not None:
            return resolved.secret
        host = (urlsplit(info.base_url).hostname or "").lower()
        conventional = KEYED_HOSTS.get(host) or (
            "ANTHROPIC_API_KEY" if info.kind == "anthropic" else None
        )
        if conventional and os.environ.get(conventional, "").strip():
            return os.environ[conventional].strip()
        if conventional and not info.is_local:
            raise ValidationError(
                f"Provider {info.name!r} needs an API key: add one "
                f"{self.ctx.hints.say('add_key', provider=info.name, options='')}, or set "
                f"${env_var_for(info.name)} or ${conventional}.",
                "key",
            )
        return None  # a local or self-hosted server: try without; a 401 says if it needs one

    def _lookup(self, session: Session, name: str) -> ProviderEntry | None:
        stmt = select(ProviderEntry).where(
            ProviderEntry.user_id == self.ctx.user_id, ProviderEntry.name == name
        )
        return session.exec(stmt).first()

    def _find(self, session: Session, ref: str | uuid.UUID) -> ProviderEntry:
        entry = None
        with contextlib.suppress(ValueError):
            entry = session.get(ProviderEntry, uuid.UUID(str(ref)))
        if entry is None or entry.user_id != self.ctx.user_id:
            entry = self._lookup(session, str(ref))
        if entry is None:
            raise NotFound(
                f"You have no provider named {str(ref)!r}: {self.ctx.hints.say('list_providers')}."
            )
        return entry
