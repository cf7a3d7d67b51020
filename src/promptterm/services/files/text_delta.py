"""A compact line delta: how one text becomes the next, as copy and insert operations.

Versions of a file mostly differ by a few lines, so a version is stored as "copy lines
i..j of the previous version, insert these new lines, copy the rest". The format is ours
(varints, no pickling) so that it stays readable by any future promptterm and cannot run
code when a database is tampered with:

    b"L1" varint(len(base_lines)) varint(len(new_lines)) op*
    op := 0x00 varint(start) varint(count)      copy base_lines[start:start+count]
        | 0x01 varint(nbytes) bytes             insert these UTF-8 lines

Lines are ``str.splitlines(keepends=True)`` pieces, so joining them gives back the exact
text, line endings included. Every operation is checked while applying: a damaged delta
raises DeltaError, it never yields a wrong text.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

MAGIC = b"L1"
_COPY, _INSERT = 0, 1


class DeltaError(ValueError):
    """The delta does not fit its base or is damaged."""


def split_lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def make_delta(base: Sequence[str], new: Sequence[str]) -> bytes:
    """The operations that turn the lines ``base`` into the lines ``new`` (uncompressed)."""
    out = bytearray(MAGIC)
    _varint(out, len(base))
    _varint(out, len(new))
    for op in _ops(base, new):
        if op[0] == _COPY:
            out.append(_COPY)
            _varint(out, op[1])
            _varint(out, op[2])
        else:
            data = "".join(new[op[1] : op[2]]).encode("utf-8")
            out.append(_INSERT)
            _varint(out, len(data))
            out += data
    return bytes(out)


def apply_delta(base: Sequence[str], delta: bytes) -> list[str]:
    """The lines that ``delta`` makes from ``base``; DeltaError if they do not fit."""
    if delta[:2] != MAGIC:
        raise DeltaError("not a promptterm line delta")
    pos = 2
    base_count, pos = _read_varint(delta, pos)
    new_count, pos = _read_varint(delta, pos)
    if base_count != len(base):
        raise DeltaError(f"delta expects {base_count} base lines, got {len(base)}")
    out: list[str] = []
    end = len(delta)
    while pos < end:
        tag = delta[pos]
        pos += 1
        if tag == _COPY:
            start, pos = _read_varint(delta, pos)
            count, pos = _read_varint(delta, pos)
            if start + count > base_count:
                raise DeltaError("delta copies past the end of its base")
            out.extend(base[start : start + count])
        elif tag == _INSERT:
            size, pos = _read_varint(delta, pos)
            if pos + size > end:
                raise DeltaError("delta insert runs past its end")
            try:
                out.extend(delta[pos : pos + size].decode("utf-8").splitlines(keepends=True))
            except UnicodeDecodeError as exc:
                raise DeltaError("delta insert is not UTF-8") from exc
            pos += size
        else:
            raise DeltaError(f"unknown delta operation {tag}")
    if len(out) != new_count:
        raise DeltaError(f"delta made {len(out)} lines, expected {new_count}")
    return out


def _ops(base: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, int]]:
    """(COPY, base_start, count) and (INSERT, new_start, new_end) operations, in order.

    The common head and tail are stripped first: a typical save changes a few lines in one
    place, so SequenceMatcher (quadratic at worst) only sees the small middle.
    """
    n, m = len(base), len(new)
    head = 0
    limit = min(n, m)
    while head < limit and base[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and base[n - 1 - tail] == new[m - 1 - tail]:
        tail += 1
    ops: list[tuple[int, int, int]] = []
    if head:
        ops.append((_COPY, 0, head))
    a, b = base[head : n - tail], new[head : m - tail]
    if a and b:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) > 2000)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                _copy(ops, head + i1, i2 - i1)
            elif j2 > j1:
                ops.append((_INSERT, head + j1, head + j2))
    elif b:
        ops.append((_INSERT, head, head + len(b)))
    if tail:
        _copy(ops, n - tail, tail)
    return ops


def _copy(ops: list[tuple[int, int, int]], start: int, count: int) -> None:
    """Append a copy, merged with the previous one when they are contiguous."""
    if ops and ops[-1][0] == _COPY and ops[-1][1] + ops[-1][2] == start:
        ops[-1] = (_COPY, ops[-1][1], ops[-1][2] + count)
    else:
        ops.append((_COPY, start, count))


def _varint(out: bytearray, value: int) -> None:
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise DeltaError("delta ends inside a number")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
