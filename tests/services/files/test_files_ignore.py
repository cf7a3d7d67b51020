"""What a bound directory's walk skips, and how files on disk are read and written
(no database: these are the pure parts under disk sync)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from promptterm.services.files.disk import io as disk_io
from promptterm.services.files.disk.ignore_rules import IgnoreRules
from promptterm.services.files.disk.io import DiskWriteError, atomic_write, classify, read_file


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _walked(root: Path) -> tuple[set[str], set[str]]:
    kept, ignored = set(), set()
    for entry in IgnoreRules(root).walk():
        (kept if entry.kind in ("file", "dir") else ignored).add(entry.rel)
    return kept, ignored


def test_built_in_skips_vcs_dependencies_caches_and_virtualenvs(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "main.py": "",
            ".git/config": "",
            "node_modules/x/index.js": "",
            "pkg/__pycache__/m.pyc": "",
            ".venv/bin/python": "",
            "venv/lib/site.py": "",
            "env/pyvenv.cfg": "home = /usr",  # a virtualenv by its marker, whatever its name
            "env/lib/x.py": "",
            "environment/settings.py": "",  # no marker: an ordinary folder
            ".main.py.1a2b3c4d.promptterm-tmp": "",
        },
    )
    kept, ignored = _walked(tmp_path)
    assert kept == {"main.py", "pkg", "environment", "environment/settings.py"}
    assert ignored == {
        ".git",
        "node_modules",
        "pkg/__pycache__",
        ".venv",
        "venv",
        "env",
        ".main.py.1a2b3c4d.promptterm-tmp",
    }


def test_other_editors_swap_backup_and_temp_files_are_skipped(tmp_path: Path) -> None:
    # Issue 13, item 11: vim's swap file of a file being edited showed up in the trash.
    droppings = {
        ".latin1.txt.swp": "",  # vim
        ".main.py.swo": "",
        "main.py~": "",  # vim and emacs backups
        "#notes.md#": "",  # emacs autosave
        ".#notes.md": "",  # emacs lock
        "main.py___jb_tmp___": "",  # JetBrains safe write
        "main.py___jb_old___": "",
        "4913": "",  # vim's can-I-write test file
        ".idea/workspace.xml": "",
        "main.py.crswap": "",
    }
    kept_files = {"main.py": "", "logo.svg": "", ".swp-notes.txt": "", "notes.md": ""}
    _tree(tmp_path, {**droppings, **kept_files})
    kept, ignored = _walked(tmp_path)
    assert kept == set(kept_files)
    assert ignored == {name.split("/")[0] for name in droppings}


def test_gitignore_rules_as_git_reads_them(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".gitignore": "\n".join(
                [
                    "# comment",
                    "*.log",
                    "!keep.log",
                    "build/",  # folders only
                    "/todo.txt",  # anchored at the root
                    "docs/**/*.tmp",
                    "secret",
                ]
            ),
            "a.log": "",
            "keep.log": "",
            "build/out.js": "",
            "lib/build/x.js": "",
            "build.txt": "",  # a file named like the folder pattern is kept
            "todo.txt": "",
            "sub/todo.txt": "",  # not at the root: kept
            "docs/a/b/c.tmp": "",
            "docs/c.tmp": "",
            "docs/readme.md": "",
            "secret/key.pem": "",
            "sub/.gitignore": "!a.log\n*.md\n",
            "sub/a.log": "",  # re-included by the deeper .gitignore
            "sub/notes.md": "",
            "readme.md": "",
            ".git/info/exclude": "local-only.txt\n",
            "local-only.txt": "",
        },
    )
    kept, _ = _walked(tmp_path)
    files = {p for p in kept if (tmp_path / p).is_file()}
    assert files == {
        ".gitignore",
        "keep.log",
        "build.txt",
        "sub/todo.txt",
        "docs/readme.md",
        "sub/.gitignore",
        "sub/a.log",
        "readme.md",
    }


def test_a_file_in_an_ignored_folder_stays_ignored(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "out/\n!out/keep.txt\n", "out/keep.txt": ""})
    rules = IgnoreRules(tmp_path)
    assert rules.is_ignored("out", is_dir=True)
    assert rules.is_ignored("out/keep.txt")  # as in git: the folder is never entered


def test_reload_picks_up_a_changed_gitignore(tmp_path: Path) -> None:
    _tree(tmp_path, {"a.tmp": ""})
    rules = IgnoreRules(tmp_path)
    assert not rules.is_ignored("a.tmp")
    (tmp_path / ".gitignore").write_text("*.tmp\n", encoding="utf-8")
    rules.reload()
    assert rules.is_ignored("a.tmp")


def test_symlinks_are_reported_not_followed(tmp_path: Path) -> None:
    _tree(tmp_path, {"real/a.txt": ""})
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "a.txt")
    kinds = {e.rel: e.kind for e in IgnoreRules(tmp_path).walk()}
    assert kinds == {"real": "dir", "real/a.txt": "file", "loop": "symlink", "link.txt": "symlink"}


# Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "state"),
    [
        (b"plain text\n", "text"),
        ("naïve — 日本\r\n".encode(), "text"),
        (b"\xef\xbb\xbfwith a BOM\n", "text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"caf\xe9 au lait\n", "undecodable"),
        (b"", "text"),
    ],
    ids=["ascii", "unicode", "bom", "png", "controls", "latin1", "empty"],
)
def test_files_are_classified_without_mangling(data: bytes, state: str) -> None:
    found, text, detail = classify(data)
    assert found == state
    if state == "text":
        assert text is not None and text.encode("utf-8") == data  # exact, BOM included
    else:
        assert text is None and detail


def test_invalid_utf8_is_reported_with_its_offset(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9\n")
    found = read_file(tmp_path, "latin1.txt")
    assert (found.state, found.text) == ("undecodable", None)
    assert "byte 0xe9 at offset 3" in (found.detail or "")


def test_files_over_the_cap_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"x" * 5000)
    found = read_file(tmp_path, "big.txt", max_bytes=4096)
    assert (found.state, found.size, found.sha256, found.text) == ("too_large", 5000, None, None)
    assert "over the 4.0 KB limit" in (found.detail or "")


# Writing ---------------------------------------------------------------------------------


def test_atomic_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_text("old\n")
    target.chmod(0o750)
    atomic_write(target, b"new\n", root=tmp_path)
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert os.listdir(tmp_path) == ["run.sh"]  # no temporary file left behind


@pytest.mark.parametrize("where", ["write", "replace"])
def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target = tmp_path / "notes.md"
    target.write_text("precious\n")

    def full(*_args: object, **_kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(disk_io.os, where, full)
    with pytest.raises(DiskWriteError, match="The disk is full") as err:
        atomic_write(target, b"new text\n", root=tmp_path)
    assert err.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert target.read_text() == "precious\n"
    assert os.listdir(tmp_path) == ["notes.md"]
