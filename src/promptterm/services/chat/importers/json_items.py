"""The conversations of a JSON export, one by one, so that a file cut short (a download that
stopped, a copy that ran out of space) still yields every conversation before the cut.

The export may be given as its ``conversations.json``, the folder it was unzipped into, or
the ``.zip`` itself (both ChatGPT and Claude send a zip).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from promptterm.services.chat.importers.model import ItemProblem
from promptterm.services.errors import ValidationError

EXPORT_FILE = "conversations.json"
_WHITESPACE = " \t\n\r"


def read_export_text(path: Path, source_name: str) -> str:
    """The text of ``conversations.json`` at ``path`` (a file, a folder or a zip)."""
    if path.is_dir():
        path = path / EXPORT_FILE
    if not path.exists():
        raise ValidationError(
            f"There is no {path}: give the {EXPORT_FILE} of your {source_name} export, "
            "the folder it is in, or the export's .zip.",
            "path",
        )
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == EXPORT_FILE]
                if not names:
                    raise ValidationError(
                        f"{path.name} holds no {EXPORT_FILE}: is it a {source_name} export?",
                        "path",
                    )
                raw = archive.read(min(names, key=len))
        else:
            raw = path.read_bytes()
    except (OSError, zipfile.BadZipFile) as exc:
        raise ValidationError(f"Could not read {path}: {exc}.", "path") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path.name} is not UTF-8 text (byte {exc.start}): is it a {source_name} export?",
            "path",
        ) from exc


def array_items(text: str, source_name: str) -> Iterator[tuple[int, Any] | ItemProblem]:
    """(position from 1, value) for each element of the top-level JSON array in ``text``;
    an ItemProblem, then the end, where the text stops making sense."""
    decoder = json.JSONDecoder()
    at = _skip(text, 0)
    if at >= len(text) or text[at] != "[":
        raise ValidationError(
            f"This is not a {source_name} {EXPORT_FILE}: it should be a JSON list of "
            "conversations.",
            "path",
        )
    at = _skip(text, at + 1)
    number = 0
    if at < len(text) and text[at] == "]":
        return
    while True:
        number += 1
        try:
            value, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            yield ItemProblem(
                f"conversation {number}",
                f"the file stops making sense here ({exc.msg} at character {exc.pos}); it "
                "may have been cut short. Everything before it was read.",
            )
            return
        yield number, value
        at = _skip(text, at)
        if at < len(text) and text[at] == ",":
            at = _skip(text, at + 1)
            continue
        if at < len(text) and text[at] == "]":
            return
        yield ItemProblem(
            f"after conversation {number}",
            "the file ends or breaks off here; it may have been cut short. Everything "
            "before it was read.",
        )
        return


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in _WHITESPACE:
        at += 1
    return at
