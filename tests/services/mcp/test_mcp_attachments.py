"""A resource as a message attachment: where it came from, its text without controls (line
breaks and tabs kept), cut at the cap with a note; SERVER:URI parsed with the URI's colons;
read for real from the SDK test server over stdio (a long one cut, a binary one refused)."""

from __future__ import annotations

import anyio
import pytest

from promptterm.services.errors import ValidationError
from promptterm.services.facade import Services
from promptterm.services.mcp import check_server
from promptterm.services.mcp.attachments import (
    ATTACHMENT_LIMIT,
    attachment_block,
    read_attachment,
    split_ref,
    with_attachments,
)
from promptterm.services.mcp.probe import Probe, ResourceDef
from support.mcp_fixtures import stdio_command
from support.mcp_server import BIG, README

pytestmark = pytest.mark.usefixtures("memory_keyring")


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


# SQLite only: reading is between the client and the server; the resources a check stores
# are test_mcp_checks.py's on both backends, and their sizes the next test's.
@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_reading_attachments_for_real_long_cut_binary_refused_sizes_listed(
    services: Services,
) -> None:
    services.mcp.add_stdio("local", *stdio_command("--resources"))
    info = anyio.run(check_server, services.mcp, "local", 60.0)
    assert info.status == "active", info.last_error
    assert {r.uri: r.mime_type for r in info.resources} == {
        "notes://readme": "text/plain",
        "notes://long": "text/plain",
        "files://logo.png": "image/png",
    }
    readme = anyio.run(read_attachment, services.ctx, "local", "notes://readme")
    assert (readme.server, readme.chars, readme.cut) == ("local", len(README), False)
    assert readme.block == attachment_block("local", "notes://readme", README)
    long = anyio.run(read_attachment, services.ctx, "local", "notes://long")
    assert (long.chars, long.kept, long.cut) == (BIG, ATTACHMENT_LIMIT, True)
    assert f"[… cut: {ATTACHMENT_LIMIT:,} of {BIG:,} characters attached]" in long.block
    with pytest.raises(ValidationError, match="binary content"):
        anyio.run(read_attachment, services.ctx, "local", "files://logo.png")


def test_the_size_a_server_gives_is_kept_with_the_resource(services: Services) -> None:
    server = services.mcp.add_stdio("files", "some-server")
    found = (ResourceDef("file:///a.md", "a.md", "text/markdown", 1234),)
    services.mcp.record(server.id, Probe(ok=True, latency_ms=5, resources=found))
    assert services.mcp.get("files").resources == found


def test_with_attachments_puts_each_block_after_the_text() -> None:
    assert with_attachments("hi", ["<a>", "<b>"]) == "hi\n\n<a>\n\n<b>"
    assert with_attachments("", ["<a>"]) == "<a>"
