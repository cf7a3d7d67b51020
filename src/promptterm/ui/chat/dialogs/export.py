"""Export a thread to a Markdown or JSON file at a path the user confirms (in the documents
or downloads folder by default). An existing file is replaced, and a project's bound folder
written into, only when the user submits the same path a second time."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
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
    from promptterm.services.facade import Services
    from promptterm.services.workspaces.projects import ProjectInfo

FORMATS = {"markdown": ".md", "json": ".json"}


def default_path(title: str, extension: str, *, folder: Path | None = None) -> Path:
    """``<title-as-a-slug><extension>`` in ``folder``, else the documents or downloads
    folder (locations.export_dir)."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "thread"
    if folder is None:
        from promptterm.locations import export_dir

        folder = export_dir()
    return folder / f"{slug}{extension}"


def bound_project(services: Services, path: Path) -> ProjectInfo | None:
    """The project whose bound folder ``path`` is in: its watcher would import the file."""
    where = path.resolve()
    for project in services.projects.list():
        if project.root_path and where.is_relative_to(Path(project.root_path).resolve()):
            return project
    return None


@dataclass(frozen=True)
class Exported:
    path: Path
    size: int
    format: str


class ExportScreen(ModalScreen[Exported | None]):
    CSS_PATH = css_path("modals.tcss", "chat.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
        Binding("ctrl+j", "export", "Export", id="export-run", show=False),
    ]

    @dataclass
    class Failed(Message):
        text: str

    @dataclass
    class Done(Message):
        exported: Exported

    def __init__(
        self, services: Services, thread_id: uuid.UUID, title: str, *, folder: Path | None = None
    ) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.thread_id = thread_id
        self.thread_title = title
        self.folder = folder
        self._replace: Path | None = None  # the existing file the user agreed to replace
        self._into_bound: Path | None = None  # the path in a bound folder the user agreed to
        self.busy = False

    def compose(self) -> ComposeResult:
        path = default_path(self.thread_title, ".md", folder=self.folder)
        with Vertical(id="dialog"):
            with Horizontal(classes="form-row"):
                yield Label("Format", classes="form-label")
                yield Select(
                    [("Markdown", "markdown"), ("JSON", "json")],
                    value="markdown",
                    allow_blank=False,
                    compact=True,
                    id="export-format",
                )
            with Horizontal(classes="form-row"):
                yield Label("File", classes="form-label")
                yield Input(str(path), id="export-path", compact=True)
            yield Static("", id="export-error", markup=False)
            yield Static(
                "enter export · esc cancel · messages, tokens, costs, preset history and "
                "earlier branches go in; API keys never do",
                classes="dialog-keys",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Export", id="export", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = f"Export {self.thread_title}"
        self.query_one("#export-error").display = False
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        # Follow the format with the file's extension, unless the user chose another one.
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        wanted = FORMATS[str(event.value)]
        if path.suffix in FORMATS.values() and path.suffix != wanted:
            box.value = str(path.with_suffix(wanted))

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        if self.busy:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._show_error("Give the file a name.")
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        fmt = str(self.query_one("#export-format", Select).value)
        self.busy = True
        self._write(fmt, path, replace=path == self._replace, into_bound=path == self._into_bound)

    @work(thread=True, exit_on_error=False, group="export-write")
    def _write(self, fmt: str, path: Path, replace: bool, into_bound: bool) -> None:
        try:
            if path.is_dir():
                raise ValueError(f"{path} is a folder: add a file name.")
            project = None if into_bound else bound_project(self.services, path)
            if project is not None:
                self._into_bound = path
                raise ValueError(
                    f"That folder belongs to the project {project.name!r}, which promptterm "
                    "keeps in sync: the export would become one of its files. Enter again to "
                    "export there anyway, or choose another folder."
                )
            if path.exists() and not replace:
                self._replace = path
                raise ValueError(f"{path.name} exists already: enter again to replace it.")
            export = self.services.chat_export
            text = (
                export.to_json(self.thread_id)
                if fmt == "json"
                else export.to_markdown(self.thread_id)
            )
            path.write_text(text, encoding="utf-8")
        except ValueError as exc:
            self.post_message(self.Failed(str(exc)))
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            self.post_message(self.Failed(f"Cannot write {path}: {why}."))
        except Exception as exc:  # a service error (the thread is gone): said in place
            self.post_message(self.Failed(describe(exc)[1]))
        else:
            self.post_message(self.Done(Exported(path, len(text.encode()), fmt)))

    def on_export_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self._show_error(message.text)

    def on_export_screen_done(self, message: Done) -> None:
        self.dismiss(message.exported)

    def _show_error(self, text: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(text)
        error.display = True

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
