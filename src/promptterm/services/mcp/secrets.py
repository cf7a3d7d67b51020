"""The values of a server's environment variables and headers, kept in the OS keyring.

Same keyring service and error words as the API keys (services/chat/api_keys.py); each value
is stored under ``mcp:<server id>:<env|header>:<NAME>``, so removing a server removes exactly
its own secrets.
"""

from __future__ import annotations

import uuid

from promptterm.services.errors import SecretStoreUnavailable

KEYRING_SERVICE = "promptterm"
NO_KEYRING_HELP = (
    "No OS keyring is available here (common over SSH), so the values of a server's "
    "environment variables and headers cannot be stored. Install and configure a keyring "
    "backend (for example the `keyrings.alt` package) and try again."
)


def _username(server_id: uuid.UUID, kind: str, name: str) -> str:
    return f"mcp:{server_id}:{kind}:{name}"


def store(server_id: uuid.UUID, kind: str, name: str, value: str) -> None:
    _call("set_password", _username(server_id, kind, name), value)


def load(server_id: uuid.UUID, kind: str, name: str) -> str | None:
    return _call("get_password", _username(server_id, kind, name))


def forget(server_id: uuid.UUID, kind: str, name: str) -> None:
    _call("delete_password", _username(server_id, kind, name))


def _call(action: str, username: str, *args: str) -> str | None:
    # keyring discovers its backends at import time: imported here, not at start-up.
    import keyring
    from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

    try:
        return getattr(keyring, action)(KEYRING_SERVICE, username, *args)
    except PasswordDeleteError:
        return None  # already gone
    except NoKeyringError as exc:
        raise SecretStoreUnavailable(NO_KEYRING_HELP) from exc
    except KeyringError as exc:
        # The keyring's message can echo what it was given: never pass it on with a secret.
        raise SecretStoreUnavailable(
            f"The OS keyring refused the request ({type(exc).__name__}). {NO_KEYRING_HELP}"
        ) from exc
