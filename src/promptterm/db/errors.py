"""Storage errors, in a module light enough to import before SQLAlchemy is loaded."""


class DatabaseUnavailable(Exception):
    """The database cannot be opened; the message says which one and what to do."""
