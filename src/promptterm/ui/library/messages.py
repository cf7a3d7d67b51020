"""What the library's workers post back to the screen (workers never touch widgets)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from promptterm.services.billing.service import UsageSummary
    from promptterm.services.library.components import ComponentInfo, ComponentSummary
    from promptterm.services.library.presets import ComposedPrompt, PresetInfo
    from promptterm.services.library.prompt_sharing import SharedPrompt
    from promptterm.services.library.prompts import FolderInfo, PromptInfo, PromptSummary


@dataclass
class LimitsLoaded(Message):
    summary: UsageSummary
    read: int = 0  # its number in LibraryComponents.reads[...] (an older read is not shown)


@dataclass
class ComponentsLoaded(Message):
    groups: dict[str, list[ComponentSummary]]  # type -> one page, in the chosen order
    counts: dict[str, int]  # type -> how many match (the page may show fewer)
    read: int = 0  # its number in LibraryComponents.reads[...] (an older read is not shown)


@dataclass
class ComponentLoaded(Message):
    component: ComponentInfo
    read: int = 0  # its number in reads["component"] (an older read is not shown)


@dataclass
class PresetsLoaded(Message):
    presets: list[PresetInfo]
    read: int = 0  # its number in LibraryComponents.reads[...] (an older read is not shown)


@dataclass
class PresetComposed(Message):
    preset: PresetInfo
    composed: ComposedPrompt


@dataclass
class PromptsLoaded(Message):
    folders: list[FolderInfo]
    prompts: list[PromptSummary]
    shared: list[SharedPrompt] = field(default_factory=list)  # others', shared with me
    read: int = 0  # its number in LibraryComponents.reads[...] (an older read is not shown)


@dataclass
class PromptLoaded(Message):
    prompt: PromptInfo
    read: int = 0  # its number in reads["prompt"]: a read's or a write's (older: not shown)


@dataclass
class PromptRendered(Message):
    prompt_id: uuid.UUID
    text: str
    tokens: int
    request: int = 0  # which render asked for it (a later one makes it stale)


@dataclass
class RenderRefused(Message):
    """The service refused to render: ``field`` names the variable (or option) at fault."""

    prompt_id: uuid.UUID
    field: str | None
    message: str
    request: int = 0


@dataclass
class TrashLoaded(Message):
    folders: list[FolderInfo]
    prompts: list[PromptSummary]
    folder_names: dict[uuid.UUID, str]  # every folder, live or not, for "in Writing"
    read: int = 0  # its number in LibraryComponents.reads[...] (an older read is not shown)


@dataclass
class Changed(Message):
    """Something was created, changed or deleted: reload ``views`` and select ``select`` in
    the first of them (the one that lists it)."""

    note: str
    views: tuple[str, ...]
    select: uuid.UUID | None = None


@dataclass
class ThreadStarted(Message):
    """A chat thread made for a rendered prompt; the chat area opens it with ``text``."""

    thread_id: uuid.UUID
    title: str
    text: str
