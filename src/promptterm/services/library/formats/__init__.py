"""The library's plain-file formats, and other tools' formats."""
