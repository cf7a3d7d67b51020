"""The footer shows whole key hints only, at any width: the ones that do not fit are left
out (the last first), help and ^p Commands always stay; and it says where typing goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from promptterm.services.facade import Services
from promptterm.ui.common.widgets.footer import AreaFooter, Hint, TypingTarget, fit
from support.clock import FixedClock
from ui.chat.scenarios import seed_chat
from ui.editor.scenarios import seed_editor, settle_editor, show_file
from ui.fixtures import AppFactory
from ui.helpers import footer_row, settle, wait_until
from ui.library.scenarios import seed_library

pytestmark = pytest.mark.anyio

WIDTHS = [60, 80, 120]
PALETTE = "▏^p Commands"


def check_footer(pilot: Pilot[None], where: str) -> None:
    """What the footer shows is exactly its label and hints, each whole, then the palette."""
    row = footer_row(pilot)
    footer = pilot.app.screen.query_one(AreaFooter)
    assert row.rstrip().endswith(PALETTE), f"{where}: {row!r}"
    keys = [k for k in footer.query(FooterKey) if not k.has_class("-command-palette")]
    hints = [f"{k.key_display} {k.description}" for k in keys]
    assert any(h.endswith(" Help") for h in hints), f"{where}: no help in {row!r}"
    label = [str(w.render()) for w in footer.query(TypingTarget)]
    assert len(label) <= 1 and len(set(hints)) == len(hints), f"{where}: twice in {row!r}"
    expected = "  ".join([*label, " ".join(hints)]).strip()
    shown = row[: row.rindex(PALETTE)].strip()
    assert shown == expected, f"{where}: {row!r}"


async def footer_drawn(pilot: Pilot[None]) -> None:
    """The footer redraws itself after the refresh that follows a change of focus."""
    await settle(pilot)
    await wait_until(pilot, lambda: PALETTE in footer_row(pilot), "the footer drawn")


def footer_whole(pilot: Pilot[None]) -> bool:
    try:
        check_footer(pilot, "")
    except AssertionError:
        return False
    return True


async def each_focus(pilot: Pilot[None], where: str) -> None:
    for widget in list(pilot.app.screen.focus_chain):
        widget.focus()
        await footer_drawn(pilot)
        check_footer(pilot, f"{where}, focus on {widget.id}")


@pytest.mark.parametrize("width", WIDTHS)
async def test_every_area_at_every_width(
    make_app: AppFactory,
    ui_services: Services,
    clock: FixedClock,
    tmp_path: Path,
    width: int,
) -> None:
    world = seed_editor(ui_services, clock, tmp_path)
    seed_chat(ui_services, clock)
    seed_library(ui_services, clock)
    async with make_app().run_test(size=(width, 24)) as pilot:
        app = pilot.app
        await settle(pilot)
        await each_focus(pilot, "explorer")
        await show_file(pilot, world.project, world.main)
        await each_focus(pilot, "editor")
        for area in ("chat", "billing"):
            await app.switch_mode(area)
            await settle_editor(pilot)
            await each_focus(pilot, area)
        await app.switch_mode("library")
        for view in ("components", "presets", "prompts", "trash"):
            app.screen.show_view(view)  # type: ignore[attr-defined]
            await settle_editor(pilot)
            await each_focus(pilot, f"library {view}")


async def test_a_resize_refits_the_hints(
    make_app: AppFactory, ui_services: Services, clock: FixedClock
) -> None:
    seed_chat(ui_services, clock)
    async with make_app().run_test(size=(120, 24)) as pilot:
        await pilot.app.switch_mode("chat")
        await settle(pilot)
        await pilot.press("escape")  # the messages: the most keys
        await footer_drawn(pilot)
        wide = footer_row(pilot)
        await pilot.resize_terminal(60, 24)
        await footer_drawn(pilot)
        # The refit follows the resize's layout: wait for it (a hang fails with the row).
        await wait_until(pilot, lambda: footer_whole(pilot), "the footer refitted")
        check_footer(pilot, "after the resize")
        assert len(footer_row(pilot).rstrip()) <= 60 < len(wide.rstrip())


def _hint(key: str, description: str, action: str) -> Hint:
    from textual.binding import Binding

    return Hint(Binding(key, action, description), key, True, "")


def test_fit_drops_the_last_hints_first_and_keeps_help() -> None:
    hints = [
        _hint("^j", "Send", "send"),  # 8 columns each with the margin
        _hint("^r", "Retry", "retry"),
        _hint("f3", "Model", "model"),
        _hint("f1", "Help", "help"),
    ]
    shown = [h.binding.description for h in fit(hints, 8 + 9 + 8)]
    assert shown == ["Send", "Retry", "Help"]
    assert [h.binding.description for h in fit(hints, 3)] == ["Help"]


class Pane(Static, can_focus=True):
    def action_say(self, word: str) -> None:
        self.notify(word)


class Left(Pane):
    BINDINGS = [("a", "say('one')", "One"), ("b", "say('two')", "Two")]


class Right(Pane):
    BINDINGS = [("c", "say('3')", "Three"), ("d", "say('4')", "Four"), ("e", "say('5')", "Five")]


class TwoPanes(App[None]):
    def compose(self) -> ComposeResult:
        yield Left("left", id="left")
        yield Right("right", id="right")
        yield AreaFooter()


def shown_keys(pilot: Pilot[None]) -> list[FooterKey]:
    return list(pilot.app.screen.query_one(AreaFooter).query(FooterKey))


async def test_moving_the_focus_gives_the_keys_on_show_new_words_instead_of_new_keys() -> None:
    """A focus change that changes the keys rebuilds none of those already shown (a rebuild
    mounts and styles every key again, on each key press that moves the focus)."""
    async with TwoPanes().run_test(size=(80, 6)) as pilot:
        app = pilot.app
        app.query_one("#left").focus()
        await wait_until(pilot, lambda: "a One" in footer_row(pilot), "the left pane's keys")
        before = shown_keys(pilot)
        app.query_one("#right").focus()
        await wait_until(pilot, lambda: "c Three" in footer_row(pilot), "the right pane's keys")
        await settle(pilot)
        row = footer_row(pilot)
        words = ["c Three", "d Four", "e Five", "^p palette"]  # in order, the palette last
        assert all(w in row for w in words), row
        assert [row.index(w) for w in words] == sorted(row.index(w) for w in words), row
        assert "a One" not in row and "b Two" not in row, row
        after = shown_keys(pilot)
        assert all(any(k is b for b in before) for k in after[:2]), "the keys were rebuilt"
        app.query_one("#left").focus()
        await wait_until(pilot, lambda: "a One" in footer_row(pilot), "the left pane's keys")
        await settle(pilot)
        row = footer_row(pilot)
        assert "b Two" in row and "Three" not in row and "Five" not in row, row
        assert row.rstrip().endswith("^p palette"), row
