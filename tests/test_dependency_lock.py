"""requirements.lock agrees with pyproject.toml, and this environment is the one it locks.

A newcomer and CI install through the lock (tools/install.py); these fail when someone widens a
range in pyproject.toml without refreshing the lock, or when the suite runs on packages the
lock does not name.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def locked() -> dict[NormalizedName, Version]:
    pins: dict[NormalizedName, Version] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"requirements.lock pins exact versions only, not {line!r}"
        key = canonicalize_name(name)
        assert key not in pins, f"{name} is pinned twice in requirements.lock"
        pins[key] = Version(version)
    return pins


def declared() -> Iterator[Requirement]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)
    for text in project["build-system"]["requires"]:
        yield Requirement(text)
    for text in project["project"]["dependencies"]:
        yield Requirement(text)
    for extra in project["project"]["optional-dependencies"].values():
        for text in extra:
            yield Requirement(text)


def applies(requirement: Requirement, extra: str = "") -> bool:
    return requirement.marker is None or requirement.marker.evaluate({"extra": extra})


def test_every_declared_requirement_is_pinned_within_its_range() -> None:
    pins = locked()
    for requirement in declared():
        if not applies(requirement):
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"{requirement.name} is in pyproject.toml but not in requirements.lock: "
            "run python3 tools/lock.py"
        )
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {requirement.name}=={pins[name]}, outside pyproject's "
            f"{requirement}: run python3 tools/lock.py"
        )


def test_this_environment_holds_exactly_the_locked_versions() -> None:
    """Everything promptterm[test] pulls in, transitively, is locked and installed as locked."""
    pins = locked()
    todo: list[tuple[str, str]] = [("promptterm", "test")]
    seen: set[tuple[str, str]] = set()
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        dist = metadata.distribution(name)
        key = canonicalize_name(name)
        if key != "promptterm":
            assert key in pins, f"{name} is installed as a dependency but not locked"
            assert Version(dist.version) == pins[key], (
                f"{name} {dist.version} is installed, the lock says {pins[key]}: "
                "install with python3 tools/install.py --test"
            )
        for text in dist.requires or []:
            requirement = Requirement(text)
            if applies(requirement, extra):
                todo.extend((requirement.name, e) for e in requirement.extras or {""})
                todo.append((requirement.name, ""))
    assert len(seen) > 20  # the walk really followed the dependency tree
