"""Links in an answer are terminal hyperlinks (issue 21, item 5): the transcript draws them
with OSC 8, percent-encoded, for web and mail addresses only."""

from __future__ import annotations

import pytest

from promptterm.services.facade import Services
from promptterm.ui.chat.widgets.markdown import link_target, markdown_content
from support.clock import FixedClock
from ui.chat.scenarios import add_local_provider, open_chat, views
from ui.fixtures import AppFactory
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio

ANSWER = "Read [the guide](https://textual.textualize.io/guide/) or https://example.com/x."


async def test_links_in_an_answer_reach_the_terminal_as_hyperlinks(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    add_local_provider(ui_services)
    thread = ui_services.chat.create_thread(provider="local", model="test-model")
    ui_services.chat.add_message(thread.id, "user", "Where are the docs?")
    ui_services.chat.add_message(thread.id, "assistant", ANSWER)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        assert views(app)[-1].content == ANSWER
        # What the app would write to the terminal for the whole screen.
        drawn = app.screen._compositor.render_full_update().render_segments(app.console)
    assert ";https://textual.textualize.io/guide/\x1b\\" in drawn
    assert ";https://example.com/x\x1b\\" in drawn
    assert drawn.count("\x1b]8;id=") >= 2


def test_only_web_and_mail_links_and_never_a_control_character() -> None:
    assert link_target("https://example.com/\x1b]52;c;x\x07") == (
        "https://example.com/%1B]52;c;x%07"
    )
    assert link_target("mailto:ada@example.com") == "mailto:ada@example.com"
    assert link_target("file:///etc/passwd") is None
    assert link_target("javascript:alert(1)") is None
    # A link markdown-it refuses (file:) stays plain text, unlinked.
    content = markdown_content("[x](file:///etc/passwd) and [y](https://a.example/)")
    links = [span.style.link for span in content.spans if not isinstance(span.style, str)]
    assert links == ["https://a.example/"]
