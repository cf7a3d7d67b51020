"""`promptterm open PATH` and `promptterm file ...`: import summaries, history, diff, restore."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.cli import main as cli_main
from promptterm.cli.main import main
from promptterm.services.facade import Services
from support.cli_in_process import run, run_json
from support.crashed_save import save_and_die


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("print('hi')\n")
    (root / "logo.png").write_bytes(b"\x89PNG\x00\x00")
    (root / "latin1.txt").write_bytes(b"caf\xe9\n")
    (root / "big.txt").write_bytes(b"x" * 5000)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return root


def test_open_no_ui_imports_and_prints_a_summary(
    capsys: pytest.CaptureFixture[str], url: str, site: Path
) -> None:
    code, out, err = run(capsys, url, "open", str(site), "--no-ui", "--max-size", "4096")
    assert code == 0, err
    assert f"Personal/site is bound to {site}" in out
    assert "Files: 1 imported." in out
    assert "Skipped 3 (1 binary, 1 too large, 1 invalid UTF-8):" in out
    assert "latin1.txt: not valid UTF-8 (byte 0xe9 at offset 3)" in out
    assert "Ignored 1 " in out
    # Opening again finds the bound project and only rescans.
    (site / "src" / "app.py").write_text("print('changed')\n")
    code, out, _ = run(capsys, url, "open", str(site), "--no-ui")
    assert "Files: 1 changed on disk." in out
    data = run_json(capsys, url, "open", str(site))
    assert data["project"]["name"] == "site"
    assert (data["imported"], data["changed"], data["ignored"]) == ([], [], 1)


def test_open_without_no_ui_launches_the_app(
    capsys: pytest.CaptureFixture[str], url: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launched: list[object] = []
    monkeypatch.setattr(
        cli_main,
        "run_app",
        lambda settings, *, services, project, notices: launched.append(project.name) or 0,
    )
    code, _, err = run(capsys, url, "open", str(site))
    assert (code, launched) == (0, ["site"]), err  # the app starts on the bound project


def test_plain_promptterm_hands_the_app_the_folder_it_started_in(
    url: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app opens the project bound to that folder (tests/ui/test_ui_app.py shows how)."""
    import promptterm.app

    given: dict[str, object] = {}

    class Recorder:  # stands in for the full-screen app: only what run_app hands it matters
        return_code = 0

        def __init__(self, **kwargs: object) -> None:
            given.update(kwargs)

        def run(self) -> None:
            pass

    monkeypatch.setattr(promptterm.app, "PromptTermApp", Recorder)
    monkeypatch.chdir(site / "src")
    assert main(["--database-url", url]) == 0
    start = given["start_folder"]
    assert isinstance(start, Path) and start.resolve() == (site / "src").resolve()
    assert given["project"] is None


def test_a_taken_project_name_gets_a_number(
    capsys: pytest.CaptureFixture[str], url: str, site: Path, tmp_path: Path
) -> None:
    run(capsys, url, "open", str(site), "--no-ui")
    other = tmp_path / "elsewhere" / "site"
    other.mkdir(parents=True)
    data = run_json(capsys, url, "open", str(other))
    assert data["project"]["name"] == "site 2"
    code, _, err = run(capsys, url, "open", str(other), "--project", "site", "--no-ui")
    assert code == 1 and "is bound to" in err


def test_open_writes_a_save_that_a_killed_process_never_wrote_and_says_so(
    capsys: pytest.CaptureFixture[str], url: str, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, url, "open", str(site), "--no-ui")
    services = Services.open(url)
    try:
        project_id = services.disk_sync.find_bound(site)
        assert project_id is not None
        app_py = services.files.find(project_id, "src/app.py")
    finally:
        services.close()
    save_and_die(url, app_py.id, "print('saved, then killed')\n")
    assert (site / "src" / "app.py").read_text() == "print('hi')\n"

    code, out, err = run(capsys, url, "open", str(site), "--no-ui")

    assert code == 0, err
    assert (site / "src" / "app.py").read_text() == "print('saved, then killed')\n"
    assert "Files: 1 written to disk." in out
    assert (
        "! src/app.py: version 2 was saved in promptterm but never reached the disk "
        "(promptterm stopped before writing it)." in out
    )
    code, out, _ = run(capsys, url, "open", str(site), "--no-ui")
    assert "Files: everything up to date." in out and "never reached" not in out
    # Opening the app instead: the same words come up in it, as a notification.
    save_and_die(url, app_py.id, "print('killed again')\n")
    shown: list[list[str]] = []
    monkeypatch.setattr(
        cli_main,
        "run_app",
        lambda settings, *, services, project, notices: shown.append(list(notices)) or 0,
    )
    run(capsys, url, "open", str(site))
    assert (site / "src" / "app.py").read_text() == "print('killed again')\n"
    [[notice]] = shown
    assert notice.startswith("src/app.py: version 3 was saved in promptterm but never reached")


def test_file_commands_inside_a_bound_folder(
    capsys: pytest.CaptureFixture[str],
    url: str,
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run(capsys, url, "open", str(site), "--no-ui")
    (site / "src" / "app.py").write_text("print('two')\n")
    run(capsys, url, "open", str(site), "--no-ui")
    monkeypatch.chdir(site / "src")
    listed = run_json(capsys, url, "file", "list")
    assert [f["path"] for f in listed] == ["big.txt", "latin1.txt", "logo.png", "src/app.py"]
    # Paths work as paths on disk (relative to here) or as project paths.
    history = run_json(capsys, url, "file", "history", "app.py")
    assert [(v["number"], v["message"]) for v in history] == [
        (2, "Changed on disk"),
        (1, "Imported from disk"),
    ]
    code, out, _ = run(capsys, url, "file", "diff", "src/app.py", "1")
    assert code == 0 and "-print('hi')\n+print('two')\n" in out
    side = run_json(capsys, url, "file", "diff", "app.py", "1", "2", "--side-by-side")
    assert side["rows"] == [
        {
            "kind": "change",
            "left_no": 1,
            "left": "print('hi')",
            "right_no": 1,
            "right": "print('two')",
            "skipped": 0,
        }
    ]
    code, out, _ = run(capsys, url, "file", "restore", "app.py", "1")
    assert "version 1 restored as version 3" in out
    assert (site / "src" / "app.py").read_text() == "print('hi')\n"
    code, out, _ = run(capsys, url, "file", "show", "app.py", "--version", "2")
    assert out == "print('two')\n"
    code, _, err = run(capsys, url, "file", "show", "logo.png")
    assert code == 1 and "binary file" in err


def test_file_commands_outside_a_bound_folder_need_a_project(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, url, "file", "list")
    assert code == 1 and "Which project?" in err
    run(capsys, url, "workspace", "create", "Team")
    run(capsys, url, "project", "create", "Notes", "--workspace", "team")
    assert run_json(capsys, url, "file", "list", "--project", "notes") == []
