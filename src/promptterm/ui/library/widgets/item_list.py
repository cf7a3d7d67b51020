"""A list of library items (components, presets, modules) keyed by their ids.

Each item's option id is its UUID; headers and notes are disabled. After a reload the
cursor goes back to the same item, or, when that is gone (deleted), stays where it was, on
the next item.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ItemList(OptionList):
    @property
    def selected_id(self) -> uuid.UUID | None:
        option = self.highlighted_option
        if option is None or option.disabled or not option.id:
            return None
        return uuid.UUID(option.id)

    def select_id(self, item_id: uuid.UUID) -> bool:
        try:
            self.highlighted = self.get_option_index(str(item_id))
        except Exception:  # OptionDoesNotExist: not on this page
            return False
        return True

    def replace_items(self, options: Sequence[Option | None], keep: uuid.UUID | None) -> None:
        """Show ``options``, the cursor on ``keep`` (else the item it was on, else the next)."""
        old, index = keep or self.selected_id, self.highlighted
        self.set_options(options)
        if old is not None and self.select_id(old):
            return
        items = [i for i, option in enumerate(self.options) if option.id and not option.disabled]
        after = [i for i in items if i >= (index or 0)]
        self.highlighted = after[0] if after else (items[-1] if items else None)
