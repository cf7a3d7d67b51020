"""One message of a thread: who, which model, tokens, cost and status on the first line, the
Markdown below, and what the reader must know underneath (an error, a stop, earlier
versions, an edit) — all one Static, drawn from one Content (widgets/chat/markdown.py).

An answer that streams grows in a ``StreamBody`` (finished blocks drawn once, the last one
redrawn as it grows); when the answer is stored, that goes and the message is drawn like
the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from promptterm.ui.chat.widgets.format import STATUS_LABELS, cost, usage
from promptterm.ui.chat.widgets.markdown import render_markdown
from promptterm.ui.chat.widgets.one_layout import OneLayout
from promptterm.ui.chat.widgets.stream_body import StreamBody
from promptterm.ui.chat.widgets.tool_lines import call_lines, result_body, result_head

if TYPE_CHECKING:
    from promptterm.services.chat.threads import MessageInfo, PresetChange

ROLE_LABELS = {"user": "you", "assistant": "assistant", "system": "system note"}


class MessageView(OneLayout, Vertical):
    """A message; ``version`` is which of its versions is shown (None: the current one)."""

    def __init__(self, message: MessageInfo, *, branch_title: str | None = None) -> None:
        super().__init__(classes=f"message -{message.role}")
        self.message = message
        self.branch_title = branch_title
        self.version: int | None = None
        self.retrying = ""  # "busy, retrying in 2 s" while a send waits to try again
        self.expanded = False  # a tool's result: all of it, not its first line
        self._streamed: list[str] = []  # the text of a streaming answer, as it arrives
        self._text = Static(classes="message-text")
        self._shown_text = Content("")
        self._width = 0  # of the text; the first line is cut to it, never wrapped
        # Only while the answer streams.
        self._live: StreamBody | None = None
        # What a finished stream drew, kept for the stored answer: (its text, the drawing).
        self._streamed_body: tuple[str, Content] | None = None
        if message.status == "streaming":
            self._live = StreamBody(message.content)

    def compose(self) -> ComposeResult:
        yield self._text
        if self._live is not None:
            yield self._live

    def on_mount(self) -> None:
        self._refresh_text()

    def on_resize(self) -> None:
        width = self.content_size.width
        if width != self._width:
            self._width = width
            self._refresh_text()

    @property
    def one_layout(self) -> bool:
        return self._live is not None  # only while it streams (one_layout.py)

    @property
    def live(self) -> StreamBody | None:
        """The answer's body while it streams."""
        return self._live

    @property
    def text(self) -> Content:
        """What the message shows: head, body (unless streaming), notes."""
        return self._shown_text

    # What is shown ---------------------------------------------------------------------------

    @property
    def versions(self) -> list[dict[str, Any]]:
        return list(self.message.meta.get("versions") or [])

    @property
    def version_count(self) -> int:
        return len(self.versions) + 1

    @property
    def shown(self) -> dict[str, Any]:
        """The shown version's fields: the message's own, or an earlier version's."""
        m = self.message
        if self.version is not None:
            return self.versions[self.version]
        return {
            "content": m.content,
            "status": m.status,
            "model": m.model,
            "tokens_in": m.tokens_in,
            "tokens_out": m.tokens_out,
            "tokens_estimated": m.tokens_estimated,
            "cost_usd": m.cost_usd,
            "error": m.meta.get("error"),
        }

    @property
    def content(self) -> str:
        if self.streaming:
            if len(self._streamed) > 1:
                self._streamed = ["".join(self._streamed)]
            return self._streamed[0] if self._streamed else self.message.content
        return str(self.shown.get("content") or "")

    @property
    def streaming(self) -> bool:
        return self.message.status == "streaming" and self.version is None

    @property
    def edited(self) -> dict[str, Any] | None:
        return self.message.meta.get("edited")

    @property
    def is_tool_result(self) -> bool:
        return self.message.is_tool_result

    def toggle_expanded(self) -> None:
        self.expanded = not self.expanded
        self._refresh_text()

    def _refresh_text(self) -> None:
        if self.is_tool_result:
            self.set_class(True, "-tool")
            head = result_head(self.message, self.expanded)
            if self._width and head.cell_length > self._width:
                head = head.truncate(self._width, ellipsis=True)
            self._show(
                Content("\n").join([head, result_body(self.message, self.expanded, self._width)])
            )
            return
        shown = self.shown
        status = str(shown.get("status") or "complete")
        self.set_class(status == "error", "-error")
        self.set_class(status == "stopped", "-stopped")
        self.set_class(status == "streaming", "-streaming")
        head = self._head_text(shown, status)
        if self._width and head.cell_length > self._width:
            head = head.truncate(self._width, ellipsis=True)
        parts = [head]
        if self._live is None:
            content = self.content
            kept = self._streamed_body
            body = kept[1] if kept and kept[0] == content else render_markdown(content)
            if body.plain:
                parts.append(body)
        if self.version is None and self.message.tool_calls:
            parts.append(call_lines(self.message.tool_calls, self._width))
        note = self._note_text(shown, status)
        if note.plain:
            parts.append(note)
        self._show(Content("\n").join(parts))

    def _show(self, text: Content) -> None:
        # The same text again (a resize that cuts nothing, say) is no update: an update
        # lays out the whole screen.
        if text.is_same(self._shown_text):
            return
        self._shown_text = text
        self._text.update(text)

    def _head_text(self, shown: dict[str, Any], status: str) -> Content:
        # Most important first: a narrow screen cuts the end (the time) with an ellipsis.
        m = self.message
        parts: list[Content | tuple[str, str] | str] = [(ROLE_LABELS.get(m.role, m.role), "bold")]
        if status in STATUS_LABELS:
            label = STATUS_LABELS[status]
            style = {
                "streaming": "bold $text-accent",
                "stopped": "bold reverse $warning",
                "error": "bold reverse $error",
            }[status]
            parts += [" ", (label if status == "streaming" else f" {label} ", style)]
            if status == "streaming" and self.retrying:
                parts += [" ", (f"↻ {self.retrying}", "$text-warning")]
        if m.role == "assistant":
            estimated = bool(shown.get("tokens_estimated"))
            metered = usage(shown.get("tokens_in"), shown.get("tokens_out"), estimated)
            if metered:
                parts += ["  ", metered, "  ", (cost(shown.get("cost_usd")), "bold")]
            if shown.get("model"):
                parts += ["  ", (str(shown["model"]), "$text-accent")]
        parts += ["  ", (_when(m.created_at), "dim")]
        return Content.assemble(*parts)

    def _note_text(self, shown: dict[str, Any], status: str) -> Content:
        lines: list[Content] = []
        error = shown.get("error")
        if status == "error" and error:
            lines.append(
                Content.styled(f"⚠ {error.get('message', 'The answer failed.')}", "$text-error")
            )
        elif status == "error":
            lines.append(Content.styled("⚠ The answer failed.", "$text-error"))
        if status == "stopped":
            lines.append(
                Content.styled(
                    "■ Stopped; the text so far is kept. ctrl+r retries", "$text-warning"
                )
            )
        budget = self.message.meta.get("budget") if self.version is None else None
        if budget and budget.get("message"):
            # Past 80% of a budget cap or of the plan's tokens: said under the answer that did it.
            style = "$text-error" if budget.get("state") == "full" else "$text-warning"
            lines.append(Content.styled(f"◔ {budget['message']}", style))
        if self.version_count > 1:
            n = self.version_count if self.version is None else self.version + 1
            label = f"version {n} of {self.version_count}"
            if self.version is not None:
                label += " (replaced)"
            lines.append(Content.styled(f"{label} · [ ] flip", "dim"))
        if self.edited is not None:
            title = self.branch_title or "an archived thread"
            lines.append(
                Content.assemble(
                    ("✎ edited — earlier branch: ", "dim"),
                    (title, "$text-accent"),
                    ("  g opens it", "dim"),
                )
            )
        return Content("\n").join(lines)

    # Changes ---------------------------------------------------------------------------------

    async def show(self, message: MessageInfo) -> None:
        """The stored message changed (finished, regenerated, reloaded)."""
        self.message = message
        self.version = None
        self.retrying = ""
        self._streamed = []
        if message.status == "streaming":
            await self._start_live(message.content)
        elif self._live is not None:
            live, self._live = self._live, None
            self._streamed_body = (live.source, live.shown)
            await live.remove()
        self._refresh_text()

    def set_branch_title(self, title: str) -> None:
        self.branch_title = title
        self._refresh_text()

    def set_retrying(self, text: str) -> None:
        self.retrying = text
        self._refresh_text()

    async def flip(self, step: int) -> bool:
        """Show the previous (-1) or next (+1) version; False when there is none."""
        count = self.version_count
        current = count - 1 if self.version is None else self.version
        wanted = current + step
        if count == 1 or not 0 <= wanted < count or self.streaming:
            return False
        self.version = None if wanted == count - 1 else wanted
        self._refresh_text()
        return True

    # Streaming -------------------------------------------------------------------------------

    async def _start_live(self, text: str) -> StreamBody:
        if self._live is None:
            self._live = StreamBody(text)
            await self.mount(self._live)
            self._refresh_text()
        elif self._live.source != text:
            self._live.replace(text)
        return self._live

    async def write(self, text: str) -> None:
        if not self._streamed and self.message.content:
            self._streamed.append(self.message.content)  # saved before the screen attached
        self._streamed.append(text)
        if self._live is None:
            await self._start_live(self.message.content)
        assert self._live is not None
        self._live.append(text)

    async def replace_text(self, text: str) -> None:
        """Everything streamed so far at once (the thread was reopened while it streams)."""
        self._streamed = [text]
        await self._start_live(text)


class PresetNote(Static):
    """A preset switch, where it happened in the thread."""

    def __init__(self, change: PresetChange, *, first: bool) -> None:
        super().__init__(classes="preset-note")
        self.change = change
        self.first = first

    def on_mount(self) -> None:
        self.update(preset_line(self.change, first=self.first))


def preset_line(change: PresetChange, *, first: bool) -> Content:
    name = change.preset_name
    changed = ", ".join(change.changed_components)
    if change.preset_id is None:
        text = "preset removed: no system prompt from now on"
    elif first:
        text = f"preset {name}" + (f": {changed}" if changed else "")
    else:
        text = f"preset changed to {name}" + (f": {changed} changed" if changed else "")
    moment = _parse(change.timestamp)
    when = f"  {_when(moment)}" if moment else ""
    return Content.assemble(("◆ ", "$text-accent"), (text, "italic"), (when, "dim"))


def _parse(timestamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(timestamp)
    except ValueError:
        return None


def _when(moment: datetime) -> str:
    return f"{moment:%b %d %H:%M}"
