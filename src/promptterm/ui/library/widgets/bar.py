"""The library's top line: which view is showing (components, presets, prompts, trash) and
how much of the plan's room the user has used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from promptterm.services.billing.service import UsageLine, UsageSummary

VIEWS = ("components", "presets", "prompts", "trash")
TITLES = {"components": "Components", "presets": "Presets", "prompts": "Prompts", "trash": "Trash"}
# The limit each view counts against (prompts and the trash are not limited by plans).
VIEW_LIMITS = {"components": "max_components", "presets": "max_presets"}


def limit_text(line: UsageLine, plan: str) -> Content:
    """'12 / 20 components · Free plan', in the warning colour when close or full."""
    if line.limit is None:
        return Content.assemble(f"{line.used} {line.label} · ", (f"{plan} plan", "bold"))
    style = {"ok": "", "warning": "$warning", "full": "bold $error"}[line.state]
    return Content.assemble(
        (f"{line.used} / {line.limit} {line.label}", style), " · ", (f"{plan} plan", "bold")
    )


class LibraryBar(Horizontal):
    DEFAULT_CSS = """
    LibraryBar {
        height: 1;
        background: $boost;
    }
    LibraryBar #library-views {
        width: 1fr;
    }
    LibraryBar #library-limits {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="library-bar")
        self.view = VIEWS[0]
        self.summary: UsageSummary | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="library-views")
        yield Static(id="library-limits")

    def on_mount(self) -> None:
        self._draw()

    def show_view(self, view: str) -> None:
        self.view = view
        self._draw()

    def show_limits(self, summary: UsageSummary) -> None:
        self.summary = summary
        self._draw()

    def _draw(self) -> None:
        parts: list[Content | str | tuple[str, str]] = [" "]
        for view in VIEWS:
            title = TITLES[view]
            # A click switches too (keys: [ and ]); the current one reads as selected.
            if view == self.view:
                parts.append((f" {title} ", "bold reverse $accent"))
            else:
                parts.append(
                    Content.from_markup(f"[@click=screen.show_view('{view}')] {title} [/]")
                )
            parts.append(" ")
        self.query_one("#library-views", Static).update(Content.assemble(*parts))
        limits = Content("")
        if self.summary is not None:
            plan = self.summary.plan.name
            key = VIEW_LIMITS.get(self.view)
            if key is None:
                limits = Content.assemble((f"{plan} plan", "bold"))
            else:
                limits = limit_text(self.summary.line(key), plan)
        self.query_one("#library-limits", Static).update(limits)
