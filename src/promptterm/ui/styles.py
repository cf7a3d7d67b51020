"""Where the .tcss files are: inside the installed package, or the repository's styles/.

A wheel carries the top-level ``styles/`` as ``promptterm/styles`` (hatch force-include);
an editable install runs from the source tree, where they sit next to ``src/``. Looking in
that order makes both look exactly the same.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

# Loaded in this order: later files refine earlier ones.
STYLE_FILES = ("base.tcss", "modals.tcss", "explorer.tcss", "help.tcss")


class StylesNotFound(RuntimeError):
    """Neither the packaged nor the source-tree styles exist: a broken install."""


@cache
def styles_dir() -> Path:
    candidates: list[Path] = []
    try:
        packaged = resources.files("promptterm") / "styles"
        candidates.append(Path(str(packaged)))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - promptterm is importable
        pass
    # src/promptterm/ui/styles.py -> repository root is three levels above the package.
    candidates.append(Path(__file__).resolve().parents[3] / "styles")
    for candidate in candidates:
        if (candidate / STYLE_FILES[0]).is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise StylesNotFound(f"promptterm's styles are missing (looked in {looked}); reinstall it.")


def css_paths() -> list[Path]:
    """Every stylesheet, for ``App.CSS_PATH``."""
    folder = styles_dir()
    return [folder / name for name in STYLE_FILES]
