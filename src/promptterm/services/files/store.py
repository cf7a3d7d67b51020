"""How version content is stored: keyframes and line deltas, hidden behind small functions.

A version is either a keyframe ("zlib": the whole text, compressed) or a delta ("delta":
the zlib-compressed line delta of text_delta against the version before it, named by
``base_version``). A new keyframe starts when the chain of deltas since the last one would
grow past MAX_CHAIN versions or past the keyframe's own size: so loading any version reads
one keyframe and at most MAX_CHAIN - 1 small deltas (a few milliseconds, see
benchmarks/file_versions.py), and a long history of small edits costs little more than its
edits.

Every reconstruction is checked against the version's SHA-256: damaged storage raises
StorageCorrupt with the version's number, never returns a wrong text.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from promptterm.services.errors import ServiceError
from promptterm.services.files.text_delta import DeltaError, apply_delta, make_delta, split_lines

# Measured (benchmarks/file_versions.py): at 32, 1,000 small edits of a 100 KB file take
# 0.8 MB of payload and any version loads in ~5 ms (p95 <= 7 ms on both databases); at 50
# the payload was 0.5 MB but the slowest loads came near 20 ms on a busy machine.
MAX_CHAIN = 32
ZLIB_LEVEL = 6


class StorageCorrupt(ServiceError):
    """A stored version cannot be rebuilt exactly; the message names file and version."""

    kind = "corrupt"


@dataclass(frozen=True)
class StoredRow:
    """The storage columns of one file_versions row."""

    number: int
    encoding: str
    payload: bytes
    base_version: int | None
    sha256: str


@dataclass(frozen=True)
class Head:
    """A rebuilt version plus what the next save needs to choose keyframe or delta."""

    number: int
    lines: list[str]
    chain_length: int  # deltas since the keyframe (0: this is the keyframe)
    chain_bytes: int  # their payload bytes together
    keyframe_bytes: int

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True)
class Encoded:
    encoding: str
    payload: bytes
    base_version: int | None


def encode(content: str) -> tuple[str, bytes]:
    """A keyframe: the whole text compressed."""
    return "zlib", zlib.compress(content.encode("utf-8"), ZLIB_LEVEL)


def decode(encoding: str, payload: bytes) -> str:
    """The text of a keyframe (deltas need their chain: use ``rebuild``)."""
    if encoding != "zlib":
        raise ValueError(f"a {encoding!r} version needs its base; use rebuild()")
    return zlib.decompress(payload).decode("utf-8")


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode_next(content: str, head: Head | None) -> Encoded:
    """Store ``content`` as a delta on ``head`` when that is worth it, else as a keyframe."""
    if head is None or head.chain_length + 1 >= MAX_CHAIN:
        return Encoded(*encode(content), None)
    raw = make_delta(head.lines, split_lines(content))
    payload = zlib.compress(raw, ZLIB_LEVEL)
    # Once the chain's deltas together outweigh a fresh snapshot, a snapshot is cheaper to
    # store and to read: this also catches a save that rewrote most of the file.
    if head.chain_bytes + len(payload) > head.keyframe_bytes:
        return Encoded(*encode(content), None)
    return Encoded("delta", payload, head.number)


def rebuild(rows: Sequence[StoredRow], number: int, path: str = "file") -> Head:
    """Version ``number`` from ``rows``: its own row and its chain back to a keyframe."""
    by_number = {row.number: row for row in rows}
    chain: list[StoredRow] = []
    current: int | None = number
    while current is not None:
        row = by_number.get(current)
        if row is None:
            raise StorageCorrupt(
                f"{path}: version {number} needs version {current}, which is missing."
            )
        chain.append(row)
        if row.encoding == "zlib":
            break
        if row.encoding != "delta" or row.base_version is None or row.base_version >= current:
            raise StorageCorrupt(f"{path}: version {row.number} has a broken storage header.")
        current = row.base_version
    chain.reverse()
    keyframe, deltas = chain[0], chain[1:]
    try:
        lines = split_lines(decode(keyframe.encoding, keyframe.payload))
        for row in deltas:
            lines = apply_delta(lines, zlib.decompress(row.payload))
    except (zlib.error, UnicodeDecodeError, DeltaError, ValueError) as exc:
        raise StorageCorrupt(
            f"{path}: version {number} cannot be rebuilt ({exc}); earlier versions may still load."
        ) from exc
    text = "".join(lines)
    if digest(text) != by_number[number].sha256:
        raise StorageCorrupt(
            f"{path}: version {number} does not match its checksum; the stored data is "
            "damaged. Earlier versions may still load."
        )
    return Head(
        number=number,
        lines=lines,
        chain_length=len(deltas),
        chain_bytes=sum(len(r.payload) for r in deltas),
        keyframe_bytes=len(keyframe.payload),
    )
