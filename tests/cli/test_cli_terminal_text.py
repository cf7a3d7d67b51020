"""Text from outside reaches the terminal with its control characters shown, never acted
on (issue 12, item 6): names are refused, contents and file names from disk are printed
with ESC as ^[, and --json keeps the exact text, escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptterm.cli.terminal_text import visible
from support.cli_in_process import run

CLEAR = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"


def _no_controls(text: str) -> None:
    assert not any((ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)


def test_a_name_with_a_terminal_escape_is_refused(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, err = run(capsys, url, "component", "add", "role", f"Evil{CLEAR}", "-c", "x")
    assert code == 1
    assert "Name contains a control character (ESC at position 5)" in err
    _no_controls(out + err)
    code, _, err = run(capsys, url, "workspace", "create", "Team\x07")
    assert code == 1 and "Workspace name contains a control character (BEL" in err
    code, out, _ = run(capsys, url, "component", "list")
    assert "Evil" not in out


def test_contents_are_printed_with_their_escapes_shown_and_json_keeps_them(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    content = f"Line one{CLEAR}\n\tindented {CLIPBOARD}\r\nend \x9b31m"
    assert run(capsys, url, "component", "add", "role", "Quoted", "-c", content)[0] == 0
    code, out, err = run(capsys, url, "component", "show", "Quoted")
    assert code == 0, err
    _no_controls(out)
    assert "Line one^[[2J\n\tindented ^[]52;c;cm0gLXJmIH4=^G\nend M-^[31m" in out
    code, out, _ = run(capsys, url, "component", "show", "Quoted", "--json")
    _no_controls(out)
    assert json.loads(out)["content"] == content.replace("\r\n", "\n")  # stored as \n


def test_file_names_from_disk_are_shown_not_acted_on(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / f"a{CLEAR}b.txt").write_text(f"text {CLIPBOARD}\n", encoding="utf-8")
    code, out, err = run(capsys, url, "open", str(site), "--no-ui")
    assert code == 0, err
    code, out, err = run(capsys, url, "file", "list", "--project", "site")
    assert code == 0, err
    _no_controls(out + err)
    assert "a^[[2Jb.txt" in out
    code, out, err = run(capsys, url, "file", "show", f"a{CLEAR}b.txt", "--project", "site")
    assert code == 0, err
    assert out == visible(f"text {CLIPBOARD}\n") == "text ^[]52;c;cm0gLXJmIH4=^G\n"
