"""Dialogs any area uses: confirm, form."""
