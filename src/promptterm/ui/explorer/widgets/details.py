"""The details pane: what the selected node is, who can see it, when it was last used."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from promptterm.links import file_url, safe_url, web_url
from promptterm.ui.common.relative_times import RelativeTimes
from promptterm.ui.common.widgets.format import size, when
from promptterm.ui.explorer.widgets.nodes import (
    FileItem,
    GroupItem,
    Item,
    NoteItem,
    ProjectItem,
    PromptItem,
    ThreadItem,
    WorkspaceItem,
)

if TYPE_CHECKING:
    from promptterm.services.workspaces.service import MemberInfo

LABEL_WIDTH = 12


class Sheet:
    """Builds the pane's text: a title, label/value rows and short sections."""

    def __init__(self) -> None:
        self.parts: list[Content] = []

    def title(self, text: str, subtitle: str) -> None:
        self.parts.append(Content.assemble((text, "bold $accent"), "\n", (subtitle, "dim")))
        self.blank()

    def row(self, label: str, value: str | None, link: str | None = None) -> None:
        if value:
            shown = Content(value)
            if link is not None:
                # Drawn as an OSC 8 hyperlink: ctrl/cmd+click opens it where the terminal can.
                shown = shown.stylize(Style(link=safe_url(link)))
            self.parts.append(Content.assemble((f"{label:<{LABEL_WIDTH}}", "bold"), shown))

    def heading(self, text: str) -> None:
        self.blank()
        self.parts.append(Content.styled(text, "bold underline"))

    def line(self, text: str, style: str = "") -> None:
        self.parts.append(Content.styled(text, style) if style else Content(text))

    def blank(self) -> None:
        self.parts.append(Content(""))

    def members(self, members: list[MemberInfo], workspace: str) -> None:
        self.heading(f"Members of {workspace} ({len(members)})")
        width = max((len(m.display_name) for m in members), default=0) + 2
        for m in members:
            extra = f"  {m.email}" if m.email else ""
            self.parts.append(
                Content.assemble(f"{m.display_name:<{width}}", (m.role, "$accent"), (extra, "dim"))
            )

    def keys(self, text: str) -> None:
        self.blank()
        self.line(text, "dim italic")

    def build(self) -> Content:
        return Content("\n").join(self.parts)


class DetailsPane(RelativeTimes, VerticalScroll, can_focus=False):
    """Shows one node; the screen fetches what it needs (members, presets) and passes it in."""

    def compose(self) -> ComposeResult:
        yield Static(id="details-body")

    def on_mount(self) -> None:
        self.border_title = "Details"

    def _set(self, content: Content, *, home: bool = True) -> None:
        self.query_one("#details-body", Static).update(content)
        if home:
            self.scroll_home(animate=False)

    def show_text(self, text: str) -> None:
        self.drawn_with(lambda now: None)
        self._set(Content.styled(text, "dim italic"))

    def show_item(
        self, item: Item, members: list[MemberInfo], now: datetime, *, home: bool = True
    ) -> None:
        self.drawn_with(lambda later: self.show_item(item, members, later, home=False))
        sheet = Sheet()
        if isinstance(item, WorkspaceItem):
            ws = item.info
            sheet.title(ws.name, f"workspace · you are {ws.role}")
            sheet.row("Slug", ws.slug)
            sheet.row("Projects", str(ws.project_count))
            sheet.row("Last opened", when(ws.last_accessed_at, now))
            sheet.row("Created", when(ws.created_at, now))
            if ws.description:
                sheet.blank()
                sheet.line(ws.description)
            sheet.members(members, ws.name)
            sheet.keys(_workspace_keys(ws.role))
        elif isinstance(item, ProjectItem):
            p = item.info
            sheet.title(p.name, f"project in {p.workspace_name} · you are {p.role}")
            sheet.row("Language", p.language or "—")
            sheet.row("Framework", p.framework or "—")
            sheet.row("Visibility", p.visibility)
            sheet.row("Slug", p.slug)
            repository = p.repository_url
            sheet.row("Repository", repository, repository if web_url(repository or "") else None)
            sheet.row("Folder", p.root_path, file_url(p.root_path) if p.root_path else None)
            sheet.row("Last opened", when(p.last_accessed_at, now))
            sheet.row("Created", when(p.created_at, now))
            sheet.row("Updated", when(p.updated_at, now))
            if p.description:
                sheet.blank()
                sheet.line(p.description)
            sheet.members(members, p.workspace_name)
            sheet.keys(_project_keys(p.role))
        elif isinstance(item, FileItem):
            f = item.info
            sheet.title(f.path, f"file in {item.project.name}")
            if item.project.root_path and not f.is_deleted:
                on_disk = Path(item.project.root_path) / f.path
                sheet.row("On disk", str(on_disk), file_url(on_disk))
            sheet.row("Size", size(f.size_bytes))
            sheet.row("Version", str(f.head_version))
            sheet.row("Language", f.language)
            sheet.row("Updated", when(f.updated_at, now))
        elif isinstance(item, ThreadItem):
            t = item.info
            sheet.title(t.title, f"thread in {item.project.name}")
            sheet.row("Tokens", f"{t.total_tokens:,}")
            sheet.row("Model", " / ".join(x for x in (t.provider, t.model) if x) or None)
            if t.preset_history:
                sheet.row("Preset", t.preset_history[-1].preset_name)
            sheet.row("Updated", when(t.updated_at, now))
            sheet.row("Started", when(t.created_at, now))
        elif isinstance(item, PromptItem):
            sheet.title(item.info.name, f"prompt filed under {item.project.name}")
            sheet.row("Updated", when(item.info.updated_at, now))
            sheet.blank()
            sheet.line("enter shows it in the library's Prompts view (4).", "dim")
        elif isinstance(item, GroupItem):
            sheet.title(item.kind.capitalize(), f"in {item.project.name}")
            sheet.line("Select one to see its details.", "dim")
        elif isinstance(item, NoteItem):
            sheet.line(item.text, "dim italic")
        self._set(sheet.build(), home=home)


def _workspace_keys(role: str) -> str:
    # Offer only what this person's role allows; the services would refuse the rest.
    keys = ["m members"] if role == "viewer" else ["n new project", "m members"]
    if role == "owner":
        keys.append("d delete")
    if role == "viewer":
        keys.append("read only")
    return " · ".join(keys)


def _project_keys(role: str) -> str:
    keys = ["enter open", "e edit files", "m members"]
    if role in ("owner", "admin"):
        keys.append("d delete")
    if role == "viewer":
        keys.append("read only")
    return " · ".join(keys)
