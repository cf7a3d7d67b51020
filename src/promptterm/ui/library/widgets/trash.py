"""The trash: deleted folders and prompts, newest first, until they are restored or expire."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from promptterm.services.words import plural
from promptterm.ui.common.relative_times import RelativeTimes
from promptterm.ui.common.widgets.format import ago

if TYPE_CHECKING:
    from promptterm.services.library.prompts import FolderInfo, PromptSummary


def _left(deleted_at: datetime, now: datetime, days: int) -> str:
    """How long the trash still keeps it, counted in started days, so that a prompt deleted
    just now is "kept 30 more days" under a 30-day rule, not "29 days left"."""
    seconds = (deleted_at + timedelta(days=days) - now).total_seconds()
    remaining = math.ceil(seconds / 86400)
    return "expires today" if remaining <= 0 else f"kept {plural(remaining, 'more day')}"


class TrashList(RelativeTimes, OptionList):
    """Option ids are "folder:<uuid>" or "prompt:<uuid>"."""

    def show(
        self,
        folders: list[FolderInfo],
        prompts: list[PromptSummary],
        folder_names: dict[uuid.UUID, str],
        *,
        now: datetime,
        days: int,
        keep: int | None = None,
    ) -> None:
        self.drawn_with(
            lambda later: self.show(
                folders, prompts, folder_names, now=later, days=days, keep=self.highlighted
            )
        )
        options: list[Option] = []
        newest_first = sorted(folders, key=lambda f: f.deleted_at or now, reverse=True)
        if folders:
            options.append(Option(Content.styled("FOLDERS", "bold"), disabled=True))
        for f in newest_first:
            inside = sum(1 for p in prompts if p.folder_id == f.id and p.deleted_at == f.deleted_at)
            when = f.deleted_at or now
            note = f"  deleted {ago(when, now)} · {_left(when, now, days)}"
            if inside:
                note += f" · with {plural(inside, 'prompt')}"
            options.append(
                Option(Content.assemble(("  ", ""), f.name, (note, "dim")), f"folder:{f.id}")
            )
        # Deleted with their folder: they come back with it (restore_folder matches the time).
        with_folder = {(f.id, f.deleted_at) for f in folders}
        loose = sorted(prompts, key=lambda p: p.deleted_at or now, reverse=True)
        if loose:
            options.append(Option(Content.styled("PROMPTS", "bold"), disabled=True))
        for p in loose:
            when = p.deleted_at or now
            where = f" in {folder_names[p.folder_id]}" if p.folder_id in folder_names else ""
            note = f"{where}  deleted {ago(when, now)} · {_left(when, now, days)}"
            if (p.folder_id, p.deleted_at) in with_folder:
                note += " · comes back with its folder"
            options.append(Option(Content.assemble("  ", p.name, (note, "dim")), f"prompt:{p.id}"))
        if not options:
            text = "The trash is empty. Deleted folders and prompts wait here for restoring."
            options = [Option(Content.styled(text, "dim italic"), disabled=True)]
        self.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        self.highlighted = keep if keep is not None else first

    @property
    def selected(self) -> tuple[str, uuid.UUID] | None:
        option = self.highlighted_option
        if option is None or option.disabled or not option.id:
            return None
        kind, _, raw = option.id.partition(":")
        return kind, uuid.UUID(raw)
