"""Run by test_ui_read_only.py in a subprocess (as a user file modes apply to): the app on a
read-only database, driven by Pilot; prints what the user saw as JSON.

Usage: python read_only_app.py DATABASE_URL
"""

from __future__ import annotations

import asyncio
import json
import sys

from textual.widgets import Static

from promptterm.app import PromptTermApp
from promptterm.cli.main import open_services
from promptterm.config import load_settings
from promptterm.ui.common.dialogs.form import FormScreen
from ui.helpers import notes, settle, tree_labels, type_text, wait_until


async def observe(url: str) -> dict[str, object]:
    settings = load_settings(url)
    app = PromptTermApp(
        services=lambda: open_services(settings), settings=settings, cursor_blink=False
    )
    seen: dict[str, object] = {}
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.services_ready, "the services", between=settle)
        await wait_until(pilot, lambda: bool(tree_labels(app)), "the tree", between=settle)
        seen["tree"] = tree_labels(app)
        seen["notes"] = notes(app)
        await pilot.press("w")  # a new workspace
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        form = app.screen
        await type_text(pilot, "Beta")
        await pilot.press("enter")

        def refusal() -> str:
            return str(form.query_one("#form-error", Static).render())

        await wait_until(pilot, lambda: bool(refusal()), "the refusal", between=settle)
        seen["form_error"] = refusal()
        seen["form_open"] = app.screen is form
        seen["typed"] = isinstance(form, FormScreen) and form.values()["name"]
        seen["running"] = app.is_running
    return seen


if __name__ == "__main__":
    print(json.dumps(asyncio.run(observe(sys.argv[1]))))
