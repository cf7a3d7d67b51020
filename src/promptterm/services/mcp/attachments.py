"""A server's resource attached to a message: its text read now, wrapped in a block that
says where it came from, capped, and without control characters (the text is shown in the
transcript and the terminal, and a resource is text from outside)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from promptterm.services.errors import ValidationError
from promptterm.services.validation import is_control

if TYPE_CHECKING:
    from promptterm.services.context import ServiceContext

# Characters of one resource a message carries: a resource is context, not a data dump.
ATTACHMENT_LIMIT = 20_000
_KEPT = ("\n", "\t")  # line structure stays; everything else a terminal could act on goes


def split_ref(ref: str) -> tuple[str, str]:
    """``SERVER:URI`` (the URI has colons of its own) as (server, uri)."""
    server, sep, uri = ref.partition(":")
    if not sep or not server.strip() or not uri.strip():
        raise ValidationError(
            f"{ref!r} does not name a resource: write SERVER:URI, e.g. files:notes://readme.",
            "resource",
        )
    return server.strip(), uri.strip()


def attachment_block(server: str, uri: str, text: str, limit: int = ATTACHMENT_LIMIT) -> str:
    clean = "".join(c for c in text.replace("\r\n", "\n") if c in _KEPT or not is_control(c))
    head = "".join(c for c in f"{server}:{uri}" if not is_control(c))
    if len(clean) > limit:
        clean = clean[:limit] + f"\n[… cut: {limit:,} of {len(clean):,} characters attached]"
    return f'<resource source="{head}">\n{clean}\n</resource>'


@dataclass(frozen=True)
class Attachment:
    """A resource read for a message: the block the message carries, and what a person is
    told about it (where from, how long, whether it was cut)."""

    server: str  # the server's name
    uri: str
    block: str
    chars: int  # the resource's whole length
    kept: int  # the characters the block carries

    @property
    def cut(self) -> bool:
        return self.kept < self.chars


async def read_attachment(
    ctx: ServiceContext, server: str | uuid.UUID, uri: str, limit: int = ATTACHMENT_LIMIT
) -> Attachment:
    """The resource ``uri`` of ``server``, read now, as an attachment. A server that cannot
    be reached or a binary resource is refused in words (ValidationError); a long one is cut
    at ``limit`` characters, with a note in the block."""
    from promptterm.services.mcp.calls import read_resource_text
    from promptterm.services.mcp.registry import McpService

    name = McpService(ctx).get(server).name
    text = await read_resource_text(ctx, server, uri)
    block = attachment_block(name, uri, text, limit)
    return Attachment(name, uri, block, len(text), min(len(text), limit))


async def attach_resource(
    ctx: ServiceContext, server: str | uuid.UUID, uri: str, limit: int = ATTACHMENT_LIMIT
) -> str:
    """The resource ``uri`` of ``server``, read now, as a block to put in a message."""
    return (await read_attachment(ctx, server, uri, limit)).block


def with_attachments(text: str, blocks: list[str]) -> str:
    """The message a user sends with resources attached: the text, then each block."""
    return "\n\n".join(part for part in (text, *blocks) if part)
