"""What the AI worker tells the editor (workers post, the screen draws)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from promptterm.services.code import AiJobInfo, AnalysisInfo
    from promptterm.ui.editor.widgets.diff_model import DiffModel


@dataclass
class AiStarted(Message):
    job: AiJobInfo


@dataclass
class AiDelta(Message):
    text: str


@dataclass
class AiFinished(Message):
    job: AiJobInfo
    change: DiffModel | None


@dataclass
class AiRefused(Message):
    """Apply refused: the file changed since the job read it. ``change``: the file now
    against the proposal, so both are seen."""

    message: str
    change: DiffModel


@dataclass
class AiKept(Message):
    """The last analyses of the file as it is now (shown at once when it is reopened)."""

    file_id: uuid.UUID
    analyses: list[AnalysisInfo]
