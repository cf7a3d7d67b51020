"""One object that opens the database and hands out every service for the acting user."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from promptterm.db.engine import Database, create_database
from promptterm.db.migrate import ensure_schema
from promptterm.services.activity import ActivityService
from promptterm.services.billing import BillingService
from promptterm.services.chat import (
    ApiKeyService,
    ChatDraftService,
    ChatExportService,
    ChatImportService,
    ChatSearchService,
    ChatSendService,
    ChatService,
    PricingService,
    ProviderService,
)
from promptterm.services.context import ServiceContext, system_clock
from promptterm.services.files import (
    DiskSyncService,
    EditorSessionService,
    FileIndexService,
    FileService,
)
from promptterm.services.library import (
    ComponentService,
    LibraryIOService,
    PresetService,
    PromptEditor,
    PromptService,
    PromptUsageService,
)
from promptterm.services.workspaces import (
    ProjectService,
    UserInfo,
    WorkspaceService,
    bootstrap_user,
)


class Services:
    """The service layer for one user: what the screens and the CLI call, and nothing else."""

    def __init__(
        self, ctx: ServiceContext, user: UserInfo, pricing: PricingService | None = None
    ) -> None:
        self.ctx = ctx
        self.user = user
        self.workspaces = WorkspaceService(ctx)
        self.projects = ProjectService(ctx)
        self.files = FileService(ctx)
        self.file_index = FileIndexService(ctx)
        self.disk_sync = DiskSyncService(ctx)
        self.editor_sessions = EditorSessionService(ctx)
        self.chat = ChatService(ctx)
        self.chat_search = ChatSearchService(ctx)
        self.chat_drafts = ChatDraftService(ctx)
        self.chat_export = ChatExportService(ctx)
        self.chat_import = ChatImportService(ctx)
        self.components = ComponentService(ctx)
        self.presets = PresetService(ctx)
        self.prompts = PromptService(ctx)
        self.prompt_edits = PromptEditor(ctx)
        self.prompt_usage = PromptUsageService(ctx)
        self.library_io = LibraryIOService(
            ctx, components=self.components, presets=self.presets, prompts=self.prompts
        )
        self.billing = BillingService(ctx)
        self.api_keys = ApiKeyService(ctx)
        self.providers = ProviderService(ctx, self.api_keys)
        # Injected by tests (a pinned table); by default genai-prices and the config's [prices].
        self.pricing = pricing if pricing is not None else PricingService()
        self.chat_send = ChatSendService(
            ctx,
            chat=self.chat,
            presets=self.presets,
            billing=self.billing,
            providers=self.providers,
            pricing=self.pricing,
        )
        # Every provider call is logged, off the caller's path (services/activity).
        self.activity = ActivityService(ctx)
        self.chat_send.call_log = self.activity.record_call_later
        self.providers.call_log = self.activity.record_call_later

    @classmethod
    def for_database(
        cls,
        db: Database,
        *,
        clock: Callable[[], datetime] = system_clock,
        new_id: Callable[[], uuid.UUID] = uuid.uuid4,
        migrate: bool = True,
        pricing: PricingService | None = None,
    ) -> Services:
        if migrate:
            ensure_schema(db)
        user = bootstrap_user(db, clock(), new_id())
        ctx = ServiceContext(db=db, user_id=user.id, clock=clock, new_id=new_id)
        return cls(ctx, user, pricing)

    @classmethod
    def open(
        cls,
        database_url: str,
        *,
        clock: Callable[[], datetime] = system_clock,
        new_id: Callable[[], uuid.UUID] = uuid.uuid4,
        pricing: PricingService | None = None,
    ) -> Services:
        """Open (creating or upgrading) the database at ``database_url``.

        Raises DatabaseUnavailable with a message that says what to do when it cannot
        (no grants, a newer schema, a full disk: db/setup_errors.py).
        """
        from sqlalchemy.exc import DBAPIError

        from promptterm.db.errors import DatabaseUnavailable
        from promptterm.db.setup_errors import explain

        db = create_database(database_url)
        try:
            return cls.for_database(db, clock=clock, new_id=new_id, pricing=pricing)
        except DBAPIError as exc:
            words = explain(exc, db.url)
            db.dispose()
            if words is None:
                raise
            raise DatabaseUnavailable(words) from exc
        except BaseException:
            db.dispose()
            raise

    def as_user(self, user_id: uuid.UUID) -> Services:
        """The same database acting as another user (team mode, tests)."""
        from promptterm.services.workspaces import get_user, user_info

        with self.ctx.db.session() as session:
            user = user_info(get_user(session, user_id))
        ctx = ServiceContext(
            db=self.ctx.db,
            user_id=user_id,
            clock=self.ctx.clock,
            new_id=self.ctx.new_id,
            hints=self.ctx.hints,
        )
        return Services(ctx, user, self.pricing)

    @property
    def read_only(self) -> str | None:
        """Words saying the database can only be read (a read-only data folder), else None."""
        return self.ctx.db.read_only

    def close(self) -> None:
        self.activity.flush(timeout=5)  # what a command logged is written before it exits
        self.ctx.db.dispose()
