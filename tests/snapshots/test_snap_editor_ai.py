"""Snapshots of the editor's AI panel at 80x24 (tmux over SSH) and 120x40: an explanation
streamed in, and a proposed refactor shown as a diff with its apply / discard keys.

Deterministic: a fixed clock, sequential ids, a seeded SQLite database, the loopback LLM
server with scripted answers, workers awaited, toasts cleared before the capture.
Baselines: snapshots/test_snap_editor_ai/*.svg.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from promptterm.services.facade import Services
from promptterm.ui.editor.ai.panel import AiPanel
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from ui.chat.scenarios import add_local_provider
from ui.editor.scenarios import MAIN_V3, EditorWorld, seed_editor, settle_editor, show_file
from ui.fixtures import AppFactory
from ui.helpers import wait_until
from ui.scenarios import LARGE, SMALL

SIZES = [pytest.param(SMALL, id="80x24"), pytest.param(LARGE, id="120x40")]
SnapCompare = Callable[..., bool]

EXPLANATION = (
    "This module builds the FastAPI app and serves two routes.\n\n"
    "- `home` counts each request in the global REQUESTS and returns it.\n"
    "- `health` answers load balancers with a fixed status.\n\n"
    "A global counter is not safe across worker processes."
)
TIDY = MAIN_V3.replace("REQUESTS = 0", "REQUESTS = 0  # requests served since start")


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.fixture
def site(ui_services: Services, clock: FixedClock, tmp_path: Path, llm: LLMServer) -> EditorWorld:
    world = seed_editor(ui_services, clock, tmp_path / "site")
    add_local_provider(ui_services, llm.openai_url)
    return world


def asking(site: EditorWorld, key: str, done: Callable[[AiPanel], bool]) -> Callable[..., object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await show_file(pilot, site.project, site.main)
        await pilot.press(key)
        panel = pilot.app.screen.query_one(AiPanel)
        await wait_until(pilot, lambda: done(panel))
        await settle_editor(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_explanation(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    site: EditorWorld,
    llm: LLMServer,
    size: tuple[int, int],
) -> None:
    """alt+e: the answer in the side panel, with the model, tokens and cost."""
    llm.push(Script(text=EXPLANATION))
    run_before = asking(site, "alt+e", lambda p: p.display and not p.running)
    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_proposed_refactor(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    site: EditorWorld,
    llm: LLMServer,
    size: tuple[int, int],
) -> None:
    """alt+f: the model's note above the proposed change as a diff; a applies, x discards."""
    llm.push(Script(text=f"```python\n{TIDY}```\nNamed what the counter counts."))
    run_before = asking(site, "alt+f", lambda p: p.has_change and not p.running)
    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
