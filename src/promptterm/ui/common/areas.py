"""The registry of areas: each is a screen (an App mode) reachable by one key and the palette.

A new area is an ``Area`` here and its screen in the App's ``SCREENS`` (the App imports the
areas; nothing here does, or every screen would import every other through this list); the
help screen and the command palette pick it up without further changes. Only areas that
exist are registered: a key that leads to a "coming soon" page would be a broken promise.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Area:
    name: str  # the App mode, the palette prefix ("explorer: ...") and the binding id suffix
    title: str
    key: str  # one key that survives tmux and SSH
    description: str


AREAS: tuple[Area, ...] = (
    Area(
        name="explorer",
        title="Explorer",
        key="1",
        description="Workspaces, projects, files and threads",
    ),
    Area(
        name="editor",
        title="Editor",
        key="2",
        description="Edit the current project's files, with every version kept",
    ),
    Area(
        name="chat",
        title="Chat",
        key="3",
        description="Threads with any model, streaming, with presets and costs",
    ),
    Area(
        name="library",
        title="Library",
        key="4",
        description="Components, presets and modular prompts",
    ),
    Area(
        name="billing",
        title="Billing",
        key="5",
        description="Plan, usage against limits, spend by model, invoices",
    ),
    Area(
        name="plan",
        title="Plan",
        key="6",
        description="The project's board of tasks, bugs and features",
    ),
    Area(
        name="catalog",
        title="Catalog",
        key="7",
        description="Find, review, buy and get prompts others published; publish yours",
    ),
    Area(
        name="mcp",
        title="MCP servers",
        key="8",
        description="MCP servers: health, latency, tools and their cost in context",
    ),
)

DEFAULT_AREA = AREAS[0].name


def area_bindings() -> list[Binding]:
    """Two hidden bindings per area (the help screen and the palette list them): the digit,
    and alt+digit, which also works while typing in an editor or a composer (there a plain
    digit is text). Alt arrives as an escape prefix, which tmux and SSH pass through
    (alt_digits.py makes Textual read it as alt)."""
    bindings: list[Binding] = []
    for area in AREAS:
        action = f"app.switch_mode('{area.name}')"
        description = f"Go to {area.title.lower()}"
        bindings.append(
            Binding(
                area.key,
                action,
                description,
                show=False,
                id=f"app-area-{area.name}",
                tooltip=area.description,
            )
        )
        bindings.append(
            Binding(
                f"alt+{area.key}",
                action,
                f"{description} (also while typing)",
                show=False,
                priority=True,  # before a focused text area takes the digit
                id=f"app-area-{area.name}-alt",
                tooltip=area.description,
            )
        )
    return bindings


def area_of(mode: str) -> Area | None:
    return next((area for area in AREAS if area.name == mode), None)
