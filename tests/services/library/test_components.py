"""Components (seed 003): validation, names unique per user and type, search, sorting, owners."""

from __future__ import annotations

import uuid

import pytest

from promptterm.services.errors import Conflict, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.library import ComponentInfo, ComponentSummary
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _bob(services: Services, clock: FixedClock) -> Services:
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


# Validation --------------------------------------------------------------------------------


def test_create_strips_and_keeps_every_field(services: Services, clock: FixedClock) -> None:
    made = services.components.create(
        "role",
        "  Marketing Expert  ",
        "  You are an experienced marketer.  ",
        description="  For LinkedIn  ",
        tags=["Marketing", " social-media ", "marketing", ""],
    )
    assert made.type == "role"
    assert made.name == "Marketing Expert"
    assert made.content == "You are an experienced marketer."
    assert made.description == "For LinkedIn"
    assert made.tags == ("marketing", "social-media")
    assert made.usage_count == 0
    assert made.created_at == made.updated_at == clock()
    assert services.components.get(made.id) == made


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_blank_name_is_refused(services: Services, name: str) -> None:
    with pytest.raises(ValidationError, match="Name is required") as err:
        services.components.create("role", name, "content")
    assert err.value.field == "name"


def test_name_length_counts_after_stripping(services: Services) -> None:
    longest = "n" * 100
    assert services.components.create("role", f"  {longest}  ", "c").name == longest
    with pytest.raises(ValidationError, match="101 characters; the most allowed is 100") as err:
        services.components.create("role", "n" * 101, "c")
    assert err.value.field == "name"
    assert services.components.create("style", "x", "c").name == "x"


def test_content_must_be_1_to_5000_characters(services: Services) -> None:
    with pytest.raises(ValidationError) as err:
        services.components.create("role", "Empty", "    ")
    assert err.value.field == "content"
    with pytest.raises(ValidationError, match="5001 characters") as err:
        services.components.create("role", "Long", "c" * 5001)
    assert err.value.field == "content"
    assert len(services.components.create("role", "Max", "c" * 5000).content) == 5000


def test_description_is_optional_and_at_most_500(services: Services) -> None:
    assert services.components.create("role", "A", "c", description="   ").description is None
    assert (
        len(services.components.create("role", "B", "c", description="d" * 500).description or "")
        == 500
    )
    with pytest.raises(ValidationError, match="501 characters") as err:
        services.components.create("role", "C", "c", description="d" * 501)
    assert err.value.field == "description"


@pytest.mark.parametrize("kind", ["Role", "persona", "", "roles"])
def test_type_must_be_role_style_context_or_mode(services: Services, kind: str) -> None:
    with pytest.raises(ValidationError, match="role, style, context, mode") as err:
        services.components.create(kind, "Name", "content")
    assert err.value.field == "type"
    assert services.components.list() == []


def test_tags_are_limited_in_length_and_number(services: Services) -> None:
    with pytest.raises(ValidationError, match="over 50 characters") as err:
        services.components.create("role", "A", "c", tags=["t" * 51])
    assert err.value.field == "tags"
    with pytest.raises(ValidationError, match="at most 20 tags"):
        services.components.create("role", "A", "c", tags=[f"tag{i}" for i in range(21)])
    made = services.components.create("role", "A", "c", tags=[f"tag{i}" for i in range(20)])
    assert len(made.tags) == 20
    # Duplicates (after lower-casing) count once.
    again = services.components.create("style", "B", "c", tags=["X"] * 30)
    assert again.tags == ("x",)


def test_update_validates_like_create(services: Services) -> None:
    made = services.components.create("role", "A", "content", description="desc")
    with pytest.raises(ValidationError) as err:
        services.components.update(made.id, name="  ")
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        services.components.update(made.id, content="c" * 5001)
    assert err.value.field == "content"
    with pytest.raises(ValidationError) as err:
        services.components.update(made.id, description="d" * 501)
    assert err.value.field == "description"
    # Nothing of the refused updates was stored.
    assert services.components.get(made.id) == made


def test_update_changes_only_what_is_given(services: Services, clock: FixedClock) -> None:
    made = services.components.create("role", "A", "content", description="desc", tags=["x"])
    clock.advance(minutes=5)
    updated = services.components.update(made.id, content="  new content ")
    assert (updated.name, updated.content, updated.description, updated.tags) == (
        "A",
        "new content",
        "desc",
        ("x",),
    )
    assert updated.updated_at == clock()
    assert updated.created_at == made.created_at
    cleared = services.components.update(made.id, description="", tags=[])
    assert (cleared.description, cleared.tags) == (None, ())


# Names -------------------------------------------------------------------------------------


def test_name_is_unique_per_user_and_type(services: Services, clock: FixedClock) -> None:
    services.components.create("role", "Expert", "one")
    with pytest.raises(Conflict, match="already have a role named 'Expert'"):
        services.components.create("role", "  Expert ", "two")
    # The same name for another type, or for another user, is fine.
    assert services.components.create("style", "Expert", "three").type == "style"
    bob = _bob(services, clock)
    assert bob.components.create("role", "Expert", "bob's").name == "Expert"
    assert [c.content for c in services.components.list("role")] == ["one"]


def test_renaming_onto_a_taken_name_is_a_conflict(services: Services) -> None:
    services.components.create("role", "Taken", "one")
    other = services.components.create("role", "Other", "two")
    with pytest.raises(Conflict, match="'Taken'"):
        services.components.update(other.id, name="Taken")
    assert services.components.get(other.id).name == "Other"
    # Keeping its own name is not a conflict.
    assert services.components.update(other.id, name="Other", content="x").content == "x"


def test_find_by_name_id_and_type(services: Services) -> None:
    role = services.components.create("role", "Expert", "role text")
    style = services.components.create("style", "Expert", "style text")
    only = services.components.create("mode", "Brainstorm", "mode text")
    assert services.components.find("Brainstorm") == only
    assert services.components.find(str(style.id)) == style
    assert services.components.find("Expert", "role") == role
    with pytest.raises(Conflict, match="several components \\(role, style\\); give the type"):
        services.components.find("Expert")
    with pytest.raises(NotFound, match="no context component named 'Expert'"):
        services.components.find("Expert", "context")
    with pytest.raises(NotFound, match="no component named 'expert'"):
        services.components.find("expert")


# Search, sorting, counts -------------------------------------------------------------------


def test_search_ignores_case(services: Services) -> None:
    services.components.create("role", "Marketing Expert", "c")
    services.components.create("style", "MARKETING tone", "c")
    services.components.create("context", "Sales", "c")
    assert {c.name for c in services.components.search("marketing")} == {
        "Marketing Expert",
        "MARKETING tone",
    }
    assert [c.name for c in services.components.search("  eXpErT ")] == ["Marketing Expert"]
    assert services.components.search("nothing like it") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100%", ["100% honest"]),
        ("%", ["100% honest"]),
        ("a_b", ["a_b style"]),
        ("_", ["a_b style"]),
        ("\\", ["back\\slash"]),
    ],
)
def test_search_treats_like_wildcards_literally(
    services: Services, text: str, expected: list[str]
) -> None:
    for name in ("100% honest", "100 percent", "a_b style", "axb style", "back\\slash"):
        services.components.create("role", name, "c")
    assert [c.name for c in services.components.search(text)] == expected
    assert [c.name for c in services.components.list(query=text)] == expected


def test_list_query_matches_description_too(services: Services) -> None:
    services.components.create("role", "Writer", "c", description="For LinkedIn posts")
    services.components.create("role", "Coder", "c", description="Python")
    assert [c.name for c in services.components.list(query="linkedin")] == ["Writer"]


def test_list_filters_by_type_and_refuses_unknown_types(services: Services) -> None:
    services.components.create("role", "R", "c")
    services.components.create("style", "S", "c")
    assert [c.name for c in services.components.list("style")] == ["S"]
    with pytest.raises(ValidationError):
        services.components.list("tone")


def test_sort_orders(services: Services, clock: FixedClock) -> None:
    a = services.components.create("role", "Alpha", "c")
    clock.advance(minutes=1)
    b = services.components.create("style", "Bravo", "c")
    clock.advance(minutes=1)
    services.components.create("context", "Charlie", "c")
    # Bravo is used twice, Alpha once: most used first, ties by name.
    p1 = services.presets.create("P1", style=b.id)
    p2 = services.presets.create("P2", role=a.id, style=b.id)
    services.presets.record_use(p1.id)
    services.presets.record_use(p2.id)

    def names(sort: str) -> list[str]:
        return [c.name for c in services.components.list(sort=sort)]  # type: ignore[arg-type]

    assert names("most_used") == ["Bravo", "Alpha", "Charlie"]
    assert names("name") == ["Alpha", "Bravo", "Charlie"]
    assert names("recent") == ["Charlie", "Bravo", "Alpha"]
    clock.advance(minutes=1)
    services.components.update(a.id, content="edited")
    assert names("recent") == ["Alpha", "Charlie", "Bravo"]
    assert [c.name for c in services.components.list(sort="name", limit=2)] == ["Alpha", "Bravo"]


def test_summary_pages_are_the_list_without_content(services: Services, clock: FixedClock) -> None:
    """What a screen pages through: the same components, filters and orders as ``list``, in
    pages, never another user's (the statement is built once and reused with new values)."""
    for i, (kind, name) in enumerate(
        [("role", "Ann"), ("style", "Bea"), ("role", "Cy"), ("role", "Di"), ("mode", "Ed")]
    ):
        services.components.create(kind, name, "c", description=f"note {i}")
        clock.advance(minutes=1)
    _bob(services, clock).components.create("role", "Bob's", "c", description="note")

    def summary(c: ComponentInfo) -> ComponentSummary:
        fields = (c.id, c.type, c.name, c.description, c.usage_count, c.last_used_at)
        return ComponentSummary(*fields, c.updated_at)

    for sort in ("most_used", "recent", "name"):
        for kind in (None, "role"):
            for query in (None, "NOTE 3", "zzz"):
                whole = services.components.list(kind, sort=sort, query=query)  # type: ignore[arg-type]
                pages = [
                    services.components.summaries(
                        kind,
                        sort=sort,  # type: ignore[arg-type]
                        query=query,
                        limit=2,
                        offset=offset,
                    )
                    for offset in (0, 2, 4)
                ]
                assert [s for page in pages for s in page] == [summary(c) for c in whole]
    assert [c.name for c in services.components.summaries("role", query="note 3")] == ["Di"]
    with pytest.raises(ValidationError):
        services.components.summaries("tone")


def test_counts_by_type_include_empty_types(services: Services, clock: FixedClock) -> None:
    assert services.components.counts() == {"role": 0, "style": 0, "context": 0, "mode": 0}
    services.components.create("role", "R1", "c")
    services.components.create("role", "R2", "c")
    services.components.create("mode", "M", "c")
    _bob(services, clock).components.create("style", "Bob's", "c")
    assert services.components.counts() == {"role": 2, "style": 0, "context": 0, "mode": 1}


# Ownership and deletion --------------------------------------------------------------------


def test_another_user_cannot_see_or_touch_my_components(
    services: Services, clock: FixedClock
) -> None:
    mine = services.components.create("role", "Mine", "secret sauce")
    bob = _bob(services, clock)
    assert bob.components.list() == []
    assert bob.components.search("Mine") == []
    with pytest.raises(NotFound):
        bob.components.get(mine.id)
    with pytest.raises(NotFound):
        bob.components.find(str(mine.id))
    with pytest.raises(NotFound):
        bob.components.find("Mine")
    with pytest.raises(NotFound):
        bob.components.update(mine.id, content="hijacked")
    with pytest.raises(NotFound):
        bob.components.delete(mine.id)
    assert services.components.get(mine.id) == mine


def test_delete_removes_it_and_names_the_presets_left_incomplete(services: Services) -> None:
    role = services.components.create("role", "R", "c")
    style = services.components.create("style", "S", "c")
    services.presets.create("Zeta", role=role.id, style=style.id)
    services.presets.create("Alpha", role=role.id)
    services.presets.create("Style only", style=style.id)
    assert services.components.delete(role.id) == ["Alpha", "Zeta"]
    with pytest.raises(NotFound):
        services.components.get(role.id)
    with pytest.raises(NotFound):
        services.components.delete(role.id)
    assert services.components.delete(services.components.create("mode", "M", "c").id) == []
