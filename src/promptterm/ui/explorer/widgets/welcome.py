"""The first-run view: create a first workspace and project, or load the demo."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static


class WelcomeView(Vertical):
    HELP_TITLE: ClassVar[str] = "Welcome"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "create", "Create workspace", id="welcome-create"),
        Binding("d", "demo", "Load demo", id="welcome-demo"),
    ]

    class CreateFirst(Message):
        """The user wants to create their first workspace and project."""

    class LoadDemo(Message):
        """The user wants the demo workspace."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome-card"):
            yield Static(id="welcome-title")
            yield Static(
                "Keep workspaces and projects, edit files with full history, chat with any "
                "model and build system prompts from reusable parts. Start with one of these:",
                id="welcome-text",
            )
            with Center(), Horizontal(id="welcome-buttons"):
                yield Button("Create a workspace", id="welcome-create", variant="primary")
                yield Button("Load the demo", id="welcome-demo")
            yield Static(
                Content.from_markup(
                    "[b]c[/] create · [b]d[/] demo · [b]?[/] keys · "
                    "[b]ctrl+p[/] commands · [b]q[/] quit"
                ),
                id="welcome-keys",
            )

    def greet(self, user_name: str) -> None:
        title = Content.from_markup("[b $accent]Welcome to promptterm, $name[/]", name=user_name)
        self.query_one("#welcome-title", Static).update(title)

    def focus_first(self) -> None:
        self.query_one("#welcome-create", Button).focus()

    @on(Button.Pressed, "#welcome-create")
    def action_create(self) -> None:
        self.post_message(self.CreateFirst())

    @on(Button.Pressed, "#welcome-demo")
    def action_demo(self) -> None:
        self.post_message(self.LoadDemo())
