"""Every key, read from the bindings themselves (so it can never drift from the code), with
each binding's id for remapping it under [keymap] in the config file.

Each key is one line at any width: the list is laid out for the width it is drawn at (80
columns over SSH or 200 on a desktop), the id whole at the end of its line (it is what a
user copies into the config) and the description cut with an ellipsis when the two would
not fit; a long id used to wrap onto a line of its own, under the next key's row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from promptterm.ui.common.styles import css_path

KEY_WIDTH = 14
DESCRIPTION_WIDTH = 26  # at least; the longest description widens the column
SHORTEST_DESCRIPTION = 8  # what is left of a description beside a very long id
PALETTE = (
    "ctrl+p, then type: jump to any workspace, project, file, thread, component or preset; "
    "run any action above; switch theme."
)
# One row of the list: keys as shown, the description, the ids; or a section's title alone.
Row = tuple[str, str, str]
Section = tuple[str, list[Row]]


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


def lay_out(sections: list[Section], width: int | None = None) -> Content:
    """The sections as lines of key, description and ids; with ``width``, no line is wider:
    the key column narrows to the longest key, the description column to what is left
    beside the longest ids (not under ``DESCRIPTION_WIDTH``), and a description that still
    does not fit beside its ids is cut with an ellipsis: the ids stay whole, at line ends."""
    rows = [row for _, section in sections for row in section]
    natural = max([DESCRIPTION_WIDTH] + [len(description) + 1 for _, description, _ in rows])
    longest_ids = max([len(ids) for _, _, ids in rows], default=0)
    key_column, column = KEY_WIDTH, natural
    if width is not None and KEY_WIDTH + natural + longest_ids > width:
        # Two spaces after the longest key: "f8 del  Delete" still reads as two columns.
        key_column = min(KEY_WIDTH, max([len(keys) + 2 for keys, _, _ in rows], default=0))
        column = max(DESCRIPTION_WIDTH, min(natural, width - key_column - longest_ids))
    lines: list[Content] = []
    for title, section in sections:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(title, "bold $accent"))
        for keys, description, ids in section:
            room = column
            if width is not None:
                room = max(SHORTEST_DESCRIPTION, min(column, width - key_column - len(ids)))
            said = Content(description)
            if said.cell_length >= room:
                said = said.truncate(room - 1, ellipsis=True)
            lines.append(
                Content.assemble(
                    (f"{keys:<{key_column}}", "bold"), said.pad_right(room - said.cell_length),
                    (ids, "dim"),
                )
            )  # fmt: skip
    return Content("\n").join(lines)


class KeyList(Widget):
    """The help's keys, laid out for the width they are drawn at (``lay_out``)."""

    DEFAULT_CSS = "KeyList { height: auto; }"

    def __init__(self, sections: list[Section], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections = sections
        self._lines = len(lay_out(sections).split("\n", allow_blank=True))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._lines

    def render(self) -> Content:
        return lay_out(self.sections, self.size.width or None)


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
                yield KeyList(self._rows(), id="help-keys")
                yield Static(Content.styled("Command palette", "bold $accent"), id="help-palette")
                yield Static(PALETTE, markup=False)
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
        return sections

    def _rows(self) -> list[Section]:
        app = self.app
        found: list[Section] = []
        for title, bindings in self._sections():
            rows: list[Row] = []
            for keys, binding in _group(bindings):
                shown = " ".join(dict.fromkeys(app.get_key_display(k) for k in keys))
                # Every id of the row: a keymap in the config remaps each by its id.
                ids = " ".join(dict.fromkeys(k.id for k in keys if k.id))
                rows.append((shown, binding.description, ids))
            found.append((title, rows))
        return found

    def _render_keys(self) -> Content:
        """Every section at its natural width (what tests read whatever the terminal)."""
        return lay_out(self._rows())

    def action_close(self) -> None:
        self.dismiss(None)
