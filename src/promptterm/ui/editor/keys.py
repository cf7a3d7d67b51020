"""The editor's keys. Each has an id ("editor-save") for [keymap] in the config, and works in
tmux over SSH: every ctrl+s is paired with an F-key, and letters act only where nothing is
typed (the history panel; in the file tree letters filter it). ``check_action`` in
screen.py decides which apply now, so the Footer and the palette offer only those.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

EDITOR_BINDINGS: list[BindingType] = [
    # In the file tree. Letters typed there filter it (widgets/file_tree.py), so its actions
    # sit on ctrl and F-keys (F6 move, F7 new folder, F8 delete as in Midnight Commander; F2
    # rename as in most file managers). Listed first, so that in the tree they win over the
    # same keys for the code (f2 saves there; ctrl+s still saves); check_action switches
    # them off everywhere else.
    Binding(
        "ctrl+n",
        "tree_new_file",
        "New file",
        id="editor-tree-new-file",
        tooltip="Create a file in the folder under the cursor",
    ),
    Binding("f7", "tree_new_folder", "New folder", show=False, id="editor-tree-new-folder"),
    Binding(
        "f2",
        "tree_rename",
        "Rename",
        id="editor-tree-rename",
        tooltip="Rename or move the file or folder (its history moves with it)",
    ),
    Binding(
        "f6",
        "tree_move",
        "Move",
        id="editor-tree-move",
        show=False,
        tooltip="Move the file or folder into another folder",
    ),
    Binding(
        "f8,delete",
        "tree_delete",
        "Delete",
        id="editor-tree-delete",
        tooltip="Move it to the trash (its history is kept)",
    ),
    Binding(
        "f5",
        "tree_trash",
        "Trash",
        id="editor-tree-trash",
        tooltip="Deleted files and folders: bring one back with its history",
    ),
    # Shown in the Footer while editing.
    Binding(
        "f2,ctrl+s",
        "save",
        "Save",
        id="editor-save",
        tooltip="Save a new version of this file, with an optional message",
    ),
    Binding("ctrl+f", "find", "Find", id="editor-find", tooltip="Find text in this file"),
    Binding(
        "ctrl+g", "go_to_line", "Go to line", id="editor-goto", tooltip="Jump to a line number"
    ),
    Binding(
        "f4",
        "history",
        "History",
        id="editor-history",
        tooltip="Show or hide this file's versions: compare any two, restore one",
    ),
    Binding(
        "ctrl+o",
        "files",
        "Files",
        id="editor-files",
        tooltip="Show the file tree and move to it; again to hide it",
    ),
    # In the palette and help.
    Binding(
        "ctrl+r",
        "replace",
        "Find and replace",
        show=False,
        id="editor-replace",
        tooltip="Replace text in this file",
    ),
    Binding("f3", "find_next", "Find next", show=False, id="editor-find-next"),
    Binding("shift+f3", "find_previous", "Find previous", show=False, id="editor-find-previous"),
    Binding(
        "f8",
        "replace_all",
        "Replace all",
        show=False,
        id="editor-replace-all",
        tooltip="Replace every match (one undo takes it back)",
    ),
    Binding(
        "f9",
        "wrap",
        "Soft wrap on/off",
        show=False,
        id="editor-wrap",
        tooltip="Wrap long lines at the edge of the window",
    ),
    Binding("ctrl+home", "file_start", "Start of file", show=False, id="editor-file-start"),
    Binding("ctrl+end", "file_end", "End of file", show=False, id="editor-file-end"),
    Binding("ctrl+z", "undo", "Undo", show=False, priority=True, id="editor-undo"),
    Binding("ctrl+y", "redo", "Redo", show=False, priority=True, id="editor-redo"),
    Binding("alt+right,ctrl+pagedown", "next_tab", "Next tab", show=False, id="editor-next-tab"),
    Binding(
        "alt+left,ctrl+pageup",
        "previous_tab",
        "Previous tab",
        show=False,
        id="editor-previous-tab",
    ),
    Binding(
        "alt+w,ctrl+f4",
        "close_tab",
        "Close tab",
        show=False,
        # A terminal sends alt+w with the character "w": without priority the code area
        # would type it.
        priority=True,
        id="editor-close-tab",
        tooltip="Close this file (asks first if it has unsaved edits)",
    ),
    Binding(
        "ctrl+n",
        "new_file",
        "New file",
        show=False,
        id="editor-new-file",
        tooltip="Create a file (a path ending in / makes a folder)",
    ),
    Binding(
        "f10",
        "external",
        "Open in $EDITOR",
        show=False,
        id="editor-external",
        tooltip="Edit this file in $EDITOR; what you save there becomes a new version",
    ),
    # Runs (ui/editor/runs.py): only in a bound project, only when the user asks.
    Binding(
        "f5",
        "run_file",
        "Run",
        id="editor-run-file",
        tooltip="Run this file with its language's interpreter, in the project's folder",
    ),
    Binding(
        "alt+r",
        "run_command",
        "Run command",
        show=False,
        priority=True,  # a terminal sends alt+r with the "r": the code area would type it
        id="editor-run-command",
        tooltip="Run a command in the project's folder; its output shows below the code",
    ),
    Binding(
        "shift+f5",
        "rerun",
        "Run again",
        show=False,
        id="editor-rerun",
        tooltip="Run the last command or file again",
    ),
    Binding(
        "alt+k",
        "kill_run",
        "Kill run",
        priority=True,
        id="editor-run-kill",
        tooltip="Stop the run and everything it started",
    ),
    Binding(
        "alt+o",
        "run_panel",
        "Run output",
        show=False,
        priority=True,
        id="editor-run-panel",
        tooltip="Go to the run's output; again to hide it",
    ),
    # Git and the run history (ui/editor/git_views.py, ui/editor/run_history.py).
    Binding(
        "alt+d",
        "diff_head",
        "Diff with HEAD",
        show=False,
        priority=True,  # a terminal sends alt+d with the "d": the code area would type it
        id="editor-diff-head",
    ),
    Binding(
        "alt+h",
        "run_history",
        "Run history",
        show=False,
        priority=True,
        id="editor-run-history",
    ),
    # In the history panel.
    Binding(
        "space",
        "mark_version",
        "Mark",
        id="editor-history-mark",
        tooltip="Mark a version to compare with another (enter)",
    ),
    Binding(
        "d",
        "compare",
        "Compare",
        id="editor-history-compare",
        tooltip="Compare the marked version (or the one before) with this one",
    ),
    Binding(
        "r",
        "restore",
        "Restore",
        id="editor-history-restore",
        tooltip="Bring this version back as a new version",
    ),
    Binding("escape", "back", "Back to the code", show=False, id="editor-back"),
    Binding(
        "q,ctrl+q",
        "quit",
        "Quit",
        show=False,
        id="editor-quit",
        tooltip="Quit promptterm (asks first if files have unsaved edits)",
    ),
]
