"""The one check every write, move and delete under a folder we own goes through.

A bound project folder, or a library export folder, may hold symbolic links (``out ->
/elsewhere``, ``up -> ../..``). Joining a relative path onto the folder and writing there
would follow them and change files outside it. ``inside`` resolves the path (every link on
the way, and ``..``) and refuses, with a message that names the link, when the result is not
under the resolved folder. Nothing here touches a database or Textual.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from promptterm.services.errors import Forbidden


class OutsideFolder(Forbidden):
    """A path under a folder we write to leads out of it; nothing was changed."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


def inside(
    root: Path | str,
    path: Path | str,
    *,
    action: str,
    folder: str = "the project folder",
) -> Path:
    """``root / path`` (``path`` relative to ``root``, or already under it), once its fully
    resolved form is known to stay under the resolved ``root``; OutsideFolder otherwise.

    ``action`` is the verb a person reads in the refusal ("write", "delete", "move").
    """
    root = Path(root)
    target = Path(path) if Path(path).is_absolute() else root / path
    base = root.resolve()
    resolved = target.resolve()
    if resolved == base or resolved.is_relative_to(base):
        return target
    rel = _relative(root, target)
    link = _escaping_link(root, base, target)
    if link is not None:
        how = (
            f"{_relative(root, link)} is a symbolic link to {os.readlink(link)}, "
            f"which is outside {folder} {root}"
        )
        fix = "Replace the link with a real folder, or remove it."
    else:
        how = f"it resolves to {resolved}, outside {folder} {root}"
        fix = "Use a path inside the folder."
    raise OutsideFolder(f"Refused to {action} {rel}: {how}. {fix}", rel)


def _escaping_link(root: Path, base: Path, target: Path) -> Path | None:
    """The first symbolic link on the way from ``root`` down to ``target`` that leads out
    of ``base`` (the resolved root)."""
    here = root
    try:
        parts = target.relative_to(root).parts
    except ValueError:
        return None
    for part in parts:
        here = here / part
        if here.is_symlink():
            landing = here.resolve()
            if landing != base and not landing.is_relative_to(base):
                return here
    return None


def _relative(root: Path, target: Path) -> str:
    try:
        return PurePath(target).relative_to(root).as_posix()
    except ValueError:
        return str(target)
