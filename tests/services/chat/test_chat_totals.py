"""What the chat screen asks of the chat service beyond the basics: a thread's total cost, and
paging forward from a message (a search hit in the middle of a long thread)."""

from __future__ import annotations

from decimal import Decimal

from promptterm.services.facade import Services


def test_totals_sum_the_messages_as_they_stand(services: Services) -> None:
    thread = services.chat.create_thread()
    assert services.chat.totals(thread.id).cost_usd == Decimal(0)
    services.chat.add_message(thread.id, "user", "hi")
    services.chat.add_message(
        thread.id, "assistant", "a", tokens_in=10, tokens_out=5, cost_usd=Decimal("0.0012")
    )
    answer = services.chat.add_message(
        thread.id, "assistant", "b", tokens_in=20, tokens_out=5, cost_usd=Decimal("0.0030")
    )
    totals = services.chat.totals(thread.id)
    assert (totals.tokens, totals.cost_usd, totals.unpriced, totals.estimated) == (
        40,
        Decimal("0.0042"),
        0,
        False,
    )
    # An unknown model's call has tokens but no price: counted, so the screen can say so.
    services.chat.add_message(
        thread.id, "assistant", "c", tokens_in=3, tokens_out=3, tokens_estimated=True
    )
    services.chat.delete_message(answer.id)
    totals = services.chat.totals(thread.id)
    assert (totals.tokens, totals.cost_usd, totals.unpriced, totals.estimated) == (
        21,
        Decimal("0.0012"),
        1,
        True,
    )


def test_messages_page_forward_after_a_seq(services: Services) -> None:
    thread = services.chat.create_thread()
    for n in range(1, 11):
        services.chat.add_message(thread.id, "user", f"m{n}")
    after = services.chat.messages(thread.id, after_seq=4, limit=3)
    assert [m.content for m in after] == ["m5", "m6", "m7"]
    assert services.chat.messages(thread.id, after_seq=10) == []
    window = services.chat.messages(thread.id, after_seq=2, before_seq=6)
    assert [m.seq for m in window] == [3, 4, 5]
    # What a page leaves out on each side.
    assert services.chat.message_count(thread.id, before_seq=3) == 2
    assert services.chat.message_count(thread.id, after_seq=7) == 3
    assert services.chat.message_count(thread.id) == 10
    # Paging back is unchanged: the newest before, oldest first.
    assert [m.seq for m in services.chat.messages(thread.id, before_seq=4, limit=2)] == [2, 3]
