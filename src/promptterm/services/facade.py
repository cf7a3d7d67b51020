"""One object that opens the database and hands out every service for the acting user."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from promptterm.db.engine import Database, create_database
from promptterm.db.migrate import ensure_schema
from promptterm.services.context import ServiceContext, system_clock
from promptterm.services.workspaces import UserInfo, bootstrap_user

if TYPE_CHECKING:
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
    from promptterm.services.workspaces import ProjectService, WorkspaceService

if TYPE_CHECKING:
    from promptterm.services.activity import ActivityService
    from promptterm.services.billing import StatementService
    from promptterm.services.catalog import (
        CartService,
        CatalogFolderService,
        CatalogService,
        ReviewService,
        SellerService,
    )
    from promptterm.services.code import AiJobService, ChangeService, EnvService, RunService
    from promptterm.services.mcp import McpService
    from promptterm.services.plan import (
        CustomerService,
        FlowService,
        NoteService,
        PlanLinkService,
        PlanService,
        PrdService,
        TaskProposer,
    )


class Services:
    """The service layer for one user: what the screens and the CLI call, and nothing else."""

    def __init__(
        self, ctx: ServiceContext, user: UserInfo, pricing: PricingService | None = None
    ) -> None:
        self.ctx = ctx
        self.user = user
        # Injected by tests (a pinned table); by default genai-prices and the config's [prices].
        self._pricing = pricing

    # Each service is made, and its domain's modules imported, on first use: a command that
    # lists workspaces loads the workspace code and tables it needs, not the chat stack
    # (docs/architecture.md, Start-up). A new service is one more cached_property here.

    @cached_property
    def workspaces(self) -> WorkspaceService:
        from promptterm.services.workspaces import WorkspaceService

        return WorkspaceService(self.ctx)

    @cached_property
    def projects(self) -> ProjectService:
        from promptterm.services.workspaces import ProjectService

        return ProjectService(self.ctx)

    @cached_property
    def files(self) -> FileService:
        from promptterm.services.files import FileService

        return FileService(self.ctx)

    @cached_property
    def file_index(self) -> FileIndexService:
        from promptterm.services.files import FileIndexService

        return FileIndexService(self.ctx)

    @cached_property
    def disk_sync(self) -> DiskSyncService:
        from promptterm.services.files import DiskSyncService

        return DiskSyncService(self.ctx)

    @cached_property
    def editor_sessions(self) -> EditorSessionService:
        from promptterm.services.files import EditorSessionService

        return EditorSessionService(self.ctx)

    @cached_property
    def chat(self) -> ChatService:
        from promptterm.services.chat import ChatService

        return ChatService(self.ctx)

    @cached_property
    def chat_search(self) -> ChatSearchService:
        from promptterm.services.chat import ChatSearchService

        return ChatSearchService(self.ctx)

    @cached_property
    def chat_drafts(self) -> ChatDraftService:
        from promptterm.services.chat import ChatDraftService

        return ChatDraftService(self.ctx)

    @cached_property
    def chat_export(self) -> ChatExportService:
        from promptterm.services.chat import ChatExportService

        return ChatExportService(self.ctx)

    @cached_property
    def chat_import(self) -> ChatImportService:
        from promptterm.services.chat import ChatImportService

        return ChatImportService(self.ctx)

    @cached_property
    def components(self) -> ComponentService:
        from promptterm.services.library import ComponentService

        return ComponentService(self.ctx)

    @cached_property
    def presets(self) -> PresetService:
        from promptterm.services.library import PresetService

        return PresetService(self.ctx)

    @cached_property
    def prompts(self) -> PromptService:
        from promptterm.services.library import PromptService

        return PromptService(self.ctx)

    @cached_property
    def prompt_edits(self) -> PromptEditor:
        from promptterm.services.library import PromptEditor

        return PromptEditor(self.ctx)

    @cached_property
    def prompt_usage(self) -> PromptUsageService:
        from promptterm.services.library import PromptUsageService

        return PromptUsageService(self.ctx)

    @cached_property
    def library_io(self) -> LibraryIOService:
        from promptterm.services.library import LibraryIOService

        return LibraryIOService(
            self.ctx, components=self.components, presets=self.presets, prompts=self.prompts
        )

    @cached_property
    def billing(self) -> BillingService:
        from promptterm.services.billing import BillingService

        return BillingService(self.ctx)

    @cached_property
    def statements(self) -> StatementService:
        from promptterm.services.billing import StatementService

        return StatementService(self.ctx)

    @cached_property
    def env(self) -> EnvService:
        from promptterm.services.code import EnvService

        return EnvService(self.ctx)

    @cached_property
    def runs(self) -> RunService:
        from promptterm.services.code import RunService

        return RunService(self.ctx, self.env)

    @cached_property
    def api_keys(self) -> ApiKeyService:
        from promptterm.services.chat import ApiKeyService

        return ApiKeyService(self.ctx)

    @cached_property
    def providers(self) -> ProviderService:
        from promptterm.services.chat import ProviderService

        service = ProviderService(self.ctx, self.api_keys)
        service.call_log = self.activity.record_call_later  # model listings are logged too
        return service

    @cached_property
    def pricing(self) -> PricingService:
        if self._pricing is not None:
            return self._pricing
        from promptterm.services.chat import PricingService

        return PricingService()

    @cached_property
    def chat_send(self) -> ChatSendService:
        from promptterm.services.chat import ChatSendService

        service = ChatSendService(
            self.ctx,
            chat=self.chat,
            presets=self.presets,
            billing=self.billing,
            providers=self.providers,
            pricing=self.pricing,
        )
        # Every provider call is logged, off the caller's path (services/activity).
        service.call_log = self.activity.record_call_later
        return service

    @cached_property
    def activity(self) -> ActivityService:
        from promptterm.services.activity import ActivityService

        return ActivityService(self.ctx)

    @cached_property
    def ai_jobs(self) -> AiJobService:
        from promptterm.services.code import AiJobService

        service = AiJobService(
            self.ctx,
            files=self.files,
            presets=self.presets,
            billing=self.billing,
            providers=self.providers,
            pricing=self.pricing,
        )
        service.runner.call_log = self.activity.record_call_later  # logged as chat's calls
        return service

    @cached_property
    def ai_changes(self) -> ChangeService:
        from promptterm.services.code import ChangeService

        return ChangeService(self.ctx, jobs=self.ai_jobs, files=self.files)

    @cached_property
    def catalog(self) -> CatalogService:
        from promptterm.services.catalog import CatalogService

        return CatalogService(self.ctx)

    @cached_property
    def catalog_cart(self) -> CartService:
        from promptterm.services.catalog import CartService

        return CartService(self.ctx)

    @cached_property
    def catalog_reviews(self) -> ReviewService:
        from promptterm.services.catalog import ReviewService

        return ReviewService(self.ctx)

    @cached_property
    def sellers(self) -> SellerService:
        from promptterm.services.catalog import SellerService

        return SellerService(self.ctx)

    @cached_property
    def catalog_folder(self) -> CatalogFolderService:
        from promptterm.services.catalog import CatalogFolderService

        return CatalogFolderService(self.ctx)

    # The plan domain loads when first asked for: most commands and screens never use it.
    @cached_property
    def plan(self) -> PlanService:
        from promptterm.services.plan import PlanService

        return PlanService(self.ctx)

    @cached_property
    def plan_links(self) -> PlanLinkService:
        from promptterm.services.plan import PlanLinkService

        return PlanLinkService(self.ctx)

    @cached_property
    def notes(self) -> NoteService:
        from promptterm.services.plan import NoteService

        return NoteService(self.ctx)

    @cached_property
    def prd(self) -> PrdService:
        from promptterm.services.plan import PrdService

        return PrdService(self.ctx)

    @cached_property
    def customers(self) -> CustomerService:
        from promptterm.services.plan import CustomerService

        return CustomerService(self.ctx)

    @cached_property
    def propose_tasks(self) -> TaskProposer:
        """Tasks proposed by the project's model, through chat's send (checks, metering)."""
        from promptterm.services.plan import TaskProposer

        return TaskProposer(self.ctx, chat=self.chat, chat_send=self.chat_send)

    @cached_property
    def flows(self) -> FlowService:
        from promptterm.services.plan import FlowService

        return FlowService(self.ctx)

    @cached_property
    def mcp(self) -> McpService:
        """MCP servers, loaded on first use: a command that never touches them pays nothing."""
        from promptterm.services.mcp import McpService

        return McpService(self.ctx)

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
        return Services(ctx, user, self.__dict__.get("pricing", self._pricing))

    @property
    def read_only(self) -> str | None:
        """Words saying the database can only be read (a read-only data folder), else None."""
        return self.ctx.db.read_only

    def close(self) -> None:
        if "activity" in self.__dict__:  # made on first use: nothing logged, nothing to wait for
            self.activity.flush(timeout=5)  # what a command logged is written before it exits
        self.ctx.db.dispose()
