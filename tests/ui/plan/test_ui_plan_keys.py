"""The plan area's keys are declared once each: a second declaration of a key (its id, its
words) is never the one in force, so its words could drift from what the key does."""

from __future__ import annotations

from collections import Counter

from textual.binding import Binding

from promptterm.ui.plan.keys import PLAN_KEYS


def test_each_plan_key_is_declared_once() -> None:
    ids = Counter(b.id for b in PLAN_KEYS if isinstance(b, Binding))
    assert [name for name, count in ids.items() if count > 1] == []
    keys = Counter(key for b in PLAN_KEYS if isinstance(b, Binding) for key in b.key.split(","))
    assert [key for key, count in keys.items() if count > 1] == []
