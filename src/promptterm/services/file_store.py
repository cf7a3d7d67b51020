"""How version content is stored: zlib-compressed text, hidden behind encode/decode."""

from __future__ import annotations

import hashlib
import zlib


def encode(content: str) -> tuple[str, bytes]:
    return "zlib", zlib.compress(content.encode("utf-8"), 6)


def decode(encoding: str, payload: bytes) -> str:
    if encoding != "zlib":
        raise ValueError(f"unknown version encoding {encoding!r}")
    return zlib.decompress(payload).decode("utf-8")


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()
