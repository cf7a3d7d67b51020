"""Library files: export to plain files, import them back (round trip, idempotence, conflicts
by name), Fabric patterns and llm templates, plan limits, and bad files reported, not fatal."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import yaml

from promptterm.services.errors import NotFound, ValidationError
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.clock import FixedClock


def _bob(services: Services, clock: FixedClock) -> Services:
    user = create_user(services.ctx.db, "Bob", "bob@example.com", clock(), uuid.uuid4())
    return services.as_user(user.id)


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _rich_library(services: Services) -> None:
    """Everything a library can hold, including the awkward cases of each format."""
    c = services.components
    role = c.create("role", "Marketing Expert", "You are a marketer.", "For LinkedIn", ["b2b"])
    c.create("role", "Marketing: expert!", "Same slug as the one above.")
    style = c.create("style", "Terse", "Be brief.\n\n---\n\nA line of dashes above.  \nEnd")
    c.create("context", "Ünïcode 名前", "Text with tabs\tand “quotes”: yes, no, 1.0, null")
    mode = c.create("mode", "yes", "A name YAML would read as true.", description="on")
    c.update(role.id, content="You are an experienced marketer.")  # versions are not exported
    services.presets.create("LinkedIn Pro", description="Posts", role=role.id, style=style.id)
    services.presets.create("Just a mode", mode=mode.id)

    p = services.prompts
    work = p.create_folder("Work")
    p.create_folder("Empty folder")
    post = p.create("Blog post", description="A post", folder_id=work.id)
    p.define_variable(post.id, "topic", "text", required=True, label="Topic")
    p.define_variable(post.id, "body", "multiline", default="line one\nline two")
    p.define_variable(post.id, "length", "number", min=1, max=10, default=5)
    p.define_variable(post.id, "draft", "boolean", default=False)
    p.define_variable(post.id, "tone", "choice", choices=["calm", "loud"], default="calm")
    intro = p.add_module(
        post.id, "Intro", ["Write about {{topic}}.", "A {{tone}} post on {{topic}}."]
    )
    p.add_module(post.id, "Length", ["About {{length}} paragraphs."])
    hidden = p.add_module(post.id, "Notes", ["Draft: {{draft}}\n{{body}}"])
    p.set_module_visible(hidden.id, False)
    p.set_default_option(intro.options[1].id)
    # Two prompts may share a name in a folder; both must survive the trip.
    p.add_module(p.create("Twin", folder_id=work.id).id, "Only", ["First twin"])
    p.add_module(p.create("Twin", folder_id=work.id).id, "Only", ["Second twin"])
    p.add_module(p.create("Loose").id, "Only", ["No folder"])


# Export -------------------------------------------------------------------------------------


def test_export_writes_readable_files_in_the_documented_layout(
    services: Services, tmp_path: Path
) -> None:
    _rich_library(services)
    report = services.library_io.export_to(tmp_path / "lib")
    files = _files(tmp_path / "lib")
    assert sorted(files) == [
        "components/context/unicode.md",
        "components/mode/yes.md",
        "components/role/marketing-expert-2.md",
        "components/role/marketing-expert.md",
        "components/style/terse.md",
        "presets/just-a-mode.yaml",
        "presets/linkedin-pro.yaml",
        "prompts/loose.yaml",
        "prompts/work/blog-post.yaml",
        "prompts/work/twin-2.yaml",
        "prompts/work/twin.yaml",
        "promptterm-library.yaml",
    ]
    assert files["components/role/marketing-expert.md"] == (
        "---\nname: Marketing Expert\ntype: role\ndescription: For LinkedIn\ntags:\n- b2b\n"
        "---\n\nYou are an experienced marketer.\n"
    )
    assert yaml.safe_load(files["presets/linkedin-pro.yaml"]) == {
        "name": "LinkedIn Pro",
        "description": "Posts",
        "role": "Marketing Expert",
        "style": "Terse",
    }
    post = yaml.safe_load(files["prompts/work/blog-post.yaml"])
    assert post["folder"] == "Work"
    # Variables are listed in the order they were defined (here, at one instant: by name).
    assert [v["name"] for v in post["variables"]] == ["body", "draft", "length", "tone", "topic"]
    assert post["modules"][0]["options"][1] == {
        "name": "Option 2",
        "default": True,
        "content": "A {{tone}} post on {{topic}}.",
    }
    assert post["modules"][2]["visible"] is False
    # Multi-line text is a literal block, so the file diffs like the text itself.
    assert (
        "    default: true\n    content: |-\n      Draft: {{draft}}\n      {{body}}\n"
        in files["prompts/work/blog-post.yaml"]
    )
    manifest = yaml.safe_load(files["promptterm-library.yaml"])
    assert manifest["folders"] == ["Empty folder", "Work"]
    assert (report.components, report.presets, report.prompts, report.folders) == (5, 2, 4, 2)
    assert len(report.written) == 12 and report.unchanged == 0


def test_exporting_again_touches_only_what_changed(services: Services, tmp_path: Path) -> None:
    _rich_library(services)
    root = tmp_path / "lib"
    services.library_io.export_to(root)
    (root / "README.md").write_text("my notes", encoding="utf-8")
    (root / "components" / "role" / "hand-made.md").write_text("---\nname: x\n---\nx")

    again = services.library_io.export_to(root)
    assert again.written == () and again.removed == () and again.unchanged == 12

    terse = services.components.find("Terse")
    services.components.delete(terse.id)  # leaves "LinkedIn Pro" without its style
    services.components.update(services.components.find("yes").id, content="Changed.")
    third = services.library_io.export_to(root)
    assert third.removed == ("components/style/terse.md",)
    assert sorted(third.written) == [
        "components/mode/yes.md",
        "presets/linkedin-pro.yaml",
        "promptterm-library.yaml",
    ]
    assert not (root / "components" / "style").exists()
    # Files it did not write are never touched.
    assert (root / "README.md").read_text(encoding="utf-8") == "my notes"
    assert (root / "components" / "role" / "hand-made.md").exists()
    preset = yaml.safe_load((root / "presets" / "linkedin-pro.yaml").read_text(encoding="utf-8"))
    assert preset["missing"] == ["style"] and "style" not in preset


def test_export_to_a_file_is_refused_with_the_reason(services: Services, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    with pytest.raises(ValidationError, match="Cannot write"):
        services.library_io.export_to(target)


# Import: round trip, idempotence, conflicts -------------------------------------------------


def test_round_trip_into_an_empty_account_reproduces_the_library(
    services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    _rich_library(services)
    services.library_io.export_to(tmp_path / "mine")
    bob = _bob(services, clock)

    report = bob.library_io.import_from(tmp_path / "mine")
    assert report.ok, report
    assert sorted((i.kind, i.name) for i in report.created) == [
        ("context", "Ünïcode 名前"),
        ("folder", "Empty folder"),
        ("folder", "Work"),
        ("mode", "yes"),
        ("preset", "Just a mode"),
        ("preset", "LinkedIn Pro"),
        ("prompt", "Blog post"),
        ("prompt", "Loose"),
        ("prompt", "Twin"),
        ("prompt", "Twin"),
        ("role", "Marketing Expert"),
        ("role", "Marketing: expert!"),
        ("style", "Terse"),
    ]
    bob.library_io.export_to(tmp_path / "bobs")
    assert _files(tmp_path / "bobs") == _files(tmp_path / "mine")

    # And what the files stand for behaves the same: a composed preset, a rendered prompt.
    mine_preset = services.presets.compose(services.presets.find("LinkedIn Pro").id)
    assert bob.presets.compose(bob.presets.find("LinkedIn Pro").id).text == mine_preset.text
    mine, theirs = services.prompts.find("Blog post"), bob.prompts.find("Blog post")
    values = {"topic": "tea", "length": "3"}
    assert bob.prompts.render(theirs.id, values) == services.prompts.render(mine.id, values)
    assert bob.prompts.render(theirs.id, values) == "A calm post on tea.\n\nAbout 3 paragraphs."


def test_importing_twice_does_not_duplicate(services: Services, tmp_path: Path) -> None:
    _rich_library(services)
    services.library_io.export_to(tmp_path / "lib")
    before = (
        services.components.counts(),
        len(services.presets.list()),
        len(services.prompts.list()),
        len(services.prompts.folders()),
    )
    report = services.library_io.import_from(tmp_path / "lib")
    assert report.created == report.updated == report.conflicts == report.errors == ()
    assert len(report.skipped) == 11  # 5 components, 2 presets, 4 prompts
    assert report.summary == "0 created, 0 updated, 11 unchanged"
    after = (
        services.components.counts(),
        len(services.presets.list()),
        len(services.prompts.list()),
        len(services.prompts.folders()),
    )
    assert after == before


def test_a_different_item_of_the_same_name_is_a_conflict_left_alone(
    services: Services, tmp_path: Path
) -> None:
    _rich_library(services)
    root = tmp_path / "lib"
    services.library_io.export_to(root)
    terse = root / "components" / "style" / "terse.md"
    terse.write_text(terse.read_text().replace("Be brief.", "Be very brief."))
    preset = root / "presets" / "linkedin-pro.yaml"
    preset.write_text(preset.read_text().replace("description: Posts", "description: Ads"))
    loose = root / "prompts" / "loose.yaml"
    loose.write_text(loose.read_text().replace("No folder", "Still no folder"))

    report = services.library_io.import_from(root)
    assert [(c.kind, c.name, c.path, c.reason) for c in report.conflicts] == [
        (
            "style",
            "Terse",
            "components/style/terse.md",
            "its content differs from the one in your library",
        ),
        (
            "preset",
            "LinkedIn Pro",
            "presets/linkedin-pro.yaml",
            "its description differs from the one in your library",
        ),
        (
            "prompt",
            "Loose",
            "prompts/loose.yaml",
            "its modules differ from the one in your library",
        ),
    ]
    assert not report.ok
    assert services.components.find("Terse").content.startswith("Be brief.")
    assert services.presets.find("LinkedIn Pro").description == "Posts"
    assert services.prompts.render(services.prompts.find("Loose").id) == "No folder"


def test_replace_overwrites_and_keeps_what_it_replaced(services: Services, tmp_path: Path) -> None:
    _rich_library(services)
    root = tmp_path / "lib"
    services.library_io.export_to(root)
    terse = root / "components" / "style" / "terse.md"
    terse.write_text("---\nname: Terse\ntype: style\ntags: [short]\n---\nBe very brief.\n")
    preset = root / "presets" / "linkedin-pro.yaml"
    preset.write_text("name: LinkedIn Pro\nrole: Marketing Expert\nmode: 'yes'\n")
    (root / "prompts" / "loose.yaml").write_text(
        "name: Loose\nmodules:\n- name: Only\n  options: [Replaced text]\n"
    )
    old_prompt = services.prompts.find("Loose")

    report = services.library_io.import_from(root, on_conflict="replace")
    assert report.ok
    assert sorted((i.kind, i.name) for i in report.updated) == [
        ("preset", "LinkedIn Pro"),
        ("prompt", "Loose"),
        ("style", "Terse"),
    ]
    component = services.components.find("Terse")
    assert (component.content, component.tags) == ("Be very brief.", ("short",))
    [current, v1] = services.components.versions(component.id)
    assert v1.content.startswith("Be brief.") and current.content == "Be very brief."
    linkedin = services.presets.find("LinkedIn Pro")
    assert [(c.type, c.name) for c in linkedin.parts] == [
        ("role", "Marketing Expert"),
        ("mode", "yes"),
    ]
    assert linkedin.description is None
    assert services.prompts.render(services.prompts.find("Loose").id) == "Replaced text"
    # The replaced prompt is in the trash, where it can be restored.
    assert [p.id for p in services.prompts.list(trash=True)] == [old_prompt.id]
    # Importing the same files again finds nothing left to do.
    assert services.library_io.import_from(root, on_conflict="replace").updated == ()


def test_a_preset_needs_its_components_in_the_library_or_the_folder(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "lib"
    (root / "presets").mkdir(parents=True)
    (root / "presets" / "p.yaml").write_text("name: P\nrole: Nobody\n")
    services.components.create("style", "Known", "Known style.")
    (root / "presets" / "q.yaml").write_text("name: Q\nstyle: Known\n")
    report = services.library_io.import_from(root)
    assert [(e.path, e.message) for e in report.errors] == [
        (
            "presets/p.yaml",
            "It names the role 'Nobody', which is neither in your library nor in this folder.",
        )
    ]
    assert [p.name for p in services.presets.list()] == ["Q"]


def test_prompts_for_a_folder_in_the_trash_are_refused(services: Services, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "prompts").mkdir(parents=True)
    (root / "prompts" / "x.yaml").write_text(
        "name: X\nfolder: Old\nmodules: [{name: M, options: [t]}]\n"
    )
    services.prompts.delete_folder(services.prompts.create_folder("Old").id)
    report = services.library_io.import_from(root)
    assert [e.message for e in report.errors] == [
        "The folder 'Old' is in the trash; restore it, then import again."
    ]
    assert services.prompts.list() == []


# Plan limits ------------------------------------------------------------------------------


def test_plan_limits_apply_on_import(services: Services, clock: FixedClock, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    (root / "components" / "role").mkdir(parents=True)
    (root / "presets").mkdir()
    for n in range(1, 23):
        (root / "components" / "role" / f"r{n:02}.md").write_text(
            f"---\nname: R{n:02}\n---\nRole {n}\n"
        )
    for n in range(1, 8):
        (root / "presets" / f"p{n}.yaml").write_text(f"name: P{n}\nrole: R01\n")

    report = services.library_io.import_from(root)
    assert sum(i.kind == "role" for i in report.created) == 20
    assert sum(i.kind == "preset" for i in report.created) == 5
    components, presets = report.limits
    assert components.limit == "max_components" and components.plan == "free"
    assert components.names == ("role 'R21'", "role 'R22'")
    assert "Free plan allows 20 components and you have 20" in components.message
    assert "Upgrade" in components.message
    assert presets.names == ("preset 'P6'", "preset 'P7'")
    assert "allows 5 presets" in presets.message
    assert "4 over the plan limit" in report.summary
    assert services.components.counts()["role"] == 20

    # Once the plan allows more, the same folder imports the rest and skips the others.
    services.billing.set_plan("pro")
    again = services.library_io.import_from(root)
    assert sorted(i.name for i in again.created) == ["P6", "P7", "R21", "R22"]
    assert len(again.skipped) == 25 and again.limits == ()


# Fabric patterns and llm templates --------------------------------------------------------


def test_fabric_patterns_become_roles_or_prompts(services: Services, tmp_path: Path) -> None:
    root = tmp_path / "patterns"
    for name, files in {
        "summarize": {"system.md": "# IDENTITY\n\nYou summarize.\n"},
        "long_one": {"system.md": "Steps. " * 800 + "Answer in {{lang}}."},
        "with_user": {"system.md": "You translate.", "user.md": "Translate: {{input}}"},
        "empty": {"system.md": "   \n"},
        "not_a_pattern": {"README.md": "hello"},
    }.items():
        (root / name).mkdir(parents=True)
        for file, text in files.items():
            (root / name / file).write_text(text, encoding="utf-8")

    report = services.library_io.import_from(root, fabric=True)
    assert sorted((i.kind, i.name) for i in report.created) == [
        ("folder", "Fabric"),
        ("prompt", "long_one"),
        ("prompt", "with_user"),
        ("role", "summarize"),
    ]
    assert [(e.path, e.message) for e in report.errors] == [
        ("empty/system.md", "system.md is empty.")
    ]
    role = services.components.find("summarize", "role")
    assert (role.content, role.tags) == ("# IDENTITY\n\nYou summarize.", ("fabric",))
    long_one = services.prompts.find("long_one")
    assert [v.name for v in long_one.variables] == ["lang"]
    with pytest.raises(ValidationError, match="lang"):
        services.prompts.render(long_one.id)
    with_user = services.prompts.find("with_user")
    assert [m.name for m in with_user.modules] == ["System", "User"]
    text = services.prompts.render(with_user.id, {"input": "bonjour"})
    assert text == "You translate.\n\nTranslate: bonjour"

    again = services.library_io.import_from(root, fabric=True)
    assert again.created == () and len(again.skipped) == 3

    # A single pattern's folder imports too.
    single = services.library_io.import_from(root / "summarize", fabric=True)
    assert [(i.kind, i.name) for i in single.skipped] == [("role", "summarize")]


def test_llm_templates_become_roles_or_prompts_with_variables(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "terse.yaml").write_text("system: You answer in one sentence.\n")
    (root / "summary.yaml").write_text(
        "model: gpt-4o-mini\n"
        "system: Summarize in $lang, at most ${words} words.\n"
        "prompt: 'Text: $input (costs $$5)'\n"
        "defaults:\n  lang: English\n"
    )
    (root / "bare.yml").write_text("'Tell me about $thing'\n")
    (root / "nothing.yaml").write_text("model: gpt-4o\n")
    (root / "sub").mkdir()
    (root / "sub" / "ignored.yaml").write_text("system: not read: templates are one folder\n")

    report = services.library_io.import_from(root, llm=True)
    assert sorted((i.kind, i.name) for i in report.created) == [
        ("folder", "llm"),
        ("prompt", "bare"),
        ("prompt", "summary"),
        ("role", "terse"),
    ]
    assert [(e.path, e.message) for e in report.errors] == [
        ("nothing.yaml", "The template has neither a system: nor a prompt: text.")
    ]
    summary = services.prompts.find("summary")
    assert [(v.name, v.type, v.required, v.default) for v in summary.variables] == [
        ("lang", "text", False, "English"),
        ("words", "text", True, None),
        ("input", "multiline", True, None),
    ]
    with pytest.raises(ValidationError, match="Fill in the required variables: words, input"):
        services.prompts.render(summary.id)
    rendered = services.prompts.render(summary.id, {"words": "20", "input": "A long text"})
    assert rendered == "Summarize in English, at most 20 words.\n\nText: A long text (costs $5)"
    assert services.components.find("terse", "role").tags == ("llm",)

    one = services.library_io.import_from(root / "bare.yml", llm=True)
    assert [(i.kind, i.name) for i in one.skipped] == [("prompt", "bare")]


# Bad files and bad arguments --------------------------------------------------------------


def test_bad_files_are_reported_and_the_rest_is_imported(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "lib"
    roles = root / "components" / "role"
    roles.mkdir(parents=True)
    (root / "prompts").mkdir()
    bad = {
        "components/role/unclosed.md": b"---\nname: x\n",
        "components/role/wrong-type.md": b"---\nname: W\ntype: style\n---\nText",
        "components/role/too-long.md": b"---\nname: L\n---\n" + b"x" * 5001,
        "components/role/not-utf8.md": b"---\nname: N\n---\n\xff\xfe",
        "components/role/nul.md": b"---\nname: Z\n---\nA\x00B",
        "components/role/bad-yaml.md": b"---\nname: [unclosed\n---\nText",  # error on line 3
        "components/role/number-name.md": b"---\nname: 2024\n---\nText",
        "components/role/huge.md": b"x" * (65 * 1024),
        "prompts/deep.yaml": b"[" * 5000,
        "prompts/aliases.yaml": b"a: &x [1]\nb: *x\n",
        "prompts/bad-variable.yaml": b"name: P\nvariables: [{name: 'no spaces', type: text}]\n"
        b"modules: [{name: M, options: [t]}]\n",
        "prompts/two-defaults.yaml": b"name: Q\nmodules: [{name: M, options: "
        b"[{content: a, default: true}, {content: b, default: true}]}]\n",
        "prompts/a-list.yaml": b"- just\n- a list\n",
    }
    for rel, data in bad.items():
        (root / rel).write_bytes(data)
    (roles / "good.md").write_text("---\nname: Good\n---\nFine.\n")
    os.symlink("/etc/hostname", roles / "link.md")

    report = services.library_io.import_from(root)
    assert [(i.kind, i.name) for i in report.created] == [("role", "Good")]
    errors = {e.path: e.message for e in report.errors}
    assert set(errors) == {*bad, "components/role/link.md"}
    assert errors["components/role/unclosed.md"] == "The front matter has no closing '---' line."
    assert (
        "says type 'style' but the file is in components/role/"
        in errors["components/role/wrong-type.md"]
    )
    assert "5001 characters; the most allowed is 5000" in errors["components/role/too-long.md"]
    assert errors["components/role/not-utf8.md"] == "Not UTF-8 text."
    assert "NUL" in errors["components/role/nul.md"]
    assert errors["components/role/bad-yaml.md"].startswith("Not valid YAML (line 3)")
    assert errors["components/role/number-name.md"] == "'name' must be text; put it in quotes."
    assert errors["components/role/huge.md"] == "It is 65 KiB; at most 64 KiB is read."
    assert errors["components/role/link.md"] == "A symbolic link; not followed."
    assert "nested more than 32 levels" in errors["prompts/deep.yaml"]
    assert "anchors and aliases" in errors["prompts/aliases.yaml"]
    assert "'no spaces' is not a usable variable name" in errors["prompts/bad-variable.yaml"]
    assert "marks 2 options as default" in errors["prompts/two-defaults.yaml"]
    assert (
        errors["prompts/a-list.yaml"] == "A prompt file must be a YAML mapping of keys to values."
    )


def test_import_refuses_what_is_not_a_folder(services: Services, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="There is no folder"):
        services.library_io.import_from(tmp_path / "missing")
    (tmp_path / "file.yaml").write_text("system: hi\n")
    with pytest.raises(ValidationError, match="is not a folder"):
        services.library_io.import_from(tmp_path / "file.yaml")
    with pytest.raises(ValidationError, match="'skip' or 'replace'"):
        services.library_io.import_from(tmp_path, on_conflict="merge")  # type: ignore[arg-type]
