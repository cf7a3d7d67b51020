"""Import history from another tool (the palette's "chat: Import history…", F5): the source,
the path of its export or database, and the workspace. "Check" reads the file and says
what would be added without storing anything; "Import" stores it and closes with the report.
The reading runs in a thread worker; a file that is not the source's is said in place, and
what was typed stays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from promptterm.ui.common.errors import describe
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.chat import ImportReport
    from promptterm.services.facade import Services

SOURCES = [
    ("ChatGPT export (conversations.json or .zip)", "chatgpt"),
    ("Claude export (conversations.json or .zip)", "claude"),
    ("llm logs.db", "llm"),
    ("elia database", "elia"),
    ("oterm store.db", "oterm"),
]


def summary(report: ImportReport) -> str:
    """One line for a person: what was (or would be) added, and what could not be."""
    verb = "Would add" if report.dry_run else "Added"
    words = (
        f"{verb} {report.new_threads} new threads and {report.messages} messages "
        f"to {report.project!r} in {report.workspace}; {report.unchanged} already there"
    )
    if report.problems:
        first = report.problems[0]
        more = f" (and {len(report.problems) - 1} more)" if len(report.problems) > 1 else ""
        words += f"; not imported: {first.item}: {first.message}{more}"
    return words + "."


class ImportHistoryScreen(ModalScreen["ImportReport | None"]):
    CSS_PATH = css_path("modals.tcss", "chat.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="import-cancel"),
        Binding("ctrl+j", "run(False)", "Import", id="import-run", show=False),
    ]

    @dataclass
    class WorkspacesLoaded(Message):
        options: list[tuple[str, str]]  # (name, slug), the one used last first

    @dataclass
    class Finished(Message):
        report: ImportReport | None
        error: str | None = None

    def __init__(self, services: Services) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            with Horizontal(classes="form-row"):
                yield Label("From", classes="form-label")
                yield Select(
                    SOURCES, value="chatgpt", allow_blank=False, compact=True, id="import-source"
                )
            with Horizontal(classes="form-row"):
                yield Label("Path", classes="form-label")
                yield Input(
                    placeholder="~/Downloads/conversations.json", id="import-path", compact=True
                )
            with Horizontal(classes="form-row"):
                yield Label("Into", classes="form-label")
                yield Select(
                    [], prompt="the workspace used last", compact=True, id="import-workspace"
                )
            yield Static("", id="import-result", markup=False)
            yield Static(
                "enter check (stores nothing) · ctrl+j import · esc cancel · again adds only "
                "what is new; its tokens are not this month's usage",
                classes="dialog-keys",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Check", id="check")
                yield Button("Import", id="import", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = "Import chat history"
        self.query_one("#import-result").display = False
        self.query_one("#import-path", Input).focus()
        self._load_workspaces()

    @work(thread=True, exit_on_error=False, group="import-workspaces")
    def _load_workspaces(self) -> None:
        workspaces = self.services.workspaces.list()
        self.post_message(self.WorkspacesLoaded([(w.name, w.slug) for w in workspaces]))

    def on_import_history_screen_workspaces_loaded(self, message: WorkspacesLoaded) -> None:
        self.query_one("#import-workspace", Select).set_options(message.options)

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#check")
    def _check(self) -> None:
        self.action_run(True)

    @on(Button.Pressed, "#import")
    def _import(self) -> None:
        self.action_run(False)

    def action_run(self, dry_run: bool) -> None:
        if self.busy:
            return
        path = self.query_one("#import-path", Input).value.strip()
        if not path:
            self._show("Give the path of the export or database.", error=True)
            return
        source = str(self.query_one("#import-source", Select).value)
        chosen = self.query_one("#import-workspace", Select).value
        workspace = chosen if isinstance(chosen, str) else None  # blank: the one used last
        self.busy = True
        self._show("Reading…", error=False)
        self._run(source, path, workspace, dry_run)

    @work(thread=True, exit_on_error=False, group="import-run")
    def _run(self, source: str, path: str, workspace: str | None, dry_run: bool) -> None:
        try:
            report = self.services.chat_import.import_file(
                source, path, workspace=workspace, dry_run=dry_run
            )
        except Exception as exc:  # a service error (not the source's file...): said in place
            self.post_message(self.Finished(None, describe(exc)[1]))
        else:
            self.post_message(self.Finished(report))

    def on_import_history_screen_finished(self, message: Finished) -> None:
        self.busy = False
        report = message.report
        if report is None:
            self._show(message.error or "The import failed.", error=True)
        elif report.dry_run:
            self._show(summary(report) + " Ctrl+J imports it.", error=False)
        else:
            self.dismiss(report)

    def _show(self, text: str, *, error: bool) -> None:
        result = self.query_one("#import-result", Static)
        result.update(text)
        result.set_class(error, "-error")
        result.display = True

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
