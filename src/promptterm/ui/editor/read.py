"""Reading a file for the editor, in a worker: its text and language, or why there is none."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from promptterm.ui.editor.messages import Loaded

if TYPE_CHECKING:
    from promptterm.services.facade import Services


def read_content(services: Services, file_id: uuid.UUID, version: int | None = None) -> Loaded:
    """A file's text (the newest, or ``version``), or why there is none; in a worker."""
    from promptterm.services.files.models import ContentUnavailable

    files = services.files
    info = files.get(file_id)
    try:
        content = files.read(file_id, version)
    except ContentUnavailable as exc:
        return Loaded(info, info.head_version, None, exc.message)
    return with_language(Loaded(content.file, content.version, content.text))


def with_language(loaded: Loaded) -> Loaded:
    """The language detected (by name, then content): Pygments is slow to start, so this
    runs in the worker, not on the UI thread."""
    from dataclasses import replace

    from promptterm.ui.editor.widgets.languages import detect_language

    if loaded.text is None:
        return loaded
    return replace(loaded, language=detect_language(loaded.info.path, loaded.text).language)
