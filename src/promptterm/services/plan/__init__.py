"""Plan: each project's board of tasks, bugs and features (seed 004), links from a card to a
file, a thread or another card; its notes, PRD and customer profiles; user flows (pages and
arrows); the project context that product prompts render with.

The face other layers import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.plan.board import PlanService as PlanService
    from promptterm.services.plan.context import plan_context as plan_context
    from promptterm.services.plan.context import render_product_prompt as render_product_prompt
    from promptterm.services.plan.context import render_with_context as render_with_context
    from promptterm.services.plan.customers import CustomerService as CustomerService
    from promptterm.services.plan.doc_models import CustomerProfile as CustomerProfile
    from promptterm.services.plan.doc_models import DocVersion as DocVersion
    from promptterm.services.plan.doc_models import Note as Note
    from promptterm.services.plan.doc_models import Prd as Prd
    from promptterm.services.plan.flow_layout import FlowLayout as FlowLayout
    from promptterm.services.plan.flow_layout import layout_flow as layout_flow
    from promptterm.services.plan.flow_models import Flow as Flow
    from promptterm.services.plan.flow_models import FlowConnectionInfo as FlowConnectionInfo
    from promptterm.services.plan.flow_models import FlowPageInfo as FlowPageInfo
    from promptterm.services.plan.flows import FlowService as FlowService
    from promptterm.services.plan.links import PlanLinkService as PlanLinkService
    from promptterm.services.plan.markdown import prd_markdown as prd_markdown
    from promptterm.services.plan.models import Board as Board
    from promptterm.services.plan.models import LinkTarget as LinkTarget
    from promptterm.services.plan.models import PlanCard as PlanCard
    from promptterm.services.plan.models import PlanLinkInfo as PlanLinkInfo
    from promptterm.services.plan.note_search import NoteHit as NoteHit
    from promptterm.services.plan.notes import NoteService as NoteService
    from promptterm.services.plan.prd import PrdService as PrdService
    from promptterm.services.plan.propose import TaskProposal as TaskProposal
    from promptterm.services.plan.propose import TaskProposer as TaskProposer
    from promptterm.services.plan.propose import parse_checklist as parse_checklist
    from promptterm.services.plan.rules import LIMITS as LIMITS

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "board": ("PlanService",),
        "customers": ("CustomerService",),
        "doc_models": ("CustomerProfile", "DocVersion", "Note", "Prd"),
        "markdown": ("prd_markdown",),
        "notes": ("NoteService",),
        "note_search": ("NoteHit",),
        "prd": ("PrdService",),
        "context": ("plan_context", "render_product_prompt", "render_with_context"),
        "flow_layout": ("FlowLayout", "layout_flow"),
        "flow_models": ("Flow", "FlowConnectionInfo", "FlowPageInfo"),
        "flows": ("FlowService",),
        "propose": ("TaskProposal", "TaskProposer", "parse_checklist"),
        "links": ("PlanLinkService",),
        "models": ("Board", "LinkTarget", "PlanCard", "PlanLinkInfo"),
        "rules": ("LIMITS",),
    },
)
