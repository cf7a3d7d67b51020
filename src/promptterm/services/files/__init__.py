"""Files: project files with every version kept, their storage and diffs, directories bound
on disk and kept in sync, and each user's editor session.

The face other domains import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.files.diff import DiffRow as DiffRow
    from promptterm.services.files.diff import SideBySide as SideBySide
    from promptterm.services.files.diff import side_by_side as side_by_side
    from promptterm.services.files.diff import unified as unified
    from promptterm.services.files.disk.sync import DiskSyncService as DiskSyncService
    from promptterm.services.files.editor_sessions import (
        EditorSessionService as EditorSessionService,
    )
    from promptterm.services.files.editor_sessions import EditorState as EditorState
    from promptterm.services.files.editor_sessions import TabState as TabState
    from promptterm.services.files.index import FileIndexService as FileIndexService
    from promptterm.services.files.index import FileRef as FileRef
    from promptterm.services.files.models import FileContent as FileContent
    from promptterm.services.files.models import FileInfo as FileInfo
    from promptterm.services.files.models import VersionInfo as VersionInfo
    from promptterm.services.files.service import FileService as FileService

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "service": ("FileService",),
        "models": ("FileInfo", "VersionInfo", "FileContent"),
        "index": ("FileIndexService", "FileRef"),
        "disk.sync": ("DiskSyncService",),
        "editor_sessions": ("EditorSessionService", "EditorState", "TabState"),
        "diff": ("unified", "side_by_side", "DiffRow", "SideBySide"),
    },
)
