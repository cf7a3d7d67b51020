"""The TUI's words for the next step a service message suggests: keys, not commands (the
services' default, services/hints.py, is the CLI's). Installed on the services the app
takes (ui/common/session.py)."""

from __future__ import annotations

from promptterm.services.hints import Hints

TUI_HINTS = Hints(
    upgrade="to {name} (press 5, then p)",
    raise_budget="Raise the cap on the billing screen: press 5, then b",
    add_provider="Press f10 in chat to add one (a local server such as Ollama, or an API)",
    add_key="in the key manager (f9 in chat)",
    list_providers="f10 in chat lists yours",
    list_models="Press f3 in chat to pick one it offers",
    test_model="give it one (e edits the provider)",
)
