"""OSC 8 links in the CLI (issue 21, item 5): file paths and provider URLs are clickable in a
terminal that shows links, written as plain text into a pipe, off with a switch, kept under
NO_COLOR, and never carry a control character inside the link's URL."""

from __future__ import annotations

import os
import pty
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from promptterm.cli.hyperlinks import file_url, links_wanted, safe_url, terminal_shows_links
from promptterm.cli.main import main
from support.cli_in_process import run_on_terminal
from support.waiting import CEILING

OSC8 = "\x1b]8;;"
ST = "\x1b\\"
CLEAR = "\x1b[2J"


@pytest.fixture
def bound(url: str, tmp_path: Path) -> tuple[str, Path]:
    """A database with a project bound to a folder holding ``notes.txt`` and a file whose
    name carries an escape sequence."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("hello\n", encoding="utf-8")
    (site / f"a{CLEAR}b.txt").write_text("x\n", encoding="utf-8")
    assert main(["--database-url", url, "open", str(site), "--no-ui"]) == 0
    return url, site


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "FORCE_HYPERLINK")}
    for name in ("TERM_PROGRAM", "VTE_VERSION", "WT_SESSION", "KITTY_WINDOW_ID", "TMUX"):
        env.pop(name, None)
    env.update(
        TERM="xterm-256color",
        PROMPTTERM_CONFIG_DIR=str(tmp_path / "config"),
        PROMPTTERM_DATA_DIR=str(tmp_path / "data"),
        PROMPTTERM_HYPERLINKS="",
    )
    env.update(extra)
    return env


def _command(url: str, *argv: str) -> list[str]:
    return [sys.executable, "-m", "promptterm", "--database-url", url, *argv]


def _list_files(url: str) -> list[str]:
    return _command(url, *_LIST_FILES)


_LIST_FILES = ("file", "list", "--project", "site")


def in_terminal(argv: list[str], env: dict[str, str], *, stream: str = "stdout") -> str:
    """What the command writes to ``stream`` when that is a terminal (a pseudo-terminal)."""
    main_fd, child_fd = pty.openpty()
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: child_fd}
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, env=env, **streams)
    os.close(child_fd)
    chunks = []
    try:
        while True:
            try:
                chunk = os.read(main_fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(main_fd)
        out, err = process.communicate(timeout=CEILING)
    assert process.returncode == 0, (out or b"").decode() + (err or b"").decode()
    return b"".join(chunks).decode().replace("\r\n", "\n")


def here_in_terminal(monkeypatch: pytest.MonkeyPatch, url: str, env: dict[str, str]) -> str:
    """What `file list` writes to a terminal, run in this process."""
    code, out = run_on_terminal(monkeypatch, env, "--database-url", url, *_LIST_FILES)
    assert code == 0
    return out


def piped(argv: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=CEILING)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_file_list_links_paths_in_a_terminal_that_shows_links(
    bound: tuple[str, Path], tmp_path: Path
) -> None:
    url, site = bound
    out = in_terminal(_list_files(url), _env(tmp_path, TERM_PROGRAM="WezTerm"))
    notes = file_url(site / "notes.txt")
    assert notes == f"file://{socket.gethostname()}{site}/notes.txt"
    assert f"{OSC8}{notes}{ST}notes.txt{OSC8}{ST}" in out
    # The escape in a file's name: percent-encoded in the URL, shown as ^[ in the text.
    assert f"{OSC8}{file_url(site)}/a%1B%5B2Jb.txt{ST}a^[[2Jb.txt{OSC8}{ST}" in out
    assert out.count("\x1b") == 8  # two links, nothing else reaches the terminal raw


def test_no_links_into_a_pipe_with_the_switch_off_or_in_an_unknown_terminal(
    bound: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = bound
    forced = _env(tmp_path, TERM_PROGRAM="WezTerm", FORCE_HYPERLINK="1")
    assert "\x1b" not in piped(_list_files(url), forced)
    # The terminal cases differ from the child's test above only in their settings: the
    # command runs in this process, its output on a real pseudo-terminal.
    off = _env(tmp_path, TERM_PROGRAM="WezTerm", PROMPTTERM_HYPERLINKS="0")
    plain = here_in_terminal(monkeypatch, url, off)
    assert "\x1b" not in plain and "notes.txt" in plain
    # A terminal we do not know…
    assert "\x1b" not in here_in_terminal(monkeypatch, url, _env(tmp_path))
    # …where PROMPTTERM_HYPERLINKS=1 turns them on.
    on = _env(tmp_path, PROMPTTERM_HYPERLINKS="1")
    assert OSC8 in here_in_terminal(monkeypatch, url, on)


def test_the_config_file_turns_links_off(
    bound: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = bound
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("[ui]\nhyperlinks = false\n")
    env = _env(tmp_path, TERM_PROGRAM="WezTerm")
    out = here_in_terminal(monkeypatch, url, env)
    assert "\x1b" not in out and "notes.txt" in out


def test_no_color_keeps_links_and_provider_urls_are_links(url: str, tmp_path: Path) -> None:
    base = "http://127.0.0.1:9/v1"
    argv = ["provider", "add", "local", "--kind", "openai-compatible", "--base-url", base]
    assert main(["--database-url", url, *argv, "--model", "m"]) == 0
    env = _env(tmp_path, TERM_PROGRAM="iTerm.app", NO_COLOR="1")
    out = in_terminal(_command(url, "provider", "list"), env)
    assert f"{OSC8}{base}{ST}{base}{OSC8}{ST}" in out


def test_a_url_never_carries_a_control_character() -> None:
    evil = "http://x/\x1b]52;c;cm0=\x07\x9b\u2028 é"
    cleaned = safe_url(evil)
    assert cleaned == "http://x/%1B]52;c;cm0=%07%C2%9B%E2%80%A8%20%C3%A9"
    assert all(0x21 <= ord(c) <= 0x7E for c in cleaned)
    assert safe_url("https://example.com/a%20b?q=1#top") == "https://example.com/a%20b?q=1#top"


def test_known_terminals() -> None:
    assert terminal_shows_links({"TERM_PROGRAM": "iTerm.app"})
    assert terminal_shows_links({"VTE_VERSION": "7600"})
    assert not terminal_shows_links({"VTE_VERSION": "4800"})
    assert terminal_shows_links({"TERM": "xterm-kitty"})
    assert not terminal_shows_links({"TERM": "xterm-256color"})
    assert not terminal_shows_links({"TERM": "dumb", "TERM_PROGRAM": "iTerm.app"})


def test_a_pipe_is_never_linked_even_when_forced(tmp_path: Path) -> None:
    with (tmp_path / "out.txt").open("w") as stream:
        assert not links_wanted(stream, {"PROMPTTERM_HYPERLINKS": "1", "TERM_PROGRAM": "WezTerm"})


def test_open_and_export_link_the_folder_and_the_written_file(url: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    env = _env(tmp_path, TERM_PROGRAM="ghostty")
    out = in_terminal(_command(url, "open", str(site), "--no-ui"), env)
    assert f"is bound to {OSC8}{file_url(site)}{ST}{site}{OSC8}{ST}\n" in out
    from promptterm.services.facade import Services

    services = Services.open(url)
    try:
        thread = services.chat.create_thread(title="Notes")
        services.chat.add_message(thread.id, "user", "hello")
    finally:
        services.close()
    target = tmp_path / "notes.md"
    argv = _command(url, "chat", "export", str(thread.id), "-o", str(target))
    said = in_terminal(argv, env, stream="stderr")  # the message goes to stderr
    assert f"to {OSC8}{file_url(target)}{ST}{target}{OSC8}{ST}." in said
