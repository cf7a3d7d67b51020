"""A PRD as one Markdown document: what the rendered view shows, a version keeps, and an
export writes."""

from __future__ import annotations

from promptterm.services.plan.doc_models import PRD_FIELDS, PRD_TITLES, Prd


def prd_markdown(prd: Prd, title: str | None = None) -> str:
    lines = [f"# {title or 'Product requirements'}", ""]
    parts = [(PRD_TITLES[name], str(getattr(prd, name))) for name in PRD_FIELDS]
    parts += [(s.name, s.content) for s in prd.custom_sections]
    for heading, body in parts:
        lines += [f"## {heading}", "", body.strip() or "_Not written yet._", ""]
    return "\n".join(lines).rstrip() + "\n"
