"""A seeded project for the editor's Pilot and snapshot tests: the same files, versions,
authors and times on every run.

Imported as ``ui.editor.scenarios``. The binary file comes from a real folder (only an
import from disk can hold one), which is then unbound, so that no watcher runs unless a
test binds a folder on purpose (see ``bound_site``).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from promptterm.app import PromptTermApp
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import DEFAULT_NOW, FixedClock
from ui import helpers
from ui.scenarios import at

MAIN_V1 = '''"""The site's entry point."""

from fastapi import FastAPI

app = FastAPI(title="Website")


@app.get("/")
def home() -> dict[str, str]:
    return {"hello": "world"}
'''

MAIN_V2 = (
    MAIN_V1
    + """

@app.get("/health")
def health() -> dict[str, str]:
    # Load balancers poll this every few seconds.
    return {"status": "ok"}
"""
)

MAIN_V3 = MAIN_V2.replace(
    'app = FastAPI(title="Website")',
    'app = FastAPI(title="Website", version="1.2")\nREQUESTS = 0',
).replace(
    '    return {"hello": "world"}',
    '    global REQUESTS\n    REQUESTS += 1\n    return {"hello": "world", "seen": str(REQUESTS)}',
)

README_V1 = "# Website\n\nThe public site.\n"
README_V2 = "# Website\n\nThe public site and its API.\n\n## Run\n\n    uvicorn app.main:app\n"
CSS = "body {\n  font-family: sans-serif;\n  margin: 0 auto;\n  max-width: 60rem;\n}\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@dataclass
class EditorWorld:
    workspace: uuid.UUID
    project: uuid.UUID
    main: uuid.UUID  # app/main.py, three versions (the second by Bea)
    readme: uuid.UUID  # README.md, two versions
    css: uuid.UUID  # static/site.css, one version
    logo: uuid.UUID  # static/logo.png, binary: shown as a notice
    bea: uuid.UUID


def seed_editor(services: Services, clock: FixedClock, folder: Path) -> EditorWorld:
    """Acme / Website with four files and a short history; opened last, so it is current
    for the explorer. ``folder`` (empty) is used for the import of the binary file."""
    at(clock, 2)
    ws = services.workspaces.create("Acme")
    project = services.projects.create(ws.id, "Website", language="Python")
    (folder / "static").mkdir(parents=True)
    (folder / "static" / "logo.png").write_bytes(PNG)
    services.disk_sync.bind(project.id, folder)
    services.disk_sync.unbind(project.id)
    bea = create_user(
        services.ctx.db, "Bea Stone", "bea@example.com", clock(), services.ctx.new_id()
    )
    services.workspaces.add_member(ws.id, "bea@example.com", "member")
    at(clock, 8, 9)
    readme = services.files.create(project.id, "README.md", README_V1, "First notes")
    main = services.files.create(project.id, "app/main.py", MAIN_V1, "Entry point")
    css = services.files.create(project.id, "static/site.css", CSS, "Plain styles")
    at(clock, 12, 16)
    services.as_user(bea.id).files.save(
        main.id, MAIN_V2, base_version=1, message="Add a health check"
    )
    at(clock, 15, 8)
    services.files.save(readme.id, README_V2, base_version=1, message="How to run it")
    services.files.save(main.id, MAIN_V3, base_version=2, message="Count requests")
    logo = services.files.find(project.id, "static/logo.png")
    services.projects.open(project.id)
    clock.set(DEFAULT_NOW)
    return EditorWorld(ws.id, project.id, main.id, readme.id, css.id, logo.id, bea.id)


def bound_site(services: Services, clock: FixedClock, folder: Path) -> tuple[uuid.UUID, Path]:
    """A project bound to ``folder`` with two text files (the watcher runs on it)."""
    at(clock, 3)
    ws = services.workspaces.create("Home")
    project = services.projects.create(ws.id, "Site")
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "app.py").write_text("print('hi')\n", encoding="utf-8")
    (folder / "README.md").write_text("# Site\n", encoding="utf-8")
    services.disk_sync.bind(project.id, folder)
    services.projects.open(project.id)
    clock.set(DEFAULT_NOW)
    return project.id, folder


_UNFINISHED = (WorkerState.PENDING, WorkerState.RUNNING)
_LONG_RUNNING = {"editor-watch", "editor-run"}  # the watcher, a run: end on their own time


def _busy(pilot: Pilot[None]) -> list:  # type: ignore[type-arg]
    return [w for w in pilot.app.workers if w.state in _UNFINISHED and w.group not in _LONG_RUNNING]


async def settle_editor(pilot: Pilot[None]) -> None:
    """ui.helpers.settle, minus the disk watcher (which never finishes by design)."""
    app = pilot.app
    for _ in range(20):
        if isinstance(app, PromptTermApp) and not app.keys.idle:
            await helpers.wait_until(pilot, lambda: app.keys.idle, "the app to take the keys")
        for worker in _busy(pilot):
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
        await pilot.pause()
        keys_idle = not isinstance(app, PromptTermApp) or app.keys.idle
        if keys_idle and not _busy(pilot):
            return


async def open_editor(pilot: Pilot[None], project_id: uuid.UUID) -> None:
    """Make ``project_id`` current (as the explorer does) and switch to the editor."""
    app = pilot.app
    await settle_editor(pilot)
    app.current_project = app.services.projects.get(project_id)  # type: ignore[attr-defined]
    await app.switch_mode("editor")
    await settle_editor(pilot)


async def show_file(pilot: Pilot[None], project_id: uuid.UUID, file_id: uuid.UUID) -> None:
    """The editor on ``project_id`` with ``file_id`` open, as a jump from the palette does."""
    from promptterm.ui.common.jump import JumpTarget

    await open_editor(pilot, project_id)
    target = JumpTarget("file", file_id, "", "", project_id=project_id, area="editor")
    screen = pilot.app.screen
    screen.reveal(target)  # type: ignore[attr-defined]

    def shown() -> bool:  # the file loaded, active, its view built, focused and placed
        doc = screen.active  # type: ignore[attr-defined]
        if doc is None or doc.file_id != file_id or doc.kind == "loading":
            return False
        if doc.kind == "unavailable":
            return True
        view = screen.code_of(doc) or screen.lines_of(doc)  # type: ignore[attr-defined]
        return view is not None and view.has_focus and not doc.view_pending

    await wait_until(pilot, shown, "the file open in the editor")


async def wait_until(
    pilot: Pilot[None], done: Callable[[], bool], what: str = "the editor"
) -> None:
    """For what a real file change on disk sets off: poll, letting messages land."""
    await helpers.wait_until(pilot, done, what, between=settle_editor)
