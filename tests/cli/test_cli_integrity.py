"""The CLI when a process dies or the text is odd: a real `promptterm ask` process killed
mid-answer, then the next start; NUL piped into `ask -`. SQLite file, local LLM server."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from promptterm.cli.main import main
from promptterm.db.models import UsageRecord
from promptterm.services.facade import Services
from promptterm.services.tokens import estimate_tokens
from support.cli_process import MigratedSqlite
from support.llm_server import LLMServer, Script
from support.waiting import CEILING, wait_until

SHOWN = "".join(f" t{n}" for n in range(20))


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    with LLMServer(lifetime=90) as server:
        yield server


@pytest.fixture
def local(url: str, llm: LLMServer, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--database-url", url, "provider", "add", "local", "--kind", "openai-compatible",
                 "--base-url", llm.openai_url, "--model", "test-model"]) == 0  # fmt: skip
    capsys.readouterr()
    return "local"


def _answers(url: str) -> tuple[list[tuple[str, str, int | None]], list[UsageRecord]]:
    services = Services.open(url)  # opens without recovering: what is stored right now
    try:
        [thread] = services.chat.list_threads()
        answers = [
            (m.status, m.content, m.tokens_out)
            for m in services.chat.messages(thread.id)
            if m.role == "assistant"
        ]
        with services.ctx.db.session() as session:
            records = list(session.exec(select(UsageRecord)).all())
        return answers, records
    finally:
        services.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_killed_answer_is_closed_and_metered_by_the_next_command(
    url: str, llm: LLMServer, local: str, capsys: pytest.CaptureFixture[str]
) -> None:
    llm.push(Script(tokens=[f" t{n}" for n in range(40)], stall_after=20, stall_seconds=60))
    process = subprocess.Popen(
        [sys.executable, "-m", "promptterm", "--database-url", url, "ask", "Go"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        shown = ""
        assert process.stdout is not None
        while SHOWN not in shown:
            shown += process.stdout.read(1)
        wait_until(  # saved while it stalls
            lambda: _answers(url)[0] == [("streaming", SHOWN, None)], "the streamed text saved"
        )
    finally:
        process.kill()
        process.wait(CEILING)

    # Any next command, here one that only reads, closes the answer and meters it.
    assert main(["--database-url", url, "usage"]) == 0
    capsys.readouterr()
    answers, records = _answers(url)
    # An estimate from the saved text (no usage report arrived before the kill).
    assert answers == [("error", SHOWN, estimate_tokens(SHOWN))]
    [record] = records
    assert record.tokens_out == estimate_tokens(SHOWN) and record.tokens_in > 0
    assert record.meta == {"estimated": True, "interrupted": True}


def test_a_nul_piped_into_ask_is_stored_as_a_visible_marker(
    url: str, local: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\x00x"))
    assert main(["--database-url", url, "ask", "-"]) == 0
    services = Services.open(url)
    try:
        [thread] = services.chat.list_threads()
        question = services.chat.messages(thread.id)[0]
        assert question.content == "q\u2400x"
    finally:
        services.close()


# -- the database's disk fills up mid-answer ------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB tmpfs (room for the schema of every migration): a real file system that
    really runs out of space (needs root)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill ``folder``'s file system until only about ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free
    with open(folder / "filler", "wb") as file:
        file.write(b"\0" * max(0, free - leave))


def test_a_full_disk_mid_answer_keeps_the_answer_and_says_disk_full(
    small_disk: Path,
    llm: LLMServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    migrated_sqlite: MigratedSqlite,
) -> None:
    url = migrated_sqlite(small_disk / "cli.db")
    assert main(["--database-url", url, "provider", "add", "local", "--kind", "openai-compatible",
                 "--base-url", llm.openai_url, "--model", "test-model"]) == 0  # fmt: skip
    # Room for the thread and the question (the schema's pages for them, across every
    # migration's tables and indexes), not for the answer.
    _fill(small_disk, leave=1536 * 1024)
    # 4 MB: does not fit. In 4,000 pieces: what is tested is where the text goes, not how
    # finely it is cut (40,000 took the server and the client ~10 s of CPU).
    tokens = [f" word{n:04d}" + "x" * 995 for n in range(4000)]
    llm.push(Script(tokens=tokens))
    capsys.readouterr()

    code = main(["--database-url", url, "ask", "Write a long essay"])
    out, err = capsys.readouterr()

    answer = "".join(tokens)
    assert code == 1
    assert out.startswith(answer), err  # every word was shown as it came
    assert "disk full" in err and "Free some space" in err
    assert "Traceback" not in err and "disk I/O error" not in err
    [kept] = (tmp_path / "data" / "recovered").iterdir()
    assert kept.read_text(encoding="utf-8") == answer
    assert str(kept) in err
