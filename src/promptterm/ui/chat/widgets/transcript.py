"""The messages of the open thread: a window of them (the tail, or the neighbourhood of a
search hit), a cursor for the message keys, and markers that load more.

A 10,000-message thread mounts only its last page; older pages are mounted when the reader
reaches the top (scrolling, or ↑ on the first message), newer ones likewise at the bottom
when the window was opened in the middle. Loading is the screen's job: the transcript asks
with ``NeedOlder`` / ``NeedNewer`` and is handed the messages.

Opening a thread at its tail mounts only what fills the screen (widgets/screenful.py): each
mounted message is a widget that Textual lays out again on every full layout, so the rest of
the page waits in memory (``held``) and is mounted above as the reader scrolls up, a few
messages at a time, the scroll position kept. Only when nothing is held is the database
asked for the page before.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Unpack

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from promptterm.services.words import plural
from promptterm.ui.chat.widgets.after_layout import AfterLayout
from promptterm.ui.chat.widgets.follows_stream import FollowsStream
from promptterm.ui.chat.widgets.message import MessageView, PresetNote
from promptterm.ui.chat.widgets.one_layout import OneLayout
from promptterm.ui.chat.widgets.preset_notes import Placing, with_notes
from promptterm.ui.chat.widgets.screenful import GROW, NEAR_TOP, screenful

if TYPE_CHECKING:
    from promptterm.services.chat.threads import MessageInfo, PresetChange
    from promptterm.ui.chat.widgets.stream_body import StreamBody


@dataclass(frozen=True)
class Window:
    """A page of messages and what lies beyond it."""

    messages: Sequence[MessageInfo]
    older: int | None  # messages before the first one here (None: some, still being counted)
    newer: int  # messages after the last one here (0: this is the tail)


class Marker(Static):
    """ "▲ 9,950 earlier messages" at the top, or the newer ones at the bottom."""


class Transcript(AfterLayout, OneLayout, FollowsStream, VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Previous message", show=False),
        Binding("down,j", "cursor(1)", "Next message", show=False),
        Binding("home", "first", "First message", show=False),
        Binding("end", "last", "Last message", show=False),
    ]

    @dataclass
    class NeedOlder(Message):
        before_seq: int

    @dataclass
    class NeedNewer(Message):
        after_seq: int

    @dataclass
    class CursorMoved(Message):
        view: MessageView | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.views: list[MessageView] = []
        self.older = 0
        self.newer = 0
        self.cursor = -1
        self.history: tuple[PresetChange, ...] = ()
        self.branch_titles: dict[uuid.UUID, str] = {}
        self._asked = False  # a NeedOlder/NeedNewer is being answered
        self._counting = False  # how many come before is not known yet (``counted`` says)
        # Loaded but not mounted: the messages just before the first mounted one, in order.
        self.held: list[MessageInfo] = []
        self._from_start = False  # the held messages begin the thread (preset notes above)
        self._detached = False  # the reader moved up: a streaming answer no longer pulls down
        self._homing = False  # home shows the top (and its marker) without loading more
        self._top = Marker(classes="marker -older")
        self._bottom = Marker(classes="marker -newer")

    def mount(
        self,
        *widgets: Widget,
        before: int | str | Widget | None = None,
        after: int | str | Widget | None = None,
    ) -> AwaitMount:
        # The thread (or the new-thread text) can arrive when the transcript is not in the DOM:
        # the app is quitting, or shutting down while the chat screen is still being built
        # (Textual then mounts a screen's widgets without waiting for them, so the screen's
        # first load may answer before this widget is attached). Nobody will see it; Textual
        # would raise MountError and end the app with a traceback.
        if not self.is_attached:
            return AwaitMount(self, [])
        return super().mount(*widgets, before=before, after=after)

    @property
    def one_layout(self) -> bool:
        # Following a streaming answer (anchored: the layout itself scrolls to the end);
        # otherwise as Textual does (keeping the reader's place scrolls after the second).
        following = self.is_anchored and not self._anchor_released
        return following and bool(self.views) and self.views[-1].one_layout

    # Filling ---------------------------------------------------------------------------------

    async def show_window(
        self,
        window: Window,
        history: tuple[PresetChange, ...],
        *,
        focus_seq: int | None = None,
    ) -> None:
        """Replace everything with ``window``; the cursor goes to ``focus_seq`` or the end."""
        self.history = history
        # A scroll still waiting for a layout was for what was shown before: when frames are
        # slow, the draft's "home" would scroll this thread to its top, which mounts held
        # messages nobody scrolled to.
        self.forget_after_layout()
        self._counting = window.older is None
        self.older, self.newer = 1 if window.older is None else window.older, window.newer
        self._asked = False
        # Fresh markers: a removed widget cannot be mounted again.
        self._top = Marker(classes="marker -older")
        self._bottom = Marker(classes="marker -newer")
        self.views = []
        messages = list(window.messages)
        self.held = []
        self._from_start = window.older == 0
        if focus_seq is None and window.newer == 0:
            # The tail: a screenful is mounted, the rest of the page is held. Counted from the
            # terminal's height, known before any layout, so every open shows the same screen.
            keep = screenful(messages, self.app.size.height)
            self.held, messages = messages[:-keep], messages[-keep:]
            self.older += len(self.held)
        items = self._with_notes(
            messages, from_start=window.older == 0 and not self.held, tail=window.newer == 0
        )
        self._update_markers()
        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all([self._top, *items, self._bottom])
        self.views = [w for w in items if isinstance(w, MessageView)]
        target = None
        if focus_seq is not None:
            target = next((i for i, v in enumerate(self.views) if v.message.seq == focus_seq), None)
        if target is None:
            self.cursor = len(self.views) - 1
            self.after_layout(self._to_end)
        else:
            self.cursor = target
            self.after_layout(self._reveal_cursor, True)
        self._mark_cursor()

    async def show_empty(self, text: Content) -> None:
        """What an empty thread says (how to start), in place of messages."""
        await self.mount(Static(text, classes="empty"), before=self._bottom)
        self.after_layout(self.scroll_home, animate=False, immediate=True)

    def _to_end(self) -> None:
        self._detached = False
        self.scroll_end(animate=False, immediate=True)
        self.follow()

    def streaming_body(self) -> StreamBody | None:
        return self.views[-1].live if self.views and not self.newer else None

    def on_resize(self) -> None:
        self.refit_answer()
        # A taller terminal: as many as would have been mounted at this height, counted the
        # same way (not from the layout), so the screen is full again.
        if not (self.held and self.views) or self._detached:
            return  # (no views: a window is being mounted)
        shown = [v.message for v in self.views]
        more = screenful([*self.held, *shown], self.app.size.height) - len(shown)
        if more > 0:
            self.call_later(self._fill, more)

    async def _fill(self, count: int) -> None:
        await self._mount_held(count)
        self.after_layout(self._to_end)

    def follow(self) -> None:
        """Keep the end in view as an answer grows, unless the reader moved away. (Anchored
        only once the messages overflow: Textual would push shorter content to the bottom.)"""
        if not (self.is_anchored or self._detached or self.newer) and self.max_scroll_y > 0:
            self.anchor()

    def counted(self, older: int) -> None:
        """How many messages come before the window as it was opened, now they are counted."""
        if self._counting:
            self._counting = False
            self.older = older + len(self.held)
            self._update_markers()

    async def add_older(self, messages: Sequence[MessageInfo], older: int) -> None:
        self._asked = False
        self._counting = False  # counted with the page
        self.older = older
        await self._mount_older(messages, from_start=older == 0)

    async def _mount_held(self, count: int = GROW) -> None:
        """The next ``count`` held messages go above the first mounted one."""
        grow, self.held = self.held[-count:], self.held[:-count]
        self.older -= len(grow)
        await self._mount_older(grow, from_start=self._from_start and not self.held)

    async def _mount_older(self, messages: Sequence[MessageInfo], *, from_start: bool) -> None:
        if not messages:
            self._update_markers()
            return
        first = self.views[0] if self.views else None
        offset = (first.virtual_region.y - self.scroll_y) if first is not None else 0
        until = first.message.created_at if first is not None else None
        items = self._with_notes(messages, from_start=from_start, tail=False, until=until)
        await self.mount_all(items, after=self._top)
        new_views = [w for w in items if isinstance(w, MessageView)]
        self.views = new_views + self.views
        self.cursor += len(new_views)
        self._update_markers()

        def keep_place() -> None:
            if first is not None:
                self.scroll_to(y=first.virtual_region.y - offset, animate=False, immediate=True)

        self.after_layout(keep_place)

    async def add_newer(self, messages: Sequence[MessageInfo], newer: int) -> None:
        self._asked = False
        self.newer = newer
        since = self._last_time()
        items = self._with_notes(messages, from_start=False, tail=newer == 0, since=since)
        if items:
            await self.mount_all(items, before=self._bottom)
        self.views += [w for w in items if isinstance(w, MessageView)]
        self._update_markers()

    async def append(self, message: MessageInfo) -> MessageView:
        """A message of a send, at the end (the window is the tail then)."""
        view = self._view(message)
        await self.mount(view, before=self._bottom)
        self.views.append(view)
        self.move_cursor(len(self.views) - 1, scroll=False)
        self.show_end()
        return view

    async def add_note(self, change: PresetChange) -> None:
        first = not any(isinstance(c, PresetNote) for c in self.children) and not self.views
        await self.mount(PresetNote(change, first=first), before=self._bottom)
        self._follow()

    async def drop_from(self, seq: int) -> None:
        """Messages from ``seq`` on left the thread (edit and resend moved them)."""
        gone = [v for v in self.views if v.message.seq >= seq]
        self.views = [v for v in self.views if v.message.seq < seq]
        await self.remove_children(gone)
        self.move_cursor(len(self.views) - 1, scroll=False)

    async def remove_view(self, view: MessageView) -> None:
        index = self.views.index(view)
        self.views.remove(view)
        await view.remove()
        self.move_cursor(min(index, len(self.views) - 1))

    def view_of(self, message_id: uuid.UUID) -> MessageView | None:
        return next((v for v in self.views if v.message.id == message_id), None)

    def set_branch_titles(self, titles: dict[uuid.UUID, str]) -> None:
        self.branch_titles.update(titles)
        for view in self.views:
            title = self._branch_title(view.message)
            if title and title != view.branch_title:
                view.set_branch_title(title)

    def _branch_title(self, message: MessageInfo) -> str | None:
        edited = message.meta.get("edited")
        if not edited:
            return None
        try:
            return self.branch_titles.get(uuid.UUID(edited.get("branch_thread_id", "")))
        except ValueError:
            return None

    def _last_time(self) -> datetime | None:
        return self.views[-1].message.created_at if self.views else None

    def _with_notes(
        self, messages: Sequence[MessageInfo], **placing: Unpack[Placing]
    ) -> list[Widget]:
        return with_notes(messages, self.history, self._view, **placing)

    def _view(self, message: MessageInfo) -> MessageView:
        return MessageView(message, branch_title=self._branch_title(message))

    def _update_markers(self) -> None:
        self._top.display = self.older > 0
        if self._counting:
            self._top.update("▲ earlier messages · ↑ here loads more")
        elif self.older:
            n = self.older
            self._top.update(f"▲ {plural(n, 'earlier message')} · ↑ here loads more")
        self._bottom.display = self.newer > 0
        if self.newer:
            n = self.newer
            self._bottom.update(
                f"▼ {plural(n, 'newer message')} · ↓ loads more, end jumps to the latest"
            )

    # The cursor ------------------------------------------------------------------------------

    @property
    def selected(self) -> MessageView | None:
        if 0 <= self.cursor < len(self.views):
            return self.views[self.cursor]
        return None

    def move_cursor(self, index: int, *, scroll: bool = True) -> None:
        self.cursor = max(-1, min(index, len(self.views) - 1))
        self._mark_cursor()
        if scroll:
            self._reveal_cursor()

    def _mark_cursor(self) -> None:
        for i, view in enumerate(self.views):
            view.set_class(i == self.cursor, "-cursor")
        self.post_message(self.CursorMoved(self.selected))

    def _reveal_cursor(self, top: bool = False) -> None:
        view = self.selected
        if view is None:
            return
        region = view.virtual_region
        height = self.scrollable_content_region.height
        if top or region.height > height:
            self.scroll_to(y=region.y, animate=False)
        else:
            self.scroll_to_widget(view, animate=False)

    def action_cursor(self, step: int) -> None:
        self._detached = True
        view = self.selected
        if view is not None:
            # A message taller than the screen is read line by line before moving on.
            region = view.virtual_region
            top, height = round(self.scroll_y), self.scrollable_content_region.height
            if step > 0 and region.bottom > top + height:
                self.scroll_relative(y=max(1, height // 2), animate=False)
                return
            if step < 0 and region.y < top:
                self.scroll_relative(y=-max(1, height // 2), animate=False)
                return
        wanted = self.cursor + step
        if wanted < 0:
            self._ask_older()
            return
        if wanted >= len(self.views):
            self._ask_newer()
            return
        self.move_cursor(wanted, scroll=False)
        target = self.views[wanted].virtual_region
        height = self.scrollable_content_region.height
        if step < 0:
            # A tall message above shows its end, where reading upwards continues.
            top = round(self.scroll_y)
            if target.y < top or target.bottom > top + height:
                self.scroll_to(y=max(target.y, target.bottom - height), animate=False)
        else:
            self.scroll_to_widget(self.views[wanted], animate=False, top=target.height > height)

    def action_first(self) -> None:
        """The first message loaded, and above it the marker: ↑ from there loads more."""
        self._detached = True
        self.move_cursor(0, scroll=False)
        self._homing = True
        try:
            self.scroll_home(animate=False, immediate=True)
        finally:
            self._homing = False

    def action_last(self) -> None:
        self.move_cursor(len(self.views) - 1, scroll=False)
        self._to_end()

    def _ask_older(self) -> None:
        if self.held and not self._asked:
            self._asked = True  # until they are mounted
            self.call_later(self._grow_from_held)
            return
        if self.older and not self._asked and self.views:
            self._asked = True
            self.post_message(self.NeedOlder(self.views[0].message.seq))

    async def _grow_from_held(self) -> None:
        try:
            await self._mount_held()
        finally:
            self._asked = False

    def _ask_newer(self) -> None:
        if self.newer and not self._asked and self.views:
            self._asked = True
            self.post_message(self.NeedNewer(self.views[-1].message.seq))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # Reaching the top by scrolling loads the page before, as in any chat app.
        if self._homing:
            return
        # Held messages go on a message before the top, so scrolling rarely stops there. Not
        # more: a layout that shrinks the scroll range pulls the view up a little too, and
        # that must not mount anything (the screenful leaves many more lines than these).
        near_top = NEAR_TOP if self.held else 0
        if new < old and new <= near_top and self.max_scroll_y > 0:
            self._ask_older()
        elif new > old and new >= self.max_scroll_y and self.newer:
            self._ask_newer()

    def _follow(self) -> None:
        if self.newer == 0 and not self._detached:
            self.after_layout(self._to_end)

    def show_end(self) -> None:
        """A send started: follow its answer from here, whatever the reader did before."""
        self._detached = False
        self._follow()
