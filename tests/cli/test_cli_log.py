"""`promptterm log list|show|export` (issue 19, item 5): the activity log for scripts, its
filters, JSON, JSONL and CSV, exit codes; and the CLI's own failures land in it.

On the fixed clock, so ``--since 2h`` means the same entries on any day."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from promptterm.cli import exit_codes
from promptterm.cli.main import main
from promptterm.services.activity import CaughtError, ProviderCall
from promptterm.services.facade import Services
from support.cli_process import MigratedSqlite
from support.clock import FixedClock

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def url(tmp_path: Path, fixed_clock: FixedClock, migrated_sqlite: MigratedSqlite) -> str:
    url = migrated_sqlite(tmp_path / "cli.db")
    services = Services.open(url)
    start = fixed_clock()
    try:
        for n, (provider, status) in enumerate(
            [("openai", "ok"), ("anthropic", "ok"), ("openai", "429"), ("openai", "ok")]
        ):
            fixed_clock.set(start - timedelta(hours=4 - n))
            services.activity.record_call(
                ProviderCall(
                    provider=provider,
                    model="gpt-test" if provider == "openai" else "claude-test",
                    endpoint=f"https://{provider}.example/v1/chat",
                    status=status,
                    duration_ms=100 + n,
                    tokens_in=10,
                    tokens_out=n,
                    message=f"call {n}",
                )
            )
        fixed_clock.set(start - timedelta(minutes=30))
        services.activity.record_error(
            CaughtError("OSError", "disk full\x1b[2J", "Traceback...", "error", "editor", "save")
        )
    finally:
        fixed_clock.set(start)
        services.close()
    return url


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_filters_by_kind_provider_status_and_age(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, out, _ = run(capsys, url, "log", "list", "--json")
    assert code == 0
    assert [e["message"] for e in json.loads(out)] == [
        "disk full\x1b[2J",
        "call 3",
        "call 2",
        "call 1",
        "call 0",
    ]
    _, out, _ = run(capsys, url, "log", "list", "--kind", "api", "--provider", "openai", "--json")
    assert [e["message"] for e in json.loads(out)] == ["call 3", "call 2", "call 0"]
    _, out, _ = run(capsys, url, "log", "list", "--status", "429", "--json")
    assert [e["provider"] for e in json.loads(out)] == ["openai"]
    _, out, _ = run(capsys, url, "log", "list", "--since", "2h", "--json")
    assert [e["message"] for e in json.loads(out)] == ["disk full\x1b[2J", "call 3", "call 2"]
    _, out, _ = run(capsys, url, "log", "list", "--since", "2026-01-15T08:00", "--json")
    assert len(json.loads(out)) == 2
    code, out, _ = run(capsys, url, "log", "list", "--kind", "error")
    assert code == 0 and "OSError: " not in out and "disk full^[[2J" in out  # controls shown


def test_show_gives_one_entry_whole(capsys: pytest.CaptureFixture[str], url: str) -> None:
    _, out, _ = run(capsys, url, "log", "list", "--kind", "error", "--json")
    entry_id = json.loads(out)[0]["id"]
    code, out, _ = run(capsys, url, "log", "show", entry_id[:13])
    assert code == 0
    assert re.search(r"^area +editor$", out, re.M) and re.search(r"^action +save$", out, re.M)
    assert "\nTraceback:\nTraceback...\n" in out
    code, out, _ = run(capsys, url, "log", "show", entry_id, "--json")
    assert json.loads(out)["context"] == {"area": "editor", "action": "save"}


def test_export_as_jsonl_and_csv(
    capsys: pytest.CaptureFixture[str], url: str, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, url, "log", "export", "--kind", "api")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [e["tokens_out"] for e in lines] == [3, 2, 1, 0]
    target = tmp_path / "log.csv"
    code, out, _ = run(capsys, url, "log", "export", "--format", "csv", "-o", str(target))
    assert code == 0 and out.strip() == f"Wrote 5 entries to {target}."
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["kind"] for r in rows] == ["error", "api", "api", "api", "api"]
    assert rows[0]["message"] == "disk full\x1b[2J"  # a file gets the exact text


def test_bad_input_says_what_to_do_and_failures_are_logged(
    capsys: pytest.CaptureFixture[str], url: str
) -> None:
    code, _, err = run(capsys, url, "log", "list", "--since", "yesterday")
    assert code == exit_codes.ERROR and "an age (30m, 12h, 7d, 2w)" in err
    code, _, err = run(capsys, url, "log", "show", "0123456789")
    assert code == exit_codes.ERROR and "No log entry's id starts with" in err
    _, out, _ = run(capsys, url, "log", "list", "--kind", "error", "--limit", "2", "--json")
    newest = json.loads(out)
    assert [e["error_type"] for e in newest] == ["NotFound", "ValidationError"]
    code, out, _ = run(capsys, url, "log", "show", newest[0]["id"], "--json")
    assert json.loads(out)["context"] == {"area": "cli log", "action": "show"}
