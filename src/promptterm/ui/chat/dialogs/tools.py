"""Which tool sources the thread offers the model: MCP servers ("files") or single tools
("files:read"), comma-separated. Empty goes back to the preset's default; "none" offers
no tools even when the preset has some."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from promptterm.ui.common.dialogs.fields import Field
from promptterm.ui.common.dialogs.form import FormScreen

if TYPE_CHECKING:
    from promptterm.services.chat import ThreadTools, ThreadToolSettings


def tools_form(
    tools: ThreadTools, thread_id: uuid.UUID, current: ThreadToolSettings
) -> FormScreen[ThreadToolSettings]:
    shown = ", ".join(current.tools)

    def submit(values: dict[str, str]) -> ThreadToolSettings:
        text = values["tools"].strip()
        if not text:
            return tools.set(thread_id, None)
        if text.lower() == "none":
            return tools.set(thread_id, [])
        return tools.set(thread_id, [part for part in text.split(",") if part.strip()])

    origin = " (the preset's)" if current.from_preset and current.tools else ""
    always = ", ".join(current.always) or "none yet"
    intro = (
        f"Tool sources the model may call in this thread{origin}: SERVER or SERVER:TOOL, "
        f"comma-separated; empty: the preset's; none: no tools. Each call asks first "
        f"unless approved always (here: {always})."
    )
    field = Field("tools", "Tools", value=shown, placeholder="files, web:search")
    return FormScreen("Tools for this thread", [field], submit, submit_label="Save", intro=intro)
