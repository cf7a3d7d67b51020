"""A resource as a message attachment: where it came from, its text without controls (line
breaks and tabs kept), cut at the cap with a note; SERVER:URI parsed with the URI's colons."""

from __future__ import annotations

import pytest

from promptterm.services.errors import ValidationError
from promptterm.services.mcp.attachments import attachment_block, split_ref


def test_the_block_names_its_source_and_strips_controls() -> None:
    block = attachment_block("files", "notes://a\x1b[2J", "one\r\ntwo\tcols\x1b[31m red\x07\n")
    assert block == (
        '<resource source="files:notes://a[2J">\none\ntwo\tcols[31m red\n\n</resource>'
    )


def test_a_long_resource_is_cut_with_a_note() -> None:
    block = attachment_block("files", "big://x", "y" * 50, limit=10)
    assert "\n" + "y" * 10 + "\n[… cut: 10 of 50 characters attached]\n</resource>" in block


def test_refs_split_at_the_first_colon_and_bad_ones_are_refused() -> None:
    assert split_ref("files:notes://readme") == ("files", "notes://readme")
    for bad in ("readme", "files:", ":notes://x"):
        with pytest.raises(ValidationError, match="SERVER:URI"):
            split_ref(bad)
