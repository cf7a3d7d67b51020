"""[keymap] in the config: help shows the keys in force, and an id that no key has is
reported on start (the app notifies; the CLI prints a line on stderr)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import promptterm.app
import promptterm.ui
from promptterm import locations
from promptterm.cli.main import main
from promptterm.keymap_ids import KEYMAP_IDS
from promptterm.ui.common.help import HelpScreen
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, wait_until
from ui.scenarios import SMALL, World


def binding_ids_in_the_code() -> set[str]:
    """Every id of every binding of every screen, widget and dialog of the app."""
    modules = [promptterm.app] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(promptterm.ui.__path__, "promptterm.ui.")
    ]
    ids: set[str] = set()
    for module in modules:
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, DOMNode):
                for cls in value.__mro__:
                    for binding in vars(cls).get("BINDINGS", []):
                        if isinstance(binding, Binding) and binding.id:
                            ids.add(binding.id)
    return ids


def test_the_list_of_keymap_ids_is_every_binding_id() -> None:
    in_code = binding_ids_in_the_code()
    assert sorted(in_code - KEYMAP_IDS) == [], "add these to src/promptterm/keymap_ids.py"
    assert sorted(KEYMAP_IDS - in_code) == [], "remove these from src/promptterm/keymap_ids.py"


def help_text(app: object) -> str:
    return str(app.screen.query_one("#help-keys").render())  # type: ignore[attr-defined]


@pytest.mark.anyio
async def test_help_and_footer_show_a_remapped_key(make_app: AppFactory, world: World) -> None:
    app = make_app(keymap={"chat-send": "f5"})
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("3")
        await wait_until(pilot, lambda: app.current_mode == "chat", between=settle)
        shown = {b.id: b.key for _, b, _, _ in app.screen.active_bindings.values() if b.id}
        assert shown["chat-send"] == "f5"  # what the footer reads
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        lines = help_text(app).splitlines()
        send = [n for n, line in enumerate(lines) if line.endswith("chat-send")]
        assert len(send) == 1
        assert lines[send[0]].split()[:2] == ["f5", "Send"]
        assert lines[send[0] + 1].endswith("chat-back")  # in its place, not moved last


@pytest.mark.anyio
async def test_an_unknown_keymap_id_is_reported_with_the_file(
    make_app: AppFactory, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    app = make_app(keymap={"chat-sned": "f5", "chat-send": "f6"}, config_file=config)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        said = [n for n in notes(app) if "chat-sned" in n]
        assert said == [
            f"[keymap] in {config} names 'chat-sned', but no key has this id, so it is "
            "ignored. F1 lists every key with its id."
        ]


def test_the_cli_reports_an_unknown_keymap_id_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = locations.config_file()  # the test's own config dir (tests/conftest.py)
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keymap]\nexplorer-nwe = "a"\n', encoding="utf-8")
    code = main(["--database-url", f"sqlite:///{tmp_path / 'k.db'}", "workspace", "list"])
    _out, err = capsys.readouterr()
    assert code == 0
    assert err == (
        f"promptterm: [keymap] in {config} names 'explorer-nwe', but no key has this id, so "
        "it is ignored. F1 lists every key with its id.\n"
    )
