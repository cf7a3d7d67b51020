"""The presets view: presets most used (or recently used) first, each with its parts or what
it is missing, and the highlighted one's composed system prompt with its token count."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static
from textual.widgets.option_list import Option

from promptterm.ui.common.relative_times import RelativeTimes
from promptterm.ui.common.widgets.format import ago, when
from promptterm.ui.library.widgets.item_list import ItemList
from promptterm.ui.library.widgets.sheet import Sheet, plural

if TYPE_CHECKING:
    from promptterm.services.library.components import ComponentInfo
    from promptterm.services.library.presets import ComposedPrompt, PresetInfo

SLOTS = ("role", "style", "context", "mode")
PRESET_SORTS = ("most_used", "recent", "name")
PRESET_SORT_WORDS = {
    "most_used": "most used first",
    "recent": "recently used first",
    "name": "by name",
}


def missing_text(preset: PresetInfo) -> str:
    """'role missing', 'role, mode missing'."""
    return f"{', '.join(preset.missing)} missing"


def preset_row(p: PresetInfo, sort: str, now: datetime) -> Content:
    if sort == "recent":
        note = f"used {ago(p.last_used_at, now)}" if p.last_used_at else "never used"
    else:
        note = plural(p.usage_count, "use")
    first = Content.assemble(p.name, (f"  {note}", "dim"))
    if p.is_incomplete:
        second = Content.styled(f"  ⚠ {missing_text(p)} · f fix", "$warning")
    else:
        second = Content.styled("  " + " · ".join(c.type for c in p.parts), "dim")
    return Content.assemble(first, "\n", second)


class PresetList(RelativeTimes, ItemList):
    def show(
        self, presets: list[PresetInfo], *, sort: str, now: datetime, keep: uuid.UUID | None
    ) -> None:
        self.drawn_with(lambda later: self.show(presets, sort=sort, now=later, keep=None))
        options: list[Option | None] = []
        if presets:
            for p in presets:
                options += [Option(preset_row(p, sort, now), str(p.id)), None]
        else:
            text = "No presets yet. Press n to build one from your components."
            options = [Option(Content.styled(text, "dim italic"), disabled=True)]
        self.replace_items(options, keep)


def parts_sheet(
    sheet: Sheet, parts: dict[str, ComponentInfo | None], missing: tuple[str, ...]
) -> None:
    for slot in SLOTS:
        part = parts.get(slot)
        if part is not None:
            sheet.row(slot.capitalize(), part.name)
        elif slot in missing:
            sheet.row(slot.capitalize(), "missing (deleted)", "bold $warning")
        else:
            sheet.row(slot.capitalize(), "—", "dim")


def preview_sheet(sheet: Sheet, text: str, tokens: int) -> None:
    sheet.heading("System prompt", f"  ≈ {tokens:,} tokens (estimate)")
    sheet.line(text if text else "(empty: pick at least one part)", "" if text else "dim italic")


class PresetPreview(RelativeTimes, VerticalScroll, can_focus=False):
    def compose(self) -> ComposeResult:
        yield Static(id="preset-body")

    def on_mount(self) -> None:
        self.border_title = "Preset"

    def show_text(self, text: str) -> None:
        self.drawn_with(lambda now: None)
        self.query_one("#preset-body", Static).update(Content.styled(text, "dim italic"))

    def show(
        self, p: PresetInfo, composed: ComposedPrompt, now: datetime, *, home: bool = True
    ) -> None:
        self.drawn_with(lambda later: self.show(p, composed, later, home=False))
        sheet = Sheet()
        sheet.title(p.name, p.description or "preset")
        if p.is_incomplete:
            slot = p.missing[0]
            sheet.line(f"⚠ Incomplete: {missing_text(p)}.", "bold $warning")
            sheet.line(f"Press f to pick another {slot}.", "$warning")
            sheet.blank()
        parts_sheet(sheet, {s: getattr(p, s) for s in SLOTS}, p.missing)
        sheet.row("Used", plural(p.usage_count, "time"))
        sheet.row("Last used", when(p.last_used_at, now))
        preview_sheet(sheet, composed.text, composed.token_estimate)
        sheet.keys("e edit · y copy · d delete")
        self.query_one("#preset-body", Static).update(sheet.build())
        if home:
            self.scroll_home(animate=False)
