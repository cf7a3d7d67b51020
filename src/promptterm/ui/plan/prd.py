"""Plan: PRD. The project's PRD rendered as Markdown; ``e`` opens the form (problem,
solution, target audience, tech stack, success metrics and custom sections written as
``## Name`` blocks). A refused save (too long, or a teammate saved first) keeps the form open
with everything typed. (`promptterm prd export` writes it to a file.)"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from promptterm.services.plan import Prd, prd_markdown
from promptterm.services.plan.doc_models import PRD_FIELDS, PRD_TITLES
from promptterm.services.validation import strip_controls
from promptterm.ui.plan.pane import PlanPane

if TYPE_CHECKING:
    from promptterm.ui.common.dialogs.fields import Field

# The form's label column is narrow: the rendered view and exports use the full titles.
FORM_LABELS = {"target_audience": "Audience", "success_metrics": "Metrics"}
_HEADING = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)


class PrdPane(PlanPane):
    HELP_TITLE = "Plan: PRD"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,enter", "edit_prd", "Edit", id="plan-prd-edit", tooltip="Edit the PRD's fields"),
    ]

    def __init__(self) -> None:
        super().__init__(id="plan-prd")
        self.prd: Prd | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="prd-info", markup=False)
        with VerticalScroll(id="prd-view", can_focus=True):
            yield Markdown("", id="prd-rendered")

    def focus_first(self) -> None:
        self.query_one("#prd-view").focus()

    def reload(self) -> None:
        project = self.project
        if project is not None:
            self.read_service(lambda s: s.prd.get(project.id), self._loaded)

    def _loaded(self, prd: Prd) -> None:
        self.prd = prd
        name = self.project.name if self.project else None
        self.query_one("#prd-rendered", Markdown).update(_safe(prd_markdown(prd, name)))
        if prd.version == 0:
            words = "Not written yet: press e to write it."
        else:
            words = f"version {prd.version} · e edits"
        if not prd.can_edit:
            words += " · read only: you are a viewer"
        self.query_one("#prd-info", Static).update(words)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A viewer's e would be refused (and did nothing): not offered. The read lands after
        # the focus, and PlanPane asks the footer again when it does.
        if action == "edit_prd":
            return self.prd is not None and self.prd.can_edit
        return True

    def action_edit_prd(self) -> None:
        from promptterm.ui.common.dialogs.form import FormScreen
        from promptterm.ui.common.seen import Seen

        prd, project = self.prd, self.project
        if prd is None or project is None or not prd.can_edit:
            return
        services = self.services
        seen = Seen(prd.version, lambda: services.prd.get(project.id).version)

        def save(values: dict[str, str]) -> Prd:
            changes = {name: values[name] for name in PRD_FIELDS}
            sections = parse_sections(values["custom_sections"])
            return seen.write(
                lambda version: services.prd.save(
                    project.id, changes, sections=sections, seen_version=version
                )
            )

        def saved(result: Prd | None) -> None:
            if result is not None:
                self.app.notify(f"Saved the PRD, version {result.version}.")
                self._loaded(result)

        self.app.push_screen(
            FormScreen("Edit the PRD", prd_fields(prd), save, submit_label="Save", wide=True),
            saved,
        )


def prd_fields(prd: Prd) -> list[Field]:
    from promptterm.services.plan.doc_rules import LIMITS
    from promptterm.ui.common.dialogs.fields import Field

    fields = [
        Field(name, FORM_LABELS.get(name, PRD_TITLES[name]), str(getattr(prd, name)),
              multiline=True, limit=LIMITS["prd_field"])
        for name in PRD_FIELDS
    ]  # fmt: skip
    written = "\n\n".join(f"## {s.name}\n{s.content}" for s in prd.custom_sections)
    fields.append(Field("custom_sections", "Sections", written, multiline=True,
                        placeholder="## Name, then its text; one block per section"))  # fmt: skip
    return fields


def parse_sections(text: str) -> list[tuple[str, str]]:
    """``## Name`` blocks into (name, content); text before the first heading is refused by
    the service as a section without a name, so nothing typed is dropped silently."""
    parts = _HEADING.split(text)
    sections: list[tuple[str, str]] = []
    if parts[0].strip():
        sections.append(("", parts[0].strip()))
    for n in range(1, len(parts), 2):
        sections.append((parts[n], parts[n + 1].strip()))
    return sections


def _safe(markdown: str) -> str:
    """Typed text keeps its line breaks and tabs; no other control reaches the terminal."""
    return "\n".join(strip_controls(line) for line in markdown.split("\n"))
