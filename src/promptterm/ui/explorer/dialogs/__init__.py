"""Dialogs of the explorer area."""
