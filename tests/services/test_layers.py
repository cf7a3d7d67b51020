"""The layers of DESIGN.md: services, providers and db never import Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "promptterm"


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
