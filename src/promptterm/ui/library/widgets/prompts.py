"""The prompts view: a tree of folders and prompts, and the selected prompt's modules in
order (shown or hidden, each with its default option)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from promptterm.ui.common.widgets.tree import EllipsisTree
from promptterm.ui.library.widgets.item_list import ItemList

if TYPE_CHECKING:
    from promptterm.services.library.prompt_sharing import SharedPrompt
    from promptterm.services.library.prompts import FolderInfo, ModuleInfo, PromptSummary


class PromptTree(EllipsisTree["FolderInfo | PromptSummary | None"]):
    """Folders (open) with their prompts, then the prompts in no folder."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Prompts", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2

    def show(
        self,
        folders: list[FolderInfo],
        prompts: list[PromptSummary],
        keep: uuid.UUID | None,
        shared: Sequence[SharedPrompt] = (),
    ) -> None:
        old = keep or self.selected_id
        self.clear()
        by_folder: dict[uuid.UUID | None, list[PromptSummary]] = {}
        live = {f.id for f in folders}
        for p in prompts:
            by_folder.setdefault(p.folder_id if p.folder_id in live else None, []).append(p)
        for folder in folders:
            inside = by_folder.get(folder.id, [])
            # Tree labels are Rich Text (Textual's Tree copies and stylizes them).
            label = Text.assemble((folder.name, "bold"), (f"  {len(inside)}", "dim"))
            node = self.root.add(label, data=folder, expand=True)
            for p in inside:
                node.add_leaf(Text(p.name), data=p)
            if not inside:
                node.add_leaf(Text("empty: n adds a prompt here", "dim italic"), data=None)
        for p in by_folder.get(None, []):
            self.root.add_leaf(Text(p.name), data=p)
        if not folders and not prompts:
            for text in ("No prompts yet.", "n  new prompt", "F  new folder"):
                self.root.add_leaf(Text(text, "dim italic"), data=None)
        if shared:
            self._show_shared(shared)
        # The cursor goes back at once, not after the next refresh: a key handled in between
        # ("M down" typed at once, a move while a write's reload lands) was undone. Asking
        # for the last line lays the new nodes out into lines, which the move needs.
        if self.last_line >= 0:
            self._move_to(old)

    def _show_shared(self, shared: Sequence[SharedPrompt]) -> None:
        """Others' prompts shared with my workspaces, last, under a folder of their own that
        is no folder of mine (nothing to rename or fill); each names its owner. They load
        like my prompts; their edits are refused by the services, in words."""
        from promptterm.services.library.prompts import PromptSummary

        label = Text.assemble(("Shared with me", "bold italic"), (f"  {len(shared)}", "dim"))
        node = self.root.add(label, data=None, expand=True)
        for p in shared:
            summary = PromptSummary(p.id, p.name, None, None, p.updated_at)
            node.add_leaf(Text.assemble(p.name, (f"  {p.owner} · read-only", "dim")), data=summary)

    def _move_to(self, item_id: uuid.UUID | None) -> None:
        before = self.cursor_line
        node = self._find(item_id) if item_id is not None else None
        if node is not None:
            self.move_cursor(node)
        else:
            self.cursor_line = 0
        if self.cursor_line == before and self.cursor_node is not None:
            # Same line, new node: Tree only says so when the line changes.
            self.post_message(self.NodeHighlighted(self.cursor_node))

    def _find(self, item_id: uuid.UUID) -> TreeNode[FolderInfo | PromptSummary | None] | None:
        stack = list(self.root.children)
        while stack:
            node = stack.pop(0)
            if node.data is not None and node.data.id == item_id:
                return node
            stack.extend(node.children)
        return None

    def select_item(self, item_id: uuid.UUID) -> bool:
        node = self._find(item_id)
        if node is None:
            return False
        self.move_cursor(node)
        return True

    @property
    def item(self) -> FolderInfo | PromptSummary | None:
        node = self.cursor_node
        return node.data if node is not None else None

    @property
    def selected_id(self) -> uuid.UUID | None:
        item = self.item
        return item.id if item is not None else None


def module_row(index: int, module: ModuleInfo) -> Content:
    default = next((o for o in module.options if o.is_default), None)
    count = len(module.options)
    if default is not None and count > 1:
        position = module.options.index(default) + 1
        note = f"option {position} of {count}"
    else:
        note = "1 option" if count == 1 else f"{count} options"
    mark = ("✓ ", "$success") if module.visible else ("✗ ", "$error")
    name_style = "" if module.visible else "dim strike"
    shown = "" if module.visible else " (hidden)"
    return Content.assemble(
        (f"{index}. ", "dim"), mark, (module.name, name_style), (f"  {note}{shown}", "dim")
    )


class ModuleList(ItemList):
    """A prompt's modules in order: space shows or hides, K/J move, o picks the default."""

    def show(self, modules: tuple[ModuleInfo, ...], keep: uuid.UUID | None = None) -> None:
        old = keep or self.selected_id
        if modules:
            options = [Option(module_row(i + 1, m), str(m.id)) for i, m in enumerate(modules)]
        else:
            text = "No modules yet: press a to add one."
            options = [Option(Content.styled(text, "dim italic"), disabled=True)]
        self.set_options(options)
        if old is not None and any(o.id == str(old) for o in options):
            self.highlighted = self.get_option_index(str(old))
        else:
            self.highlighted = 0 if modules else None
