"""Every table, importable from one place (Alembic's env reads SQLModel.metadata from here)."""

from promptterm.db.models.activity import ActivityEntry
from promptterm.db.models.billing import (
    ApiKey,
    Invoice,
    Payment,
    Subscription,
    SubscriptionPlan,
    UsageRecord,
)
from promptterm.db.models.chat import Conversation, Message
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
from promptterm.db.models.providers import ProviderEntry

__all__ = [
    "ActivityEntry",
    "ApiKey",
    "ChatDraft",
    "Component",
    "ComponentVersion",
    "Conversation",
    "EditorSession",
    "File",
    "FileVersion",
    "Invoice",
    "Message",
    "ModuleOption",
    "Payment",
    "Preset",
    "Project",
    "Prompt",
    "PromptFolder",
    "PromptModule",
    "PromptTag",
    "PromptUse",
    "PromptVariable",
    "PromptVersion",
    "ProviderEntry",
    "Subscription",
    "SubscriptionPlan",
    "UsageRecord",
    "User",
    "Workspace",
    "WorkspaceMember",
]
