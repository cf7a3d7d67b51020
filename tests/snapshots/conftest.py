"""Snapshot tests: baselines go to the top-level snapshots/ folder, not __snapshots__.

pytest-textual-snapshot's ``snap_compare`` asks syrupy for its SVG extension with
``snapshot.use_extension(SVGImageExtension)``; the ``snapshot`` fixture below hands it an
assertion that swaps in the same extension with another folder, so the plugin's own fixture
and its report work unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.base import AbstractSyrupyExtension
from syrupy.location import PyTestLocation

from ui.fixtures import _seeded_world, make_app, sqlite_database, ui_services, world

__all__ = [
    "_seeded_world",
    "make_app",
    "snapshot",
    "sqlite_database",
    "ui_services",
    "world",
]

SNAPSHOTS = Path(__file__).resolve().parents[2] / "snapshots"


class TopLevelSVGExtension(SVGImageExtension):
    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        # snapshots/<test module>/<test name>.svg
        return str(SNAPSHOTS / Path(test_location.filepath).stem)


class TopLevelAssertion(SnapshotAssertion):
    def use_extension(
        self, extension_class: type[AbstractSyrupyExtension] | None = None
    ) -> SnapshotAssertion:
        if extension_class is SVGImageExtension:
            extension_class = TopLevelSVGExtension
        return super().use_extension(extension_class)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return TopLevelAssertion(
        update_snapshots=snapshot.update_snapshots,
        extension_class=snapshot.extension_class,
        test_location=snapshot.test_location,
        session=snapshot.session,
    )
