"""promptterm installed the way Python tools are: the wheel built from this tree and
installed with pip in a fresh venv, and ``uv tool install .`` (pipx does what pip does
here: a venv of its own, the wheel, its dependencies). Each runs from another folder with
no source tree on ``sys.path``, so the wheel must carry the stylesheets, the migrations
and the config template.

Marked ``wheel``: they need the package index and take ~30 s together, so
``-m "not wheel"`` leaves them out of a quick run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from promptterm import __version__

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.wheel
# From the test extra, at the lock's version.
UV = Path(sys.executable).with_name("uv")


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a hang, not a slow index
        check=False,
    )
    assert result.returncode == 0, f"{argv}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def uv_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """uv on its own: a cache both tests share, no user config, no downloaded Pythons."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "VIRTUAL_ENV"))}
    env.update(
        UV_CACHE_DIR=str(tmp_path_factory.mktemp("uv-cache")),
        UV_NO_CONFIG="1",
        UV_PYTHON_DOWNLOADS="never",
    )
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The build backend comes from the lock (tools/install.py puts it in .venv), so no
    # isolation: nothing is downloaded to build.
    out = tmp_path_factory.mktemp("dist")
    run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--quiet", "--wheel-dir", out, ROOT, cwd=out,
    )  # fmt: skip
    (built,) = out.glob("promptterm-*.whl")
    return built


def test_the_wheel_carries_styles_migrations_and_the_config_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    styles = {f"promptterm/styles/{p.name}" for p in (ROOT / "styles").glob("*.tcss")}
    migrations = {
        f"promptterm/db/migrations/versions/{p.name}"
        for p in (ROOT / "src/promptterm/db/migrations/versions").glob("*.py")
    }
    assert styles and migrations
    assert styles | migrations <= names
    assert "promptterm/db/migrations/script.py.mako" in names
    assert "promptterm/cli/config_template.toml" in names
    entry_points = zipfile.ZipFile(wheel).read(
        f"promptterm-{__version__}.dist-info/entry_points.txt"
    )
    assert b"promptterm = promptterm.cli.main:main" in entry_points


def test_the_wheel_installs_in_a_clean_venv_and_runs(
    wheel: Path, tmp_path: Path, uv_env: dict[str, str]
) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    # The wheel and its dependencies, at the versions the suite runs with. uv's installer
    # (pip's, with a shared cache) is what keeps this test to seconds.
    run(
        UV, "pip", "install", "--quiet", "--python", python,
        "--constraints", ROOT / "requirements.lock", wheel, cwd=tmp_path, env=uv_env,
    )  # fmt: skip
    check_installed(venv / "bin" / "promptterm", python, venv, tmp_path)


def test_uv_tool_install_works(tmp_path: Path, uv_env: dict[str, str]) -> None:
    tools, bin_dir = tmp_path / "tools", tmp_path / "bin"
    env = {**uv_env, "UV_TOOL_DIR": str(tools), "UV_TOOL_BIN_DIR": str(bin_dir)}
    lock = ROOT / "requirements.lock"
    run(
        UV, "tool", "install", "--quiet", "--python", sys.executable,
        "--constraints", lock, "--build-constraints", lock, ROOT, cwd=tmp_path, env=env,
    )  # fmt: skip
    venv = tools / "promptterm"
    check_installed(bin_dir / "promptterm", venv / "bin" / "python", venv, tmp_path)


def check_installed(promptterm: Path, python: Path, venv: Path, tmp_path: Path) -> None:
    """The installed command works from another folder, all from ``venv``."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PROMPTTERM"))}
    env.update(
        PROMPTTERM_CONFIG_DIR=str(tmp_path / "config"),
        PROMPTTERM_DATA_DIR=str(tmp_path / "data"),
        EDITOR="true",
    )
    assert run(promptterm, "--version", cwd=elsewhere, env=env) == f"promptterm {__version__}\n"
    assert "(newest)" in run(promptterm, "db", "upgrade", cwd=elsewhere, env=env)
    assert (tmp_path / "data" / "promptterm.db").is_file()
    run(promptterm, "config", "edit", cwd=elsewhere, env=env)
    assert "# promptterm's settings." in (tmp_path / "config" / "config.toml").read_text()
    assert "_promptterm()" in run(promptterm, "completion", "bash", cwd=elsewhere, env=env)

    # Everything came from the venv: the package, and the stylesheets the app reads.
    where = run(
        python, "-c",
        "import sys, promptterm\n"
        "from promptterm.ui.common.styles import styles_dir\n"
        "print(promptterm.__file__); print(styles_dir()); print(*sys.path, sep='\\n')",
        cwd=elsewhere, env=env,
    ).splitlines()  # fmt: skip
    package, styles, *path = where
    assert Path(package).is_relative_to(venv) and Path(styles).is_relative_to(venv)
    assert (Path(styles) / "base.tcss").is_file()
    assert not [p for p in path if p and Path(p).resolve().is_relative_to(ROOT)]
