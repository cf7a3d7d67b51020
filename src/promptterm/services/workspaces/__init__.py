"""Workspaces: users, workspaces and their members, projects, roles."""
