"""Files: versioned project files, their storage, diffs, bound directories."""
