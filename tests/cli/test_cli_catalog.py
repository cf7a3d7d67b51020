"""`promptterm catalog ...` and `promptterm seller ...`: publish, list, show, review, cart,
checkout (twice with one order id), get, sales; seller apply/list/approve; refusals naming the
field with the exit codes of cli/exit_codes.py."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from promptterm.cli import exit_codes
from promptterm.cli.main import main
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user
from support.cli_process import MigratedSqlite

pytestmark = pytest.mark.usefixtures("fixed_clock")


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> object:
    code, out, err = run(capsys, url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def _alice_sells(url: str) -> str:
    """Alice, a member of the local user's workspace and an approved seller, publishes a
    priced prompt; its id."""
    me = Services.open(url)
    try:
        alice_user = create_user(
            me.ctx.db, "Alice", "alice@example.com", me.ctx.now(), uuid.uuid4()
        )
        ws = me.workspaces.create("Shop")
        me.workspaces.add_member(ws.id, "alice@example.com")
        alice = me.as_user(alice_user.id)
        application = alice.sellers.apply(name="Alice", email="alice@example.com")
        me.sellers.decide(application.id, approve=True)
        alice.components.create("role", "Pirate", "Arr.\nSpeak like a pirate.\nAlways.\nSecret")
        item = alice.catalog.publish(
            "component", "Pirate", title="Pirate", price=499, tags=["fun"],
            image_urls=["https://example.com/p.png"],
        )  # fmt: skip
        return str(item.id)
    finally:
        me.close()


def test_find_buy_and_get_a_priced_item(capsys: pytest.CaptureFixture[str], url: str) -> None:
    item_id = _alice_sells(url)
    found = run_json(capsys, url, "catalog", "list", "pirate", "--paid")
    assert [i["title"] for i in found] == ["Pirate"]  # type: ignore[union-attr,index]
    code, out, _ = run(capsys, url, "catalog", "show", "Pirate")
    assert code == 0 and "Speak like a pirate." in out and "Secret" not in out
    assert "https://example.com/p.png" in out and "4.99 USD" in out
    code, _, err = run(capsys, url, "catalog", "get", "Pirate")
    assert code == exit_codes.ERROR and "4.99 USD" in err
    cart = run_json(capsys, url, "catalog", "cart", "add", item_id)
    assert cart["totals"] == {"USD": 499}  # type: ignore[index]
    first = run_json(capsys, url, "catalog", "checkout", "--order-id", "ord-1")
    again = run_json(capsys, url, "catalog", "checkout", "--order-id", "ord-1")
    assert first == again and len(first["purchases"]) == 1  # type: ignore[index,arg-type]
    code, out, _ = run(capsys, url, "billing", "statement", "show", "draft")
    assert code == 0 and "| purchase | Pirate (v1) by Alice | $4.99 |" in out, out
    got = run_json(capsys, url, "catalog", "get", "Pirate")
    assert set(got["library"]) == {"component"}  # type: ignore[index]
    code, out, _ = run(capsys, url, "component", "list")
    assert "Pirate" in out
    code, _, err = run(capsys, url, "catalog", "checkout")
    assert code == exit_codes.CONFLICT and "empty" in err
    review = run_json(capsys, url, "catalog", "review", "Pirate", "4", "fun")
    assert review["rating"] == 4.0  # type: ignore[index]


def test_refusals_name_the_field(capsys: pytest.CaptureFixture[str], url: str) -> None:
    item_id = _alice_sells(url)
    code, _, err = run(capsys, url, "catalog", "review", item_id, "6")
    assert code == exit_codes.ERROR and "stars must be 1 to 5" in err
    run(capsys, url, "component", "add", "role", "Mine", "-c", "text")
    for flags, words in (
        (["--price", "-5"], "price cannot be negative"),
        (["--currency", "DOGE"], "currency 'DOGE'"),
        (["--price", "100"], "only approved sellers"),
    ):
        code, _, err = run(capsys, url, "catalog", "publish", "component", "Mine", *flags)
        assert code != 0 and words in err, err


def test_publish_apply_approve_and_sales(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run(capsys, url, "component", "add", "role", "Mine", "-c", "text")
    made = run_json(capsys, url, "seller", "apply", "--name", "Me", "--email", "me@example.com")
    pending = run_json(capsys, url, "seller", "list", "--pending")
    assert [a["id"] for a in pending] == [made["id"]]  # type: ignore[index,union-attr]
    done = run_json(capsys, url, "seller", "approve", made["id"])  # type: ignore[index]
    assert done["decision"] == "approved"  # type: ignore[index]
    code, _, err = run(capsys, url, "seller", "decline", made["id"])  # type: ignore[index]
    assert code == exit_codes.CONFLICT and "already approved" in err
    item = run_json(
        capsys, url, "catalog", "publish", "component", "Mine", "--price", "250", "--tag", "x"
    )
    assert (item["price"], item["version"]) == (250, 1)  # type: ignore[index]
    assert run_json(capsys, url, "catalog", "sales") == []
    assert [i["title"] for i in run_json(capsys, url, "catalog", "list", "--mine")] == ["Mine"]  # type: ignore[index,union-attr]


def test_export_and_import_a_folder(
    capsys: pytest.CaptureFixture[str],
    url: str,
    tmp_path: Path,
    migrated_sqlite: MigratedSqlite,
) -> None:
    run(capsys, url, "component", "add", "role", "Mine", "-c", "text")
    run_json(capsys, url, "catalog", "publish", "component", "Mine")
    written = run_json(capsys, url, "catalog", "export", str(tmp_path / "shared"))
    assert len(written["written"]) == 1  # type: ignore[index,arg-type]
    other = migrated_sqlite(tmp_path / "other.db")
    added = run_json(capsys, other, "catalog", "import", str(tmp_path / "shared"))
    assert added["added"] == ["Mine"]  # type: ignore[index]
    code, _, err = run(capsys, other, "catalog", "import", str(tmp_path / "nowhere"))
    assert code == exit_codes.ERROR and "is not a folder" in err
