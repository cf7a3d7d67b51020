"""The explorer area: workspaces, projects, files and threads, members."""
