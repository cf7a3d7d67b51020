"""The activity log view: provider calls and caught errors, pushed over any area (ctrl+p
"Activity log"; ctrl+e opens the last error)."""
