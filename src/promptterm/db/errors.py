"""Storage errors, in a module light enough to import before SQLAlchemy is loaded."""


class DatabaseUnavailable(Exception):
    """The database cannot be opened; the message says which one and what to do."""


class ReadOnlyDatabase(DatabaseUnavailable):
    """A write to a database the user may only read (a read-only data folder or file): the
    message says so and how to make it writable. Reading still works."""
