"""The model asks to run a tool: which one, with what arguments, and the user's answer by
key — y once, a always for this tool in this thread, n deny, esc stops the whole answer.
No button has the focus, so a stray enter decides nothing.

The arguments show pretty-printed, keys in the model's order; a long text is cut with "…"
so the structure around it stays readable, and w shows every text whole (the list scrolls).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

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

# Characters of a text argument shown before it is cut (about two lines of the dialog).
CUT_AT = 100
KEYS = "y run once · a always in this thread · n deny · esc stop the answer"


def _cut(value: Any, at: int) -> tuple[Any, bool]:
    """``value`` with every text longer than ``at`` cut to ``at`` and "…"; and whether any was."""
    if isinstance(value, str):
        return (value[:at] + "…", True) if len(value) > at else (value, False)
    if isinstance(value, dict):
        pairs = {key: _cut(item, at) for key, item in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(c for _, c in pairs.values())
    if isinstance(value, list):
        items = [_cut(item, at) for item in value]
        return [v for v, _ in items], any(c for _, c in items)
    return value, False


def arguments_text(request: ToolRequest, *, whole: bool) -> tuple[str, bool]:
    """The arguments as the dialog shows them, and whether a text was cut to show them."""
    if request.arguments is None:
        text, cut = request.raw_arguments, False
    else:
        arguments, cut = (request.arguments, False) if whole else _cut(request.arguments, CUT_AT)
        text = json.dumps(arguments, indent=2, ensure_ascii=False)
    # Each line without control characters: the model wrote these.
    return "\n".join(strip_controls(line) for line in text.splitlines()) or "{}", cut


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
        _b("w", "whole", "Whole texts", "whole", "Show the texts cut with … whole, or cut again"),
    ]

    def __init__(self, request: ToolRequest) -> None:
        super().__init__(classes="dialog")
        self.request = request
        self.whole = False
        self.cut = False  # a text of the arguments is too long to show whole at first

    def compose(self) -> ComposeResult:
        request = self.request
        shown, self.cut = arguments_text(request, whole=False)
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
            keys = f"{KEYS} · w whole texts" if self.cut else KEYS
            yield Static(keys, id="tool-approval-keys", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = Content("Run a tool?")

    def action_decide(self, decision: str) -> None:
        self.dismiss(decision)

    def action_whole(self) -> None:
        if not self.cut:
            return  # every text shows whole already
        self.whole = not self.whole
        shown, _ = arguments_text(self.request, whole=self.whole)
        self.query_one("#tool-approval-text", Static).update(Content(shown))
        keys = f"{KEYS} · w cut long texts" if self.whole else f"{KEYS} · w whole texts"
        self.query_one("#tool-approval-keys", Static).update(keys)
