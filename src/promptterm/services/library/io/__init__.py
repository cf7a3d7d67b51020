"""Library files: export to a folder and import back."""
