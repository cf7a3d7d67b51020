"""Links between two cards on SQLite and PostgreSQL: what they mean (relates, blocks,
duplicates), shown on both cards, counted for the board's marker, and refused in words when
they would link a card to itself, to another project's card, or link two cards twice."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.facade import Services


def _project(services: Services) -> uuid.UUID:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site").id


def test_a_link_shows_on_both_cards_in_words(services: Services) -> None:
    project = _project(services)
    api = services.plan.add(project, "task", "API")
    ui = services.plan.add(project, "task", "UI")
    crash = services.plan.add(project, "bug", "Crash")
    services.plan_links.link(api.id, card_id=ui.id, relation="blocks")
    services.plan_links.link(crash.id, card_id=api.id, relation="Duplicates")
    on_api = [(x.words, x.title, x.incoming) for x in services.plan_links.links(api.id)]
    assert on_api == [("blocks", "UI", False), ("duplicated by", "Crash", True)]
    on_ui = [(x.words, x.title, x.target_id) for x in services.plan_links.links(ui.id)]
    assert on_ui == [("blocked by", "API", api.id)]
    counts = services.plan.board(project).link_counts
    assert counts == {api.id: 2, ui.id: 1, crash.id: 1}
    # A first paint counts for the cards it shows (the top of each column) only.
    assert services.plan.board(project, first=1).link_counts == {api.id: 2}


def test_refusals_in_words(services: Services) -> None:
    project = _project(services)
    api = services.plan.add(project, "task", "API")
    ui = services.plan.add(project, "task", "UI")
    services.plan_links.link(api.id, card_id=ui.id, relation="blocks")
    with pytest.raises(ValidationError, match="itself"):
        services.plan_links.link(api.id, card_id=api.id)
    with pytest.raises(Conflict, match="already links there"):
        services.plan_links.link(api.id, card_id=ui.id, relation="relates")
    with pytest.raises(Conflict, match="already linked: 'API' blocks this one"):
        services.plan_links.link(ui.id, card_id=api.id)
    with pytest.raises(ValidationError, match="use one of: relates, blocks, duplicates"):
        services.plan_links.link(api.id, card_id=ui.id, relation="causes")
    file = services.files.create(project, "notes.md", "x\n")
    with pytest.raises(ValidationError, match="a file only relates"):
        services.plan_links.link(api.id, file_id=file.id, relation="blocks")
    elsewhere = services.projects.create(services.projects.get(project).workspace_id, "Other")
    stranger = services.plan.add(elsewhere.id, "task", "Elsewhere")
    with pytest.raises(NotFound, match="not on this project's board"):
        services.plan_links.link(api.id, card_id=stranger.id)
    assert [x.title for x in services.plan_links.links(api.id)] == ["UI"]


def test_unlink_two_cards_from_either_end(services: Services) -> None:
    project = _project(services)
    api = services.plan.add(project, "task", "API")
    ui = services.plan.add(project, "task", "UI")
    services.plan_links.link(api.id, card_id=ui.id, relation="blocks")
    gone = services.plan_links.unlink_cards(ui.id, api.id)
    assert (gone.item_id, gone.relation) == (api.id, "blocks")
    assert services.plan_links.links(api.id) == []
    assert services.plan.board(project).link_counts == {}
    with pytest.raises(NotFound, match="not linked"):
        services.plan_links.unlink_cards(api.id, ui.id)


def test_links_to_a_file_and_a_thread_what_they_can_be_and_when_gone(
    services: Services,
) -> None:
    project = _project(services)
    api = services.plan.add(project, "task", "API")
    spec = services.files.create(project, "docs/api.md", "# API\n")
    services.files.create(project, "README.md", "hi\n")
    here = services.chat.create_thread(project_id=project, title="API design")
    loose = services.chat.create_thread(title="Loose ideas")
    archived = services.chat.create_thread(title="Old")
    services.chat.archive(archived.id)
    # The project's files by path, then the user's threads (this project's first).
    found = [(t.kind, t.title, t.detail) for t in services.plan_links.candidates(api.id)]
    assert found == [
        ("file", "README.md", ""),
        ("file", "docs/api.md", ""),
        ("thread", "API design", "this project"),
        ("thread", "Loose ideas", ""),
    ]

    to_file = services.plan_links.link(api.id, file_id=spec.id)
    to_thread = services.plan_links.link(api.id, thread_id=loose.id)
    assert [(x.words, x.title, x.gone) for x in services.plan_links.links(api.id)] == [
        ("links to the file", "docs/api.md", False),
        ("links to the thread", "Loose ideas", False),
    ]
    # A file in the trash keeps its link, shown as gone; one checked again says so too.
    services.files.delete(spec.id)
    assert services.plan_links.link_info(to_file.id).gone
    assert [f.title for f in [services.plan_links.candidates(api.id)[0]]] == ["README.md"]
    # A deleted thread takes its link with it: the check says so in words.
    services.chat.delete_thread(loose.id)
    with pytest.raises(NotFound, match="its file or thread was deleted"):
        services.plan_links.link_info(to_thread.id)

    gone = services.plan_links.unlink_target(api.id, file_id=spec.id)
    assert (gone.target_kind, gone.title) == ("file", "docs/api.md")
    assert services.plan_links.links(api.id) == []
    with pytest.raises(NotFound, match="does not link to that thread"):
        services.plan_links.unlink_target(api.id, thread_id=here.id)
