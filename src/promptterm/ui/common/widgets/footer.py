"""The footer every area shows: where typing goes now, then the keys that apply, whole.

Textual's Footer lays every key out in a row that scrolls sideways when it is too long, so at
80 or 60 columns the last ones were cut mid-word under the ^p key. This one keeps only the keys
that fit, whole: the first ones (the focused widget's, then the screen's, in the order they
are declared, most useful first) win; help and the palette always stay, as every other key can
be found from them.

When the focus is on something that takes text (a filter, the message box, a file), it says
so first ("typing → thread filter"): after esc and tab a question typed into the thread filter
is no surprise.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, TextArea
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"
TYPING = "typing → "


def takes_text(widget: Widget | None) -> bool:
    """Does typing into ``widget`` enter text (rather than run keys)?"""
    if isinstance(widget, Input):
        return True
    return isinstance(widget, TextArea) and not widget.read_only


def typing_target(widget: Widget | None) -> str | None:
    """Where typing goes while ``widget`` has the focus, in a few words ("thread filter"),
    or None when keys there are commands. The screen names it (``typing_target``), else the
    widget's own ``typing_target`` attribute."""
    if widget is None or not takes_text(widget):
        return None
    name = getattr(widget.screen, "typing_target", None)
    named = name(widget) if callable(name) else None
    return named or getattr(widget, "typing_target", None) or "text box"


@dataclass(frozen=True)
class Hint:
    binding: Binding
    key_display: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        # compact FooterKey: "key description", then one column of margin
        return cell_len(self.key_display) + 1 + cell_len(self.binding.description) + 1

    @property
    def essential(self) -> bool:
        return self.binding.action == HELP_ACTION


def fit(hints: list[Hint], room: int) -> list[Hint]:
    """The hints that fit in ``room`` columns, in their order: the essential ones always,
    then as many of the others as fit, first come first."""
    left = room - sum(h.width for h in hints if h.essential)
    kept: set[int] = set()
    for index, hint in enumerate(hints):
        if hint.essential:
            continue
        if hint.width > left:
            break  # a later, smaller one would jump the queue of more useful keys
        left -= hint.width
        kept.add(index)
    return [h for i, h in enumerate(hints) if h.essential or i in kept]


class TypingTarget(Label):
    """'typing → thread filter', first in the footer."""

    DEFAULT_CSS = """
    TypingTarget {
        width: auto;
        height: 1;
        margin-right: 1;
        padding: 0 1;
        color: $text;
        background: $accent 40%;
        text-style: bold;
    }
    """


@dataclass(frozen=True)
class Plan:
    """What the footer shows, in order: the typing label, the keys that fit, the palette."""

    target: str | None
    keys: list[Hint]
    palette: Hint | None


class AreaFooter(Footer):
    """A compact Footer that shows only whole key hints (see the module's note)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(compact=True, id=id)
        self._laid_out_at = 0
        self._recomposing = asyncio.Lock()
        self._shown: tuple[object, ...] | None = None  # what the keys on show were made from
        self._on_show: Plan | None = None  # how they were laid out
        self._due: tuple[tuple[object, ...], list[Hint], Hint | None] | None = None

    def _hints(self) -> tuple[list[Hint], Hint | None]:
        by_action: defaultdict[str, list[Hint]] = defaultdict(list)
        palette: Hint | None = None
        for key, active in self.screen.active_bindings.items():
            binding, enabled, tooltip = active.binding, active.enabled, active.tooltip
            hint = Hint(binding, self.app.get_key_display(binding), enabled, tooltip)
            if key == self.app.COMMAND_PALETTE_BINDING:
                palette = hint
            if binding.show:
                by_action[binding.action].append(hint)
        shown = [hints[0] for hints in by_action.values()]
        return [h for h in shown if h is not palette], palette

    def _what_to_show(self) -> tuple[tuple[object, ...], list[Hint], Hint | None]:
        """Everything the keys on show depend on (the same again needs no new keys), with the
        hints it was read from: the screen's active bindings are read once per change."""
        hints, palette = self._hints()
        key = (
            self.size.width or self.app.size.width,
            typing_target(self.screen.focused),
            tuple((h.binding, h.key_display, h.enabled, h.tooltip) for h in hints),
            None if palette is None else (palette.key_display, palette.enabled),
            self.show_command_palette,
        )
        return key, hints, palette

    def _plan(self, hints: list[Hint], palette: Hint | None) -> Plan:
        width = self.size.width or self.app.size.width
        self._laid_out_at = width
        show_palette = (
            palette is not None and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
        )
        room = width
        if show_palette and palette is not None:
            # "▏^p Commands": the border, the key, a space, the words
            room -= 1 + cell_len(palette.key_display) + 1 + cell_len(palette.binding.description)
        label: str | None = None
        target = typing_target(self.screen.focused)
        if target is not None:
            need = cell_len(f"{TYPING}{target}") + 3  # its padding and margin
            essentials = sum(h.width for h in hints if h.essential)
            if need + essentials <= room:
                room -= need
                label = f"{TYPING}{target}"
        return Plan(label, fit(hints, room), palette if show_palette else None)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._shown, hints, palette = self._due or self._what_to_show()
        self._due = None
        plan = self._on_show = self._plan(hints, palette)
        if plan.target is not None:
            yield TypingTarget(plan.target)
        for hint in plan.keys:
            yield self._key(hint)
        if plan.palette is not None:
            yield self._palette_key(plan.palette)

    async def recompose(self) -> None:
        # A resize and a change of keys can ask at once: two recomposes interleaved would
        # each remove the old keys, then each mount a full set.
        async with self._recomposing:
            if not self.is_attached or not self._bindings_ready:
                await super().recompose()
                return
            due = self._what_to_show()
            # While a screen is built its focus and keys change several times over, mostly
            # back to what is on show already; rebuilding the keys each time cost a screen's
            # first frame more than drawing it.
            if self._shown is not None and due[0] == self._shown:
                return
            # Moving the focus changes which keys show more than how many: the keys on show
            # take the new ones' words, and only the difference is mounted or removed.
            if self._on_show is not None and self.children:
                await self._retell(due)
                return
            self._due = due
            await super().recompose()

    def _key(self, hint: Hint) -> FooterKey:
        return FooterKey(
            hint.binding.key,
            hint.key_display,
            hint.binding.description,
            hint.binding.action,
            disabled=not hint.enabled,
            tooltip=hint.tooltip,
            # Born compact, as the binding would make it once mounted: each key then is
            # styled once, not styled and restyled for the class (a tenth of a frame).
            classes="-compact" if self.compact else "",
        ).data_bind(compact=Footer.compact)

    def _palette_key(self, palette: Hint) -> FooterKey:
        return FooterKey(
            palette.binding.key,
            palette.key_display,
            palette.binding.description,
            palette.binding.action,
            classes="-command-palette -compact",  # (-compact: as it would be once mounted)
            disabled=not palette.enabled,
            tooltip=palette.binding.tooltip or palette.binding.description,
        )

    async def _retell(self, due: tuple[tuple[object, ...], list[Hint], Hint | None]) -> None:
        """Show ``due`` with the widgets on show: what compose would make of it, with the
        label and keys already mounted given new words, and only the difference mounted."""
        shown, hints, palette = due
        plan = self._plan(hints, palette)
        labels = list(self.query_children(TypingTarget))
        keys = [k for k in self.query_children(FooterKey) if not k.has_class("-command-palette")]
        palettes = list(self.query_children(FooterKey).filter(".-command-palette"))
        gone: list[Widget] = []
        if plan.target is None:
            gone += labels
        elif labels:
            labels[0].update(plan.target)
        else:
            await self.mount(TypingTarget(plan.target), before=0)
        for widget, hint in zip(keys, plan.keys, strict=False):
            _retell_key(widget, hint, hint.tooltip)
        gone += keys[len(plan.keys) :]
        more = [self._key(hint) for hint in plan.keys[len(keys) :]]
        if plan.palette is None:
            gone += palettes
        elif palettes:
            tip = plan.palette.binding.tooltip or plan.palette.binding.description
            _retell_key(palettes[0], plan.palette, tip)
        if gone:
            await self.remove_children(gone)
        if more:
            if palettes and plan.palette is not None:
                await self.mount_all(more, before=palettes[0])
            elif keys:
                await self.mount_all(more, after=keys[-1])
            else:
                await self.mount_all(more)
        if plan.palette is not None and not palettes:
            await self.mount(self._palette_key(plan.palette))
        self._shown, self._on_show = shown, plan

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_at and self._bindings_ready:
            self.call_after_refresh(self.recompose)


def _retell_key(widget: FooterKey, hint: Hint, tooltip: str) -> None:
    """What ``FooterKey(...)`` would have made of ``hint``, on a key already mounted."""
    binding = hint.binding
    words = (widget.key_display, widget.description)
    widget.key, widget.action = binding.key, binding.action
    widget.key_display, widget.description = hint.key_display, binding.description
    widget._disabled = not hint.enabled
    widget.set_class(not hint.enabled, "-disabled")
    widget.tooltip = tooltip or None
    if (hint.key_display, binding.description) != words:
        # Its width may change with its words: then the keys after it move.
        widget.refresh(layout=_cells(hint.key_display, binding.description) != _cells(*words))


def _cells(key_display: str, description: str) -> int:
    # As FooterKey.render lays a key out: "key description", or the key alone.
    return cell_len(key_display) + (1 + cell_len(description) if description else 0)
