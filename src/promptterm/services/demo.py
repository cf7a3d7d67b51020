"""The demo workspace: seed 003's sample components, presets and chat, to look around in.

Idempotent: everything is looked up before it is created, so loading twice (or again after a
failure half-way, such as a plan limit) completes what is missing and duplicates nothing.
Fits the free plan: 2 projects, 4 components, 2 presets.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from promptterm.services.errors import Conflict, NotFound
from promptterm.services.workspaces import WorkspaceInfo

if TYPE_CHECKING:
    import uuid

    from promptterm.services.facade import Services

DEMO_NAME = "Demo"
DEMO_SLUG = "demo"
DEMO_DESCRIPTION = "Sample projects, prompt components, presets and a chat. Delete it any time."


@dataclass(frozen=True)
class DemoProject:
    slug: str
    name: str
    language: str | None
    framework: str | None
    visibility: str
    description: str
    files: tuple[tuple[str, str], ...]


PROJECTS = (
    DemoProject(
        "linkedin-campaign",
        "LinkedIn Campaign",
        "Markdown",
        None,
        "team",
        "Posts for the spring product launch, written with the LinkedIn Pro preset.",
        (
            ("brief.md", "# Launch brief\n\nAudience: B2B founders and heads of product.\n"),
            ("posts/launch.md", "# Launch post\n\nDraft: We shipped the thing you asked for.\n"),
        ),
    ),
    DemoProject(
        "landing-page",
        "Landing Page",
        "TypeScript",
        "Next.js",
        "private",
        "The marketing site for TechCorp's SaaS product.",
        (
            (
                "src/app/page.tsx",
                "export default function Page() {\n  return <h1>TechCorp</h1>;\n}\n",
            ),
        ),
    ),
)

# Seed 003's example components. The seed gives the Marketing Expert text in full and the
# others only as openings ("Use professional, concise language..."); these finish them.
COMPONENTS = (
    (
        "role",
        "Marketing Expert",
        "You are an experienced Social Media Marketing Expert with specialization on LinkedIn "
        "and Instagram. You know current trends, best practices for engagement, and understand "
        "platform algorithms. You give concrete, actionable recommendations.",
        "For LinkedIn and Instagram content creation",
        ["marketing", "social-media", "linkedin"],
    ),
    (
        "style",
        "Professional B2B",
        "Use professional, concise language. Address decision makers directly, lead with the "
        "business outcome, avoid hype and jargon, and keep paragraphs to two sentences.",
        "A clear, businesslike voice for B2B audiences",
        ["tone", "b2b"],
    ),
    (
        "context",
        "Tech Startup",
        "Company: TechCorp, Product: SaaS for product teams to plan releases. Audience: founders "
        "and heads of product at 10-200 person software companies.",
        "Who we are and who we talk to",
        ["company"],
    ),
    (
        "mode",
        "Ship Mode",
        "Focus on execution, concrete steps and deadlines. Prefer a short numbered plan over "
        "discussion, and end with the single next action.",
        "Bias to action",
        ["productivity"],
    ),
)

PRESETS = (
    (
        "LinkedIn Pro",
        "For professional LinkedIn content creation",
        ("role", "style", "context", "mode"),
    ),
    ("Quick Expert", "Fast expert mode without context", ("role", "mode")),
)

THREAD_TITLE = "LinkedIn post ideas"
MESSAGES = (
    ("user", "Give me three LinkedIn post ideas for our spring release.", 0, 0),
    (
        "assistant",
        "1. Before/after: one release plan, two weeks apart.\n"
        "2. A customer's launch day in five screenshots.\n"
        "3. The one metric we stopped tracking, and why.\n\n"
        "Next action: pick one and draft it today.",
        410,
        840,
    ),
)


def _workspace(services: Services) -> WorkspaceInfo:
    for ws in services.workspaces.list():
        if ws.name == DEMO_NAME and ws.slug.startswith(DEMO_SLUG) and ws.role == "owner":
            return ws
    # Slugs are unique across the server; in team mode someone else may have "demo".
    for suffix in ("", *(f"-{n}" for n in range(2, 10))):
        try:
            return services.workspaces.create(
                DEMO_NAME, slug=f"{DEMO_SLUG}{suffix}", description=DEMO_DESCRIPTION
            )
        except Conflict:
            continue
    raise Conflict("Could not find a free slug for the demo workspace; rename a 'demo' one.")


def _components(services: Services) -> dict[str, uuid.UUID]:
    ids: dict[str, uuid.UUID] = {}
    for kind, name, content, description, tags in COMPONENTS:
        try:
            ids[kind] = services.components.find(name, type=kind).id
        except NotFound:
            ids[kind] = services.components.create(kind, name, content, description, tags).id
    return ids


def _presets(services: Services, parts: dict[str, uuid.UUID]) -> uuid.UUID:
    first: uuid.UUID | None = None
    for name, description, slots in PRESETS:
        try:
            preset_id = services.presets.find(name).id
        except NotFound:
            chosen = {slot: parts[slot] for slot in slots}
            preset_id = services.presets.create(name, description=description, **chosen).id
        first = first or preset_id
    assert first is not None
    return first


def load_demo(services: Services) -> WorkspaceInfo:
    """Create (or complete) the demo workspace for the acting user and return it."""
    ws = _workspace(services)
    existing = {p.slug: p for p in services.projects.list(ws.id)}
    project_ids: list[uuid.UUID] = []
    for spec in PROJECTS:
        project = existing.get(spec.slug) or services.projects.create(
            ws.id,
            spec.name,
            slug=spec.slug,
            description=spec.description,
            language=spec.language,
            framework=spec.framework,
            visibility=spec.visibility,
        )
        project_ids.append(project.id)
        paths = {f.path for f in services.files.list_files(project.id, include_deleted=True)}
        for path, text in spec.files:
            if path not in paths:
                services.files.create(project.id, path, text, "Demo content")
    preset_id = _presets(services, _components(services))
    campaign = project_ids[0]
    threads = services.chat.list_threads(project_id=campaign)
    if not any(t.title == THREAD_TITLE for t in threads):
        thread = services.chat.create_thread(
            project_id=campaign,
            title=THREAD_TITLE,
            preset_id=preset_id,
            provider="anthropic",
            model="claude-sonnet-4-5",
        )
        for role, content, tokens_in, tokens_out in MESSAGES:
            cost = Decimal("0.0139") if tokens_out else None
            services.chat.add_message(
                thread.id,
                role,
                content,
                tokens_in=tokens_in or None,
                tokens_out=tokens_out or None,
                provider="anthropic" if role == "assistant" else None,
                model="claude-sonnet-4-5" if role == "assistant" else None,
                cost_usd=cost,
            )
    return services.workspaces.get(ws.id)
