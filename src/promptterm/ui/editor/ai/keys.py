"""The editor's AI keys. Alt+letter works in tmux and over SSH, and is taken before the code
area can type the letter (priority), as alt+w is."""

from __future__ import annotations

from textual.binding import Binding, BindingType

AI_BINDINGS: list[BindingType] = [
    Binding(
        "alt+e",
        "ai_explain",
        "Explain",
        show=False,
        priority=True,
        id="editor-ai-explain",
        tooltip="Ask the model to explain the selection (or the file) in a side panel",
    ),
    Binding(
        "alt+f",
        "ai_refactor",
        "Refactor",
        show=False,
        priority=True,
        id="editor-ai-refactor",
        tooltip="Ask for a refactor of the selection (or the file): a diff to apply or discard",
    ),
    Binding(
        "alt+g",
        "ai_generate",
        "Generate",
        show=False,
        priority=True,
        id="editor-ai-generate",
        tooltip="Ask for new code at the cursor, from an instruction: a diff to apply",
    ),
    Binding(
        "alt+a",
        "ai_analyze",
        "Analyze",
        show=False,
        priority=True,
        id="editor-ai-analyze",
        tooltip="Analyse complexity, security or performance of the selection or the file",
    ),
]

AI_ACTIONS = ("ai_explain", "ai_refactor", "ai_generate", "ai_analyze")
PANEL_ACTIONS = ("apply", "discard", "close")
