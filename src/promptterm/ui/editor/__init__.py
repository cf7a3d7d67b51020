"""The editor area: files with their version history, disk sync."""
