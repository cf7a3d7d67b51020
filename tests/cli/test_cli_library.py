"""The library from scripts: components with versions, presets, prompts rendered with
variables and options, and library export/import, each with --json."""

from __future__ import annotations

from pathlib import Path

import pytest

from promptterm.services.context import SequentialIds
from promptterm.services.facade import Services
from support.cli_in_process import run, run_json
from support.cli_process import MigratedSqlite


def test_component_show_versions_diff_and_restore(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    run(capsys, url, "component", "add", "role", "Writer", "-c", "You write.\nClearly.")
    run(capsys, url, "component", "edit", "Writer", "-c", "You write.\nBriefly.")
    run(capsys, url, "component", "edit", "Writer", "--name", "Author", "-d", "renamed")

    code, out, _ = run(capsys, url, "component", "show", "Author")
    assert code == 0 and out == "# role: Author\n# renamed\nYou write.\nBriefly.\n"

    versions = run_json(capsys, url, "component", "versions", "Author")
    assert [(v["version"], v["name"]) for v in versions] == [
        (None, "Author"),
        (2, "Writer"),
        (1, "Writer"),
    ]
    code, out, _ = run(capsys, url, "component", "versions", "Author")
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["current", "v2", "v1"]

    code, out, _ = run(capsys, url, "component", "diff", "Author", "1")
    assert code == 0
    assert out.splitlines() == [
        "--- Writer (v1)",
        "+++ Author (current)",
        "@@ -1,2 +1,2 @@",
        " You write.",
        "-Clearly.",
        "+Briefly.",
    ]
    assert run(capsys, url, "component", "diff", "Author", "v2", "current")[1] == (
        "(same content)\n"
    )

    restored = run_json(capsys, url, "component", "restore", "Author", "v1")
    assert (restored["name"], restored["content"]) == ("Writer", "You write.\nClearly.")
    assert len(run_json(capsys, url, "component", "versions", "Writer")) == 4

    code, _, err = run(capsys, url, "component", "restore", "Writer", "9")
    assert code == 1 and "has no version 9; it has v1 to v3 and the current one" in err
    code, _, err = run(capsys, url, "component", "diff", "Writer", "latest")
    assert code == 1 and "'latest' is not a version" in err


def test_preset_edit_and_rm(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run(capsys, url, "component", "add", "role", "Writer", "-c", "You write.")
    run(capsys, url, "component", "add", "mode", "Fast", "-c", "Be quick.")
    run(capsys, url, "component", "add", "mode", "Slow", "-c", "Take your time.")
    run(capsys, url, "preset", "add", "Daily", "--role", "Writer", "--mode", "Fast")

    edited = run_json(capsys, url, "preset", "edit", "Daily", "--name", "Weekly", "--mode", "Slow")
    assert edited["name"] == "Weekly" and edited["mode"]["name"] == "Slow"
    cleared = run_json(capsys, url, "preset", "edit", "Weekly", "--clear", "mode")
    assert cleared["mode"] is None and cleared["is_incomplete"] is False
    code, _, err = run(capsys, url, "preset", "edit", "Weekly", "--clear", "role")
    assert code == 1 and "at least one component" in err
    code, _, err = run(capsys, url, "preset", "edit", "Weekly", "--mode", "Fast", "--clear", "mode")
    assert code == 1 and "not both" in err

    assert run_json(capsys, url, "preset", "rm", "Weekly") == {"deleted": "Weekly"}
    assert run_json(capsys, url, "preset", "list") == []
    # Its components stay.
    assert len(run_json(capsys, url, "component", "list")) == 3


@pytest.fixture
def prompt_db(url: str) -> str:
    services = Services.open(url, new_id=SequentialIds())
    try:
        p = services.prompts
        folder = p.create_folder("Work")
        post = p.create("Blog post", folder_id=folder.id)
        p.define_variable(post.id, "topic", "text", required=True)
        p.define_variable(post.id, "paragraphs", "number", min=1, max=5, default=2)
        p.add_module(post.id, "Intro", ["Write about {{topic}}.", "Write a story on {{topic}}."])
        p.add_module(post.id, "Length", ["Use {{paragraphs}} paragraphs."])
    finally:
        services.close()
    return url


def test_prompt_list_show_and_render(capsys: pytest.CaptureFixture[str], prompt_db: str) -> None:
    url = prompt_db
    [listed] = run_json(capsys, url, "prompt", "list")
    assert listed["name"] == "Blog post" and len(listed["modules"]) == 2
    code, out, _ = run(capsys, url, "prompt", "list", "--folder", "Work")
    assert "Blog post" in out and "topic, paragraphs" in out

    code, out, _ = run(capsys, url, "prompt", "show", "Blog post")
    assert "{{topic}}  text, required" in out and "{{paragraphs}}  number, optional, 1..5" in out
    assert " * 1. Option 1: Write about {{topic}}." in out

    code, out, _ = run(capsys, url, "prompt", "render", "Blog post", "--var", "topic=tea")
    assert code == 0 and out == "Write about tea.\n\nUse 2 paragraphs.\n"
    rendered = run_json(
        capsys,
        url,
        "prompt",
        "render",
        "Blog post",
        "--var",
        "topic=green tea",
        "--var",
        "paragraphs=3",
        "--option",
        "Intro=2",
    )
    assert rendered["text"] == "Write a story on green tea.\n\nUse 3 paragraphs."
    by_name = run_json(
        capsys,
        url,
        "prompt",
        "render",
        "Blog post",
        "--var",
        "topic=x",
        "--option",
        "Intro=Option 1",
        "--folder",
        "Work",
    )
    assert by_name["text"].startswith("Write about x.")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "Fill in the required variable: topic."),
        (("--var", "topic=x", "--var", "paragraphs=9"), "paragraphs must be at most 5; got 9."),
        (("--var", "topic"), "--var takes NAME=VALUE; got 'topic'."),
        (("--var", "topic=x", "--var", "colour=red"), "Unknown variable colour"),
        (("--var", "topic=x", "--option", "Outro=1"), "has no module 'Outro'"),
        (("--var", "topic=x", "--option", "Intro=3"), "number from 1 to 2"),
    ],
)
def test_render_names_what_is_wrong(
    capsys: pytest.CaptureFixture[str], prompt_db: str, argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, prompt_db, "prompt", "render", "Blog post", *argv)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err


def test_library_export_and_import(
    capsys: pytest.CaptureFixture[str],
    prompt_db: str,
    tmp_path: Path,
    migrated_sqlite: MigratedSqlite,
) -> None:
    url = prompt_db
    run(capsys, url, "component", "add", "role", "Writer", "-c", "You write.")
    run(capsys, url, "preset", "add", "Daily", "--role", "Writer")
    exported = run_json(capsys, url, "library", "export", str(tmp_path / "lib"))
    assert (exported["components"], exported["presets"], exported["prompts"]) == (1, 1, 1)
    assert "promptterm-library.yaml" in exported["written"]
    code, out, _ = run(capsys, url, "library", "export", str(tmp_path / "lib"))
    assert code == 0 and "0 files written, 4 unchanged" in out

    other = migrated_sqlite(tmp_path / "other.db")
    imported = run_json(capsys, other, "library", "import", str(tmp_path / "lib"))
    assert imported["ok"] is True
    assert imported["summary"] == "4 created, 0 updated, 0 unchanged"
    code, out, _ = run(capsys, other, "library", "import", str(tmp_path / "lib"))
    assert code == 0 and "0 created, 0 updated, 3 unchanged" in out

    # A conflict: reported by name, exit status 1, fixed with --replace.
    role = tmp_path / "lib" / "components" / "role" / "writer.md"
    role.write_text(role.read_text().replace("You write.", "You write well."))
    code, out, _ = run(capsys, other, "library", "import", str(tmp_path / "lib"))
    assert code == 1
    assert "! role 'Writer' (components/role/writer.md): its content differs" in out
    assert "import again with --replace" in out
    code, out, _ = run(capsys, other, "library", "import", str(tmp_path / "lib"), "--replace")
    assert code == 0 and "~ role 'Writer'" in out
    assert len(run_json(capsys, other, "component", "versions", "Writer")) == 2


def test_library_import_of_fabric_and_llm_folders(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    (tmp_path / "patterns" / "summarize").mkdir(parents=True)
    (tmp_path / "patterns" / "summarize" / "system.md").write_text("You summarize.")
    report = run_json(capsys, url, "library", "import", str(tmp_path / "patterns"), "--fabric")
    assert [(i["kind"], i["name"]) for i in report["created"]] == [("role", "summarize")]

    (tmp_path / "t.yaml").write_text("prompt: Summarize $input\n")
    report = run_json(capsys, url, "library", "import", str(tmp_path / "t.yaml"), "--llm")
    assert [(i["kind"], i["name"]) for i in report["created"]] == [
        ("folder", "llm"),
        ("prompt", "t"),
    ]
    code, out, _ = run(capsys, url, "prompt", "render", "t", "--var", "input=this")
    assert out == "Summarize this\n"

    code, _, err = run(capsys, url, "library", "import", str(tmp_path / "nowhere"))
    assert code == 1 and "There is no folder" in err
