"""A key for what a widget's styles and its ancestors' give (its background, its base
style, its opacity), cheaper than working any of them out.

Textual counts every change to a node's styles (its CSS rules, inline styles, an animation
step: ``RenderStyles._cache_key`` only grows), and the background and style a widget is drawn
with come from the styles of the nodes above it. So the counts of the widget and its
ancestors change whenever those could. Working out the style itself walks the same nodes
doing colour arithmetic at each one: about ten times the cost, and a streaming answer asked
for it on every draw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget


def styles_key(widget: Widget) -> tuple[int, ...]:
    """Changes when the styles of ``widget`` or of any node above it change."""
    return tuple([node.styles._cache_key for node in widget.ancestors_with_self])
