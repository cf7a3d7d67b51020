"""`library export` writes and deletes only inside its folder, and deletes only what it
wrote (issue 12, item 5). The symbolic links are built in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from promptterm.services.errors import ServiceError
from promptterm.services.facade import Services

MANIFEST = "promptterm-library.yaml"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.yaml").write_text("someone else's\n", encoding="utf-8")
    return folder


def _manifest(root: Path, files: list[str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"format": "promptterm-library", "version": 1, "files": files})
    (root / MANIFEST).write_text(text, encoding="utf-8")


def test_export_refuses_a_subfolder_that_links_out_and_writes_nothing_there(
    services: Services, tmp_path: Path, outside: Path
) -> None:
    services.presets.create(
        "LinkedIn Pro", role=services.components.create("role", "Marketer", "You sell.").id
    )
    root = tmp_path / "lib"
    root.mkdir()
    (root / "presets").symlink_to(outside, target_is_directory=True)

    with pytest.raises(ServiceError, match=r"presets is a symbolic link to .*outside") as err:
        services.library_io.export_to(root)
    assert "the export folder" in err.value.message
    assert sorted(p.name for p in outside.iterdir()) == ["victim.yaml"]
    assert not (root / "components").exists()  # refused before anything was written


def test_export_never_deletes_through_a_link_a_manifest_names(
    services: Services, tmp_path: Path, outside: Path
) -> None:
    root = tmp_path / "lib"
    _manifest(root, ["presets/victim.yaml"])
    (root / "presets").symlink_to(outside, target_is_directory=True)

    report = services.library_io.export_to(root)
    assert (outside / "victim.yaml").read_text(encoding="utf-8") == "someone else's\n"
    assert report.removed == ()
    assert report.kept == ("presets/victim.yaml",)


def test_export_deletes_only_files_that_still_hold_what_it_wrote(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "lib"
    edited = services.components.create("role", "Edited", "As exported.")
    gone = services.components.create("role", "Gone", "As exported.")
    services.library_io.export_to(root)
    (root / "components" / "role" / "edited.md").write_text("my own words\n", encoding="utf-8")

    services.components.delete(edited.id)
    services.components.delete(gone.id)
    report = services.library_io.export_to(root)
    assert report.removed == ("components/role/gone.md",)
    assert report.kept == ("components/role/edited.md",)
    assert "1 left in place" in report.summary
    assert (root / "components" / "role" / "edited.md").read_text() == "my own words\n"
    assert not (root / "components" / "role" / "gone.md").exists()


def test_a_manifest_cannot_get_a_hand_made_file_deleted(services: Services, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    _manifest(root, ["components/role/mine.md"])  # no record of what an export wrote there
    (root / "components" / "role").mkdir(parents=True)
    (root / "components" / "role" / "mine.md").write_text("hand made\n", encoding="utf-8")

    report = services.library_io.export_to(root)
    assert report.removed == () and report.kept == ("components/role/mine.md",)
    assert (root / "components" / "role" / "mine.md").read_text() == "hand made\n"
