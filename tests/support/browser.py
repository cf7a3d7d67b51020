"""A real headless Chromium, driven over the DevTools protocol (CDP): just enough of it to
load a page, read what a terminal in it shows, and press keys.

The page's xterm.js paints with WebGL or a canvas, so the text on screen is in no DOM node
and no accessibility tree. What xterm.js holds for its screen is: a script added before the
page's own keeps a reference to the terminal (the one object that gets an ``_addonManager``,
xterm's public ``Terminal``), and reading its buffer gives the rows it draws.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from support.waiting import CEILING, POLL, wait_until

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "_addonManager", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "_addonManager", {value, writable: true, configurable: true});
    window.__xterm = this;
  },
});
"""

READ_SCREEN = """
(() => {
  const term = window.__xterm;
  if (!term) return "";
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""


def find_chromium() -> str | None:
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def headless_chromium(binary: str, profile: Path) -> Iterator[int]:
    """A headless Chromium with its own profile; yields its DevTools port. The browser and
    its helper processes are killed afterwards, whatever happened."""
    profile.mkdir(parents=True, exist_ok=True)
    port_file = profile / "DevToolsActivePort"
    port_file.unlink(missing_ok=True)  # a previous browser's port, long closed
    log = (profile / "chromium.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            "--headless=new",
            "--no-sandbox",  # the suite may run as root, where the sandbox refuses to start
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--remote-debugging-port=0",  # any free port, written to DevToolsActivePort
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def listening() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"chromium exited: {(profile / 'chromium.log').read_text()}")
            return len(port_file.read_text().splitlines()) >= 2 if port_file.exists() else False

        wait_until(listening, "chromium's DevTools port")
        yield int(port_file.read_text().splitlines()[0])
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        log.close()


class Page:
    """One browser tab over its DevTools websocket. Events are not subscribed to, except
    what a domain sends unasked; they are skipped while waiting for a reply."""

    def __init__(self, socket: Any) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self._ids)
        await self._socket.send_json({"id": number, "method": method, "params": params})
        while True:
            reply = await self._socket.receive_json(timeout=CEILING)
            if reply.get("id") != number:
                continue
            if "error" in reply:
                raise AssertionError(f"{method} failed: {reply['error']}")
            return dict(reply.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def screen(self) -> str:
        """The rows the page's terminal shows (empty until it exists)."""
        return str(await self.evaluate(READ_SCREEN))

    async def wait_for_text(self, text: str) -> str:
        """The screen, as soon as it shows ``text``; fails after the suite's ceiling."""
        deadline = time.monotonic() + CEILING
        shown = ""
        while text not in shown:
            if time.monotonic() > deadline:
                raise AssertionError(f"still waiting for {text!r} after {CEILING:.0f} s:\n{shown}")
            await asyncio.sleep(POLL)
            shown = await self.screen()
        return shown

    async def press(self, key: str) -> None:
        """A printable key, as a person's keyboard sends it to the focused element."""
        code = f"Digit{key}" if key.isdigit() else f"Key{key.upper()}"
        down = {"key": key, "code": code, "windowsVirtualKeyCode": ord(key.upper())}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=key, **down)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **down)


@contextlib.asynccontextmanager
async def open_page(devtools_port: int) -> AsyncIterator[Page]:
    """The browser's first tab; a terminal in any page it loads next is kept for reading."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        base = f"http://127.0.0.1:{devtools_port}"
        async with http.get(f"{base}/json/list") as response:
            targets = await response.json()
        [tab] = [target for target in targets if target["type"] == "page"]
        async with http.ws_connect(tab["webSocketDebuggerUrl"], max_msg_size=0) as socket:
            page = Page(socket)
            # Without the Page domain enabled, the script above is never run.
            await page.call("Page.enable")
            await page.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_TERMINAL)
            # The page asks Google for a web font; offline that can only stall, never help.
            await page.call("Network.enable")
            await page.call("Network.setBlockedURLs", urls=["*fonts.googleapis.com*"])
            yield page
