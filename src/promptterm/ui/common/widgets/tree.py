"""A Tree whose labels end with "…" when they are cut. Textual's Tree crops a long label at
the edge, so "LinkedIn Campaign  Markdown" read "LinkedIn Campaign  Markdow" with no sign
that there was more; the areas' trees (explorer, files, prompts) are built on this one."""

from __future__ import annotations

from typing import TypeVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

T = TypeVar("T")


class EllipsisTree(Tree[T]):
    def guides_width(self, node: TreeNode[T]) -> int:
        """The cells the guides take left of ``node``'s label (Tree._render_line draws one
        guide per level of the line's path below its first: none for a line at the top)."""
        depth = 0
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        path = depth + 1 if self.show_root else depth  # the line's path: the root if shown
        return self.guide_depth * max(path - 1, 0)

    def render_label(self, node: TreeNode[T], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        room = self.scrollable_content_region.width - self.guides_width(node)
        if room > 0 and label.cell_len > room:
            label = label.copy()
            label.truncate(room, overflow="ellipsis")
        return label
