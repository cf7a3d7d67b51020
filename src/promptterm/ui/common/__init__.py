"""What several areas share: the area screen, errors, palette, dialogs, widgets."""
