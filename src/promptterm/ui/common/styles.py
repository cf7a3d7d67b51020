"""Where the .tcss files are: inside the installed package, or the repository's styles/.

A wheel carries the top-level ``styles/`` as ``promptterm/styles`` (hatch force-include);
an editable install runs from the source tree, where they sit next to ``src/``. Looking in
that order makes both look exactly the same. (Plain paths rather than importlib.resources:
Textual reads stylesheets from files, and a zipped install is not supported anyway.)

Each area's screen and the dialogs name their own file in ``CSS_PATH``, so a stylesheet is
parsed when its screen is first shown, not before the first frame.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

# Every stylesheet, for tests and packaging checks.
STYLE_FILES = (
    "base.tcss",
    "explorer.tcss",
    "modals.tcss",
    "help.tcss",
    "editor.tcss",
    "chat.tcss",
    "library.tcss",
    "billing.tcss",
    "mcp.tcss",
    "catalog.tcss",
    "activity.tcss",
)


class StylesNotFound(RuntimeError):
    """Neither the packaged nor the source-tree styles exist: a broken install."""


@cache
def styles_dir() -> Path:
    package = Path(__file__).resolve().parents[2]  # .../promptterm
    candidates = (package / "styles", package.parents[1] / "styles")
    for candidate in candidates:
        if (candidate / STYLE_FILES[0]).is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise StylesNotFound(f"promptterm's styles are missing (looked in {looked}); reinstall it.")


def css_path(*names: str) -> list[Path]:
    """Paths for a ``CSS_PATH``: ``css_path("modals.tcss")``."""
    folder = styles_dir()
    return [folder / name for name in names]
