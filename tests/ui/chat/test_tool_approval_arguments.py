"""The approval dialog shows a call's arguments as the model sent them, pretty-printed:
nested values indented, keys in the model's order, long strings cut with "…" (the whole
text wraps below, reachable by scrolling), control characters as visible escapes."""

from __future__ import annotations

import pytest
from textual.widget import Widget

from promptterm.services.chat import ToolRequest
from promptterm.ui.chat.dialogs.tool_approval import CUT_AT, ToolApprovalScreen
from ui.fixtures import AppFactory
from ui.helpers import settle, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio


def _lines(widget: Widget) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def _request(arguments: dict[str, object] | None, raw: str = "") -> ToolRequest:
    return ToolRequest("m1", "c1", "files:read", arguments, raw, 1, 1)


async def test_nested_arguments_show_indented_in_the_models_order(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        arguments = {"path": "src/app.py", "range": {"from": 1, "to": 80}, "all": False}
        app.push_screen(ToolApprovalScreen(_request(arguments)))
        await wait_until(pilot, lambda: bool(app.screen.query("#tool-approval-text")), "dialog")
        await settle(pilot)
        shown = _lines(app.screen.query_one("#tool-approval-text"))
        assert shown == [
            "{",
            '  "path": "src/app.py",',
            '  "range": {',
            '    "from": 1,',
            '    "to": 80',
            "  },",
            '  "all": false',
            "}",
        ]
        keys = str(app.screen.query_one("#tool-approval-keys").render())
        assert "w whole" not in keys  # nothing was cut


async def test_a_long_text_is_cut_with_an_ellipsis_and_w_shows_it_whole(
    make_app: AppFactory,
) -> None:
    app = make_app()
    note = "a" * 150 + "\x1b[2J" + "z" * 30
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(ToolApprovalScreen(_request({"path": "x.py", "note": note})))
        await wait_until(pilot, lambda: bool(app.screen.query("#tool-approval-text")), "dialog")
        await settle(pilot)
        dialog = app.screen
        text = dialog.query_one("#tool-approval-text")

        def shown() -> str:
            return "".join(line.strip() for line in _lines(text))

        assert '"note":"' + "a" * CUT_AT + '…"' in shown()
        assert "z" not in shown()
        assert "w whole texts" in str(dialog.query_one("#tool-approval-keys").render())
        await pilot.press("w")
        # The escape the model sent shows as JSON's escape, never reaches the terminal. The
        # frame after "w" can hold the whole text at the cut one's height (the layout that
        # makes room comes next), so the wait is for all of it, not for its first "zzz".
        whole = "a" * 150 + "\\u001b[2J" + "z" * 30
        await wait_until(pilot, lambda: whole in shown(), "the whole text")
        assert "\x1b" not in shown()
        assert "w cut long texts" in str(dialog.query_one("#tool-approval-keys").render())
        await pilot.press("w")
        await wait_until(pilot, lambda: "zzz" not in shown(), "the text cut again")
