"""The rules a provider entry follows, and what to tell a person when a provider fails."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from promptterm.services.errors import Conflict, ValidationError
from promptterm.services.hints import CLI_HINTS, Hints

if TYPE_CHECKING:
    from promptterm.providers.errors import ProviderError
    from promptterm.services.chat.providers import ProviderInfo

DEFAULT_BASE_URLS = {
    "openai-compatible": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
}
# Hosts whose API always wants a key: a missing one is reported before any request.
KEYED_HOSTS = {
    "api.openai.com": "OPENAI_API_KEY",
    "api.anthropic.com": "ANTHROPIC_API_KEY",
    "openrouter.ai": "OPENROUTER_API_KEY",
}
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ENV_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


def explain(error: ProviderError, info: ProviderInfo, say: Hints = CLI_HINTS) -> str:
    """The provider's error plus what to do about it, in the words of the caller (``say``:
    the CLI's commands or the TUI's keys)."""
    hints = {
        "bad key": f"Add or replace the key for {info.name!r} "
        f"{say.say('add_key', provider=info.name, options='')}.",
        "unknown model": f"{say.say('list_models', provider=info.name)}.",
        "wrong address": f"The provider's base URL is {info.base_url}.",
        "context too long": "Start a new thread, or switch to a model with a longer context.",
        "unreachable": "Start the local server (e.g. `ollama serve`)." if info.is_local else "",
    }
    hint = hints.get(error.kind, "")
    return f"{error.message} {hint}".strip()


def taken(name: str) -> Conflict:
    return Conflict(f"You already have a provider named {name!r}; choose another name.")


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME_RE.fullmatch(name):
        raise ValidationError(
            "A provider name is 1-64 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit (e.g. openai, local-ollama).",
            "name",
        )
    return name


def check_url(url: str, hints: Hints = CLI_HINTS) -> str:
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise ValidationError(
            f"{url!r} is not a base URL: use http(s)://host[:port]/path, e.g. "
            "http://localhost:11434/v1 or https://api.openai.com/v1.",
            "base_url",
        )
    if parts.username or parts.password or parts.query:
        # A key pasted into the URL would end up in the database: refuse it.
        raise ValidationError(
            "Put no credentials or query in the base URL: add the key "
            f"{hints.say('add_key', provider='NAME', options='')} instead.",
            "base_url",
        )
    return url


def check_env(name: str | None) -> str | None:
    name = (name or "").strip().lstrip("$") or None
    if name is not None and not _ENV_RE.match(name):
        raise ValidationError(f"{name!r} is not an environment variable name.", "key_env")
    return name


def optional_text(value: str | None, field: str, max_len: int) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > max_len:
        raise ValidationError(f"{field.replace('_', ' ')} is too long (max {max_len}).", field)
    return value


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    for key in ("read_timeout", "no_content_timeout", "max_tokens"):
        value = options.get(key, 1)
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise ValidationError(f"{key} must be a positive number.", key)
    return options


# The face's name for ``explain``: other domains (code's AI jobs) word provider errors alike.
explain_provider_error = explain
