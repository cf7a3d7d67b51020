"""Every table, importable from one place (Alembic's env reads SQLModel.metadata from here)."""

from promptterm.db.models.activity import ActivityEntry
from promptterm.db.models.billing import (
    ApiKey,
    Invoice,
    InvoiceLine,
    Payment,
    Subscription,
    SubscriptionPlan,
    UsageRecord,
)
from promptterm.db.models.catalog import (
    CatalogCartEntry,
    CatalogContent,
    CatalogDownload,
    CatalogItem,
    CatalogOrder,
    CatalogProfile,
    CatalogPurchase,
    CatalogReview,
    CatalogTag,
    CatalogView,
    SellerApplication,
)
from promptterm.db.models.chat import Conversation, Message
from promptterm.db.models.code import CodeRun, ProjectEnvVar
from promptterm.db.models.code_ai import AiJob, CodeAnalysis
from promptterm.db.models.drafts import ChatDraft
from promptterm.db.models.files import EditorSession, File, FileVersion
from promptterm.db.models.identity import Project, User, Workspace, WorkspaceMember
from promptterm.db.models.library import (
    Component,
    ComponentVersion,
    ModuleOption,
    Preset,
    Prompt,
    PromptFolder,
    PromptModule,
    PromptTag,
    PromptUse,
    PromptVariable,
    PromptVersion,
)
from promptterm.db.models.mcp import McpCheck, McpServer
from promptterm.db.models.plan import PlanItem, PlanLink
from promptterm.db.models.plan_docs import PlanCustomer, PlanDocVersion, PlanNote, PlanPrd
from promptterm.db.models.plan_flows import FlowConnection, FlowPage
from promptterm.db.models.providers import ProviderEntry

__all__ = [
    "ActivityEntry",
    "AiJob",
    "ApiKey",
    "CatalogCartEntry",
    "CatalogContent",
    "CatalogDownload",
    "CatalogItem",
    "CatalogOrder",
    "CatalogProfile",
    "CatalogPurchase",
    "CatalogReview",
    "CatalogTag",
    "CatalogView",
    "ChatDraft",
    "CodeAnalysis",
    "CodeRun",
    "Component",
    "ComponentVersion",
    "Conversation",
    "EditorSession",
    "File",
    "FileVersion",
    "FlowConnection",
    "FlowPage",
    "Invoice",
    "InvoiceLine",
    "McpCheck",
    "McpServer",
    "Message",
    "ModuleOption",
    "Payment",
    "PlanCustomer",
    "PlanDocVersion",
    "PlanItem",
    "PlanLink",
    "PlanNote",
    "PlanPrd",
    "Preset",
    "Project",
    "ProjectEnvVar",
    "Prompt",
    "PromptFolder",
    "PromptModule",
    "PromptTag",
    "PromptUse",
    "PromptVariable",
    "PromptVersion",
    "ProviderEntry",
    "SellerApplication",
    "Subscription",
    "SubscriptionPlan",
    "UsageRecord",
    "User",
    "Workspace",
    "WorkspaceMember",
]
