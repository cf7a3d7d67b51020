"""Chat: threads and their messages, sending a message and streaming the answer, search and
export; the user's providers with their API keys, and what a call costs.

The face other domains import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.chat.api_keys import ApiKeyService as ApiKeyService
    from promptterm.services.chat.api_keys import KeyInfo as KeyInfo
    from promptterm.services.chat.call_log import endpoint as endpoint
    from promptterm.services.chat.drafts import ChatDraftService as ChatDraftService
    from promptterm.services.chat.export import ChatExportService as ChatExportService
    from promptterm.services.chat.importers.model import IMPORT_SOURCES as IMPORT_SOURCES
    from promptterm.services.chat.importers.service import (
        ChatImportService as ChatImportService,
    )
    from promptterm.services.chat.importers.service import ImportedThread as ImportedThread
    from promptterm.services.chat.importers.service import ImportReport as ImportReport
    from promptterm.services.chat.lean_reads import lean_export_json as lean_export_json
    from promptterm.services.chat.lean_reads import lean_message_count as lean_message_count
    from promptterm.services.chat.lean_reads import lean_messages as lean_messages
    from promptterm.services.chat.lean_reads import lean_provider_list as lean_provider_list
    from promptterm.services.chat.lean_reads import lean_thread as lean_thread
    from promptterm.services.chat.lean_reads import lean_thread_list as lean_thread_list
    from promptterm.services.chat.pending import (
        has_interrupted_answers as has_interrupted_answers,
    )
    from promptterm.services.chat.pricing import PriceQuote as PriceQuote
    from promptterm.services.chat.pricing import PricingService as PricingService
    from promptterm.services.chat.provider_rules import (
        explain_provider_error as explain_provider_error,
    )
    from promptterm.services.chat.providers import ProviderCheck as ProviderCheck
    from promptterm.services.chat.providers import ProviderInfo as ProviderInfo
    from promptterm.services.chat.providers import ProviderService as ProviderService
    from promptterm.services.chat.search import ChatSearchService as ChatSearchService
    from promptterm.services.chat.search import SearchHit as SearchHit
    from promptterm.services.chat.search import make_snippet as make_snippet
    from promptterm.services.chat.search import parse_query as parse_query
    from promptterm.services.chat.send import ChatSendService as ChatSendService
    from promptterm.services.chat.stream import CancelToken as CancelToken
    from promptterm.services.chat.stream import SendDelta as SendDelta
    from promptterm.services.chat.stream import SendFinished as SendFinished
    from promptterm.services.chat.stream import SendResult as SendResult
    from promptterm.services.chat.stream import SendRetrying as SendRetrying
    from promptterm.services.chat.stream import SendStarted as SendStarted
    from promptterm.services.chat.stream import final_usage as final_usage
    from promptterm.services.chat.threads import ChatService as ChatService
    from promptterm.services.chat.threads import MessageInfo as MessageInfo
    from promptterm.services.chat.threads import PresetChange as PresetChange
    from promptterm.services.chat.threads import ThreadInfo as ThreadInfo
    from promptterm.services.chat.threads import ThreadTotals as ThreadTotals
    from promptterm.services.chat.tools.events import ToolCallAnswered as ToolCallAnswered
    from promptterm.services.chat.tools.events import ToolCallAsked as ToolCallAsked
    from promptterm.services.chat.tools.events import ToolCallRunning as ToolCallRunning
    from promptterm.services.chat.tools.events import ToolRoundEnded as ToolRoundEnded
    from promptterm.services.chat.tools.loop import Approver as Approver
    from promptterm.services.chat.tools.registry import ToolResolver as ToolResolver
    from promptterm.services.chat.tools.registry import check_refs as check_refs
    from promptterm.services.chat.tools.registry import resolve_tools as resolve_tools
    from promptterm.services.chat.tools.registry import set_tool_resolver as set_tool_resolver
    from promptterm.services.chat.tools.settings import ThreadTools as ThreadTools
    from promptterm.services.chat.tools.settings import (
        ThreadToolSettings as ThreadToolSettings,
    )
    from promptterm.services.chat.tools.source import Decision as Decision
    from promptterm.services.chat.tools.source import ToolRequest as ToolRequest
    from promptterm.services.chat.tools.source import ToolResult as ToolResult
    from promptterm.services.chat.tools.source import ToolSource as ToolSource
    from promptterm.services.chat.tools.source import ToolSpec as ToolSpec

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "threads": ("ChatService", "ThreadInfo", "MessageInfo", "ThreadTotals", "PresetChange"),
        "send": ("ChatSendService",),
        # Asked by every start before the send stack is loaded.
        "pending": ("has_interrupted_answers",),
        # The CLI's `chat list|show` and `provider list` without SQLAlchemy (db/lean.py).
        "lean_reads": (
            "lean_thread_list",
            "lean_thread",
            "lean_message_count",
            "lean_messages",
            "lean_export_json",
            "lean_provider_list",
        ),
        "stream": (
            "SendStarted",
            "SendDelta",
            "SendRetrying",
            "SendResult",
            "SendFinished",
            "CancelToken",
            "final_usage",
        ),
        "search": ("ChatSearchService", "SearchHit", "make_snippet", "parse_query"),
        "export": ("ChatExportService",),
        "importers.service": ("ChatImportService", "ImportReport", "ImportedThread"),
        "importers.model": ("IMPORT_SOURCES",),
        "providers": ("ProviderService", "ProviderInfo", "ProviderCheck"),
        "pricing": ("PricingService", "PriceQuote"),
        "provider_rules": ("explain_provider_error",),
        "api_keys": ("ApiKeyService", "KeyInfo"),
        "drafts": ("ChatDraftService",),
        # The URL a provider's client calls, as the activity log names it (code's AI jobs too).
        "call_log": ("endpoint",),
        "tools.source": ("ToolSource", "ToolSpec", "ToolResult", "ToolRequest", "Decision"),
        "tools.registry": ("set_tool_resolver", "resolve_tools", "check_refs", "ToolResolver"),
        "tools.settings": ("ThreadTools", "ThreadToolSettings"),
        "tools.loop": ("Approver",),
        "tools.events": ("ToolRoundEnded", "ToolCallAsked", "ToolCallRunning", "ToolCallAnswered"),
    },
)
