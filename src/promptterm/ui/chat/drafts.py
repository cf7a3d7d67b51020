"""Each chat thread's own composer draft: a part the chat screen holds.

The composer shows the draft of the thread in front; switching threads puts the text away
under the thread it was typed in and brings out the other thread's. Drafts are written to the
database (services.chat_drafts) on a switch, a second after typing stops, and on quitting, so
they survive a restart. ``None`` is the new thread not made yet.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.timer import Timer

    from promptterm.ui.chat.widgets.composer import Composer

Key = uuid.UUID | None
SAVE_AFTER = 1.0  # seconds without typing before a draft is written


class DraftKeeper:
    def __init__(self, composer: Composer, save: Callable[[dict[Key, str]], None]) -> None:
        """``save``: writes drafts (empty text: remove); the screen runs it in a worker."""
        self.composer = composer
        self._save = save
        self.key: Key = None  # the thread whose draft the composer shows
        self._drafts: dict[Key, str] = {}
        self._dirty: set[Key] = set()
        self._timer: Timer | None = None

    def draft(self, key: Key) -> str:
        return self._drafts.get(key, "")

    def loaded(self, drafts: dict[Key, str]) -> None:
        """The stored drafts arrived: those not touched meanwhile join the ones in memory."""
        for key, text in drafts.items():
            self._drafts.setdefault(key, text)
        if not self.composer.text and self.draft(self.key):
            self.composer.set_draft(self.draft(self.key))

    def typed(self, text: str) -> None:
        """The composer's text changed (typing, pasting, clearing) in the thread in front."""
        if self._drafts.get(self.key, "") == text:
            return
        self._drafts[self.key] = text
        self._dirty.add(self.key)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.composer.set_timer(SAVE_AFTER, self.flush)

    def switch(self, key: Key, current_text: str | None = None) -> None:
        """Show thread ``key``'s draft; the text in the box stays with the thread it was
        typed in (``current_text``: what that is, when the box holds something else)."""
        if key == self.key:
            return
        text = self.composer.text if current_text is None else current_text
        if self._drafts.get(self.key, "") != text:
            self._drafts[self.key] = text
            self._dirty.add(self.key)
        self.key = key
        self.composer.set_draft(self.draft(key))
        self.flush()

    def adopt(self, thread_id: uuid.UUID) -> None:
        """The new thread was made (by its first send): its draft is now that thread's."""
        if self.key is not None:
            return
        self._drafts[thread_id] = self._drafts.pop(None, "")
        self._dirty.update((None, thread_id))
        self.key = thread_id
        self.flush()

    def put(self, thread_id: uuid.UUID, text: str) -> None:
        """``text`` becomes the thread's draft (the library's "send to chat")."""
        self._drafts[thread_id] = text
        if self.key == thread_id:
            self.composer.set_draft(text)

    def sent(self, thread_id: uuid.UUID | None, text: str | None) -> None:
        """A question left for the thread: a draft that was that question is gone."""
        if text is not None and self._drafts.get(thread_id) == text:
            self._drafts[thread_id] = ""
            self._dirty.add(thread_id)
            self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._dirty:
            dirty = {key: self._drafts.get(key, "") for key in self._dirty}
            self._dirty.clear()
            self._save(dirty)

    def pending(self) -> dict[Key, str]:
        """What is not written yet (for the last, synchronous write on quitting)."""
        dirty = {key: self._drafts.get(key, "") for key in self._dirty}
        self._dirty.clear()
        return dirty


class DraftsLoaded(Message):
    """The user's stored drafts, read at the chat area's start."""

    def __init__(self, drafts: dict[Key, str]) -> None:
        super().__init__()
        self.drafts = drafts
