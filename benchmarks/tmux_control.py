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
        self._replies: queue.Queue[list[str]] = queue.Queue()
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
                    self._replies.put(reply)
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
        return self._replies.get(timeout=30)

    def send(self, *keys: str) -> None:
        """``tmux send-keys``: back once the server has written the keys to the pane."""
        self.command(f"send-keys -t {shlex.quote(self.target)} " + " ".join(map(shlex.quote, keys)))

    def screen(self) -> str:
        return "\n".join(self.command(f"capture-pane -p -t {shlex.quote(self.target)}"))

    @property
    def outputs(self) -> int:
        return self._outputs

    def drawn_since(self, seen: int, timeout: float = LOOK) -> None:
        """Until the pane has output after the ``seen``-th notification (or ``timeout``)."""
        self._drawn_after(seen, timeout)

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

    def wait(self, wanted: str, *, gone: bool = False, timeout: float = 60) -> float:
        """Until ``wanted`` shows (or is gone); seconds waited."""
        started = time.perf_counter()
        while True:
            seen = self._outputs
            text = self.screen()
            if (wanted in text) != gone:
                return time.perf_counter() - started
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"waited for {wanted!r} ({'gone' if gone else 'shown'}):\n{text}")
            self.drawn_since(seen)

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
