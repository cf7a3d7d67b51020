"""`promptterm prompt share|unshare|copy|shared` (issue 15): a prompt shared with a workspace,
read-only for its other members, and copied into one's own library to change."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.cli_in_process import run
from support.clock import FixedClock


def ok(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> Any:
    code, out, err = run(capsys, url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_share_a_prompt_with_a_workspace_and_take_it_back(
    capsys: pytest.CaptureFixture[str], url: str, fixed_clock: FixedClock
) -> None:
    ok(capsys, url, "workspace", "create", "Acme")
    ok(capsys, url, "prompt", "create", "Deploy")
    shared = ok(capsys, url, "prompt", "share", "Deploy", "acme")
    assert (shared["name"], shared["workspace"]) == ("Deploy", "Acme")
    code, out, _ = run(capsys, url, "prompt", "show", "Deploy")
    assert code == 0 and "shared with Acme" in out
    assert ok(capsys, url, "prompt", "shared") == []  # one's own are not "shared with me"
    code, out, _ = run(capsys, url, "prompt", "unshare", "Deploy")
    assert (code, out) == (0, "'Deploy' is yours alone again.\n")
    code, _, err = run(capsys, url, "prompt", "share", "Deploy", "nowhere")
    assert code == 1 and "No workspace nowhere that you are a member of" in err


def test_a_prompt_shared_with_you_is_read_only_until_you_copy_it(
    capsys: pytest.CaptureFixture[str], url: str, fixed_clock: FixedClock
) -> None:
    ok(capsys, url, "workspace", "create", "Acme")
    services = Services.open(url)
    bob = services.as_user(
        create_user(services.ctx.db, "Bob", "bob@example.com", fixed_clock(), uuid.uuid4()).id
    )
    ws = services.workspaces.get("acme")
    services.workspaces.add_member(ws.id, "bob@example.com", "member")
    bobs = bob.prompts.create("Standup", description="Daily notes")
    bob.prompt_edits.add_module(bobs.id, "Ask", ["What did {{who}} do?"])
    bob.prompt_edits.add_variable(bobs.id, "who")
    bob.prompts.sharing.share(bobs.id, ws.id)
    services.close()

    [listed] = ok(capsys, url, "prompt", "shared")
    assert (listed["name"], listed["owner"], listed["workspace"]) == ("Standup", "Bob", "Acme")
    code, out, _ = run(capsys, url, "prompt", "shared")
    assert code == 0 and out.splitlines()[2].split()[:3] == ["Standup", "Bob", "Acme"]
    code, out, _ = run(capsys, url, "prompt", "show", "Standup")
    assert code == 0 and "shared with you: read-only" in out
    rendered = ok(capsys, url, "prompt", "render", "Standup", "--var", "who=Ann")
    assert rendered["text"] == "What did Ann do?"

    code, _, err = run(capsys, url, "prompt", "rename", "Standup", "Mine")
    assert code == 1
    assert "'Standup' is Bob's, shared with you to read and copy; only Bob can change it" in err
    assert "promptterm prompt copy 'Standup'" in err

    copy = ok(capsys, url, "prompt", "copy", "Standup", "--name", "My standup")
    assert (copy["name"], copy["version"], copy["copied_from_id"]) == (
        "My standup",
        1,
        str(bobs.id),
    )
    assert ok(capsys, url, "prompt", "rename", "My standup", "Notes")["version"] == 2
    assert [p["name"] for p in ok(capsys, url, "prompt", "list")] == ["Notes"]
    code, out, _ = run(capsys, url, "prompt", "copy", "Notes")
    assert (code, out) == (0, "Copied 'Notes' into your library as 'Notes' (v1).\n")


def test_show_says_so_when_you_left_the_workspace_you_shared_with(
    capsys: pytest.CaptureFixture[str], url: str, fixed_clock: FixedClock
) -> None:
    services = Services.open(url)
    me = services.user
    bob = services.as_user(
        create_user(services.ctx.db, "Bob", "bob@example.com", fixed_clock(), uuid.uuid4()).id
    )
    ws = bob.workspaces.create("Bob's team")
    bob.workspaces.add_member(ws.id, me.email or me.display_name, "member")
    mine = services.prompts.create("Mine")
    services.prompts.sharing.share(mine.id, ws.id)
    bob.workspaces.remove_member(ws.id, me.id)
    services.close()

    code, out, err = run(capsys, url, "prompt", "show", "Mine")
    assert code == 0, err
    assert "shared with a workspace you have left" in out
    assert ok(capsys, url, "prompt", "unshare", "Mine")["workspace_id"] is None
