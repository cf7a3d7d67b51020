"""The status line: where you are (workspace / project) and who you are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from promptterm.app import PromptTermApp


SEPARATOR = "\u203a"  # a single right-pointing angle quote, lighter than ">"


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def on_mount(self) -> None:
        app = cast("PromptTermApp", self.app)
        self.watch(app, "current_workspace", self._refresh_status, init=False)
        self.watch(app, "current_project", self._refresh_status, init=False)
        self.watch(app, "services_ready", self._refresh_status, init=False)
        self._refresh_status()

    def _refresh_status(self, _value: Any = None) -> None:
        app = cast("PromptTermApp", self.app)
        workspace = app.current_workspace
        project = app.current_project
        parts: list[Content | tuple[str, str] | str] = []
        if project is not None and workspace is not None and project.workspace_id != workspace.id:
            project = None  # the user moved to another workspace: show where they are now
        where = workspace.name if workspace else project.workspace_name if project else None
        if where is None:
            parts.append(("no workspace selected", "italic"))
        else:
            parts.append((where, "bold"))
            if project is not None:
                parts += [f" {SEPARATOR} ", (project.name, "bold $accent")]
        user = app.session.user_name() or "opening the database…"
        parts += ["  ·  ", (user, "")]
        self.update(Content.assemble(*parts))
