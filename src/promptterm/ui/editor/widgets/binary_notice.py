"""What the editor shows instead of a file it does not load: binary, over the size cap, or
not valid UTF-8 — the service's own words, plus what can be done about it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Static

TITLES = {
    "binary": "Binary file",
    "too_large": "File too large to load",
    "undecodable": "Not valid UTF-8",
}


class FileNotice(Vertical):
    DEFAULT_CSS = """
    FileNotice {
        align: center middle;
        height: 1fr;
    }
    FileNotice #notice-card {
        width: 64;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        border: round $warning;
        border-title-color: $text;
        border-title-style: bold;
        background: $surface;
    }
    FileNotice .notice-keys {
        margin-top: 1;
        color: $text-muted;
    }
    """

    def __init__(self, state: str, message: str, keys: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.message = message
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="notice-card"):
            yield Static(self.message, markup=False)
            if self.keys:
                yield Static(self.keys, classes="notice-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#notice-card").border_title = TITLES.get(self.state, "Not loaded")
