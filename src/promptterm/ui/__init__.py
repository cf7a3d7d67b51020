"""The Textual user interface: screens, widgets and dialogs over the service layer."""
