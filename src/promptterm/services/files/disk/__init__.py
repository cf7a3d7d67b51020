"""Bound directories: reading, watching and syncing files on disk."""
