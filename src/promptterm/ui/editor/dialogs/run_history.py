"""The project's past runs (alt+h): type to search their commands and output, see the
highlighted run's stored output tail, enter runs it again.

The searches and the output reads run in thread workers through the functions the editor
hands over (the runs service), so a long history never holds a key up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from promptterm.services.validation import strip_controls
from promptterm.ui.common.styles import css_path
from promptterm.ui.common.widgets.format import ago

if TYPE_CHECKING:
    from promptterm.services.code import RunInfo

TAIL_LINES = 8
STATUS_WORDS = {
    "completed": "exit 0",
    "failed": "exit {code}",
    "timeout": "timed out",
    "killed": "killed",
    "error": "could not start",
    "running": "running",
}


def run_label(run: RunInfo, now: datetime) -> Text:
    status = STATUS_WORDS.get(run.status, run.status).format(code=run.exit_code)
    ok = run.status == "completed"
    line = Text.assemble(
        (strip_controls(run.command), "bold"),
        ("  " + status, "green" if ok else "red"),
        (f"  {ago(run.created_at, now)}", "dim"),
    )
    line.no_wrap = True
    line.overflow = "ellipsis"
    return line


class RunHistoryScreen(ModalScreen[uuid.UUID | None]):
    CSS_PATH = css_path("modals.tcss", "editor.tcss")
    AREA = "editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="editor-runs-close"),
        Binding("down", "move(1)", "Next run", show=False, id="editor-runs-next"),
        Binding("up", "move(-1)", "Previous run", show=False, id="editor-runs-previous"),
    ]

    def __init__(
        self,
        project_name: str,
        search: Callable[[str], list[RunInfo]],
        output: Callable[[uuid.UUID], str],
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__(classes="dialog")
        self.project_name = project_name
        self.search = search
        self.output = output
        self.clock = clock
        self.runs: list[RunInfo] = []
        self.query_text = ""
        self.loaded = False  # the first search came back (tests wait for it)
        self.output_shown = ""  # the output pane as plain text (what a reader sees)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            yield Input(placeholder="search commands and output", id="runs-search")
            yield OptionList(id="runs-list")
            yield Static("", id="runs-output", markup=False)
            yield Static(
                "type to search \u00b7 \u2191\u2193 pick \u00b7 enter run again \u00b7 esc close",
                classes="dialog-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = f"Runs in {self.project_name}"
        self.query_one(Input).focus()
        self._search("")

    @property
    def options(self) -> OptionList:
        return self.query_one("#runs-list", OptionList)

    @property
    def highlighted(self) -> RunInfo | None:
        index = self.options.highlighted
        return self.runs[index] if self.runs and index is not None else None

    # Searching -------------------------------------------------------------------------------

    @on(Input.Changed, "#runs-search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="runs-search")
    def _search(self, query: str) -> None:
        runs = self.search(query)
        self.app.call_from_thread(self._show, query, runs)

    def _show(self, query: str, runs: list[RunInfo]) -> None:
        self.query_text, self.runs, self.loaded = query, runs, True
        options = self.options
        options.clear_options()
        now = self.clock()
        if runs:
            options.add_options(Option(run_label(r, now), id=str(r.id)) for r in runs)
            options.highlighted = 0
        else:
            words = (
                f"No run matches \u201c{strip_controls(query.strip())}\u201d."
                if query.strip()
                else "No runs in this project yet: f5 runs the open file, alt+r a command."
            )
            options.add_option(Option(Text(words, style="italic"), disabled=True))
            self.output_shown = ""
            self.query_one("#runs-output", Static).update("")

    # The highlighted run's output ------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#runs-list")
    def _highlighted(self) -> None:
        run = self.highlighted
        if run is not None:
            self._read_output(run.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="runs-output")
    def _read_output(self, run_id: uuid.UUID) -> None:
        text = self.output(run_id)
        self.app.call_from_thread(self._show_output, run_id, text)

    def _show_output(self, run_id: uuid.UUID, text: str) -> None:
        run = self.highlighted
        if run is None or run.id != run_id:
            return
        lines = text.rstrip("\n").split("\n")[-TAIL_LINES:] if text else []
        shown = Text("\n").join(Text.from_ansi(line) for line in lines) if lines else None
        shown = shown or Text("(this run printed nothing)", style="italic dim")
        self.output_shown = shown.plain
        self.query_one("#runs-output", Static).update(shown)

    # Keys ------------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if self.runs:
            options = self.options
            index = options.highlighted or 0
            options.highlighted = max(0, min(len(self.runs) - 1, index + step))

    @on(Input.Submitted, "#runs-search")
    @on(OptionList.OptionSelected, "#runs-list")
    def _chosen(self) -> None:
        run = self.highlighted
        if run is not None:
            self.dismiss(run.id)

    def action_close(self) -> None:
        self.dismiss(None)
