"""The App provides everything the areas ask of it through the AppHost protocol."""

from __future__ import annotations

import inspect

from promptterm.app import PromptTermApp
from promptterm.ui.common.host import AppHost


def test_the_app_has_every_member_of_the_protocol_the_areas_use() -> None:
    wanted = set(AppHost.__annotations__) | {
        name for name, _ in inspect.getmembers(AppHost) if not name.startswith("_")
    }
    # Annotated instance attributes the App sets in __init__ (usage_signal, cursor_blink,
    # settings).
    on_instances = {"usage_signal", "cursor_blink", "settings"}
    missing = sorted(n for n in wanted - on_instances if not hasattr(PromptTermApp, n))
    assert missing == []
    assert on_instances <= wanted
    source = inspect.getsource(PromptTermApp.__init__)
    assert all(f"self.{name}" in source for name in on_instances)
