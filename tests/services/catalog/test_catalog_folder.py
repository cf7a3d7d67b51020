"""A catalog shared through a folder between two SQLite databases: free items only, added
from a read-only folder, updated (not duplicated) when added again, links leading out of
the folder refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from promptterm.db.engine import create_database
from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from support.clock import FixedClock


def _open(path: Path, clock: FixedClock, first: int) -> Services:
    return Services.for_database(
        create_database(f"sqlite:///{path}"), clock=clock, new_id=SequentialIds(first)
    )


def test_a_folder_carries_free_items_to_another_database(tmp_path: Path, clock: FixedClock) -> None:
    alice = _open(tmp_path / "alice.db", clock, 1)
    bob = _open(tmp_path / "bob.db", clock, 5000)
    shared = tmp_path / "shared"
    try:
        alice.components.create("role", "Helper", "Help kindly.\nBe brief.")
        alice.catalog.publish("component", "Helper", title="Helper", tags=["kind"])
        alice.sellers.set_profile("alice")
        application = alice.sellers.apply(name="A", email="a@example.com")
        alice.sellers.decide(application.id, approve=True)  # the local user is the admin
        alice.components.create("role", "Paid", "secret")
        alice.catalog.publish("component", "Paid", title="Paid", price=100)
        report = alice.catalog_folder.export_to(shared)
        assert len(report.written) == 1 and report.skipped == [
            "Paid (priced: only free published items)"
        ]
        assert "secret" not in "".join(p.read_text() for p in shared.iterdir())

        (tmp_path / "outside.catalog.json").write_text("{}")
        os.symlink(tmp_path / "outside.catalog.json", shared / "escape.catalog.json")
        shared.chmod(stat.S_IRUSR | stat.S_IXUSR)  # read-only, as a shared drive may be
        added = bob.catalog_folder.add_from(shared)
        assert added.added == ["Helper"]
        assert any("escape.catalog.json" in s and "outside" in s for s in added.skipped)
        [item] = bob.catalog.search("helper")
        assert (item.seller, item.tags) == ("alice", ("kind",))
        bob.catalog.get(item.id)
        assert [c.content for c in bob.components.list()] == ["Help kindly.\nBe brief."]

        shared.chmod(stat.S_IRWXU)
        alice.components.update(alice.components.find("Helper").id, content="Help, v2.")
        alice.catalog.publish("component", "Helper", title="Helper", tags=["kind"])
        alice.catalog_folder.export_to(shared)
        again = bob.catalog_folder.add_from(shared)
        assert (again.added, again.updated) == ([], ["Helper"])
        assert [i.version for i in bob.catalog.search("helper")] == [2]
        bob.catalog.get(item.id)
        assert [c.content for c in bob.components.list()] == ["Help, v2."]
    finally:
        shared.chmod(stat.S_IRWXU)
        alice.close()
        bob.close()
