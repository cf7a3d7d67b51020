"""The AI side panel: what was asked, the answer as it streams, then the proposed change as a
diff (apply: a, discard: x) or the kept analysis. Esc cancels a job under way, else closes
the panel. Text from the model is drawn with its controls visible (ui/common/terminal_text).
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import Static

from promptterm.ui.editor.widgets.diff_model import DiffModel
from promptterm.ui.editor.widgets.diff_view import DiffView

_FENCE = re.compile(r"^```[^\n`]*\n.*?^```[ \t]*$\n?", re.DOTALL | re.MULTILINE)


class AiPanel(Vertical, can_focus=True):
    DEFAULT_CSS = """
    AiPanel {
        height: 1fr;
    }
    AiPanel #ai-title {
        text-style: bold;
        padding: 0 1;
    }
    AiPanel #ai-status {
        color: $text-muted;
        padding: 0 1;
    }
    AiPanel #ai-scroll {
        height: 1fr;
    }
    AiPanel #ai-answer {
        padding: 0 1;
    }
    AiPanel #ai-diff {
        display: none;
        height: 2fr;
        border-top: hkey $panel-lighten-2;
    }
    AiPanel.-change #ai-diff {
        display: block;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "apply",
            "Apply",
            id="editor-ai-apply",
            tooltip="Keep the proposed change as the file's next version",
        ),
        Binding(
            "x",
            "discard",
            "Discard",
            id="editor-ai-discard",
            tooltip="Drop the proposed change (the answer stays in the job)",
        ),
        Binding(
            "escape",
            "close",
            "Cancel / close",
            id="editor-ai-close",
            tooltip="Stop the answer while it streams; else close the panel",
        ),
    ]

    class Apply(Message):
        pass

    class Discard(Message):
        pass

    class Close(Message):
        pass

    # Apply and Discard follow these: each change asks the footer again (bindings=True), as
    # a new answer can start while the panel keeps the focus.
    running: var[bool] = var(False, bindings=True)
    has_change: var[bool] = var(False, bindings=True)
    _text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="ai-title", markup=False)
        yield Static("", id="ai-status", markup=False)
        with VerticalScroll(id="ai-scroll"):
            yield Static("", id="ai-answer", markup=False)
        yield DiffView(None, side_by_side=False, id="ai-diff")

    def start(self, title: str, status: str) -> None:
        self._text = ""
        self.running, self.has_change = True, False
        self.remove_class("-change")
        self.query_one("#ai-title", Static).update(title)
        self.query_one("#ai-answer", Static).update("")
        self.set_status(status)

    def set_status(self, status: str) -> None:
        self.query_one("#ai-status", Static).update(status)

    def add_text(self, text: str) -> None:
        self._text += text
        self.query_one("#ai-answer", Static).update(self._text)
        self.query_one("#ai-scroll", VerticalScroll).scroll_end(animate=False)

    def show_answer(self, title: str, text: str, status: str) -> None:
        self.start(title, status)
        self.running = False
        self.add_text(text)
        self.query_one("#ai-scroll", VerticalScroll).scroll_home(animate=False)

    def finish(self, status: str, change: DiffModel | None = None) -> None:
        self.running = False
        self.set_status(status)
        answer = self.query_one("#ai-answer", Static)
        if change is not None:
            # The code the answer proposes is the diff below; the words around it stay.
            answer.update(_FENCE.sub("(the proposed change is shown below)\n", self._text).strip())
            self.query_one("#ai-scroll", VerticalScroll).scroll_home(animate=False)
        elif self.has_change:
            answer.update(self._text)  # applied or discarded: the whole answer again
        self.show_change(change)

    def show_change(self, change: DiffModel | None) -> None:
        self.has_change = change is not None
        self.set_class(change is not None, "-change")
        if change is not None:
            self.query_one(DiffView).show(change)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("apply", "discard"):
            return self.has_change and not self.running
        return True

    def action_apply(self) -> None:
        self.post_message(self.Apply())

    def action_discard(self) -> None:
        self.post_message(self.Discard())

    def action_close(self) -> None:
        self.post_message(self.Close())
