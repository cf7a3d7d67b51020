"""Dialogs of the editor area."""
