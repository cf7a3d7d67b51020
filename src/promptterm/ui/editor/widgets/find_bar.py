"""Find and replace, under the code: the screen does the searching, this bar asks for it.

enter in "find" goes to the next match, enter in "replace" replaces the match under the
cursor and goes on; the "All" button (tab to it) replaces every match in one undoable edit.
esc closes the bar and returns to the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input, Static


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar {
        height: auto;
        background: $panel;
        padding: 0 1;
        display: none;
    }
    FindBar.-open { display: block; }
    FindBar Input { width: 1fr; margin-right: 1; }
    FindBar #replace-input, FindBar #replace-all { display: none; }
    FindBar.-replace #replace-input, FindBar.-replace #replace-all { display: block; }
    FindBar #replace-all { min-width: 5; width: auto; height: 1; border: none; }
    FindBar #find-status { width: auto; min-width: 10; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close find", id="editor-find-close", show=False),
    ]

    @dataclass
    class Search(Message):
        query: str
        forward: bool = True

    @dataclass
    class Replace(Message):
        query: str
        replacement: str
        every: bool = False

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Input(placeholder="find", id="find-input", compact=True)
        yield Input(placeholder="replace with", id="replace-input", compact=True)
        yield Button("All", id="replace-all", compact=True)
        yield Static("", id="find-status", markup=False)

    @property
    def query(self) -> str:
        return self.query_one("#find-input", Input).value

    @property
    def replacement(self) -> str:
        return self.query_one("#replace-input", Input).value

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, *, replace: bool, query: str = "") -> None:
        self.add_class("-open")
        self.set_class(replace, "-replace")
        find = self.query_one("#find-input", Input)
        if query:
            find.value = query
        if replace and find.value:
            self.query_one("#replace-input", Input).focus()
        else:
            find.focus()
            find.select_all()

    def set_status(self, text: str) -> None:
        self.query_one("#find-status", Static).update(text)

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed())

    @on(Input.Submitted, "#find-input")
    def _find(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Search(self.query))

    @on(Input.Changed, "#find-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_status("")

    @on(Input.Submitted, "#replace-input")
    def _replace(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Replace(self.query, self.replacement))

    @on(Button.Pressed, "#replace-all")
    def _replace_all(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Replace(self.query, self.replacement, every=True))
