"""A server's prompt brought into the library as a modular prompt.

The prompt is rendered by the server with each argument set to its own placeholder
(``{{language}}``), so the text in the library is the server's own template; each argument
becomes a text variable (required when the server says so, labelled with its description).
"""

from __future__ import annotations

import re
import uuid

from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.library import PromptEditor, PromptInfo, PromptService
from promptterm.services.mcp.calls import get_prompt_text
from promptterm.services.mcp.registry import McpService

USABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def import_prompt(ctx: ServiceContext, server: str | uuid.UUID, name: str) -> PromptInfo:
    """Import ``name`` from ``server`` (as last checked) as the prompt "<server> · <name>"."""
    import anyio

    info = McpService(ctx).get(server)
    found = next((p for p in info.prompts if p.name == name), None)
    if found is None:
        raise NotFound(f"{info.name} has no prompt {name!r} (as last checked): check it again.")
    bad = [a for a, _, _ in found.arguments if not USABLE.match(a)]
    if bad:
        raise ValidationError(f"The argument {bad[0]!r} cannot be a variable name in the library.")
    holders = {a: "{{" + a + "}}" for a, _, _ in found.arguments}
    text = anyio.run(lambda: get_prompt_text(ctx, info.id, name, holders))
    if not text.strip():
        raise ValidationError(f"The prompt {name!r} on {info.name} has no text to import.")
    made = PromptService(ctx).create(
        f"{info.name} · {name}"[:100], description=(found.description or None)
    )
    editor = PromptEditor(ctx)
    editor.add_module(made.id, "Prompt", [text])
    for arg, words, required in found.arguments:
        config: dict[str, object] = {"required": required}
        if words:
            config["label"] = words[:255]
        editor.add_variable(made.id, arg, "text", **config)
    return PromptService(ctx).get(made.id)
