"""A tmux pane read and typed into through one control-mode client (``tmux -C``).

Polling ``tmux capture-pane`` starts a tmux process per look: 4 ms of CPU each (20 ms of wall
time under load), every millisecond while a benchmark waits. On a 2-core machine that is most
of a core taken from the app being timed, and a key's echo was timed with two process starts
in it (the ``send-keys``, the ``capture-pane`` that saw it). A control-mode client takes the
same commands over a pipe (a capture is 0.3 ms), and tells when the pane has new output
(``%output``): a wait looks again only when something was drawn.
"""

from __future__ import annotations

import queue
import shlex
import subprocess
import threading
import time
from collections.abc import Callable

LOOK = 0.05  # seconds a wait goes without output before it looks anyway


class Pane:
    """The first pane of ``session`` on tmux server ``socket``."""

    def __init__(self, socket: str, session: str = "bench") -> None:
        self.target = session
        self._proc = subprocess.Popen(
            ["tmux", "-L", socket, "-C", "attach-session", "-t", session],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",  # %output may cut a character in two
            bufsize=1,
        )
        self._replies: queue.Queue[tuple[bool, list[str]]] = queue.Queue()  # (ok, lines)
        self._drawn = threading.Condition()
        self._outputs = 0  # %output notifications seen so far
        threading.Thread(target=self._read, daemon=True).start()
        self._replies.get(timeout=30)  # the reply to the attach itself
        # A control client has its own size, and the window follows the latest client.
        size = "'#{window_width}x#{window_height}'"
        (width_by_height,) = self.command(f"display -p -t {shlex.quote(session)} {size}")
        self.command(f"refresh-client -C {width_by_height}")

    def _read(self) -> None:
        assert self._proc.stdout is not None
        reply: list[str] | None = None
        for line in self._proc.stdout:
            line = line.rstrip("\n")
            if reply is not None:
                if line.startswith(("%end ", "%error ")):
                    self._replies.put((line.startswith("%end "), reply))
                    reply = None
                else:
                    reply.append(line)
            elif line.startswith("%begin "):
                reply = []
            elif line.startswith("%output "):
                with self._drawn:
                    self._outputs += 1
                    self._drawn.notify_all()
        with self._drawn:  # the server is gone: no wait should sit out its timeout
            self._outputs += 1
            self._drawn.notify_all()

    def command(self, words: str) -> list[str]:
        """Run a tmux command; its output lines."""
        assert self._proc.stdin is not None
        self._proc.stdin.write(words + "\n")
        self._proc.stdin.flush()
        ok, lines = self._replies.get(timeout=30)
        if not ok:
            raise SystemExit(f"tmux refused {words!r}: {' '.join(lines)}")
        return lines

    def send(self, *keys: str) -> None:
        """``tmux send-keys``: back once the server has written the keys to the pane."""
        self.command(f"send-keys -t {shlex.quote(self.target)} " + " ".join(map(shlex.quote, keys)))

    def screen(self) -> str:
        return "\n".join(self.command(f"capture-pane -p -t {shlex.quote(self.target)}"))

    def _drawn_after(self, seen: int, timeout: float) -> bool:
        with self._drawn:
            return self._drawn.wait_for(lambda: self._outputs > seen, timeout=timeout)

    def settle(self, quiet: float = LOOK, timeout: float = 10) -> None:
        """Until the pane has drawn nothing for ``quiet`` seconds (an untimed step's end:
        keys sent before the screen settles can land on a widget that is about to lose the
        focus)."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            seen = self._outputs
            if not self._drawn_after(seen, quiet):
                return

    def until(
        self, shows: Callable[[str], bool], *, what: str, timeout: float = 60, look: float = LOOK
    ) -> str:
        """Until the screen ``shows`` what is awaited (looked at each time the pane draws, or
        after ``look`` seconds); the screen then."""
        started = time.perf_counter()
        while True:
            seen = self._outputs
            text = self.screen()
            if shows(text):
                return text
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"waited for {what}:\n{text}")
            self._drawn_after(seen, look)

    def wait(self, wanted: str, *, gone: bool = False, timeout: float = 60) -> float:
        """Until ``wanted`` shows (or is gone); seconds waited."""
        started = time.perf_counter()
        what = f"{wanted!r} ({'gone' if gone else 'shown'})"
        self.until(lambda text: (wanted in text) != gone, what=what, timeout=timeout)
        return time.perf_counter() - started

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
