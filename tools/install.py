"""Make .venv hold promptterm and exactly the locked versions; do nothing if it already does.

    python3 tools/install.py          # the app
    python3 tools/install.py --test   # the app and the test tools

README's two commands start with this, so a newcomer's first run installs (about half a
minute) and every later run costs a hash of two files. The install goes through
requirements.lock (a pip constraints file, see tools/lock.py), the build backend included:
it is installed from the lock first and the project is built without build isolation, so
not even hatchling can move under us.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
# Inside the venv, so deleting .venv forgets it too.
STAMP = VENV / "promptterm-install.json"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, PYPROJECT):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def build_requirements() -> list[str]:
    """The build backend, and what it needs for an editable install (hatchling asks for
    ``editables`` then), so the project builds without build isolation from locked parts."""
    with PYPROJECT.open("rb") as handle:
        return [*tomllib.load(handle)["build-system"]["requires"], "editables"]


def installed_extras(expected: str) -> set[str]:
    """The extras the last successful install covered, if it installed today's lock."""
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return set()
    if stamp.get("fingerprint") != expected or not (VENV / "bin" / "promptterm").exists():
        return set()
    return set(stamp.get("extras", [])) | {""}


def install(extras: list[str]) -> None:
    python = VENV / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    subprocess.run([*pip, "-c", str(LOCK), *build_requirements()], check=True)
    target = f"{ROOT}[{','.join(extras)}]" if extras else str(ROOT)
    subprocess.run(
        [*pip, "-c", str(LOCK), "--no-build-isolation", "--editable", target], check=True
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", action="store_true", help="also install the test tools")
    args = parser.parse_args(argv)
    extras = ["test"] if args.test else []
    expected = fingerprint()
    if set(extras) <= installed_extras(expected):
        return 0
    print(f"Installing promptterm into {VENV} from {LOCK.name} (later runs skip this)…")
    try:
        install(extras)
    except subprocess.CalledProcessError as exc:
        print(
            f"error: the install failed ({exc.returncode}); see pip's message above",
            file=sys.stderr,
        )
        return 1
    STAMP.write_text(json.dumps({"fingerprint": expected, "extras": extras}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
