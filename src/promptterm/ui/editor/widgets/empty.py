"""What the editor shows with no project open: where to get one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Static


class NoProject(Vertical):
    DEFAULT_CSS = """
    NoProject {
        align: center middle;
        height: 1fr;
    }
    NoProject #no-project-card {
        width: 64;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        background: $surface;
    }
    NoProject #no-project-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: center;
    }
    NoProject #no-project-buttons Button {
        margin: 0 1;
    }
    NoProject .no-project-keys {
        margin-top: 1;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="no-project-card"):
            yield Static(
                "No project is open. Open one in the explorer (press 1, pick a project, "
                "enter), or find a project or file by name in the command palette.",
                markup=False,
            )
            with Horizontal(id="no-project-buttons"):
                yield Button("Explorer", id="no-project-explorer", variant="primary")
                yield Button("Find a file…", id="no-project-palette")
            yield Static(
                "1 explorer \u00b7 ctrl+p command palette \u00b7 "
                "`promptterm open PATH` opens a folder",
                classes="no-project-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#no-project-card").border_title = "Editor"

    @on(Button.Pressed, "#no-project-explorer")
    def _explorer(self) -> None:
        self.run_worker(self.app.switch_mode("explorer"), group="editor-jump")

    @on(Button.Pressed, "#no-project-palette")
    def _palette(self) -> None:
        self.app.action_command_palette()
