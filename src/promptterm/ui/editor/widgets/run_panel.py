"""The run panel under the code: a run's command and state on top, its last lines below.

The runner's reading thread fills a ``LineTail`` (services/code/runs/output.py); the panel
looks at it twenty times a second and repaints only when it changed, drawing only the lines
that fit. So a program printing 50 MB a second costs the screen one small repaint per look,
never a message per line, and keys stay quick. Lines are cleaned by the runner (colours
kept, every other control removed) and drawn with ``Text.from_ansi``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

from promptterm.services.code.runs.runner import describe_outcome

if TYPE_CHECKING:
    from textual.timer import Timer

    from promptterm.services.code import RunInfo, RunOutcome
    from promptterm.services.code.runs.output import LineTail

POLL_S = 0.05


class RunPanel(Widget, can_focus=True):
    DEFAULT_CSS = """
    RunPanel {
        height: 12;
        border-top: solid $panel-lighten-2;
        padding: 0 1;
        display: none;
    }
    RunPanel.-shown { display: block; }
    RunPanel:focus { border-top: solid $primary; }
    RunPanel > .run-panel--title { text-style: bold; }
    """
    COMPONENT_CLASSES = {"run-panel--title"}
    BINDINGS = [
        Binding("r", "rerun", "Run again", id="editor-run-panel-rerun", tooltip="Run it again"),
        Binding("k", "kill", "Kill", id="editor-run-panel-kill", tooltip="Stop the run"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.command = ""
        self.tail: LineTail | None = None
        self.outcome: RunOutcome | None = None
        self.lines: list[str] | None = None  # a finished run's stored lines
        self._seen = -1
        self._started = 0.0
        self._timer: Timer | None = None
        # Each shown line's Text by its raw text: a line scrolling up is not parsed again.
        self._texts: dict[str, Text] = {}

    @property
    def running(self) -> bool:
        return self.tail is not None and self.outcome is None

    def follow(self, command: str, tail: LineTail) -> None:
        """Show a run under way."""
        self.command, self.tail, self.outcome, self.lines = command, tail, None, None
        self._seen, self._started = -1, time.monotonic()
        self.add_class("-shown")
        if self._timer is None:
            self._timer = self.set_interval(POLL_S, self._poll)
        self.refresh()

    def finished(self, outcome: RunOutcome) -> None:
        self.outcome = outcome
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.refresh()

    def show_past(self, info: RunInfo, output: str) -> None:
        """Show a run from the history with the output kept for it."""
        from promptterm.services.code import RunOutcome

        self.command, self.tail = info.command, None
        self.lines = output.split("\n")
        self.outcome = RunOutcome(
            info.status, info.exit_code, info.duration_ms or 0, info.memory_kb, info.output_bytes
        )
        self.add_class("-shown")
        self.refresh()

    def hide(self) -> None:
        self.remove_class("-shown")

    def _poll(self) -> None:
        if self.tail is not None and self.tail.version != self._seen:
            self._seen = self.tail.version
            self.refresh()
        elif self.running:
            self.refresh()  # the seconds counting up in the title

    def title(self) -> Text:
        if self.outcome is None:
            state = f"running {time.monotonic() - self._started:.0f} s · alt+k kills"
            style = "bold $warning"
        else:
            state = describe_outcome(self.outcome)
            style = "bold $success" if self.outcome.status == "completed" else "bold $error"
        text = Text.assemble(("$ ", "dim"), (self.command, "bold"), "  ")
        text.append(state, style=self._rich_style(style))
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    def _rich_style(self, style: str) -> str:
        colours = {
            "$warning": self.app.current_theme.warning,
            "$success": self.app.current_theme.success,
            "$error": self.app.current_theme.error,
        }
        for name, colour in colours.items():
            style = style.replace(name, str(colour or ""))
        return style

    def _output(self, count: int | None = None) -> list[str]:
        """The output's last ``count`` lines (all with None), the line not begun left out."""
        if self.lines is not None:
            lines = self.lines
        elif self.tail is None:
            lines = []
        elif count is None:
            lines = self.tail.lines()
        else:
            lines = self.tail.last(count + 1)  # only what fits: a flood keeps 2,000 lines
        if lines and lines[-1] == "":
            lines = lines[:-1]  # the line not begun yet
        return lines if count is None else lines[-count:] if count else []

    def shown_text(self) -> str:
        """The title and the output's last lines as plain text (what a reader sees)."""
        height = max(0, self.content_region.height - 1)
        lines = self._output(height)
        return "\n".join([self.title().plain, *(Text.from_ansi(x).plain for x in lines)])

    def render(self) -> Group:
        height = max(0, self.content_region.height - 1)
        lines = self._output(height)
        cache = self._texts
        shown = []
        for line in lines:
            text = cache.get(line)
            if text is None:
                text = Text.from_ansi(line)
                text.no_wrap = True
                text.overflow = "crop"
            shown.append(text)
        self._texts = dict(zip(lines, shown, strict=True))  # only what is on screen now
        return Group(self.title(), *shown)

    def action_rerun(self) -> None:
        self.screen.run_action("rerun")  # type: ignore[attr-defined]

    def action_kill(self) -> None:
        self.screen.run_action("kill_run")  # type: ignore[attr-defined]
