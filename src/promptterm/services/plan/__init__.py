"""Plan: each project's board of tasks, bugs and features (seed 004), and links from a card
to a file, a thread or another card.

The face other layers import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.plan.board import PlanService as PlanService
    from promptterm.services.plan.links import PlanLinkService as PlanLinkService
    from promptterm.services.plan.models import Board as Board
    from promptterm.services.plan.models import PlanCard as PlanCard
    from promptterm.services.plan.models import PlanLinkInfo as PlanLinkInfo
    from promptterm.services.plan.rules import LIMITS as LIMITS

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "board": ("PlanService",),
        "links": ("PlanLinkService",),
        "models": ("Board", "PlanCard", "PlanLinkInfo"),
        "rules": ("LIMITS",),
    },
)
