"""URLs fit to put inside a terminal hyperlink (OSC 8), for the CLI and the app alike.

Inside ``ESC ] 8 ; ; URL ST`` a control character would end the sequence early and start
another (an ESC ] 52 writing the clipboard, say): every byte but printable ASCII is
percent-encoded, escapes already in the URL are kept.
"""

from __future__ import annotations

import socket
from functools import cache
from pathlib import PurePath
from urllib.parse import quote, urlsplit

# Printable ASCII that may stand in a URL as is; everything else is percent-encoded.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
WEB_SCHEMES = ("http", "https")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


def is_local_url(base_url: str) -> bool:
    """A server on this machine (Ollama, llama.cpp, LM Studio...): no key, no price. Here,
    not with the provider clients, so that `provider list` can say it without loading them."""
    host = (urlsplit(base_url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127.")


def safe_url(url: str) -> str:
    """``url`` with every byte but printable ASCII percent-encoded (existing escapes kept)."""
    return quote(url, safe=_URL_SAFE)


def file_url(path: str | PurePath) -> str:
    """A ``file://`` URL with this machine's name, as the OSC 8 proposal asks: a terminal
    reached over SSH then knows the file is not on its own disk."""
    absolute = PurePath(path).as_posix()
    return f"file://{_host()}{quote(absolute, safe='/')}"


@cache
def _host() -> str:
    # Asked once: the editor's info line makes a file URL on every cursor move.
    return safe_url(socket.gethostname())


def web_url(url: str, schemes: tuple[str, ...] = WEB_SCHEMES) -> str | None:
    """``url`` if it is an address worth linking (http or https by default), else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return None
    return url if parts.netloc or scheme == "mailto" else None
