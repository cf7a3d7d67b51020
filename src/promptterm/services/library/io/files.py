"""Reading a folder someone else may have written: bounded, and never past its own files.

Symbolic links are refused rather than followed: a cloned repository could otherwise carry
a link to ~/.ssh/id_rsa into a component, and the next export would publish it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from promptterm.services.library.io.report import ReportBuilder

KIB = 1024
MAX_FILES = 20_000  # files looked at in one import, whatever their kind


@dataclass(frozen=True)
class SourceFile:
    path: Path
    rel: str  # relative to the imported folder, with / and printable


def shown(path: Path | str) -> str:
    """A path as text that can always be printed (file names need not be valid UTF-8)."""
    text = os.fsencode(path).decode("utf-8", "replace")
    return text.replace(os.sep, "/")


class FolderReader:
    def __init__(self, root: Path, report: ReportBuilder) -> None:
        self.root = root
        self.report = report
        self.seen = 0

    def file(self, rel: str) -> SourceFile:
        return SourceFile(self.root / rel, rel)

    def walk(
        self, sub: str, suffixes: tuple[str, ...], *, recursive: bool = True
    ) -> list[SourceFile]:
        """Files under ``sub`` ending in one of ``suffixes``, hidden entries left out."""
        top = self.root / sub if sub else self.root
        if not top.is_dir() or top.is_symlink():
            return []
        found: list[SourceFile] = []
        for folder, dirs, files in os.walk(top, followlinks=False):
            here = Path(folder)
            for name in sorted(dirs):
                if recursive and (here / name).is_symlink() and not name.startswith("."):
                    self.report.error(self._rel(here / name), "A symbolic link; not followed.")
            dirs[:] = (
                sorted(d for d in dirs if not d.startswith(".") and not (here / d).is_symlink())
                if recursive
                else []
            )
            for name in sorted(files):
                if name.startswith(".") or not name.lower().endswith(suffixes):
                    continue
                if not self.count():
                    return found
                found.append(SourceFile(here / name, self._rel(here / name)))
        return found

    def subfolders(self) -> list[Path]:
        """The folder's own subfolders (not hidden, not links), by name."""
        try:
            entries = sorted(self.root.iterdir())
        except OSError as exc:
            self.report.error(".", f"Cannot list the folder: {exc.strerror}.")
            return []
        return [
            e for e in entries if not e.name.startswith(".") and e.is_dir() and not e.is_symlink()
        ]

    def read(self, source: SourceFile, max_bytes: int) -> str | None:
        """The file's text (UTF-8, BOM and CRLF removed), or None after reporting why not."""
        try:
            info = os.lstat(source.path)
        except OSError as exc:
            self.report.error(source.rel, f"Cannot read it: {exc.strerror}.")
            return None
        if stat.S_ISLNK(info.st_mode):
            self.report.error(source.rel, "A symbolic link; not followed.")
            return None
        if not stat.S_ISREG(info.st_mode):
            self.report.error(source.rel, "Not a regular file.")
            return None
        if info.st_size > max_bytes:
            self.report.error(
                source.rel,
                f"It is {info.st_size // KIB} KiB; at most {max_bytes // KIB} KiB is read.",
            )
            return None
        try:
            fd = os.open(source.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            self.report.error(source.rel, f"Cannot read it: {exc.strerror}.")
            return None
        if len(data) > max_bytes:  # it grew since lstat
            self.report.error(source.rel, f"It is over {max_bytes // KIB} KiB.")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.report.error(source.rel, "Not UTF-8 text.")
            return None
        return text.removeprefix("\ufeff").replace("\r\n", "\n")

    def exists(self, rel: str) -> bool:
        path = self.root / rel
        return path.is_file() and not path.is_symlink()

    def count(self) -> bool:
        """Count one more file looked at; False once the import has looked at too many."""
        self.seen += 1
        if self.seen == MAX_FILES + 1:
            self.report.error(".", f"Stopped after {MAX_FILES} files; import smaller folders.")
        return self.seen <= MAX_FILES

    def _rel(self, path: Path) -> str:
        return shown(path.relative_to(self.root))
