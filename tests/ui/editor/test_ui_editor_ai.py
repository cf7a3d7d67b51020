"""The editor's AI panel, against the loopback LLM server: explain streams into the panel and
is kept for the unchanged file; refactor shows a diff that applies as a new version; Esc
stops an answer under way with its text kept; a stale change is refused with both shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from promptterm.services.facade import Services
from promptterm.ui.editor.ai.panel import AiPanel
from promptterm.ui.editor.screen import EditorScreen
from promptterm.ui.editor.widgets.diff_view import DiffView
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from ui.chat.scenarios import add_local_provider
from ui.editor.scenarios import MAIN_V3, EditorWorld, seed_editor, show_file
from ui.fixtures import AppFactory
from ui.helpers import footer_row, notes, wait_until
from ui.scenarios import SMALL

pytestmark = pytest.mark.anyio

TIDY = MAIN_V3.replace("REQUESTS = 0", "REQUESTS = 0  # requests served")


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.fixture
def site(ui_services: Services, clock: FixedClock, tmp_path: Path, llm: LLMServer) -> EditorWorld:
    world = seed_editor(ui_services, clock, tmp_path / "site")
    add_local_provider(ui_services, llm.openai_url)
    return world


def editor(app: object) -> EditorScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, EditorScreen)
    return screen


def panel_text(screen: EditorScreen, part: str) -> str:
    return str(screen.query_one(f"#editor-ai #{part}", Static).render())


async def test_explain_then_refactor_then_apply(
    make_app: AppFactory, ui_services: Services, site: EditorWorld, llm: LLMServer
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        panel = screen.query_one(AiPanel)
        assert not panel.display

        llm.push(Script(text="It serves the home page and counts requests."))
        await pilot.press("alt+e")
        await wait_until(pilot, lambda: panel.display and not panel.running and panel.has_focus)
        assert panel_text(screen, "ai-answer") == "It serves the home page and counts requests."
        assert panel_text(screen, "ai-title") == "explain app/main.py"
        assert "test-model" in panel_text(screen, "ai-status")
        assert "app/main.py" in llm.requests[-1].body["messages"][-1]["content"]
        assert not panel.check_action("apply", ())  # nothing to apply after an explanation

        llm.push(Script(text=f"```python\n{TIDY}```\nNamed the counter."))
        await pilot.press("alt+f")
        await wait_until(pilot, lambda: panel.has_change and not panel.running)
        diff = screen.query_one("#editor-ai DiffView", DiffView)
        assert diff.display and diff.model is not None and diff.model.summary == "+1 \u22121"
        assert "a applies" in panel_text(screen, "ai-status")
        # The code itself is the diff: the answer keeps only the words around it.
        assert panel_text(screen, "ai-answer") == (
            "(the proposed change is shown below)\nNamed the counter."
        )

        await pilot.press("a")
        await wait_until(pilot, lambda: ui_services.files.get(site.main).head_version == 4)
        [latest, *_] = ui_services.files.versions(site.main)
        assert latest.message == "AI: refactor app/main.py"
        await wait_until(pilot, lambda: bool(screen.active and screen.active.base_version == 4))
        code = screen.code_of(screen.active)
        assert code is not None and code.text == TIDY
        assert "Applied as version 4." in notes(app)
        await wait_until(pilot, lambda: "applied as version 4" in panel_text(screen, "ai-status"))
        assert not panel.has_change
        assert panel_text(screen, "ai-answer").startswith("```python\n")  # what was applied

        await pilot.press("escape")
        await wait_until(pilot, lambda: not panel.display and code.has_focus)


async def test_esc_stops_an_answer_and_keeps_its_text(
    make_app: AppFactory, ui_services: Services, site: EditorWorld, llm: LLMServer
) -> None:
    import threading

    hold = threading.Event()
    llm.push(Script(tokens=["One", " two", " three"], hold_after=2, hold=hold))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        panel = screen.query_one(AiPanel)
        await pilot.press("alt+e")
        await wait_until(pilot, lambda: panel_text(screen, "ai-answer") == "One two")
        assert panel.running
        await pilot.press("escape")
        await wait_until(pilot, lambda: not panel.running)
        hold.set()
        assert panel.display and panel_text(screen, "ai-answer") == "One two"
        assert "stopped" in panel_text(screen, "ai-status")
        [job] = ui_services.ai_jobs.recent(site.main)
        assert (job.status, job.output) == ("canceled", "One two")


async def test_a_stale_change_is_refused_with_both_shown(
    make_app: AppFactory, ui_services: Services, site: EditorWorld, llm: LLMServer
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        panel = screen.query_one(AiPanel)
        llm.push(Script(text=f"```python\n{TIDY}```"))
        await pilot.press("alt+f")
        await wait_until(pilot, lambda: panel.has_change and not panel.running)
        # Someone else saves meanwhile.
        ui_services.files.save(site.main, MAIN_V3 + "# theirs\n", base_version=3)
        await pilot.press("a")
        await wait_until(pilot, lambda: any("version 3 → 4" in n for n in notes(app)))
        diff = screen.query_one("#editor-ai DiffView", DiffView)
        assert diff.model is not None and diff.model.left_label == "now"
        assert ui_services.files.read(site.main).text.endswith("# theirs\n")


async def test_reopening_an_unchanged_file_shows_its_last_analysis(
    make_app: AppFactory, ui_services: Services, site: EditorWorld, llm: LLMServer
) -> None:
    from promptterm.services.code import AiRequest

    llm.push(Script(text="Linear in the number of routes."))
    jobs = ui_services.ai_jobs
    await jobs.run_async(jobs.prepare(AiRequest(site.main, "analyze", aspect="complexity")))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        panel = screen.query_one(AiPanel)
        await wait_until(pilot, lambda: panel.display)
        assert panel_text(screen, "ai-answer") == "Linear in the number of routes."
        assert panel_text(screen, "ai-title") == "complexity app/main.py"
        assert panel_text(screen, "ai-status").startswith("kept from ")
        assert len(llm.requests) == 1  # shown from what was kept, not asked again


async def test_generate_asks_for_an_instruction_and_inserts_at_the_cursor(
    make_app: AppFactory, ui_services: Services, site: EditorWorld, llm: LLMServer
) -> None:
    from promptterm.ui.common.dialogs.form import FormScreen
    from ui.helpers import type_text

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        panel = screen.query_one(AiPanel)
        code = screen.code_of(screen.active)
        assert code is not None
        code.move_cursor((7, 0))  # line 8, a blank line before @app.get("/")
        await pilot.press("alt+g")
        await wait_until(pilot, lambda: isinstance(app.screen, FormScreen))
        llm.push(Script(text="```python\nVERSION = '1.2'\n```"))
        await type_text(pilot, "a version constant")
        await pilot.press("enter")
        await wait_until(pilot, lambda: panel.has_change and not panel.running)
        asked = llm.requests[-1].body["messages"][-1]["content"]
        assert "insert at line 8" in asked and "The user adds: a version constant" in asked
        await pilot.press("a")
        await wait_until(pilot, lambda: ui_services.files.get(site.main).head_version == 4)
        lines = ui_services.files.read(site.main).text.splitlines()
        assert lines[7] == "VERSION = '1.2'" and lines[8] == ""


async def test_a_selection_is_asked_about_by_its_lines(
    make_app: AppFactory, ui_services: Services, site: EditorWorld, llm: LLMServer
) -> None:
    from textual.widgets.text_area import Selection

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        panel = screen.query_one(AiPanel)
        code = screen.code_of(screen.active)
        assert code is not None
        # Lines 9 and 10, selected down to the start of line 11 (as shift+down leaves it).
        code.selection = Selection((8, 0), (10, 0))
        llm.push(Script(text="The home route."))
        await pilot.press("alt+e")
        await wait_until(pilot, lambda: panel.display and not panel.running)
        assert panel_text(screen, "ai-title") == "explain app/main.py:9-10"
        assert "app/main.py lines 9-10" in llm.requests[-1].body["messages"][-1]["content"]
        assert ui_services.ai_jobs.analyses_of(site.main) == []  # a part is not the file's


async def test_apply_leaves_the_footer_while_a_new_answer_streams(
    make_app: AppFactory, ui_services: Services, site: EditorWorld, llm: LLMServer
) -> None:
    """A second question asked from the panel (it keeps the focus) drops the change shown:
    Apply and Discard go from the footer while the new answer streams, not at the next
    focus change."""
    import threading

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await show_file(pilot, site.project, site.main)
        screen = editor(app)
        panel = screen.query_one(AiPanel)
        llm.push(Script(text=f"```python\n{TIDY}```\nNamed the counter."))
        await pilot.press("alt+f")
        await wait_until(pilot, lambda: panel.has_change and not panel.running and panel.has_focus)
        await wait_until(pilot, lambda: " Apply" in footer_row(pilot), "Apply offered")
        hold = threading.Event()
        llm.push(Script(tokens=["One", " two", " three"], hold_after=2, hold=hold))

        def streaming_keys() -> bool:
            row = footer_row(pilot)
            return " Cancel / close" in row and " Apply" not in row and " Discard" not in row

        try:
            await pilot.press("alt+e")
            await wait_until(pilot, lambda: panel_text(screen, "ai-answer") == "One two")
            assert panel.running and panel.has_focus
            await wait_until(pilot, streaming_keys, "no Apply while the answer streams")
        finally:
            hold.set()  # a failure above must not leave the server's answer held for ever
