"""An answer the database would not take (a full disk, a server gone mid-answer) is not lost.

The streamed text is still in memory when the final write fails: it goes to a recovery file
(``<data dir>/recovered/answer-<message id>.md``, or the home folder or temp folder when the
data dir's disk is the full one), and the send raises AnswerNotSaved saying in words what
happened and where the text is. The answer row stays "streaming" with whatever was saved
before; the next start closes and meters it (chat_recovery.py).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from pathlib import Path

from promptterm.services.errors import ServiceError


class AnswerNotSaved(ServiceError):
    """The answer streamed but could not be stored; ``path`` holds its text (or None)."""

    kind = "not saved"

    def __init__(self, message: str, path: Path | None) -> None:
        super().__init__(message)
        self.path = path


def rescue(message_id: uuid.UUID, text: str, reason: str) -> AnswerNotSaved:
    """Write ``text`` where it fits and return the error to raise."""
    path = _write_somewhere(f"answer-{message_id}.md", text)
    if path is not None:
        where = f"The answer is not in the thread; its text is kept in {path}."
    else:
        where = "No recovery file could be written either: copy the answer from above."
    return AnswerNotSaved(f"{reason} {where}", path)


def _write_somewhere(name: str, text: str) -> Path | None:
    from promptterm.locations import data_dir

    for folder in (data_dir() / "recovered", Path.home(), Path(tempfile.gettempdir())):
        path = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        return path
    return None
