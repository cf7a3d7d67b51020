"""Which tool sources the thread offers the model: MCP servers ("files") or single tools
("files:read"), comma-separated. Empty goes back to the preset's default; "none" offers
no tools even when the preset has some."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from promptterm.services.chat import check_refs
from promptterm.services.validation import strip_controls
from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.dialogs.form import FormScreen

if TYPE_CHECKING:
    from promptterm.services.chat import ThreadTools, ThreadToolSettings


def tools_form(
    tools: ThreadTools,
    thread: uuid.UUID | Callable[[], uuid.UUID],
    current: ThreadToolSettings,
    servers: list[str] | None = None,
) -> FormScreen[ThreadToolSettings]:
    """``thread``: its id, or (a new thread) what makes it once there are tools to save."""
    shown = ", ".join(current.tools)

    def submit(values: dict[str, str]) -> ThreadToolSettings:
        text = values["tools"].strip()
        if not isinstance(thread, uuid.UUID) and text.lower() in ("", "none"):
            return current  # a new thread offers none already: nothing to make
        refs = [part for part in text.split(",") if part.strip()]
        if refs:
            check_refs(refs)  # a typo is refused before a new thread is made
        thread_id = thread if isinstance(thread, uuid.UUID) else thread()
        if not text:
            return tools.set(thread_id, None)
        if text.lower() == "none":
            return tools.set(thread_id, [])
        return tools.set(thread_id, refs)

    origin = " (the preset's)" if current.from_preset and current.tools else ""
    always = ", ".join(current.always) or "none yet"
    intro = (
        f"Tool sources the model may call in this thread{origin}: SERVER or SERVER:TOOL, "
        f"comma-separated; empty: the preset's; none: no tools. Each call asks first "
        f"unless approved always (here: {always})."
    )
    if servers is not None:  # names from outside: shown without control characters
        names = ", ".join(strip_controls(name) for name in servers)
        intro += f" Enabled MCP servers: {names}." if names else " No MCP server is enabled (8)."
    field = Field("tools", "Tools", value=shown, placeholder="files, web:search")
    return FormScreen("Tools for this thread", [field], submit, submit_label="Save", intro=intro)
