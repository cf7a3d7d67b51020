"""Pilot tests of the chat's dialogs: the key manager (with the test keyring backends), the
provider entries, and the model picker listing the loopback server's models."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from textual.widgets import DataTable, Input

from promptterm.services.facade import Services
from promptterm.ui.chat.dialogs.api_keys import KeyForm, KeysScreen
from promptterm.ui.chat.dialogs.models import ModelPickerScreen
from promptterm.ui.chat.dialogs.providers import ProvidersScreen
from promptterm.ui.common.dialogs.confirm import ConfirmScreen
from promptterm.ui.common.dialogs.form import FormScreen
from services.keyring_backend import MemoryKeyring, NoKeyring
from support.llm_server import LLMServer
from ui.chat.scenarios import chat, chat_llm, live, open_chat, wait_for
from ui.fixtures import AppFactory
from ui.helpers import notes, settle, type_text
from ui.scenarios import SMALL

__all__ = ["chat_llm", "live"]  # fixtures

pytestmark = pytest.mark.anyio

SECRET = "sk-ui-test-0123456789abcdef"


@pytest.fixture
def use_keyring() -> Iterator[Callable[[KeyringBackend], None]]:
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def rows(table: DataTable[str]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_add_a_key_without_ever_showing_it_then_revoke_it(
    make_app: AppFactory, live: Services, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    memory = MemoryKeyring()
    use_keyring(memory)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f9")
        await settle(pilot)
        manager = app.screen
        assert isinstance(manager, KeysScreen)
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, KeyForm)
        assert form.query_one("#field-provider", Input).value == "local"  # the only provider
        secret_box = form.query_one("#field-secret", Input)
        assert secret_box.password
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "work")
        await pilot.press("tab")
        await type_text(pilot, SECRET)
        assert SECRET not in str(secret_box.render())  # dots, never the key
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is manager
        table = manager.query_one(DataTable)
        assert rows(table) == [["local", "work", "never", "active"]]
        assert "Stored the local key 'work'." in notes(app)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert rows(table)[0][3].startswith("revoked 2026-01-15")
    assert memory.passwords == {}  # the secret left the keyring
    [key] = live.api_keys.list(include_revoked=True)
    assert key.nickname == "work" and key.revoked_at is not None


async def test_without_a_keyring_the_manager_says_to_use_the_environment(
    make_app: AppFactory, live: Services, use_keyring: Callable[[KeyringBackend], None]
) -> None:
    use_keyring(NoKeyring())
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f9")
        await settle(pilot)
        manager = app.screen
        assert isinstance(manager, KeysScreen)
        await pilot.press("a")
        await pilot.press("tab", "tab")
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)  # stays open, the reason in place
        said = str(form.query_one("#form-error").render())
        assert "No OS keyring is available here" in said and "LOCAL_API_KEY" in said
        assert SECRET not in said
        await pilot.press("escape")
        await settle(pilot)
        banner = str(manager.query_one("#keys-keyring").render())
        assert "export LOCAL_API_KEY=" in banner
    assert live.api_keys.list(include_revoked=True) == []


async def test_add_and_test_a_provider(
    make_app: AppFactory, ui_services: Services, chat_llm: LLMServer
) -> None:
    from ui.chat.scenarios import fast_providers

    fast_providers(ui_services)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f10")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ProvidersScreen)
        hint = dialog.query_one("#providers-result")
        assert hint.display and "No provider yet" in str(hint.render())
        await pilot.press("a")
        await type_text(pilot, "lab")
        await pilot.press("tab", "tab")  # the kind stays openai-compatible
        await type_text(pilot, chat_llm.openai_url)
        await pilot.press("tab")
        await type_text(pilot, "test-model")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert rows(dialog.query_one(DataTable))[0][:2] == ["lab", "openai-compatible"]
        assert not hint.display, "the empty-table hint outlived the first row"
        await pilot.press("t")
        await settle(pilot)
        result = str(dialog.query_one("#providers-result").render())
        assert result.startswith("✓ lab (test-model) answered")


async def test_the_model_picker_lists_the_servers_models_and_sets_the_threads(
    make_app: AppFactory, live: Services
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_chat(pilot)
        await pilot.press("f3")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ModelPickerScreen)
        await wait_for(pilot, lambda: picker.models.get("local") is not None)
        assert picker.models["local"] == ["test-model", "test-model-large"]
        await pilot.press("down", "enter")
        await settle(pilot)
        thread = chat(app).thread
        assert thread is not None and (thread.provider, thread.model) == (
            "local",
            "test-model-large",
        )
        assert "test-model-large" in str(screen.bar.query_one("#chat-bar-stats").render())


async def test_the_box_selects_all_and_clears_with_keys_help_lists(
    make_app: AppFactory, live: Services
) -> None:
    from promptterm.ui.common.help import HelpScreen

    app = make_app()
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_chat(pilot)
        await type_text(pilot, "a long question")
        await pilot.press("ctrl+a")  # line start, as in a shell: not select-all
        assert screen.composer.selected_text == ""
        await pilot.press("f7")
        assert screen.composer.selected_text == "a long question"
        await pilot.press("ctrl+l")
        assert screen.composer.text == ""
        assert "Cleared the box; ctrl+z brings the text back." in notes(app)
        await pilot.press("ctrl+z")
        assert screen.composer.text == "a long question"
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = str(app.screen.query_one("#help-keys").render())
        assert any(line.split()[:3] == ["f7", "Select", "all"] for line in keys.splitlines())
        assert any(line.split()[:4] == ["^l", "Clear", "the", "box"] for line in keys.splitlines())


async def test_lists_read_before_a_change_are_not_shown_over_it(
    make_app: AppFactory,
    live: Services,
    chat_llm: LLMServer,
    use_keyring: Callable[[KeyringBackend], None],
) -> None:
    """Both dialogs read their list again after each change; a read that started before it
    can answer last (a cancelled thread still runs) and must not bring the old list back."""
    from ui.chat.scenarios import fast_providers

    use_keyring(MemoryKeyring())
    live.api_keys.add("local", "work", SECRET)
    fast_providers(live)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_chat(pilot)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, KeysScreen))
        manager = app.screen
        assert isinstance(manager, KeysScreen)
        table = manager.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        late = manager.reads.start(), live.api_keys.list(include_revoked=True)  # now...
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: rows(table)[0][3].startswith("revoked"))
        manager.post_message(KeysScreen.Loaded(late[1], ["local"], late[0]))  # ...answers
        await settle(pilot)
        assert rows(table)[0][3].startswith("revoked")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, KeysScreen))
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, ProvidersScreen))
        dialog = app.screen
        assert isinstance(dialog, ProvidersScreen)
        providers = dialog.query_one(DataTable)
        await settle(pilot)
        late = dialog.reads.start(), live.providers.list()
        await pilot.press("a")
        await type_text(pilot, "lab")
        await pilot.press("tab", "tab")
        await type_text(pilot, chat_llm.openai_url)
        await pilot.press("tab")
        await type_text(pilot, "test-model")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "lab" in [r[0] for r in rows(providers)])
        dialog.post_message(ProvidersScreen.Loaded(late[1], late[0]))
        await settle(pilot)
        assert "lab" in [r[0] for r in rows(providers)]
