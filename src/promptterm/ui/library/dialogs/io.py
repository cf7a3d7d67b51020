"""Export the library to a folder of plain files, or import one (a promptterm export, Fabric
patterns or llm templates), then show what happened: written, created, unchanged, and every
conflict and bad file by name. The dialog stays open on the report until esc."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker

from promptterm.ui.common.errors import describe, report_failed_worker
from promptterm.ui.common.styles import css_path

if TYPE_CHECKING:
    from promptterm.services.facade import Services
    from promptterm.services.library.io.report import ExportReport, ImportReport

DEFAULT_FOLDER = "~/promptterm-library"
FORMATS = (
    ("promptterm export", "native"),
    ("Fabric patterns (a folder per pattern with system.md)", "fabric"),
    ("llm templates (YAML)", "llm"),
)
CONFLICTS = (
    ("skip: keep mine, report the difference", "skip"),
    ("replace: the file wins (mine is kept as a version / in the trash)", "replace"),
)
LISTED = 12  # names shown per section; the rest are counted


def _section(lines: list[Content], title: str, names: list[str], style: str = "") -> None:
    if not names:
        return
    lines.append(Content(""))
    lines.append(Content.styled(f"{title} ({len(names)})", f"bold {style}".strip()))
    lines += [Content.styled(f"  {n}", style) for n in names[:LISTED]]
    if len(names) > LISTED:
        lines.append(Content.styled(f"  … and {len(names) - LISTED} more", "dim"))


def export_text(report: ExportReport) -> Content:
    lines = [Content.styled(report.summary, "bold")]
    _section(lines, "Written", list(report.written))
    _section(lines, "Removed (their items are gone)", list(report.removed), "$warning")
    _section(lines, "Left in place (changed since, or not ours)", list(report.kept))
    return Content("\n").join(lines)


def import_text(report: ImportReport) -> Content:
    lines = [Content.styled(f"{report.source}: {report.summary}", "bold")]
    _section(lines, "Created", [i.label for i in report.created], "$success")
    _section(lines, "Updated", [i.label for i in report.updated], "$success")
    _section(
        lines,
        "Conflicts (left as they were)",
        [f"{c.kind} {c.name!r}: {c.reason}" for c in report.conflicts],
        "$warning",
    )
    _section(
        lines, "Files not imported", [f"{e.path}: {e.message}" for e in report.errors], "$error"
    )
    for limit in report.limits:
        _section(lines, limit.message, list(limit.names), "$error")
    _section(lines, "Unchanged (already in your library)", [i.label for i in report.skipped], "dim")
    return Content("\n").join(lines)


class LibraryFilesScreen(ModalScreen[bool]):
    """Export (``importing`` False) or import; dismisses True when the library changed."""

    CSS_PATH = css_path("modals.tcss", "library.tcss")
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (34, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="library-files-close"),
        Binding("ctrl+j", "run", "Run", id="library-files-run", show=False),
    ]
    importing: ClassVar[bool] = False

    class Finished(Message):
        def __init__(self, text: Content, changed: bool) -> None:
            super().__init__()
            self.text = text
            self.changed = changed

    class Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(self, services: Services) -> None:
        super().__init__(classes="dialog")
        self.services = services
        self.changed = False
        self.busy = False

    def compose(self) -> ComposeResult:
        verb = "Import from" if self.importing else "Export to"
        with Vertical(id="dialog", classes="-wide"):
            yield Static(self._intro(), classes="dialog-intro")
            with Horizontal(classes="form-row"):
                yield Label("Folder", classes="form-label")
                yield Input(DEFAULT_FOLDER, id="field-path", compact=True, select_on_focus=False)
            yield Static("", id="error-path", classes="field-error", markup=False)
            if self.importing:
                with Horizontal(classes="form-row"):
                    yield Label("Format", classes="form-label")
                    yield Select(
                        FORMATS, value="native", allow_blank=False, compact=True, id="field-format"
                    )
                with Horizontal(classes="form-row"):
                    yield Label("Same name", classes="form-label")
                    yield Select(
                        CONFLICTS,
                        value="skip",
                        allow_blank=False,
                        compact=True,
                        id="field-conflict",
                    )
            with VerticalScroll(id="files-report"):
                yield Static(id="files-report-body")
            with Horizontal(classes="dialog-buttons"):
                yield Static("enter run · esc close", classes="dialog-keys")
                yield Button("Close", id="close", compact=True)
                yield Button(verb.split()[0], id="run", variant="primary", compact=True)

    def _intro(self) -> str:
        if self.importing:
            return (
                "Items are matched by name: identical ones are skipped, different ones are "
                "reported as conflicts. Importing twice creates nothing twice."
            )
        return (
            "Components as Markdown with front matter, presets and prompts as YAML: a folder "
            "that can live in git. Files that would not change are left untouched."
        )

    def on_mount(self) -> None:
        title = "Import a library" if self.importing else "Export the library"
        self.query_one("#dialog").border_title = title
        self.query_one("#files-report").display = False
        self.query_one("#field-path").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#run")
    def action_run(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.query_one("#run", Button).disabled = True
        error = self.query_one("#error-path", Static)
        error.display = False
        path = self.query_one("#field-path", Input).value.strip() or DEFAULT_FOLDER
        if self.importing:
            fmt = str(self.query_one("#field-format", Select).value)
            conflict = str(self.query_one("#field-conflict", Select).value)
            self._import(path, fmt, conflict)
        else:
            self._export(path)

    @work(thread=True, exit_on_error=False, group="library-files")
    def _export(self, path: str) -> None:
        try:
            report = self.services.library_io.export_to(path)
        except Exception as exc:  # shown in the dialog, which stays open
            self.post_message(self.Failed(exc))
        else:
            self.post_message(self.Finished(export_text(report), False))

    @work(thread=True, exit_on_error=False, group="library-files")
    def _import(self, path: str, fmt: str, conflict: str) -> None:
        try:
            report = self.services.library_io.import_from(
                path,
                fabric=fmt == "fabric",
                llm=fmt == "llm",
                on_conflict=conflict,  # type: ignore[arg-type]
            )
        except Exception as exc:
            self.post_message(self.Failed(exc))
        else:
            changed = bool(report.created or report.updated)
            self.post_message(self.Finished(import_text(report), changed))

    def on_library_files_screen_finished(self, message: Finished) -> None:
        self.busy = False
        self.query_one("#run", Button).disabled = False
        self.changed = self.changed or message.changed
        report = self.query_one("#files-report", VerticalScroll)
        report.display = True
        self.query_one("#files-report-body", Static).update(message.text)
        report.focus()

    def on_library_files_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self.query_one("#run", Button).disabled = False
        error = self.query_one("#error-path", Static)
        error.update(describe(message.error)[1])
        error.display = True
        # Every failure here is about the folder (missing, not a folder, not writable).
        self.query_one("#field-path").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.changed)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self.app, event.worker)


class LibraryExportScreen(LibraryFilesScreen):
    importing = False


class LibraryImportScreen(LibraryFilesScreen):
    importing = True
