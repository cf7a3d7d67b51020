"""Widgets of the editor area."""
