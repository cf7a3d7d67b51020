"""A prompt's content as last read, kept by (prompt, version), so that rendering and editing
a big prompt again does not read and rebuild its hundreds of options each time.

Why the version is a safe key: every change to what a prompt says (modules, options,
variables, tags) is an edit, and every edit that changes something moves ``prompts.version``
on, in the same transaction; numbers are never reused (prompt_versions.py). So one
committed (prompt, version) has exactly one content, in every process. Only content read
from committed data goes in: an edit's own result is put in after its commit
(prompt_edit.py), never before, since a rolled-back edit's number is used again.

One cache per engine (so per database and, in team mode, per role: nothing read under one
role's row-level security is handed to another), a few prompts each; readers still check
who may read the prompt on every call, from the prompt's row.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from promptterm.services.library.prompt_state import Rows

KEEP = 8  # prompts per database: the ones open in a screen, a script's, a benchmark's


@dataclass(frozen=True)
class Content:
    """What a version of a prompt says: its rows as read, tags, and what screens use of them
    (``modules`` and ``variables`` as in PromptInfo), built once."""

    rows: Rows
    tags: tuple[str, ...]
    modules: tuple[Any, ...]  # ModuleInfo
    variables: tuple[Any, ...]  # VariableSpec


class ContentCache:
    def __init__(self) -> None:
        self._items: OrderedDict[tuple[uuid.UUID, int], Content] = OrderedDict()
        self._lock = threading.Lock()  # the app reads from several worker threads

    def get(self, prompt_id: uuid.UUID, version: int) -> Content | None:
        with self._lock:
            found = self._items.get((prompt_id, version))
            if found is not None:
                self._items.move_to_end((prompt_id, version))
            return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def put(self, prompt_id: uuid.UUID, version: int, content: Content) -> None:
        with self._lock:
            # An older version of the same prompt is not read again (numbers only grow).
            for key in [k for k in self._items if k[0] == prompt_id and k[1] != version]:
                del self._items[key]
            self._items[(prompt_id, version)] = content
            while len(self._items) > KEEP:
                self._items.popitem(last=False)


_caches: weakref.WeakKeyDictionary[Engine, ContentCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(engine: Engine) -> ContentCache:
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = ContentCache()
        return cache
