"""Dialogs of the library area."""
