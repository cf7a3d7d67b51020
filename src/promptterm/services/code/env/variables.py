"""A project's environment variables (seed 002 ``environment_variables``), applied to runs.

Names and plain values are kept in the database; a secret's value only in the OS keyring of
the person who set it, so it never reaches the database, a log, an export or a screen (a
listing shows ``••••``, a run's output has it masked). Anyone in the workspace reads the
names; an owner, admin or member edits them (the same rule as row-level security, 0022).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from promptterm.db.models import Project, ProjectEnvVar
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, SecretStoreUnavailable, ValidationError
from promptterm.services.validation import plain
from promptterm.services.workspaces import require_role

KEYRING_SERVICE = "promptterm"
MASKED = "••••"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
NO_KEYRING_HELP = (
    "No OS keyring is available here (common over SSH), so a secret value cannot be kept. "
    "Install and configure a keyring backend (for example the `keyrings.alt` package), or "
    "set the variable without --secret if it is not one."
)


@dataclass(frozen=True)
class EnvVarInfo:
    key: str
    is_secret: bool
    value: str | None  # the plain value; None for a secret (never shown)
    updated_at: datetime

    @property
    def shown(self) -> str:
        return MASKED if self.is_secret else (self.value or "")


@dataclass(frozen=True)
class ResolvedEnv:
    values: dict[str, str]  # to add to a run's environment
    secrets: tuple[str, ...]  # the values to mask in its output
    missing: tuple[str, ...]  # secrets with no value in this keyring


class EnvService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, project_id: uuid.UUID) -> list[EnvVarInfo]:
        with self.ctx.db.session() as session:
            self._project(session, project_id, "viewer", "see its variables")
            rows = session.exec(
                select(ProjectEnvVar)
                .where(ProjectEnvVar.project_id == project_id)
                .order_by(col(ProjectEnvVar.key))
            ).all()
            return [_info(row) for row in rows]

    def set(self, project_id: uuid.UUID, key: str, value: str, *, secret: bool) -> EnvVarInfo:
        key = _clean_key(key)
        if not secret:
            value = plain(value, "value", "The value")
        elif not value:
            raise ValidationError("A secret needs a value; nothing was given.", "value")
        now = self.ctx.now()
        with self.ctx.db.session() as session:
            self._project(session, project_id, "member", "change its variables")
            row = self._row(session, project_id, key)
            was_secret = row is not None and row.is_secret
            if row is None:
                row = ProjectEnvVar(
                    id=self.ctx.new_id(),
                    project_id=project_id,
                    key=key,
                    created_by=self.ctx.user_id,
                    created_at=now,
                )
            row.is_secret = secret
            row.value = None if secret else value
            row.updated_at = now
            session.add(row)
            session.flush()
            # The secret is written last: a keyring that refuses rolls the row back.
            if secret:
                _keyring("set_password", project_id, key, value)
            elif was_secret:
                _keyring("delete_password", project_id, key)
            return _info(row)

    def remove(self, project_id: uuid.UUID, key: str) -> None:
        with self.ctx.db.session() as session:
            self._project(session, project_id, "member", "change its variables")
            row = self._row(session, project_id, key)
            if row is None:
                raise NotFound(f"The project has no variable {key!r}.")
            session.delete(row)
            session.flush()
            if row.is_secret:
                _keyring("delete_password", project_id, key)

    def resolve(self, project_id: uuid.UUID) -> ResolvedEnv:
        """Every variable with its value, for a run; secrets read from the keyring."""
        values: dict[str, str] = {}
        secrets: list[str] = []
        missing: list[str] = []
        for var in self.list(project_id):
            if not var.is_secret:
                values[var.key] = var.value or ""
                continue
            secret = _keyring("get_password", project_id, var.key)
            if secret:
                values[var.key] = secret
                secrets.append(secret)
            else:
                missing.append(var.key)
        return ResolvedEnv(values, tuple(secrets), tuple(missing))

    def _row(self, session: Session, project_id: uuid.UUID, key: str) -> ProjectEnvVar | None:
        return session.exec(
            select(ProjectEnvVar).where(
                ProjectEnvVar.project_id == project_id, ProjectEnvVar.key == key
            )
        ).first()

    def _project(
        self, session: Session, project_id: uuid.UUID, minimum: str, action: str
    ) -> Project:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound("That project does not exist or you cannot see it.")
        require_role(session, project.workspace_id, self.ctx.user_id, minimum, action)
        return project


def _clean_key(key: str) -> str:
    key = key.strip()
    if not _NAME.fullmatch(key):
        raise ValidationError(
            f"{key[:40]!r} is not a variable name: use letters, digits and _, not starting "
            "with a digit (e.g. DATABASE_URL).",
            "key",
        )
    return key


def _keyring(action: str, project_id: uuid.UUID, key: str, *args: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

    try:
        return getattr(keyring, action)(KEYRING_SERVICE, f"env:{project_id}:{key}", *args)
    except PasswordDeleteError:
        return None
    except NoKeyringError as exc:
        raise SecretStoreUnavailable(NO_KEYRING_HELP) from exc
    except KeyringError as exc:
        # The keyring's own message may echo the value: never passed on.
        raise SecretStoreUnavailable(
            f"The OS keyring refused the request ({type(exc).__name__}). {NO_KEYRING_HELP}"
        ) from exc


def _info(row: ProjectEnvVar) -> EnvVarInfo:
    return EnvVarInfo(
        key=row.key, is_secret=row.is_secret, value=row.value, updated_at=row.updated_at
    )
