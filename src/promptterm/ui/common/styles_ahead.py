"""The stylesheet sources an area's first open parses, found while the user is elsewhere.

An area's first open reads its screen's files (``CSS_PATH``) and the default CSS of every
widget class it builds for the first time; parsing them was a good part of that open. The
widget classes an area builds are the ones its modules name, so those are taken from its
imported modules, and each source is described exactly as Textual adds it to the App's
stylesheet (so that ``ParsedOnceStylesheet`` finds it under the same key).
"""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path
from types import SimpleNamespace

from textual._path import _css_path_type_as_list
from textual.dom import DOMNode
from textual.screen import Screen

from promptterm.ui.common.parsed_styles import Source


def area_sources(package: str) -> list[Source]:
    """What opening the area of ``package`` (e.g. ``promptterm.ui.plan``) parses: its
    screens' files and the default CSS of each widget class its imported modules name."""
    classes: dict[str, type[DOMNode]] = {}
    for name, module in list(sys.modules.items()):  # (a copy: other threads import)
        if module is None or not (name == package or name.startswith(f"{package}.")):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, type) and issubclass(value, DOMNode):
                classes[f"{value.__module__}.{value.__qualname__}"] = value
    sources: dict[tuple[str, str], Source] = {}
    for _, cls in sorted(classes.items()):
        if issubclass(cls, Screen):
            for source in _screen_files(cls):
                sources.setdefault(source.read_from, source)
        for source in default_css(cls):
            sources.setdefault(source.read_from, source)
    return list(sources.values())


def default_css(cls: type[DOMNode]) -> list[Source]:
    """The default CSS a widget of class ``cls`` adds when it is first mounted, as Textual's
    own ``_get_default_css`` describes it (it needs only the class's CSS bases)."""
    bases = SimpleNamespace(_node_bases=DOMNode._css_bases(cls))
    return [
        Source(css, read_from, True, tie_breaker, scope)
        for read_from, css, tie_breaker, scope in DOMNode._get_default_css(bases)  # type: ignore[arg-type]
    ]


def _screen_files(cls: type[Screen]) -> list[Source]:
    """A screen's ``CSS_PATH`` files, keyed as ``Stylesheet.read`` keys them."""
    sources: list[Source] = []
    if cls.CSS_PATH is None:
        return sources
    for entry in _css_path_type_as_list(cls.CSS_PATH):
        path = Path(entry)
        if not path.is_absolute():  # (as Textual resolves it: next to the screen's module)
            path = (Path(inspect.getfile(cls)).parent / path).resolve()
        try:
            css = path.read_text(encoding="utf-8")
        except OSError:
            continue  # the open itself says it is missing
        sources.append(Source(css, (os.path.abspath(path), ""), False, 0, ""))
    return sources
