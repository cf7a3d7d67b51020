"""What the board shows: by kind, by priority and by text in the title or description."""

from __future__ import annotations

from dataclasses import dataclass, replace

from promptterm.db.vocab import PLAN_KINDS, PLAN_PRIORITIES
from promptterm.services.plan import PlanCard

# k and p step through these; None shows every kind or priority.
KIND_STEPS: tuple[str | None, ...] = (None, *PLAN_KINDS)
PRIORITY_STEPS: tuple[str | None, ...] = (None, *reversed(PLAN_PRIORITIES))


@dataclass(frozen=True)
class BoardFilter:
    kind: str | None = None
    priority: str | None = None
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.kind or self.priority or self.text.strip())

    def matches(self, card: PlanCard) -> bool:
        if self.kind is not None and card.kind != self.kind:
            return False
        if self.priority is not None and card.priority != self.priority:
            return False
        needle = self.text.strip().casefold()
        if needle:
            return needle in card.name.casefold() or needle in (card.description or "").casefold()
        return True

    def next_kind(self) -> BoardFilter:
        return replace(self, kind=_after(KIND_STEPS, self.kind))

    def next_priority(self) -> BoardFilter:
        return replace(self, priority=_after(PRIORITY_STEPS, self.priority))

    def describe(self) -> str:
        """The filter in words for the board's top line ("bugs · high · "login"")."""
        words = []
        if self.kind:
            words.append(f"{self.kind}s only")
        if self.priority:
            words.append(f"priority {self.priority}")
        if self.text.strip():
            words.append(f"“{self.text.strip()}”")
        return " · ".join(words)


def _after(steps: tuple[str | None, ...], value: str | None) -> str | None:
    return steps[(steps.index(value) + 1) % len(steps)]
