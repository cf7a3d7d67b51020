"""Every key of the library area, with its id for the keymap. One key may serve several
views (n is "new" everywhere); ``LibraryScreen.check_action`` lets only the current view's
action run and show in the Footer."""

from __future__ import annotations

from textual.binding import Binding

# action -> the view it belongs to (actions not listed work in every view)
ACTION_VIEWS = {
    "new_component": "components",
    "edit_component": "components",
    "delete_component": "components",
    "versions": "components",
    "sort_components": "components",
    "type_filter": "components",
    "search": "components",
    "new_preset": "presets",
    "edit_preset": "presets",
    "delete_preset": "presets",
    "fix_preset": "presets",
    "sort_presets": "presets",
    "copy_preset": "presets",
    "new_prompt": "prompts",
    "new_folder": "prompts",
    "delete_prompt_item": "prompts",
    "edit_prompt_item": "prompts",
    "rename_module": "prompts",
    "delete_module": "prompts",
    "add_module": "prompts",
    "add_variable": "prompts",
    "prompt_variables": "prompts",
    "prompt_history": "prompts",
    "toggle_module": "prompts",
    "move_module": "prompts",
    "module_options": "prompts",
    "copy_render": "prompts",
    "send_to_chat": "prompts",
    "copy_prompt": "prompts",
    "restore": "trash",
}

BINDINGS = [
    # Components
    Binding("n", "new_component", "New", id="library-new-component", tooltip="Write a component"),
    Binding("e,f2", "edit_component", "Edit", id="library-edit-component"),
    Binding(
        "d,delete",
        "delete_component",
        "Delete",
        id="library-delete-component",
        tooltip="Delete the component (asks first; presets using it become incomplete)",
    ),
    Binding("v", "versions", "Versions", id="library-versions", tooltip="History, diff, restore"),
    Binding("s", "sort_components", "Sort", id="library-sort-components"),
    Binding(
        "t",
        "type_filter",
        "Type",
        show=False,
        id="library-type-filter",
        tooltip="Show one type (role, style, context, mode) or all",
    ),
    Binding("slash", "search", "Search", id="library-search", tooltip="Search as you type"),
    # Presets
    Binding("n", "new_preset", "New", id="library-new-preset", tooltip="Build a preset"),
    Binding("e,f2", "edit_preset", "Edit", id="library-edit-preset"),
    Binding(
        "f",
        "fix_preset",
        "Fix",
        id="library-fix-preset",
        tooltip="Pick a component for the slot whose component was deleted",
    ),
    Binding("d,delete", "delete_preset", "Delete", id="library-delete-preset"),
    Binding("s", "sort_presets", "Sort", id="library-sort-presets"),
    Binding(
        "y",
        "copy_preset",
        "Copy",
        show=False,
        id="library-copy-preset",
        tooltip="Copy the composed system prompt",
    ),
    # Prompts
    Binding("n", "new_prompt", "New prompt", id="library-new-prompt"),
    Binding("F", "new_folder", "New folder", show=False, id="library-new-folder"),
    Binding(
        "d,delete",
        "delete_prompt_item",
        "Delete",
        id="library-delete-prompt",
        tooltip="Move the prompt or folder to the trash",
    ),
    Binding(
        "e,f2",
        "edit_prompt_item",
        "Edit",
        id="library-edit-prompt",
        tooltip="Rename, describe, categorise and tag the prompt (or rename the folder)",
    ),
    Binding("r", "rename_module", "Rename", show=False, id="library-rename-module"),
    Binding("D", "delete_module", "Delete module", show=False, id="library-delete-module"),
    Binding("a", "add_module", "Add module", show=False, id="library-add-module"),
    Binding("v", "add_variable", "Add variable", show=False, id="library-add-variable"),
    Binding(
        "V",
        "prompt_variables",
        "Variables",
        show=False,
        id="library-prompt-variables",
        tooltip="The prompt's variables: edit type and limits, rename (and their uses), delete",
    ),
    Binding(
        "h",
        "prompt_history",
        "History",
        id="library-prompt-history",
        tooltip="The prompt's versions: diff any two, restore one as a new version",
    ),
    Binding("space", "toggle_module", "Show/hide", id="library-toggle-module"),
    Binding("K,shift+up", "move_module(-1)", "Move up", show=False, id="library-module-up"),
    Binding("J,shift+down", "move_module(1)", "Move down", show=False, id="library-module-down"),
    Binding(
        "o",
        "module_options",
        "Options",
        id="library-module-options",
        tooltip="The module's options: make default, add, edit, delete",
    ),
    Binding("y", "copy_render", "Copy", id="library-copy-render", tooltip="Copy the render"),
    Binding(
        "c",
        "send_to_chat",
        "To chat",
        id="library-send-to-chat",
        tooltip="Start a chat thread with the rendered prompt",
    ),
    Binding(
        "Y",
        "copy_prompt",
        "Copy to my library",
        show=False,
        id="library-copy-prompt",
        tooltip="A copy of the prompt (one shared with you, or yours) of your own, to change",
    ),
    # Trash
    Binding("r", "restore", "Restore", id="library-restore"),
    # Every view
    Binding(
        "escape",
        "back",
        "Back",
        id="library-back",
        tooltip="Leave the search or a prompt's fields (the keys above work again)",
    ),
    Binding("right_square_bracket", "next_view", "Next view", id="library-next-view"),
    Binding(
        "left_square_bracket", "previous_view", "Previous view", show=False, id="library-prev-view"
    ),
    Binding("C", "show_view('components')", "Components", show=False, id="library-components"),
    Binding("P", "show_view('presets')", "Presets", show=False, id="library-presets"),
    Binding("M", "show_view('prompts')", "Prompts", show=False, id="library-prompts"),
    Binding("T", "show_view('trash')", "Trash", show=False, id="library-trash"),
    Binding("x", "export", "Export library", show=False, id="library-export"),
    Binding("i", "import", "Import library", show=False, id="library-import"),
    Binding("f5,ctrl+r", "refresh", "Refresh", show=False, id="library-refresh"),
]
