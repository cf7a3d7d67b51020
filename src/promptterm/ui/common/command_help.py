"""The palette's help line for each command whose binding carries no tooltip: what it does,
in a few words. Every palette command has one (tests/ui/common/test_palette_help.py); a
binding's own ``tooltip`` wins over this table."""

from __future__ import annotations

COMMAND_HELP: dict[str, str] = {
    # The app
    "app-palette": "Run any command or jump to anything by name",
    "app-quit": "Leave promptterm (a streaming answer is kept as far as it got)",
    "app-theme": "Pick a colour theme; the choice is saved",
    "app-last-error": "Open the newest error in the activity log, whole",
    # Activity log
    "activity-back": "Back to the area the log was opened over",
    "activity-filter": "Filter by kind, provider, model, status, time or words",
    "activity-reload": "Read the log again",
    "activity-entry-close": "Close the entry",
    # Explorer
    "explorer-new-workspace": "Create a workspace to hold projects",
    "explorer-refresh": "Reload workspaces, projects and threads",
    # Editor
    "editor-find-next": "Go to the next match of the search",
    "editor-find-previous": "Go to the previous match of the search",
    "editor-undo": "Undo the last edit",
    "editor-redo": "Redo the edit just undone",
    "editor-next-tab": "Show the next open file",
    "editor-previous-tab": "Show the previous open file",
    "editor-tree-new-file": "Create a file in the project",
    "editor-tree-new-folder": "Create a folder in the project",
    "editor-back": "Leave the tree or panel and go back to the code",
    "editor-file-start": "Go to the first line of the file",
    "editor-file-end": "Go to the last line of the file",
    # Chat
    "chat-new": "Start a new thread (the current one is kept)",
    "chat-rename": "Give the thread a title",
    "chat-search": "Search the text of every thread",
    "chat-keys": "Add, test or revoke API keys (kept in the OS keyring)",
    "chat-providers": "Add, edit, test or remove the model servers threads talk to",
    "chat-filter": "Narrow the thread list by title",
    "chat-delete-message": "Delete the highlighted message",
    "chat-version-older": "Show the earlier version of a regenerated answer",
    "chat-version-newer": "Show the later version of a regenerated answer",
    # Library
    "library-edit-component": "Change the highlighted component (its text is versioned)",
    "library-sort-components": "Sort by use, by last change or by name",
    "library-edit-preset": "Change the parts or name of the highlighted preset",
    "library-delete-preset": "Delete the highlighted preset (threads keep their messages)",
    "library-sort-presets": "Sort by use, by last use or by name",
    "library-new-prompt": "Write a modular prompt",
    "library-new-folder": "Create a folder for prompts",
    "library-add-module": "Add a module to the highlighted prompt",
    "library-add-variable": "Add a {{variable}} to the highlighted prompt",
    "library-toggle-module": "Include or leave out the highlighted module",
    "library-module-up": "Move the highlighted module up",
    "library-module-down": "Move the highlighted module down",
    "library-module-options": "Edit the highlighted module's options",
    "library-rename-module": "Rename the highlighted module",
    "library-delete-module": "Delete the highlighted module and its options (asks first)",
    "library-restore": "Bring the highlighted item back from the trash",
    "library-next-view": "Components, presets, prompts, trash: the next one",
    "library-prev-view": "Components, presets, prompts, trash: the previous one",
    "library-components": "Show the components",
    "library-presets": "Show the presets",
    "library-prompts": "Show the modular prompts",
    "library-trash": "Show deleted prompts and folders",
    "library-export": "Write the library to a folder of plain files",
    "library-import": "Read a library folder (ours, Fabric, and others)",
    "library-refresh": "Reload the library",
    # Billing
    "billing-resume": "Keep the paid plan after all (undo a cancel)",
    "billing-refresh": "Reload plan, usage and spend",
}
