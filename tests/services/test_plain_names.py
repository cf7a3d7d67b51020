"""No name can carry a control character (issue 12, item 6): a terminal escape in a name
would act on every terminal that lists it. Refused at the service layer, on both
databases, for every kind of name, whether typed in the UI or the CLI or imported."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from promptterm.services.errors import ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user

ESC = "Evil\x1b[2J"  # clears the screen
OSC = "Evil\x1b]52;c;cm0gLXJmIH4=\x07"  # writes the clipboard


def _namers(services: Services) -> dict[str, Callable[[str], object]]:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    thread = services.chat.create_thread(title="Plain")
    role = services.components.create("role", "Plain role", "You help.")
    preset = services.presets.create("Plain preset", role=role.id)
    prompt = services.prompts.create("Plain prompt")
    return {
        "workspace": lambda n: services.workspaces.create(n),
        "workspace rename": lambda n: services.workspaces.rename(ws.id, n),
        "project": lambda n: services.projects.create(ws.id, n),
        "project rename": lambda n: services.projects.rename(project.id, n),
        "file": lambda n: services.files.create(project.id, f"src/{n}.py"),
        "folder": lambda n: services.files.create_folder(project.id, n),
        "thread": lambda n: services.chat.create_thread(title=n),
        "thread rename": lambda n: services.chat.rename(thread.id, n),
        "component": lambda n: services.components.create("style", n, "Be brief."),
        "component rename": lambda n: services.components.update(role.id, name=n),
        "component tag": lambda n: services.components.create("mode", "Tagged", "x", tags=[n]),
        "preset": lambda n: services.presets.create(n, role=role.id),
        "preset rename": lambda n: services.presets.update(preset.id, name=n),
        "prompt folder": lambda n: services.prompts.create_folder(n),
        "prompt": lambda n: services.prompts.create(n),
        "prompt module": lambda n: services.prompts.add_module(prompt.id, n, ["x"]),
        "key nickname": lambda n: services.api_keys.add("openai", n, "sk-test"),
        "person": lambda n: create_user(services.ctx.db, n, None, services.ctx.now(), uuid.uuid4()),
    }


@pytest.mark.parametrize("name", [ESC, OSC, "two\nlines", "C1\x9bcsi", "sep\u2028x"])
def test_every_kind_of_name_refuses_control_characters(services: Services, name: str) -> None:
    for kind, make in _namers(services).items():
        with pytest.raises(ValidationError, match="contains a control character") as err:
            make(name)
        assert "plain text on one line" in err.value.message, kind


def test_names_with_ordinary_unicode_are_still_fine(services: Services) -> None:
    ws = services.workspaces.create("Équipe 名前 — ✓")
    assert ws.name == "Équipe 名前 — ✓"


def test_a_thread_titled_from_its_first_message_drops_the_escapes(services: Services) -> None:
    thread = services.chat.create_thread()
    services.chat.add_message(thread.id, "user", "Hello \x1b[2J there\x07\nfriend")
    assert services.chat.get_thread(thread.id).title == "Hello [2J there friend"


def test_library_import_refuses_an_escape_in_a_name_and_imports_the_rest(
    services: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "lib" / "components" / "role"
    folder.mkdir(parents=True)
    # YAML's own escape (\e) is how a file carries an ESC past the YAML reader.
    (folder / "evil.md").write_text('---\nname: "Evil\\e[2J"\n---\nYou help.\n', encoding="utf-8")
    (folder / "good.md").write_text("---\nname: Good\n---\nYou help.\n", encoding="utf-8")
    report = services.library_io.import_from(tmp_path / "lib")
    assert [i.name for i in report.created] == ["Good"]
    assert [e.path for e in report.errors] == ["components/role/evil.md"]
    assert "control character" in report.errors[0].message
