"""A keyring kept in a JSON file, for CLI tests that run promptterm in a child process.

The child picks it with ``PYTHON_KEYRING_BACKEND=support.file_keyring.FileKeyring`` (and
``tests/`` on PYTHONPATH); the file is ``$PROMPTTERM_TEST_KEYRING``. Never chosen otherwise:
without $PROMPTTERM_TEST_KEYRING its priority raises, which keyring's discovery reads as
"not viable here".
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class _OnlyWhenNamed:
    """Viable only where $PROMPTTERM_TEST_KEYRING is set (the child of a CLI test)."""

    def __get__(self, instance: object, owner: type | None = None) -> float:
        if "PROMPTTERM_TEST_KEYRING" not in os.environ:
            raise RuntimeError("a test backend; name it in PYTHON_KEYRING_BACKEND")
        return 0.1


class FileKeyring(KeyringBackend):
    priority = _OnlyWhenNamed()  # type: ignore[assignment]

    def __str__(self) -> str:
        return "FileKeyring (test backend)"

    @property
    def _path(self) -> Path:
        return Path(os.environ["PROMPTTERM_TEST_KEYRING"])

    def _all(self) -> dict[str, str]:
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._all().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        values = self._all()
        values[f"{service}/{username}"] = password
        self._path.write_text(json.dumps(values))

    def delete_password(self, service: str, username: str) -> None:
        values = self._all()
        if values.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path.write_text(json.dumps(values))
