"""Every key, read from the bindings themselves (so it can never drift from the code), with
each binding's id for remapping it under [keymap] in the config file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from promptterm.ui.common.styles import css_path

KEY_WIDTH = 14
DESCRIPTION_WIDTH = 26  # at least; the longest description widens the column


def _bindings_of(node: DOMNode) -> list[Binding]:
    """The node's bindings with the keys in force: ``_bindings`` holds the defaults, and
    Textual lays the user's keymap over a copy each time it looks a key up; so does this."""
    defaults = [b for bindings in node._bindings.key_to_bindings.values() for b in bindings]
    bindings_map = node._bindings.copy()
    keymap = node.app._keymap
    if keymap:
        bindings_map.apply_keymap(keymap)
    seen: list[Binding] = []
    for bindings in bindings_map.key_to_bindings.values():
        seen.extend(b for b in bindings if b.description and not b.system)
    # A remapped key comes back last; it keeps its place in the list.
    place: dict[tuple[str | None, str], int] = {}
    for n, binding in enumerate(defaults):
        place.setdefault((binding.id, binding.action), n)
    return sorted(seen, key=lambda b: place.get((b.id, b.action), len(place)))


def action_name(binding: Binding) -> str:
    """ "version" for "version(-1)": panes are keyed by the action, whatever its arguments."""
    return binding.action.partition("(")[0]


def by_pane(
    bindings: list[Binding], panes: dict[str, str], title: str
) -> list[tuple[str, list[Binding]]]:
    """The screen's keys, then one section per pane (``panes``: action -> pane name) for the
    keys that act only there: the same key means different things in different panes ("r":
    rename in the file tree, restore in the history), so each is listed under its pane."""
    sections: dict[str, list[Binding]] = {title: []}
    for binding in bindings:
        pane = panes.get(action_name(binding))
        sections.setdefault(f"{title}: {pane}" if pane else title, []).append(binding)
    return [(name, rows) for name, rows in sections.items() if rows or name == title]


def _group(bindings: Iterable[Binding]) -> list[tuple[list[Binding], Binding]]:
    """Bindings of one action (``f1`` and ``?`` for help) become one row."""
    rows: dict[tuple[str, str], tuple[list[Binding], Binding]] = {}
    for binding in bindings:
        keys, _first = rows.setdefault((binding.action, binding.description), ([], binding))
        keys.append(binding)
    return list(rows.values())


class HelpScreen(ModalScreen[None]):
    CSS_PATH = css_path("modals.tcss", "help.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help-close"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__(classes="dialog")
        self.target = screen

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-wide"):
            with VerticalScroll(id="help-body"):
                yield Static(self._render_keys(), id="help-keys")
            yield Static(
                '↑↓ scroll · esc close · remap: [keymap] <id> = "key" in config.toml',
                classes="dialog-keys",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = "Keys"
        self.query_one("#help-body").focus()

    def _sections(self) -> list[tuple[str, list[Binding]]]:
        app = self.app
        area = getattr(self.target, "SUB_TITLE", None) or "This screen"
        panes: dict[str, str] = getattr(self.target, "HELP_PANES", {})
        sections = [("Everywhere", _bindings_of(app))]
        sections += by_pane(_bindings_of(self.target), panes, str(area))
        # Widgets of this screen that promptterm defines or configures (the tree, the welcome
        # view, tables); generic editing keys of inputs would only bury what matters.
        seen: set[type] = set()
        for widget in self.target.walk_children():
            kind = type(widget)
            title = getattr(widget, "HELP_TITLE", None)
            if kind in seen or not title:
                continue
            if not all(
                node.display for node in widget.ancestors_with_self if hasattr(node, "display")
            ):
                continue  # e.g. the welcome view while the tree is shown
            seen.add(kind)
            sections.append((str(title), _bindings_of(widget)))
        sections.append(("Command palette", []))
        return sections

    def _render_keys(self) -> Content:
        app = self.app
        lines: list[Content] = []
        sections = [(title, _group(bindings)) for title, bindings in self._sections()]
        width = max(
            [DESCRIPTION_WIDTH]
            + [len(binding.description) + 1 for _, rows in sections for _, binding in rows]
        )
        for title, rows in sections:
            if lines:
                lines.append(Content(""))
            lines.append(Content.styled(title, "bold $accent"))
            if title == "Command palette":
                lines.append(
                    Content(
                        "ctrl+p, then type: jump to any workspace, project, file, thread, "
                        "component or preset; run any action above; switch theme."
                    )
                )
            for keys, binding in rows:
                shown = " ".join(dict.fromkeys(app.get_key_display(k) for k in keys))
                # Every id of the row: a keymap in the config remaps each by its id.
                ids = " ".join(dict.fromkeys(k.id for k in keys if k.id))
                lines.append(
                    Content.assemble(
                        (f"{shown:<{KEY_WIDTH}}", "bold"),
                        f"{binding.description:<{width}}",
                        (ids, "dim"),
                    )
                )
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
