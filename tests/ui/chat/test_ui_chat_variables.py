"""A send whose preset prompt or message still holds {{name}}: asked for first, in a small
dialog; the values go with this send and the thread remembers them; esc keeps the draft."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from promptterm.services.facade import Services
from promptterm.ui.common.dialogs.form import FormScreen
from support.llm_server import LLMServer
from ui.chat.scenarios import chat_llm, live, open_chat, views, wait_for
from ui.fixtures import AppFactory
from ui.helpers import settle, type_text
from ui.scenarios import SMALL

__all__ = ["chat_llm", "live"]  # fixtures

pytestmark = pytest.mark.anyio


async def test_unfilled_variables_are_asked_for_then_sent_filled_and_remembered(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    role = live.components.create("role", "Tutor", "Teach {{audience}} patiently.")
    live.presets.create("Tutor", role=role.id)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("down", "enter")  # No preset, then Tutor
        await settle(pilot)
        await type_text(pilot, "Explain {{topic}}")
        await pilot.press("ctrl+j")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        labels = [str(label.render()) for label in form.query(".form-label")]
        assert labels == ["{{audience}}", "{{topic}}"]
        # esc: nothing is sent, the draft stays, and the notice says why.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.composer.text == "Explain {{topic}}"
        assert "Not sent: {{audience}}, {{topic}}" in str(screen.notice.render())
        assert chat_llm.requests == [] and not views(app)

        await pilot.press("ctrl+j")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_text(pilot, "new users")
        await pilot.press("tab")
        assert form.focused is form.query_one("#field-topic", Input)
        await type_text(pilot, "sorting")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
        sent = chat_llm.requests[-1].body["messages"]
        assert sent[0] == {"role": "system", "content": "Teach new users patiently."}
        assert sent[-1] == {"role": "user", "content": "Explain sorting"}
        assert screen.composer.text == "" and not screen.notice.display

        # The thread remembers the values: the next send goes straight out, filled.
        await type_text(pilot, "More about {{topic}}")
        await pilot.press("ctrl+j")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 4)
        assert app.screen is screen
        sent = chat_llm.requests[-1].body["messages"]
        assert sent[0]["content"] == "Teach new users patiently."
        assert sent[-1] == {"role": "user", "content": "More about sorting"}


async def test_a_new_thread_is_not_made_until_the_message_variables_are_filled(
    make_app: AppFactory, live: Services, chat_llm: LLMServer
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "Hello {{name}}")
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert live.chat.list_threads() == []  # no empty thread left behind
        await pilot.press("ctrl+j")
        await settle(pilot)
        await type_text(pilot, "Ada")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.job is None and len(views(app)) == 2)
    assert chat_llm.requests[-1].body["messages"][-1]["content"] == "Hello Ada"
    assert [t.title for t in live.chat.list_threads()] == ["Hello Ada"]
