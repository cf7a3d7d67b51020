"""Lazy package faces (PEP 562): a domain's ``__init__`` names what it exports and where.

Importing a face imports none of its modules; the first use of a name imports the one module
that defines it. So ``from promptterm.services.billing import check_room_for`` costs what
importing ``billing.limits`` costs, and a command that needs one domain loads only what it
touches (start-up follows what the user asked for, not the size of the product).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``, from ``{module: names}``
    (module relative to the package)."""
    home = {name: f"{package}.{module}" for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = home.get(name)
        if module is None:
            # Not an export: the import system then looks for a submodule of that name.
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # the next use skips this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(home))

    return __getattr__, __dir__, sorted(home)
