"""What `promptterm ask` sends, read from its arguments: the message with its resources'
texts attached, the values for its variables, and the thread it goes to (given, the latest,
or a new one with the preset)."""

from __future__ import annotations

import argparse
import uuid
from typing import TYPE_CHECKING

from promptterm.services.errors import NotFound, UnfilledVariables, ValidationError

if TYPE_CHECKING:
    from promptterm.services.facade import Services


def variables_of(given: list[str]) -> dict[str, str]:
    from promptterm.services.chat.variables import check_values

    values: dict[str, str] = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep:
            raise ValidationError(f"--var {item!r}: write it as NAME=VALUE.", "var")
        values[name.strip()] = value
    return check_values(values)


def unfilled(error: UnfilledVariables) -> ValidationError:
    options = " ".join(f"--var {name}=VALUE" for name in error.names)
    return ValidationError(f"{error.message} Give a value with {options}.", error.field)


def thread_for(services: Services, args: argparse.Namespace) -> uuid.UUID:
    preset = services.presets.find(args.preset) if args.preset else None
    if args.thread:
        try:
            thread_id = uuid.UUID(args.thread)
        except ValueError:
            raise ValidationError(f"{args.thread!r} is not a thread id.", "thread") from None
        thread = services.chat.get_thread(thread_id)
    elif args.resume:
        recent = services.chat.list_threads(limit=1)
        if not recent:
            raise NotFound("There is no thread to continue yet: leave out --continue.")
        thread = recent[0]
    else:
        return services.chat.create_thread(preset_id=preset.id if preset else None).id
    if preset is not None and thread.current_preset_id != preset.id:
        services.chat.set_preset(thread.id, preset.id)
    return thread.id


def with_resources(services: Services, text: str, refs: list[str]) -> str:
    """The message with each resource's text attached after it (read before any thread)."""
    import asyncio

    from promptterm.services.mcp import attach_resource, split_ref

    blocks = [asyncio.run(attach_resource(services.ctx, *split_ref(ref))) for ref in refs]
    return "\n\n".join([text, *blocks])
