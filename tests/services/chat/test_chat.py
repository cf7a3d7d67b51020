"""Chat threads: creation and access, titles, listing, message paging, token totals and the
preset history of seed 003."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from promptterm.services.errors import Forbidden, NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.projects import ProjectInfo
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _bob(services: Services, clock: FixedClock) -> Services:
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


def _project(services: Services, name: str = "Site") -> ProjectInfo:
    ws = services.workspaces.create(f"{name} workspace")
    return services.projects.create(ws.id, name)


# Threads -----------------------------------------------------------------------------------


def test_a_new_thread_is_untitled_until_the_first_user_message(
    services: Services, clock: FixedClock
) -> None:
    thread = services.chat.create_thread(provider="openai", model="gpt-4o-mini")
    assert (thread.title, thread.total_tokens, thread.project_id) == ("New thread", 0, None)
    assert (thread.provider, thread.model) == ("openai", "gpt-4o-mini")
    assert thread.created_at == clock()

    services.chat.add_message(thread.id, "system", "You are helpful.")
    assert services.chat.get_thread(thread.id).title == "New thread"
    services.chat.add_message(thread.id, "user", "  How do I   index\na column?  ")
    assert services.chat.get_thread(thread.id).title == "How do I index a column?"
    # Later messages do not change it.
    services.chat.add_message(thread.id, "user", "Another question")
    assert services.chat.get_thread(thread.id).title == "How do I index a column?"


def test_a_long_first_message_gives_a_shortened_title(services: Services) -> None:
    thread = services.chat.create_thread()
    services.chat.add_message(thread.id, "user", "word " * 30)
    title = services.chat.get_thread(thread.id).title
    assert len(title) <= 60
    assert title.endswith("…")
    assert title.startswith("word word")


def test_a_given_title_is_kept_and_validated(services: Services) -> None:
    thread = services.chat.create_thread(title="  Schema design  ")
    services.chat.add_message(thread.id, "user", "first")
    assert services.chat.get_thread(thread.id).title == "Schema design"
    with pytest.raises(ValidationError):
        services.chat.rename(thread.id, "   ")
    with pytest.raises(ValidationError):
        services.chat.create_thread(title="t" * 201)
    assert services.chat.rename(thread.id, "Renamed").title == "Renamed"


def test_a_thread_in_a_project_needs_member_role(services: Services, clock: FixedClock) -> None:
    project = _project(services)
    bob = _bob(services, clock)
    # Not a member: the project is not even there for Bob.
    with pytest.raises(NotFound):
        bob.chat.create_thread(project_id=project.id)

    services.workspaces.add_member(project.workspace_id, "bob@example.com", "viewer")
    with pytest.raises(Forbidden, match="you are a viewer"):
        bob.chat.create_thread(project_id=project.id)
    assert bob.chat.list_threads() == []

    services.workspaces.set_role(project.workspace_id, bob.user.id, "member")
    thread = bob.chat.create_thread(project_id=project.id)
    assert thread.project_id == project.id
    assert [t.id for t in bob.chat.list_threads(project_id=project.id)] == [thread.id]


def test_a_thread_in_a_missing_project_is_refused(services: Services) -> None:
    with pytest.raises(NotFound):
        services.chat.create_thread(project_id=uuid.uuid4())
    assert services.chat.list_threads() == []


def test_threads_are_listed_by_recent_activity(services: Services, clock: FixedClock) -> None:
    first = services.chat.create_thread(title="First")
    clock.advance(minutes=1)
    services.chat.create_thread(title="Second")
    clock.advance(minutes=1)
    services.chat.create_thread(title="Third")
    assert [t.title for t in services.chat.list_threads()] == ["Third", "Second", "First"]

    clock.advance(minutes=1)
    services.chat.add_message(first.id, "user", "bump")
    assert [t.title for t in services.chat.list_threads()] == ["First", "Third", "Second"]
    assert [t.title for t in services.chat.list_threads(limit=2)] == ["First", "Third"]
    assert [t.title for t in services.chat.list_threads(query="SEC")] == ["Second"]


def test_thread_search_treats_like_wildcards_literally(services: Services) -> None:
    for title in ("100% done", "100 percent", "snake_case", "snakeXcase"):
        services.chat.create_thread(title=title)
    assert [t.title for t in services.chat.list_threads(query="100%")] == ["100% done"]
    assert [t.title for t in services.chat.list_threads(query="e_c")] == ["snake_case"]
    assert len(services.chat.list_threads(query="  ")) == 4


def test_archived_threads_are_listed_apart(services: Services) -> None:
    kept = services.chat.create_thread(title="Kept")
    old = services.chat.create_thread(title="Old")
    assert services.chat.archive(old.id).is_archived
    assert [t.title for t in services.chat.list_threads()] == ["Kept"]
    assert [t.title for t in services.chat.list_threads(archived=True)] == ["Old"]
    services.chat.archive(old.id, archived=False)
    assert {t.id for t in services.chat.list_threads()} == {kept.id, old.id}


def test_threads_are_listed_by_project(services: Services) -> None:
    site = _project(services, "Site")
    api = _project(services, "Api")
    in_site = services.chat.create_thread(project_id=site.id, title="Site thread")
    services.chat.create_thread(project_id=api.id, title="Api thread")
    services.chat.create_thread(title="Loose thread")
    assert [t.id for t in services.chat.list_threads(project_id=site.id)] == [in_site.id]
    assert len(services.chat.list_threads()) == 3


def test_delete_thread_removes_its_messages(services: Services) -> None:
    thread = services.chat.create_thread(title="Doomed")
    message = services.chat.add_message(thread.id, "user", "hi")
    assert services.chat.delete_thread(thread.id) == "Doomed"
    with pytest.raises(NotFound):
        services.chat.get_thread(thread.id)
    with pytest.raises(NotFound):
        services.chat.update_message(message.id, content="edited")


def test_set_model(services: Services) -> None:
    thread = services.chat.create_thread()
    changed = services.chat.set_model(thread.id, "anthropic", "claude-sonnet")
    assert (changed.provider, changed.model) == ("anthropic", "claude-sonnet")


# Messages ----------------------------------------------------------------------------------


def test_messages_are_validated(services: Services) -> None:
    thread = services.chat.create_thread()
    with pytest.raises(ValidationError, match="Type a message") as err:
        services.chat.add_message(thread.id, "user", "  \n ")
    assert err.value.field == "content"
    with pytest.raises(ValidationError) as err:
        services.chat.add_message(thread.id, "robot", "hi")
    assert err.value.field == "role"
    with pytest.raises(ValidationError) as err:
        services.chat.add_message(thread.id, "assistant", "hi", status="exploded")
    assert err.value.field == "status"
    # An assistant message may start empty: a streamed answer grows into it.
    streaming = services.chat.add_message(thread.id, "assistant", "", status="streaming")
    assert (streaming.content, streaming.status) == ("", "streaming")
    assert services.chat.message_count(thread.id) == 1


def test_seq_strictly_increases_and_is_never_reused_in_the_middle(services: Services) -> None:
    thread = services.chat.create_thread()
    seqs = [services.chat.add_message(thread.id, "user", f"m{i}").seq for i in range(5)]
    assert seqs == [1, 2, 3, 4, 5]
    middle = services.chat.messages(thread.id)[2]
    services.chat.delete_message(middle.id)
    assert services.chat.add_message(thread.id, "user", "after").seq == 6
    assert [m.seq for m in services.chat.messages(thread.id)] == [1, 2, 4, 5, 6]
    # Seqs belong to the thread: another thread starts at 1.
    other = services.chat.create_thread()
    assert services.chat.add_message(other.id, "user", "x").seq == 1


def test_messages_page_backwards_oldest_first(services: Services) -> None:
    thread = services.chat.create_thread()
    for i in range(1, 11):
        services.chat.add_message(thread.id, "user" if i % 2 else "assistant", f"message {i}")

    last = services.chat.messages(thread.id, limit=3)
    assert [m.content for m in last] == ["message 8", "message 9", "message 10"]
    earlier = services.chat.messages(thread.id, limit=3, before_seq=last[0].seq)
    assert [m.seq for m in earlier] == [5, 6, 7]
    assert [m.seq for m in services.chat.messages(thread.id, limit=3, before_seq=2)] == [1]
    assert services.chat.messages(thread.id, before_seq=1) == []
    assert len(services.chat.messages(thread.id)) == 10
    assert services.chat.message_count(thread.id) == 10


def test_thread_tail_is_the_thread_and_its_last_messages(services: Services) -> None:
    thread = services.chat.create_thread(title="Tail")
    for i in range(1, 8):
        services.chat.add_message(thread.id, "user", f"message {i}")

    found, last = services.chat.thread_tail(thread.id, limit=3)
    assert found.id == thread.id and found.title == "Tail"
    assert [m.content for m in last] == ["message 5", "message 6", "message 7"]
    assert services.chat.thread_tail(thread.id, limit=50)[1][0].seq == 1


def test_thread_tail_of_someone_elses_thread_is_not_found(services: Services) -> None:
    with pytest.raises(NotFound):
        services.chat.thread_tail(uuid.uuid4(), limit=3)


def test_total_tokens_follow_add_update_and_delete(services: Services) -> None:
    thread = services.chat.create_thread()
    question = services.chat.add_message(thread.id, "user", "q", tokens_in=10)
    answer = services.chat.add_message(
        thread.id, "assistant", "a", tokens_in=10, tokens_out=20, provider="openai"
    )
    services.chat.add_message(thread.id, "assistant", "no usage reported")
    assert services.chat.get_thread(thread.id).total_tokens == 40

    # Only tokens_out changes: tokens_in is kept.
    updated = services.chat.update_message(answer.id, tokens_out=50)
    assert (updated.tokens_in, updated.tokens_out) == (10, 50)
    assert services.chat.get_thread(thread.id).total_tokens == 70
    services.chat.update_message(answer.id, content="longer answer", status="complete")
    assert services.chat.get_thread(thread.id).total_tokens == 70

    services.chat.delete_message(question.id)
    assert services.chat.get_thread(thread.id).total_tokens == 60
    services.chat.delete_message(answer.id)
    assert services.chat.get_thread(thread.id).total_tokens == 0


def test_update_message_streams_content_and_records_usage(services: Services) -> None:
    thread = services.chat.create_thread()
    answer = services.chat.add_message(thread.id, "assistant", "", status="streaming")
    services.chat.update_message(answer.id, content="Hel")
    done = services.chat.update_message(
        answer.id,
        content="Hello",
        status="complete",
        tokens_in=5,
        tokens_out=2,
        tokens_estimated=True,
        cost_usd=Decimal("0.000123"),
    )
    assert (done.content, done.status, done.tokens_estimated) == ("Hello", "complete", True)
    assert done.cost_usd == Decimal("0.000123")
    [stored] = services.chat.messages(thread.id)
    assert stored == done
    with pytest.raises(ValidationError):
        services.chat.update_message(answer.id, status="bogus")


# Preset history ----------------------------------------------------------------------------


def test_set_preset_appends_to_the_preset_history(services: Services, clock: FixedClock) -> None:
    role_a = services.components.create("role", "Role A", "a")
    role_b = services.components.create("role", "Role B", "b")
    style = services.components.create("style", "Style", "s")
    first = services.presets.create("First", role=role_a.id, style=style.id)
    second = services.presets.create("Second", role=role_b.id, style=style.id)

    thread = services.chat.create_thread(preset_id=first.id)
    assert thread.current_preset_id == first.id
    [start] = thread.preset_history
    assert (start.preset_id, start.preset_name) == (str(first.id), "First")
    assert start.changed_components == ("role", "style")
    assert start.timestamp == clock().isoformat()

    clock.advance(minutes=5)
    switched = services.chat.set_preset(thread.id, second.id)
    assert switched.current_preset_id == second.id
    assert switched.updated_at == clock()
    change = switched.preset_history[-1]
    assert (change.preset_name, change.changed_components) == ("Second", ("role",))
    assert change.timestamp == clock().isoformat()

    cleared = services.chat.set_preset(thread.id, None)
    assert cleared.current_preset_id is None
    last = cleared.preset_history[-1]
    assert (last.preset_id, last.preset_name, last.changed_components) == (
        None,
        "No preset",
        ("role", "style"),
    )
    assert [h.preset_name for h in services.chat.get_thread(thread.id).preset_history] == [
        "First",
        "Second",
        "No preset",
    ]


def test_set_preset_refuses_a_preset_that_is_not_mine(
    services: Services, clock: FixedClock
) -> None:
    bob = _bob(services, clock)
    bob_role = bob.components.create("role", "R", "r")
    bobs = bob.presets.create("Bob's", role=bob_role.id)
    thread = services.chat.create_thread()
    with pytest.raises(NotFound):
        services.chat.set_preset(thread.id, bobs.id)
    with pytest.raises(NotFound):
        services.chat.create_thread(preset_id=bobs.id)
    assert services.chat.get_thread(thread.id).preset_history == ()
    assert [t.id for t in services.chat.list_threads()] == [thread.id]


def test_deleting_the_current_preset_keeps_the_thread(services: Services) -> None:
    role = services.components.create("role", "R", "r")
    preset = services.presets.create("P", role=role.id)
    thread = services.chat.create_thread(preset_id=preset.id)
    services.presets.delete(preset.id)
    after = services.chat.get_thread(thread.id)
    assert after.current_preset_id is None
    assert [h.preset_name for h in after.preset_history] == ["P"]


# Ownership ---------------------------------------------------------------------------------


def test_another_user_cannot_read_or_write_my_threads(
    services: Services, clock: FixedClock
) -> None:
    thread = services.chat.create_thread(title="Private")
    message = services.chat.add_message(thread.id, "user", "secret question", tokens_in=3)
    bob = _bob(services, clock)
    assert bob.chat.list_threads() == []
    for action in (
        lambda: bob.chat.get_thread(thread.id),
        lambda: bob.chat.messages(thread.id),
        lambda: bob.chat.message_count(thread.id),
        lambda: bob.chat.add_message(thread.id, "user", "injected"),
        lambda: bob.chat.update_message(message.id, content="rewritten"),
        lambda: bob.chat.delete_message(message.id),
        lambda: bob.chat.rename(thread.id, "Mine now"),
        lambda: bob.chat.archive(thread.id),
        lambda: bob.chat.set_preset(thread.id, None),
        lambda: bob.chat.delete_thread(thread.id),
    ):
        with pytest.raises(NotFound):
            action()
    after = services.chat.get_thread(thread.id)
    assert (after.title, after.total_tokens, after.is_archived) == ("Private", 3, False)
    assert [m.content for m in services.chat.messages(thread.id)] == ["secret question"]
