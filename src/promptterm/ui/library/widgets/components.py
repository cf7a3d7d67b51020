"""The components view: every component grouped by type (role, style, context, mode), and
the highlighted one's details."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option

from promptterm.services.library.components import CONTENT_MAX
from promptterm.ui.common.relative_times import RelativeTimes
from promptterm.ui.common.widgets.format import ago, when
from promptterm.ui.library.widgets.item_list import ItemList
from promptterm.ui.library.widgets.sheet import Sheet, plural

if TYPE_CHECKING:
    from promptterm.services.library.components import ComponentInfo, ComponentSummary

TYPES = ("role", "style", "context", "mode")
SORTS = ("most_used", "recent", "name")
SORT_WORDS = {"most_used": "most used", "recent": "recently updated", "name": "by name"}


def sort_hint(sort: str, type_filter: str | None) -> Content:
    kinds = f"{type_filter}s" if type_filter else "all types"
    return Content.assemble((SORT_WORDS[sort], "bold"), f" · {kinds} · ", ("t", "bold"), " type")


class ComponentList(RelativeTimes, ItemList):
    """Headers per type (not selectable), then that type's components; ids are UUIDs."""

    def show(
        self,
        groups: dict[str, list[ComponentSummary]],
        counts: dict[str, int],
        *,
        sort: str,
        query: str,
        now: datetime,
        keep: uuid.UUID | None,
    ) -> None:
        self.drawn_with(
            lambda later: self.show(
                groups, counts, sort=sort, query=query, now=later, keep=self.selected_id
            )
        )
        options: list[Option] = []
        for kind in TYPES:
            if kind not in groups:
                continue
            rows = groups[kind]
            if not rows and query:
                continue
            header = Content.assemble((kind.upper(), "bold"), (f"  {counts.get(kind, 0)}", "dim"))
            options.append(Option(header, id=f"type-{kind}", disabled=True))
            if not rows:
                options.append(Option(Content.styled(f"  no {kind}s yet", "dim"), disabled=True))
            for c in rows:
                note = ago(c.updated_at, now) if sort == "recent" else plural(c.usage_count, "use")
                options.append(
                    Option(Content.assemble("  ", c.name, (f"  {note}", "dim")), str(c.id))
                )
            more = counts.get(kind, 0) - len(rows)
            if more > 0:
                text = f"  … {more} more: press / to search"
                options.append(Option(Content.styled(text, "dim italic"), disabled=True))
        if not any(o.id and not o.disabled for o in options):
            if query:
                text = f"Nothing matches {query!r}. Press / to change the search."
            else:
                text = "No components yet. Press n to write a role, style, context or mode."
            options = [Option(Content.styled(text, "dim italic"), disabled=True)]
        self.replace_items(options, keep)


class ComponentDetails(RelativeTimes, VerticalScroll, can_focus=False):
    def compose(self) -> ComposeResult:
        yield Static(id="component-body")

    def on_mount(self) -> None:
        self.border_title = "Component"

    def show_text(self, text: str) -> None:
        self.drawn_with(lambda now: None)
        self.query_one("#component-body", Static).update(Content.styled(text, "dim italic"))

    def show(self, c: ComponentInfo, now: datetime, *, home: bool = True) -> None:
        self.drawn_with(lambda later: self.show(c, later, home=False))
        sheet = Sheet()
        sheet.title(c.name, f"{c.type} component")
        sheet.row("Used", plural(c.usage_count, "time"))
        sheet.row("Last used", when(c.last_used_at, now) if c.last_used_at else "never")
        sheet.row("Updated", when(c.updated_at, now))
        sheet.row("Tags", ", ".join(c.tags))
        if c.description:
            sheet.blank()
            sheet.line(c.description, "italic")
        sheet.heading("Content", f"  {len(c.content):,} / {CONTENT_MAX:,} characters")
        sheet.line(c.content)
        sheet.keys("e edit · v versions · d delete")
        self.query_one("#component-body", Static).update(sheet.build())
        if home:
            self.scroll_home(animate=False)
