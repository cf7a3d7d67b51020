"""What a prompt says is kept by (prompt, version) between renders and edits (issue 15's
benchmark): whatever is served from it must be what reading the database afresh gives."""

from __future__ import annotations

import pytest

from promptterm.db.engine import create_database
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from promptterm.services.library.prompt_cache import cache_for
from promptterm.services.library.prompt_info import PromptInfo
from support.clock import FixedClock


def fresh(services: Services, prompt_id: object) -> PromptInfo:
    """The prompt read from the database, nothing kept."""
    cache_for(services.ctx.db.engine).clear()
    return services.prompts.get(prompt_id)  # type: ignore[arg-type]


def test_an_edit_returns_what_reading_it_afresh_gives(services: Services) -> None:
    edits = services.prompt_edits
    made = services.prompts.create("Cached")
    edits.add_variable(made.id, "lang", default="go")
    info = edits.add_module(made.id, "Role", ["You write {{lang}}.", "You review {{lang}}."])
    edits.add_module(made.id, "Tone", ["Kind."])
    role = info.modules[0]
    first, second = role.options
    steps = (
        lambda: edits.edit_option(made.id, first.id, content="You test {{lang}}.", name="Test"),
        lambda: edits.add_option(made.id, role.id, "You document {{lang}}.", make_default=True),
        lambda: edits.set_default_option(made.id, second.id),
        lambda: edits.delete_option(made.id, second.id),  # the default: its heir takes over
        lambda: edits.rename_module(made.id, role.id, "Job"),
        lambda: edits.set_tags(made.id, ["a"]),
        lambda: edits.restore(made.id, 4),
    )
    for step in steps:
        returned = step()
        assert returned == fresh(services, made.id)
        assert services.prompts.get(made.id) == returned  # and served from the cache
    assert services.prompts.render(made.id) == "You write go.\n\nKind."


def test_an_edit_from_another_process_is_seen_at_once(
    services: Services, clock: FixedClock
) -> None:
    made = services.prompts.create("Shared file")
    services.prompt_edits.add_module(made.id, "Ask", ["First."])
    assert services.prompts.render(made.id) == "First."  # now kept here
    other_db = create_database(services.ctx.db.url)
    other = Services.for_database(other_db, clock=clock, new_id=SequentialIds(5000), migrate=False)
    try:
        option = other.prompts.get(made.id).modules[0].options[0]
        other.prompt_edits.edit_option(made.id, option.id, content="Second.")
    finally:
        other.close()
    assert services.prompts.render(made.id) == "Second."
    assert services.prompts.get(made.id).version == 3


def test_a_refused_edit_leaves_nothing_behind(services: Services) -> None:
    made = services.prompts.create("Refused")
    info = services.prompt_edits.add_module(made.id, "Ask", ["Only."])
    only = info.modules[0].options[0]
    with pytest.raises(Exception, match="only option"):
        services.prompt_edits.delete_option(made.id, only.id)
    assert services.prompts.get(made.id) == fresh(services, made.id) == info
