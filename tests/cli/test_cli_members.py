"""`promptterm workspace member list|add|role|rm` and `workspace rename|rm` (issue 12, item
17): a team set up and audited by script, with the services' own refusals, on both
databases (the CLI runs against the test's database, as the user the services act as)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from promptterm.cli.main import main
from promptterm.db.engine import Database
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import UserInfo, create_user


def _cli(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> Any:
    code, out, err = _cli(capsys, url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def _person(services: Services, name: str) -> UserInfo:
    email = f"{name.lower()}@example.com"
    return create_user(services.ctx.db, name, email, services.ctx.now(), uuid.uuid4())


def test_a_team_is_set_up_and_audited_by_script(
    capsys: pytest.CaptureFixture[str], services: Services, database: Database
) -> None:
    url = database.url
    _person(services, "Bob")
    _person(services, "Cara")
    assert _cli(capsys, url, "workspace", "create", "Acme")[0] == 0

    added = _json(
        capsys, url, "workspace", "member", "add", "acme", "bob@example.com", "--role", "admin"
    )
    assert (added["display_name"], added["role"]) == ("Bob", "admin")
    code, out, err = _cli(capsys, url, "workspace", "member", "add", "acme", "cara@example.com")
    assert code == 0, err
    assert out == "Added Cara to Acme as member.\n"

    members = _json(capsys, url, "workspace", "member", "list", "acme")
    assert [(m["display_name"], m["role"]) for m in members][1:] == [
        ("Bob", "admin"),
        ("Cara", "member"),
    ]
    assert members[0]["role"] == "owner"

    code, out, _ = _cli(capsys, url, "workspace", "member", "role", "acme", "Cara", "viewer")
    assert (code, out) == (0, "Cara is now viewer of Acme (was member).\n")
    removed = _json(capsys, url, "workspace", "member", "rm", "acme", "bob@example.com")
    assert removed["removed"]["display_name"] == "Bob"
    code, out, _ = _cli(capsys, url, "workspace", "member", "list", "acme")
    assert "Cara" in out and "viewer" in out and "Bob" not in out

    renamed = _json(capsys, url, "workspace", "rename", "acme", "Acme Corp")
    assert (renamed["name"], renamed["slug"]) == ("Acme Corp", "acme")
    code, _, err = _cli(capsys, url, "workspace", "rm", "acme")
    assert code == 1 and "cannot be undone. Add --yes to confirm." in err
    assert _json(capsys, url, "workspace", "rm", "acme", "--yes")["deleted"] == "Acme Corp"
    assert _json(capsys, url, "workspace", "list") == []


def test_the_cli_refuses_what_the_members_dialog_refuses(
    capsys: pytest.CaptureFixture[str], services: Services, database: Database
) -> None:
    url = database.url
    bob = _person(services, "Bob")
    _person(services, "Cara")
    as_bob = services.as_user(bob.id)
    ws = as_bob.workspaces.create("Bobs", slug="bobs")
    me = services.user.db_role or services.user.display_name  # the CLI's user
    as_bob.workspaces.add_member(ws.id, me, "admin")

    code, _, err = _cli(capsys, url, "workspace", "member", "role", "bobs", "Bob", "viewer")
    assert code == 1 and "Bob owns this workspace" in err
    code, _, err = _cli(
        capsys, url, "workspace", "member", "add", "bobs", "cara@example.com", "--role", "admin"
    )
    assert code == 1 and "Only the owner can make someone an admin." in err
    code, _, err = _cli(capsys, url, "workspace", "rm", "bobs", "--yes")
    assert code == 1 and "can delete it; you are a admin" in err
    code, _, err = _cli(capsys, url, "workspace", "member", "rm", "bobs", "nobody")
    assert code == 1 and "Nobody known as 'nobody' is a member of Bobs." in err
    assert [m.role for m in as_bob.workspaces.members(ws.id)] == ["owner", "admin"]


def test_adding_a_member_on_sqlite_says_members_need_team_mode(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    assert _cli(capsys, url, "workspace", "create", "Solo")[0] == 0
    code, out, err = _cli(capsys, url, "workspace", "member", "add", "solo", "bob@example.com")
    assert code == 1 and out == ""
    assert "local SQLite file with one user" in err
    assert "team mode, a shared PostgreSQL database" in err
    assert "db upgrade" in err and "GRANT promptterm_user TO" in err
