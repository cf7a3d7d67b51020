"""Dialogs of the chat area."""
