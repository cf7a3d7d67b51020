"""The model asks to run a tool: which one, with what arguments, and the user's answer by
key — y once, a always for this tool in this thread, n deny, esc stops the whole answer.
No button has the focus, so a stray enter decides nothing."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from promptterm.services.validation import strip_controls
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.chat import ToolRequest


def _b(key: str, action: str, description: str, id: str, tooltip: str) -> Binding:
    return Binding(key, action, description, id=f"chat-tool-{id}", tooltip=tooltip)


class ToolApprovalScreen(ModalScreen[str]):
    CSS_PATH = css_path("modals.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("y", "decide('once')", "Run once", "once", "Run this tool call, this once"),
        _b(
            "a",
            "decide('always')",
            "Always",
            "always",
            "Run this tool now and later in this thread without asking",
        ),
        _b("n", "decide('deny')", "Deny", "deny", "Do not run it; the model is told so"),
        _b("escape", "decide('stop')", "Stop", "stop", "Stop the answer; nothing more runs"),
    ]

    def __init__(self, request: ToolRequest) -> None:
        super().__init__(classes="dialog")
        self.request = request

    def compose(self) -> ComposeResult:
        request = self.request
        if request.arguments is None:
            arguments = request.raw_arguments
        else:
            arguments = json.dumps(request.arguments, indent=2, ensure_ascii=False)
        # Each line without control characters: the model wrote these.
        shown = "\n".join(strip_controls(line) for line in arguments.splitlines()) or "{}"
        count = f" ({request.index} of {request.count})" if request.count > 1 else ""
        with Vertical(id="dialog", classes="-tool"):
            yield Static(
                Content.assemble(
                    ("The model asks to run ", ""),
                    (strip_controls(request.label), "bold $text-accent"),
                    (count, "dim"),
                ),
                id="tool-approval-title",
            )
            with VerticalScroll(id="tool-approval-arguments"):
                yield Static(Content(shown), id="tool-approval-text")
            yield Static(
                "y run once · a always in this thread · n deny · esc stop the answer",
                classes="dialog-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = Content("Run a tool?")

    def action_decide(self, decision: str) -> None:
        self.dismiss(decision)
