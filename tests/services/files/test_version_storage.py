"""Version storage: keyframes plus line deltas rebuild every version exactly, keep chains
short, stay small, and refuse damaged data instead of returning a wrong text."""

from __future__ import annotations

import random
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from promptterm.db.models import FileVersion
from promptterm.services.facade import Services
from promptterm.services.files import store as file_store
from promptterm.services.files.store import MAX_CHAIN, StorageCorrupt, StoredRow
from promptterm.services.files.text_delta import DeltaError, apply_delta, make_delta, split_lines

# Lines with every kind of ending, so exact round trips are tested, not just "\n".
lines_st = st.lists(
    st.sampled_from(
        ["a\n", "b\n", "c\r\n", "\n", "déjà vu\n", "tab\there\n", "no newline", "x\r", "🚀\n"]
    ),
    max_size=30,
)


def _edit(rng: random.Random, text: str) -> str:
    """A small random edit: change, insert or delete a line, or touch the last line."""
    lines = split_lines(text)
    choice = rng.random()
    new_line = f"line {rng.randrange(10**6)} {'é' * rng.randrange(3)}\n"
    if not lines or choice < 0.35:
        lines.insert(rng.randrange(len(lines) + 1), new_line)
    elif choice < 0.7:
        lines[rng.randrange(len(lines))] = new_line
    elif choice < 0.9:
        del lines[rng.randrange(len(lines))]
    else:
        lines.append("tail without newline")
    return "".join(lines)


# The codec ------------------------------------------------------------------------------


@given(base=lines_st, new=lines_st)
def test_a_delta_rebuilds_the_new_text_exactly(base: list[str], new: list[str]) -> None:
    a, b = "".join(base), "".join(new)
    delta = make_delta(split_lines(a), split_lines(b))
    assert "".join(apply_delta(split_lines(a), delta)) == b


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), steps=st.integers(1, 120))
def test_any_version_of_a_chain_rebuilds_to_the_original(seed: int, steps: int) -> None:
    """reconstruct(any version) == original, through keyframes and deltas alike."""
    rng = random.Random(seed)
    texts = ["".join(f"line {n}\n" for n in range(rng.randrange(1, 60)))]
    for _ in range(steps):
        texts.append(_edit(rng, texts[-1]))
    rows: list[StoredRow] = []
    head = None
    for number, text in enumerate(texts, start=1):
        encoded = file_store.encode_next(text, head)
        rows.append(
            StoredRow(
                number,
                encoded.encoding,
                encoded.payload,
                encoded.base_version,
                file_store.digest(text),
            )
        )
        head = file_store.rebuild(rows, number)
        assert head.chain_length < MAX_CHAIN
    for number, text in enumerate(texts, start=1):
        assert file_store.rebuild(rows, number).text == text


def test_a_delta_on_the_wrong_base_is_refused() -> None:
    delta = make_delta(split_lines("a\nb\n"), split_lines("a\nc\n"))
    with pytest.raises(DeltaError, match="expects 2 base lines"):
        apply_delta(split_lines("a\n"), delta)
    with pytest.raises(DeltaError):
        apply_delta(split_lines("a\nb\n"), delta[:-1])
    with pytest.raises(DeltaError, match="not a promptterm line delta"):
        apply_delta([], b"junk")


def test_a_rewrite_is_stored_as_a_keyframe_not_a_delta() -> None:
    base = "".join(f"old line {n}\n" for n in range(400))
    head = file_store.rebuild(
        [StoredRow(1, *file_store.encode(base), None, file_store.digest(base))], 1
    )
    small = file_store.encode_next(base.replace("old line 7\n", "new line 7\n"), head)
    assert (small.encoding, small.base_version) == ("delta", 1)
    rewrite = "".join(f"something else entirely {n * 7919}\n" for n in range(400))
    assert file_store.encode_next(rewrite, head).encoding == "zlib"


def test_damaged_storage_is_an_error_never_a_wrong_text() -> None:
    good = "one\ntwo\n"
    rows = [StoredRow(1, *file_store.encode(good), None, file_store.digest(good))]
    wrong_sum = [StoredRow(1, rows[0].encoding, rows[0].payload, None, "0" * 64)]
    with pytest.raises(StorageCorrupt, match="does not match its checksum"):
        file_store.rebuild(wrong_sum, 1, "notes.md")
    garbage = [StoredRow(1, "zlib", b"not zlib at all", None, rows[0].sha256)]
    with pytest.raises(StorageCorrupt, match="cannot be rebuilt"):
        file_store.rebuild(garbage, 1)
    orphan = [StoredRow(2, "delta", zlib.compress(b"L1\x00\x00"), 1, rows[0].sha256)]
    with pytest.raises(StorageCorrupt, match="needs version 1, which is missing"):
        file_store.rebuild(orphan, 2)


# In the database, on both backends ------------------------------------------------------


def test_many_random_edits_round_trip_through_the_database(services: Services) -> None:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    rng = random.Random(7)
    texts = ["".join(f"def f{n}():\n    return {n}\n" for n in range(300))]
    file = services.files.create(project.id, "big.py", texts[0])
    for number in range(1, 130):
        texts.append(_edit(rng, texts[-1]))
        services.files.save(file.id, texts[-1], base_version=number)
    for number, text in enumerate(texts, start=1):
        assert services.files.read(file.id, number).text == text
    with services.ctx.db.session() as session:
        encodings = dict(
            session.execute(
                select(FileVersion.encoding, func.count())
                .where(FileVersion.file_id == file.id)
                .group_by(FileVersion.encoding)
            ).all()
        )
        total = session.execute(
            select(func.sum(func.length(FileVersion.payload))).where(FileVersion.file_id == file.id)
        ).scalar_one()
    # Mostly deltas, a keyframe at least every MAX_CHAIN versions...
    assert encodings["zlib"] >= len(texts) // MAX_CHAIN
    assert encodings["delta"] > encodings["zlib"] * 10
    # ...and far smaller than storing each version compressed on its own.
    whole = sum(len(zlib.compress(t.encode())) for t in texts)
    assert total < whole / 5


def test_a_damaged_version_in_the_database_is_reported(services: Services) -> None:
    ws = services.workspaces.create("Team")
    project = services.projects.create(ws.id, "Site")
    base = "".join(f"line {n}\n" for n in range(200))
    file = services.files.create(project.id, "a.txt", base)
    services.files.save(file.id, base + "two\n", base_version=1)
    services.files.save(file.id, base + "two\nthree\n", base_version=2)
    with services.ctx.db.session() as session:
        stored = session.execute(
            select(FileVersion.version_number, FileVersion.encoding)
            .where(FileVersion.file_id == file.id)
            .order_by(FileVersion.version_number)
        ).all()
        assert [tuple(r) for r in stored] == [(1, "zlib"), (2, "delta"), (3, "delta")]
        # A delta that still applies but makes another text: only the checksum can tell.
        forged = make_delta(split_lines(base), split_lines(base + "forged\n"))
        session.execute(
            update(FileVersion)
            .where(FileVersion.file_id == file.id, FileVersion.version_number == 2)
            .values(payload=zlib.compress(forged))
        )
    with pytest.raises(StorageCorrupt, match=r"a\.txt: version 2 does not match its checksum"):
        services.files.read(file.id, 2)
    with pytest.raises(StorageCorrupt, match=r"a\.txt: version 3"):
        services.files.read(file.id, 3)
    assert services.files.read(file.id, 1).text == base
