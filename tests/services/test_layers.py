"""The layers of docs/architecture.md: imports only point down.

- services, providers and db never import Textual; the UI never talks SQL or HTTP;
- nothing in ui/ imports the App (the App imports the areas); ui/common imports no area, and
  no area imports another;
- a services domain uses another domain only through its package face
  (``promptterm.services.chat``, never ``promptterm.services.chat.send``), and a face imports
  none of its modules until a name is used;
- no import cycle crosses a package boundary (``python tests/services/import_graph.py``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from services.import_graph import PACKAGE, all_imports, cycles, describe, unit, unit_graph

SRC = PACKAGE
SERVICES = SRC / "services"
DOMAINS = sorted(p.name for p in SERVICES.iterdir() if (p / "__init__.py").is_file())
# What every domain shares stays at services/ top; the rest has a domain of its own.
# (path_guard, on main since: files and the library's export both write through it.)
SHARED = {"__init__", "context", "demo", "errors", "faces", "facade", "tokens", "validation"}
SHARED |= {"path_guard", "hints", "words"}


def test_the_service_layer_imports_without_textual() -> None:
    code = (
        "import sys, promptterm.services.facade, promptterm.db.migrate, promptterm.cli.main;"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_no_lower_layer_module_mentions_textual() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for layer in ("services", "db", "providers")
        for path in (SRC / layer).rglob("*.py")
        if any(
            line.lstrip().startswith(("import textual", "from textual"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_the_ui_never_talks_sql_or_http() -> None:
    ui = [SRC / "app.py", *(SRC / "ui").rglob("*.py")]
    offenders = [
        str(path.relative_to(SRC))
        for path in ui
        if path.exists()
        and any(
            line.lstrip().startswith(
                (
                    "import sqlalchemy",
                    "from sqlalchemy",
                    "import sqlmodel",
                    "from sqlmodel",
                    "import httpx",
                    "from httpx",
                )
            )
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_the_command_line_parses_without_loading_the_database_layer() -> None:
    # `promptterm` draws its first frame before SQLAlchemy is imported (it is slower to import
    # than Textual is to draw); the parser, settings and pre-check must stay that light.
    code = (
        "import sys; from promptterm.cli.main import build_parser;"
        "from promptterm.config import load_settings; from promptterm.db.precheck import precheck;"
        "build_parser(); load_settings(); precheck('sqlite:////tmp/promptterm-precheck.db');"
        "heavy = ('sqlalchemy', 'sqlmodel', 'alembic', 'httpx', 'keyring', 'pygments');"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# -- packages and their faces -------------------------------------------------------------------


def test_nothing_in_the_ui_imports_the_app() -> None:
    offenders = [
        f"{imp.importer} line {imp.line}"
        for imp in all_imports()
        if imp.importer.startswith("promptterm.ui.") and imp.imported == "promptterm.app"
    ]
    assert offenders == []


def test_ui_common_imports_no_area_and_no_area_imports_another() -> None:
    offenders = []
    for imp in all_imports():
        a, b = unit(imp.importer), unit(imp.imported)
        if a == b or not (a.startswith("promptterm.ui.") and b.startswith("promptterm.ui.")):
            continue
        if b != "promptterm.ui.common" and not b.startswith("promptterm.ui.common."):
            offenders.append(f"{imp.importer} line {imp.line} imports {imp.imported}")
    assert offenders == []


def test_a_domain_uses_another_only_through_its_face() -> None:
    offenders = []
    for imp in all_imports():
        if not imp.importer.startswith("promptterm.services."):
            continue
        parts = imp.imported.split(".")
        if len(parts) < 4 or parts[1] != "services" or parts[2] not in DOMAINS:
            continue  # not inside a domain: a face, or a shared module
        if unit(imp.importer) != unit(imp.imported):
            face = ".".join(parts[:3])
            offenders.append(f"{imp.importer} line {imp.line}: {imp.imported} (use {face})")
    assert offenders == []


def test_services_top_holds_only_what_every_domain_shares() -> None:
    top = {path.stem for path in SERVICES.glob("*.py")}
    assert top <= SHARED, f"give these a domain: {sorted(top - SHARED)}"
    assert set(DOMAINS) >= {"billing", "chat", "files", "library", "workspaces"}


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_face_imports_nothing_until_a_name_is_used(domain: str) -> None:
    code = (
        f"import sys, promptterm.services.{domain};"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('promptterm.'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.strip().split(","))
    assert loaded == {
        "promptterm.services",
        "promptterm.services.faces",
        f"promptterm.services.{domain}",
    }


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_face_lists_for_type_checkers_what_it_exports(domain: str) -> None:
    """The TYPE_CHECKING imports (what a type checker reads) and the lazy table agree, and
    every exported name is really there."""
    face = __import__(f"promptterm.services.{domain}", fromlist=["__all__"])
    tree = ast.parse((SERVICES / domain / "__init__.py").read_text(encoding="utf-8"))
    for_checkers: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                for alias in stmt.names:
                    for_checkers[alias.asname or alias.name] = stmt.module or ""
    assert sorted(for_checkers) == face.__all__
    for name, module in for_checkers.items():
        assert getattr(face, name) is getattr(__import__(module, fromlist=[name]), name)


def test_no_import_cycle_crosses_a_package_boundary() -> None:
    graph = unit_graph(all_imports())
    assert [describe(group, graph) for group in cycles(graph)] == []


def test_the_import_graph_sees_the_whole_package() -> None:
    # A guard for the checks above: they would pass vacuously on an empty graph.
    graph = unit_graph(all_imports())
    assert "promptterm.services.chat" in graph["promptterm.services.facade"]
    assert "promptterm.ui.common" in graph["promptterm.ui.chat"]
    assert Path(SRC / "app.py").is_file()
