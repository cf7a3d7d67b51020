"""The plan area's keys: the board's own, the sections' steps, the filters. Each has an id
(``plan-…``) for the keymap and a tooltip the help and the palette show."""

from __future__ import annotations

from textual.binding import Binding, BindingType


def _binding(key: str, action: str, words: str, name: str, tip: str, show: bool = True) -> Binding:
    return Binding(key, action, words, show=show, id=f"plan-{name}", tooltip=tip)


PLAN_KEYS: list[BindingType] = [
    _binding("a", "quick_add", "Add", "add", "Add a card to this column: type a title, enter"),
    _binding("e,enter", "edit", "Edit", "edit", "Change every field of the highlighted card"),
    _binding("d,delete", "delete", "Delete", "delete", "Delete the highlighted card (asks first)"),
    # Off the footer: at 80 columns it would push "] Next section" off; ? and the
    # palette list both.
    _binding(
        "L",
        "link",
        "Link",
        "link",
        "Link the highlighted card to another card, a file or a thread",
        show=False,
    ),
    _binding(
        "o",
        "links",
        "Links",
        "links",
        "The highlighted card's links: open one (enter), remove one (d)",
        show=False,
    ),
    _binding(
        "shift+left",
        "move_across(-1)",
        "Move ←",
        "move-left",
        "Move the card to the column on the left",
        show=False,
    ),
    _binding(
        "shift+right",
        "move_across(1)",
        "Move →",
        "move-right",
        "Move the card to the column on the right",
    ),
    _binding(
        "shift+up",
        "move_along(-1)",
        "Move up",
        "move-up",
        "Move the card up in its column",
        show=False,
    ),
    _binding(
        "shift+down",
        "move_along(1)",
        "Move down",
        "move-down",
        "Move the card down in its column",
        show=False,
    ),
    _binding(
        "left,h",
        "column(-1)",
        "Column ←",
        "column-left",
        "Go to the column on the left",
        show=False,
    ),
    _binding(
        "right,l",
        "column(1)",
        "Column →",
        "column-right",
        "Go to the column on the right",
        show=False,
    ),
    _binding(
        "slash",
        "filter_text",
        "Filter",
        "filter",
        "Show only cards whose title or description has some text",
    ),
    _binding(
        "t",
        "filter_kind",
        "Kind",
        "kind",
        "Show tasks, bugs, features or every kind",
        show=False,
    ),
    _binding(
        "p",
        "filter_priority",
        "Priority",
        "priority",
        "Show one priority or all of them",
        show=False,
    ),
    _binding(
        "x", "clear_filter", "Clear filter", "clear-filter", "Show every card again", show=False
    ),
    _binding(
        "escape",
        "back",
        "Back",
        "back",
        "Leave the text box and go back to the board",
        show=False,
    ),
    _binding(
        "P",
        "propose",
        "Propose tasks",
        "propose",
        "Ask the project's model for tasks; keep the ones you want",
        show=False,
    ),
    _binding(
        "right_square_bracket",
        "section(1)",
        "Next section",
        "section-next",
        "Show the next section of the plan (board, flows…)",
    ),
    _binding(
        "left_square_bracket",
        "section(-1)",
        "Previous section",
        "section-previous",
        "Show the previous section of the plan",
        show=False,
    ),
    _binding(
        "r,f5",
        "refresh",
        "Refresh",
        "refresh",
        "Read the board again (teammates' changes)",
        show=False,
    ),
]
