"""Provider API keys: the secret in the OS keyring, only metadata in the database.

Environment variables (OPENAI_API_KEY, ANTHROPIC_API_KEY, ...) work too and need no keyring,
which is the documented way on an SSH box that has no keyring service.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from promptterm.db.models import ApiKey
from promptterm.services.context import ServiceContext
from promptterm.services.errors import Conflict, NotFound, SecretStoreUnavailable, ValidationError
from promptterm.services.validation import clean_name

KEYRING_SERVICE = "promptterm"
ENV_VARS = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
}
NO_KEYRING_HELP = (
    "No OS keyring is available here (common over SSH). Set the key in the environment "
    "instead, e.g. `export {env}=...` in your shell profile, or install and configure a "
    "keyring backend (for example the `keyrings.alt` package) and try again."
)


@dataclass(frozen=True)
class KeyInfo:
    id: uuid.UUID
    provider: str
    nickname: str
    last_used_at: datetime | None
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class ResolvedKey:
    secret: str
    source: str  # "keyring" or the environment variable's name
    key_id: uuid.UUID | None


def env_var_for(provider: str) -> str:
    return ENV_VARS.get(provider, f"{provider.upper().replace('-', '_')}_API_KEY")


def _keyring_username(key_id: uuid.UUID) -> str:
    return f"api-key:{key_id}"


class ApiKeyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, *, include_revoked: bool = False) -> list[KeyInfo]:
        stmt = select(ApiKey).where(ApiKey.user_id == self.ctx.user_id)
        if not include_revoked:
            stmt = stmt.where(col(ApiKey.revoked_at).is_(None))
        stmt = stmt.order_by(col(ApiKey.provider), col(ApiKey.nickname))
        with self.ctx.db.session() as session:
            return [_info(k) for k in session.exec(stmt).all()]

    def add(self, provider: str, nickname: str, secret: str) -> KeyInfo:
        provider = clean_name(provider, "provider", label="Provider", min_len=1, max_len=64)
        nickname = clean_name(nickname, "nickname", label="Nickname", min_len=1, max_len=255)
        secret = secret.strip()
        if len(secret) < 8 or any(c.isspace() for c in secret):
            raise ValidationError(
                "That does not look like an API key (too short or contains spaces).", "secret"
            )
        now = self.ctx.now()
        key = ApiKey(
            id=self.ctx.new_id(),
            user_id=self.ctx.user_id,
            provider=provider,
            nickname=nickname,
            created_at=now,
        )
        with self.ctx.db.session() as session:
            self._check_nickname_free(session, provider, nickname)
            session.add(key)
            try:
                session.flush()
            except IntegrityError as exc:
                raise Conflict(f"You already have a {provider} key called {nickname!r}.") from exc
            # The secret is written last: if the keyring refuses, the session rolls back and
            # no metadata row points at a secret that is not there.
            _keyring_call("set_password", provider, key.id, secret)
            return _info(key)

    def rename(self, key_id: uuid.UUID, nickname: str) -> KeyInfo:
        nickname = clean_name(nickname, "nickname", label="Nickname", min_len=1, max_len=255)
        with self.ctx.db.session() as session:
            key = self._own(session, key_id)
            self._check_nickname_free(session, key.provider, nickname, key.id)
            key.nickname = nickname
            session.add(key)
            return _info(key)

    def revoke(self, key_id: uuid.UUID) -> KeyInfo:
        """Forget the secret (from the keyring) and keep the metadata, marked revoked."""
        with self.ctx.db.session() as session:
            key = self._own(session, key_id)
            if key.revoked_at is None:
                key.revoked_at = self.ctx.now()
                session.add(key)
                session.flush()
                _keyring_call("delete_password", key.provider, key.id)
            return _info(key)

    def resolve(self, provider: str, key_id: uuid.UUID | None = None) -> ResolvedKey | None:
        """The secret to use for ``provider``: a named key, else the newest stored key, else
        the provider's environment variable; None when there is none at all."""
        with self.ctx.db.session() as session:
            stmt = select(ApiKey).where(
                ApiKey.user_id == self.ctx.user_id,
                ApiKey.provider == provider,
                col(ApiKey.revoked_at).is_(None),
            )
            if key_id is not None:
                stmt = stmt.where(ApiKey.id == key_id)
            key = session.exec(stmt.order_by(col(ApiKey.created_at).desc())).first()
            if key is not None:
                secret = _keyring_call("get_password", provider, key.id)
                if secret:
                    key.last_used_at = self.ctx.now()
                    session.add(key)
                    return ResolvedKey(secret=secret, source="keyring", key_id=key.id)
        env = env_var_for(provider)
        value = os.environ.get(env, "").strip()
        if value:
            return ResolvedKey(secret=value, source=env, key_id=None)
        return None

    def _own(self, session: Session, key_id: uuid.UUID) -> ApiKey:
        key = session.get(ApiKey, key_id)
        if key is None or key.user_id != self.ctx.user_id:
            raise NotFound("That API key does not exist.")
        return key

    def _check_nickname_free(
        self,
        session: Session,
        provider: str,
        nickname: str,
        except_id: uuid.UUID | None = None,
    ) -> None:
        found = session.exec(
            select(ApiKey.id).where(
                ApiKey.user_id == self.ctx.user_id,
                ApiKey.provider == provider,
                ApiKey.nickname == nickname,
            )
        ).first()
        if found is not None and found != except_id:
            raise Conflict(f"You already have a {provider} key called {nickname!r}.")


def _keyring_call(action: str, provider: str, key_id: uuid.UUID, *args: str) -> str | None:
    # keyring discovers its backends at import time: imported here, not at start-up.
    import keyring
    from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

    try:
        return getattr(keyring, action)(KEYRING_SERVICE, _keyring_username(key_id), *args)
    except PasswordDeleteError:
        return None  # already gone: revoking twice is not an error
    except NoKeyringError as exc:
        raise SecretStoreUnavailable(NO_KEYRING_HELP.format(env=env_var_for(provider))) from exc
    except KeyringError as exc:
        # The keyring's message can echo what it was given; never pass it on with a secret.
        raise SecretStoreUnavailable(
            f"The OS keyring refused the request ({type(exc).__name__}). "
            + NO_KEYRING_HELP.format(env=env_var_for(provider))
        ) from exc


def _info(k: ApiKey) -> KeyInfo:
    return KeyInfo(
        id=k.id,
        provider=k.provider,
        nickname=k.nickname,
        last_used_at=k.last_used_at,
        created_at=k.created_at,
        revoked_at=k.revoked_at,
    )
