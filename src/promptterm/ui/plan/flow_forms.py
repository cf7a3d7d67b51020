"""The flow's forms: a page's every field (as the service names them, so a refusal shows
at its field), and the choice of a page to connect to or disconnect from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from promptterm.db.vocab import PLAN_STATUSES
from promptterm.services.plan.flow_rules import LIMITS
from promptterm.ui.common.dialogs.fields import Field

if TYPE_CHECKING:
    import uuid

    from promptterm.services.plan import Flow, FlowPageInfo


def page_fields(page: FlowPageInfo | None, x: int = 0, y: int = 0) -> list[Field]:
    status = page.implementation_status if page else PLAN_STATUSES[0]
    return [
        Field("name", "Name", page.name if page else "", placeholder="e.g. Sign up"),
        Field("implementation_status", "Status", status, choices=PLAN_STATUSES),
        Field(
            "description",
            "Description",
            (page.description or "") if page else "",
            placeholder="what the user does here",
            limit=LIMITS["description"],
        ),
        Field(
            "layout_description",
            "Layout",
            (page.layout_description or "") if page else "",
            placeholder="what is where on the page",
            limit=LIMITS["layout_description"],
        ),
        Field(
            "features",
            "Features",
            ", ".join(page.features) if page else "",
            placeholder="comma-separated, e.g. login form, password reset",
        ),
        Field("x", "Position x", str(page.x if page else x), placeholder="a whole number"),
        Field("y", "Position y", str(page.y if page else y), placeholder="a whole number"),
    ]


def page_changes(
    page: FlowPageInfo, values: dict[str, str]
) -> tuple[dict[str, Any], tuple[str, str] | None]:
    """What the user changed (a blank optional field clears it), and the new place if moved."""
    changes: dict[str, Any] = {}
    if values["name"] != page.name:
        changes["name"] = values["name"]
    if values["implementation_status"] != page.implementation_status:
        changes["implementation_status"] = values["implementation_status"]
    for name in ("description", "layout_description"):
        if values[name] != (getattr(page, name) or ""):
            changes[name] = values[name] or None
    if values["features"] != ", ".join(page.features):
        changes["features"] = values["features"]
    place = None
    if (values["x"].strip(), values["y"].strip()) != (str(page.x), str(page.y)):
        place = (values["x"], values["y"])
    return changes, place


def connect_fields(
    flow: Flow, page: FlowPageInfo, *, leading: bool
) -> tuple[list[Field], dict[str, uuid.UUID]]:
    """A choice of target page: those ``page`` already leads to (``leading``), or the
    others it does not lead to yet. Labels carry the short id: two pages may share a name."""
    already = {c.target_id for c in flow.connections if c.source_id == page.id}
    targets = {
        f"{p.name} · {p.short_id}": p.id
        for p in flow.pages
        if p.id != page.id and (p.id in already) == leading
    }
    field = Field("target", "To page", next(iter(targets), ""), choices=tuple(targets))
    return [field], targets
