"""The presets view of the library: most used (or recently used) first, the composed system
prompt of the highlighted one, the builder, and the one-key fix of an incomplete preset.

LibraryComponents < LibraryPresets < LibraryPrompts < LibraryScreen.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import OptionList, Static
from textual.worker import get_current_worker

from promptterm.ui.library.components import LibraryComponents, limit_message
from promptterm.ui.library.messages import Changed, PresetsLoaded
from promptterm.ui.library.widgets.presets import (
    PRESET_SORT_WORDS,
    PRESET_SORTS,
    PresetList,
    PresetPreview,
)

if TYPE_CHECKING:
    from promptterm.services.library.presets import PresetInfo
    from promptterm.ui.library.dialogs.picker import Picked


class LibraryPresets(LibraryComponents):
    def __init__(self) -> None:
        super().__init__()
        self.preset_sort = PRESET_SORTS[0]
        self.presets: dict[uuid.UUID, PresetInfo] = {}
        self._preset_select: uuid.UUID | None = None

    @property
    def preset_list(self) -> PresetList:
        return self.query_one("#preset-list", PresetList)

    @property
    def preset(self) -> PresetInfo | None:
        """The highlighted preset."""
        preset_id = self.preset_list.selected_id if self.preset_list.is_mounted else None
        return self.presets.get(preset_id) if preset_id is not None else None

    # Loading ------------------------------------------------------------------------------

    def load_presets(self, select: uuid.UUID | None = None) -> None:
        if select is not None:
            self._preset_select = select
        words = PRESET_SORT_WORDS[self.preset_sort]
        self.query_one("#preset-hint", Static).update(f"{words} · s sort")
        self._fetch_presets(self.preset_sort)

    @work(thread=True, exclusive=True, exit_on_error=False, group="library-presets")
    def _fetch_presets(self, sort: str) -> None:
        read = self.reads["presets"].start()
        presets = self.services.presets.list(sort=sort)  # type: ignore[arg-type]
        if not get_current_worker().is_cancelled:  # else a newer sort's answer is coming
            self.post_message(PresetsLoaded(presets, read))

    @on(PresetsLoaded)
    def _presets_loaded(self, message: PresetsLoaded) -> None:
        self.keys_ready()  # a list is in (this or a newer one): keys typed meanwhile come in
        if not self.reads["presets"].is_newest(message.read):
            return  # read before a write (or a sort) whose own read is shown
        if self._preset_select is None and message.presets == list(self.presets.values()):
            return  # a refresh that found nothing new: the list stays as it is
        self.presets = {p.id: p for p in message.presets}
        select, self._preset_select = self._preset_select, None
        self.preset_list.show(message.presets, sort=self.preset_sort, now=self.now(), keep=select)
        self._preset_moved()

    @on(OptionList.OptionHighlighted, "#preset-list")
    def _preset_highlighted(self) -> None:
        self._preset_moved()

    def _preset_moved(self) -> None:
        from promptterm.services.library.presets import compose

        preset = self.preset
        preview = self.query_one(PresetPreview)
        if preset is None:
            preview.show_text("Nothing selected.")
        else:
            # Composing is string joining: no need for a worker.
            preview.show(preset, compose(preset), self.now())
        self.refresh_bindings()

    def action_sort_presets(self) -> None:
        self.preset_sort = PRESET_SORTS[
            (PRESET_SORTS.index(self.preset_sort) + 1) % len(PRESET_SORTS)
        ]
        self.load_presets()

    # Build, edit, fix, delete -------------------------------------------------------------

    def action_new_preset(self) -> None:
        refused = limit_message(self.limits, "max_presets", self.services.ctx.hints)
        if refused is not None:
            self.notify(refused, title="Limit reached", severity="error", timeout=12, markup=False)
            return
        self._open_builder(None)

    def action_edit_preset(self) -> None:
        if self.preset is not None:
            self._open_builder(self.preset)

    @on(OptionList.OptionSelected, "#preset-list")
    def _preset_chosen(self) -> None:
        self.action_edit_preset()

    def _open_builder(self, editing: PresetInfo | None) -> None:
        from promptterm.ui.library.dialogs.preset_builder import PresetBuilder

        def done(saved: PresetInfo | None) -> None:
            if saved is not None:
                verb = "Saved" if editing else "Created"
                note = f"{verb} the preset {saved.name!r}."
                if saved.warning:
                    note += f" {saved.warning}."
                # The picker can write a component on the way: components may have changed.
                self.post_message(Changed(note, ("presets", "components"), saved.id))

        self.app.push_screen(PresetBuilder(self.services, editing), done)

    def action_fix_preset(self) -> None:
        """Pick a component for the first slot whose component was deleted."""
        preset = self.preset
        if preset is None or not preset.missing:
            return
        from promptterm.ui.library.dialogs.picker import ComponentPicker

        slot = preset.missing[0]
        reason = f"{preset.name!r} lost its {slot}: pick another, or none to leave it out."

        def done(picked: Picked | None) -> None:
            if picked is not None:
                self._fill_slot(preset.id, slot, picked.component_id)

        self.app.push_screen(ComponentPicker(self.services, slot, reason=reason), done)

    @work(thread=True, exit_on_error=False, group="library-write")
    def _fill_slot(self, preset_id: uuid.UUID, slot: str, component_id: uuid.UUID | None) -> None:
        preset = self.services.presets.update(preset_id, **{slot: component_id})
        if component_id is None:
            note = f"{preset.name!r} no longer has a {slot}."
        else:
            part = getattr(preset, slot)
            note = f"{preset.name!r} now uses {part.name!r} as its {slot}."
        if preset.missing:
            note += f" Still missing: {', '.join(preset.missing)} (f again)."
        self.post_message(Changed(note, ("presets", "components"), preset.id))

    def action_copy_preset(self) -> None:
        from promptterm.services.library.presets import compose

        preset = self.preset
        if preset is None:
            return
        text = compose(preset).text
        self.app.copy_to_clipboard(text)
        self.notify(
            f"Copied the system prompt of {preset.name!r} ({len(text):,} characters).",
            markup=False,
        )

    def action_delete_preset(self) -> None:
        preset = self.preset
        if preset is None:
            return
        from promptterm.ui.common.dialogs.confirm import ConfirmScreen

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self._delete_preset(preset.id)

        question = (
            f"Delete the preset {preset.name!r}? Its components stay; threads using it keep "
            "their messages."
        )
        self.app.push_screen(ConfirmScreen("Delete preset", question), done)

    @work(thread=True, exit_on_error=False, group="library-write")
    def _delete_preset(self, preset_id: uuid.UUID) -> None:
        name = self.services.presets.delete(preset_id)
        self.post_message(Changed(f"Deleted the preset {name!r}.", ("presets",)))
