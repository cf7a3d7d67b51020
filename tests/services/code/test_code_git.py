"""What git says about a bound folder, against a real repository made in tmp_path."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from promptterm.services.code import commits_touching, git_status, text_at_commit, text_at_head


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "a@example.com")
    _git(root, "config", "user.name", "Ada")
    (root / "app.py").write_text("print(1)\n")
    (root / "gone.py").write_text("x\n")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "First")
    (root / "app.py").write_text("print(2)\n")
    _git(root, "commit", "-qam", "Second\x1b[2J")
    return root


def test_branch_changes_and_ahead_behind(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    _git(tmp_path, "clone", "-q", "--bare", str(repo), str(remote))
    _git(repo, "remote", "add", "origin", str(remote))
    _git(repo, "fetch", "-q", "origin")
    _git(repo, "branch", "-q", "-u", "origin/main")
    (repo / "app.py").write_text("print(3)\n")
    _git(repo, "commit", "-qam", "Third")
    (repo / "app.py").write_text("print(4)\n")
    (repo / "new.txt").write_text("new\n")
    (repo / "gone.py").unlink()
    status = git_status(repo)
    assert status is not None
    assert (status.branch, status.upstream, status.ahead, status.behind) == (
        "main",
        "origin/main",
        1,
        0,
    )
    assert status.changed == {"app.py": "M", "new.txt": "?", "gone.py": "D"}
    assert status.label == "main ↑1 ●3"


def test_a_subfolder_of_a_repository_sees_its_own_paths(repo: Path) -> None:
    sub = repo / "pkg"
    sub.mkdir()
    (sub / "mod.py").write_text("a\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "Pkg")
    (sub / "mod.py").write_text("b\n")
    status = git_status(sub)
    assert status is not None and status.changed == {"mod.py": "M"}
    assert text_at_head(sub, "mod.py") == "a\n"


def test_the_file_at_head_and_the_commits_touching_it(repo: Path) -> None:
    (repo / "app.py").write_text("print(9)\n")
    assert text_at_head(repo, "app.py") == "print(2)\n"
    assert text_at_head(repo, "untracked.py") is None
    commits = commits_touching(repo, "app.py")
    assert [c.subject for c in commits] == ["Second", "First"]  # no escape survives, nor its tail
    assert commits[0].author == "Ada" and len(commits[0].short) == 7
    assert [c.subject for c in commits_touching(repo, "gone.py")] == ["First"]


def test_a_folder_outside_git_shows_nothing_and_raises_nothing(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("x\n")
    assert git_status(plain) is None
    assert text_at_head(plain, "a.py") is None
    assert commits_touching(plain, "a.py") == []


def test_a_repository_without_commits_has_a_branch_and_no_head(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    _git(root, "init", "-q", "-b", "trunk")
    (root / "a.py").write_text("x\n")
    status = git_status(root)
    assert status is not None and (status.branch, status.head) == ("trunk", None)
    assert status.changed == {"a.py": "?"}


def test_the_file_at_an_older_commit_and_no_revision_expressions(repo: Path) -> None:
    first, second = (c.sha for c in reversed(commits_touching(repo, "app.py")))
    assert text_at_commit(repo, "app.py", first) == "print(1)\n"
    assert text_at_commit(repo, "app.py", second[:7]) == "print(2)\n"
    assert text_at_commit(repo, "gone.py", second) == "x\n"
    # Only a commit id or HEAD: never an option or an expression such as HEAD~1.
    assert text_at_commit(repo, "app.py", "HEAD~1") is None
    assert text_at_commit(repo, "app.py", "--output=/tmp/x") is None
