"""Keyring backends for tests, used through the real ``keyring`` API (``keyring.set_keyring``).

Their ``priority`` raises, which keyring reads as "not viable here": defining these classes
registers them with keyring, and this keeps its automatic discovery from ever choosing one.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError


class _NotDiscoverable:
    """A ``priority`` that raises on the class and on instances alike."""

    def __get__(self, instance: object, owner: type | None = None) -> float:
        raise RuntimeError("a test backend; install it with keyring.set_keyring")


class _TestOnly(KeyringBackend):
    priority = _NotDiscoverable()  # type: ignore[assignment]

    def __str__(self) -> str:  # the base class's __str__ shows the priority
        return f"{type(self).__name__} (test backend)"


class MemoryKeyring(_TestOnly):
    """Keeps passwords in a dict, keyed by (service, username)."""

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError("Password not found") from None


class NoKeyring(_TestOnly):
    """Like keyring's own ``fail.Keyring``: what an SSH box without a keyring service has."""

    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("No recommended backend was available.")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NoKeyringError("No recommended backend was available.")

    def delete_password(self, service: str, username: str) -> None:
        raise NoKeyringError("No recommended backend was available.")


class LeakyRefusingKeyring(MemoryKeyring):
    """Refuses to store, with an error message that repeats the secret it was given."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError(f"cannot store {password!r} for {username}")
