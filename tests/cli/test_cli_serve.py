"""`promptterm serve`: the app in a real headless browser, and the hosts it refuses."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from promptterm.cli.commands_serve import app_command, is_loopback
from promptterm.cli.main import main
from support.browser import find_chromium, headless_chromium, open_page
from support.cli_process import MigratedSqlite
from support.waiting import CEILING, wait_until

# -- the host: loopback unless asked twice ----------------------------------------------------


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port something else already listens on, on every address: a server that got as far
    as listening there stops at once with the reason, instead of serving until killed."""
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org"])
def test_serve_refuses_a_host_other_machines_can_reach(
    host: str, taken_port: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["serve", "--host", host, "--port", str(taken_port)]) == 2
    err = capsys.readouterr().err
    assert f"Not serving on {host}" in err and "API keys and chats" in err and "--public" in err
    # Refused before anything is opened: no database appears.
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("[::1]", True),
        ("LocalHost", True),
        ("0.0.0.0", False),
        ("10.0.0.7", False),
        ("::", False),
        # A name is never resolved: what it points to could change after the check.
        ("my-laptop.local", False),
    ],
)
def test_only_loopback_addresses_count_as_this_machine(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_public_lets_another_host_through(taken_port: int) -> None:
    """With --public the refusal is lifted: the server goes as far as listening (on a port
    already taken, so it stops with the reason instead of serving)."""
    port = taken_port
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "promptterm",
            "serve",
            "--host",
            "0.0.0.0",
            "--public",
            "--port",
            str(port),
        ],
        capture_output=True,
        text=True,
        timeout=CEILING,
    )
    assert done.returncode == 1, done.stderr
    assert f"Cannot listen on http://0.0.0.0:{port}" in done.stderr
    assert "Choose another --port" in done.stderr


def test_each_tab_runs_this_python_on_the_database_the_user_named() -> None:
    url = "sqlite:////tmp/with space/it's.db"
    assert app_command(url) == (
        f"{sys.executable} -m promptterm --database-url 'sqlite:////tmp/with space/it'\"'\"'s.db'"
    )
    assert app_command(None) == f"{sys.executable} -m promptterm"


# -- a real browser -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def served(tmp_path: Path, migrated_sqlite: MigratedSqlite) -> Iterator[str]:
    """`promptterm serve` as a real process on a database in a folder with a space in its
    name (the tab's command goes through a shell); yields the page's address. The database
    is a copy of the migrated template: a first migration is not what this checks."""
    url = migrated_sqlite(tmp_path / "my data" / "promptterm.db")
    assert main(["--database-url", url, "workspace", "create", "Served workspace"]) == 0
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "promptterm",
                "--database-url",
                url,
                "serve",
                "--port",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # with the app processes it starts: killed as one group
        )
    try:

        def listening() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"serve exited {process.returncode}: {log_path.read_text()}")
            return _accepts(port)

        wait_until(listening, f"promptterm serve on port {port}")
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip("no Chromium to drive (chromium, chromium-browser or google-chrome on PATH)")
    return found


def test_the_app_runs_in_a_headless_browser(chromium: str, served: str, tmp_path: Path) -> None:
    async def drive(devtools_port: int) -> None:
        async with open_page(devtools_port) as page:
            await page.call("Page.navigate", url=served)
            await page.wait_for_text("promptterm — Explorer")
            # The tab opened the database the user named, not a default one.
            await page.wait_for_text("Served workspace")
            await page.evaluate("window.__xterm.focus()")
            await page.press("3")
            chat = await page.wait_for_text("promptterm — Chat")
            assert "Explorer" not in chat.splitlines()[0]

    with headless_chromium(chromium, tmp_path / "chromium") as devtools_port:
        asyncio.run(drive(devtools_port))
