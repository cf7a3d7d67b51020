"""AI jobs on a file, on both databases, against the local LLM server: the lifecycle
(pending → running → completed / failed / canceled), the same limits, usage and cost as chat,
proposed changes applied as a version or discarded, stale and invalid changes refused with
the answer kept, and analyses kept per content hash until they expire."""

from __future__ import annotations

import asyncio
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from promptterm.db.models import AiJob
from promptterm.services.chat import CancelToken
from promptterm.services.code import AiRequest, Lines
from promptterm.services.errors import LimitReached, StaleEdit, ValidationError
from promptterm.services.facade import Services
from support.chat_fixtures import usage_records
from support.clock import FixedClock
from support.llm_server import LLMServer, Script
from support.waiting import CEILING, stop_and_wait_for_its_final_write

SOURCE = "def add(a, b):\n    return a+b\n\n\ndef main():\n    print(add(1, 2))\n"
REFACTOR = "Here it is:\n```python\ndef add(a: int, b: int) -> int:\n    return a + b\n```\nTyped."


@pytest.fixture
def file_id(chat: Services):  # type: ignore[no-untyped-def]
    ws = chat.workspaces.create("Team")
    project = chat.projects.create(ws.id, "App")
    return chat.files.create(project.id, "calc.py", SOURCE).id


def statuses(services: Services) -> list[str]:
    with services.ctx.db.session() as session:
        return [j.status for j in session.exec(select(AiJob)).all()]


def test_explain_streams_completes_meters_and_is_kept_for_the_unchanged_file(
    chat: Services,
    llm: LLMServer,
    file_id,
    clock: FixedClock,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(text="It adds two numbers."))
    plan = chat.ai_jobs.prepare(AiRequest(file_id, "explain"))
    assert plan.job.status == "pending" and statuses(chat) == ["pending"]
    shown: list[str] = []
    done = asyncio.run(chat.ai_jobs.run_async(plan, on_text=shown.append))
    assert (done.status, done.output, done.error) == ("completed", "It adds two numbers.", None)
    assert "".join(shown) == done.output
    assert (done.provider, done.model, done.tokens_out) == ("local", "test-model", 4)
    assert done.cost_usd == Decimal(0) and done.duration_ms is not None
    sent = llm.requests[-1].body["messages"]
    assert "def add(a, b)" in sent[-1]["content"]
    assert "Explain what calc.py does" in sent[-1]["content"]
    [record] = usage_records(chat)
    assert (record.provider, record.model, record.tokens_out) == ("local", "test-model", 4)
    assert record.tokens_in == done.tokens_in

    [kept] = chat.ai_jobs.analyses_of(file_id)
    assert (kept.kind, kept.output, kept.file_version) == ("explain", done.output, 1)
    # Changed text: not shown; the same text again: shown; expired: gone.
    assert chat.ai_jobs.analyses_of(file_id, SOURCE + "# more\n") == []
    clock.advance(days=8)
    assert chat.ai_jobs.analyses_of(file_id) == []


def test_analyze_of_a_selection_asks_for_the_aspect_and_is_not_kept_as_the_files(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(text="No injection here."))
    done = chat.ai_jobs.run(AiRequest(file_id, "analyze", lines=Lines(1, 2), aspect="security"))
    assert done.status == "completed" and done.input["aspect"] == "security"
    assert "security problems" in llm.requests[-1].body["messages"][-1]["content"]
    assert chat.ai_jobs.analyses_of(file_id) == []
    llm.push(Script(text="Linear."))
    chat.ai_jobs.run(AiRequest(file_id, "analyze"))
    assert [a.kind for a in chat.ai_jobs.analyses_of(file_id)] == ["complexity"]


def test_refactor_proposes_a_change_applied_as_a_new_version(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(text=REFACTOR))
    done = chat.ai_jobs.run(AiRequest(file_id, "refactor", lines=Lines(1, 2)))
    assert (done.status, done.change_state) == ("completed", "proposed")
    change = chat.ai_changes.proposed(done.id)
    assert "-    return a+b" in change.unified() and "+    return a + b" in change.unified()
    version = chat.ai_changes.apply(done.id)
    assert version.message == "AI: refactor calc.py:1-2"
    text = chat.files.read(file_id).text
    assert text.startswith("def add(a: int, b: int) -> int:\n    return a + b\n\n\ndef main")
    assert chat.ai_jobs.get(done.id).change_state == "applied"
    with pytest.raises(Exception, match="already applied"):
        chat.ai_changes.apply(done.id)


def test_a_change_to_a_file_changed_meanwhile_is_refused_and_kept(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(text=REFACTOR))
    done = chat.ai_jobs.run(AiRequest(file_id, "refactor", lines=Lines(1, 2)))
    chat.files.save(file_id, SOURCE + "# edited\n", base_version=1)
    with pytest.raises(StaleEdit, match="version 1 → 2"):
        chat.ai_changes.apply(done.id)
    change = chat.ai_changes.proposed(done.id)
    assert change.stale and change.current_version == 2 and "a: int" in change.after
    assert chat.files.read(file_id).text.endswith("# edited\n")
    assert chat.ai_jobs.get(done.id).change_state == "proposed"
    chat.ai_changes.discard(done.id)
    assert chat.ai_jobs.get(done.id).change_state == "discarded"


def test_an_answer_without_a_change_is_kept_and_said_so(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(text="I would rather not change anything."))
    done = chat.ai_jobs.run(AiRequest(file_id, "refactor"))
    assert (done.status, done.change_state) == ("completed", "invalid")
    assert done.output == "I would rather not change anything."
    assert "no code block" in (done.error or "")
    with pytest.raises(ValidationError, match="no code block"):
        chat.ai_changes.apply(done.id)


def test_generate_inserts_at_the_cursor_and_needs_an_instruction(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(ValidationError, match="Say what to generate"):
        chat.ai_jobs.prepare(AiRequest(file_id, "generate", lines=Lines(4, 4)))
    llm.push(Script(text="```\ndef sub(a, b):\n    return a - b\n\n```"))
    done = chat.ai_jobs.run(
        AiRequest(file_id, "generate", lines=Lines(4, 4), instruction="a subtraction")
    )
    chat.ai_changes.apply(done.id)
    lines = chat.files.read(file_id).text.splitlines()
    assert lines[3:6] == ["def sub(a, b):", "    return a - b", ""]
    assert "The user adds: a subtraction" in llm.requests[-1].body["messages"][-1]["content"]


def test_a_provider_error_fails_the_job_with_the_reason_in_words(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(status=401, error_message="bad key"))
    done = chat.ai_jobs.run(AiRequest(file_id, "explain"))
    assert done.status == "failed" and done.error and "key" in done.error.lower()
    assert usage_records(chat) == []  # refused before any work: not metered
    llm.push(Script(text="one two three four", drop_after=2))
    cut = chat.ai_jobs.run(AiRequest(file_id, "explain"))
    assert cut.status == "failed" and cut.output == "one two"
    assert len(usage_records(chat)) == 1  # the server worked on it: metered, as chat


def test_cancel_mid_stream_keeps_the_text_so_far(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    llm.push(Script(tokens=[f" w{n}" for n in range(300)], write_pause=0.01))
    token = CancelToken()
    shown: list[str] = []

    def on_text(text: str) -> None:
        shown.append(text)
        if len(shown) == 5:
            token.cancel()

    done = chat.ai_jobs.run(AiRequest(file_id, "explain"), on_text=on_text, cancel=token)
    assert done.status == "canceled" and done.output == "".join(shown) == " w0 w1 w2 w3 w4"
    assert chat.ai_jobs.analyses_of(file_id) == []  # a cut answer is no analysis
    [record] = usage_records(chat)  # what streamed is metered, estimated, as chat
    assert record.meta == {"estimated": True} and record.tokens_out == done.tokens_out > 0


def test_a_program_that_ends_just_after_stopping_a_job_ends_and_keeps_its_text(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    # The app quitting while an answer streams: the job is stopped, then the event loop
    # closes and cancels every task left, the job's final write among them. The program
    # used to wait on that cancelled write for ever, a core at 100 %; it must end, with
    # the job canceled and its text kept.
    hold = threading.Event()
    llm.push(Script(tokens=[" w0", " w1", " w2"], hold_after=2, hold=hold))
    plan = chat.ai_jobs.prepare(AiRequest(file_id, "explain"))
    shown: list[str] = []

    async def program() -> None:
        streaming = asyncio.Event()

        def on_text(text: str) -> None:
            shown.append(text)
            streaming.set()

        job = asyncio.ensure_future(chat.ai_jobs.run_async(plan, on_text=on_text))
        while len(shown) < 2:
            streaming.clear()
            await streaming.wait()
        await stop_and_wait_for_its_final_write(job, "job")
        # ...and the program ends: asyncio.run cancels the write.

    ended = threading.Event()
    thread = threading.Thread(target=lambda: (asyncio.run(program()), ended.set()), daemon=True)
    thread.start()
    try:
        assert ended.wait(CEILING), "the program never ended: it waits on the job's final write"
    finally:
        hold.set()
    with chat.ctx.db.session() as session:
        [row] = session.exec(select(AiJob)).all()
    assert (row.status, row.output) == ("canceled", " w0 w1")


def test_a_job_canceled_before_it_streams_ends_canceled_without_a_call(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    token = CancelToken()
    token.cancel()
    done = chat.ai_jobs.run(AiRequest(file_id, "explain"), cancel=token)
    assert (done.status, done.output) == ("canceled", "")
    assert statuses(chat) == ["canceled"] and llm.requests == [] and usage_records(chat) == []


def test_the_plan_limit_stops_a_job_before_anything_is_stored(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    chat.billing.record_usage(
        tokens_in=49_990, tokens_out=0, provider="x", model="y", cost_usd=None
    )
    with pytest.raises(LimitReached):
        chat.ai_jobs.run(AiRequest(file_id, "explain"))
    assert statuses(chat) == [] and llm.requests == []


def test_the_projects_defaults_pick_the_model_and_preset(
    chat: Services,
    llm: LLMServer,
    file_id,  # type: ignore[no-untyped-def]
) -> None:
    role = chat.components.create("role", "Reviewer", "You review Python.")
    chat.presets.create("Review", role=role.id)
    project_id = chat.files.get(file_id).project_id
    chat.ai_jobs.set_project_defaults(project_id, model="other-model", preset="Review")
    llm.push(Script(text="ok"))
    done = chat.ai_jobs.run(AiRequest(file_id, "explain"))
    assert done.model == "other-model" and done.input["preset"]["name"] == "Review"
    body = llm.requests[-1].body
    assert body["model"] == "other-model"
    assert body["messages"][0]["content"].startswith("You review Python.")
    llm.push(Script(text="ok"))
    picked = chat.ai_jobs.run(AiRequest(file_id, "explain", model="picked"))
    assert picked.model == "picked"


def test_a_bound_project_gets_the_applied_change_on_disk(
    chat: Services, llm: LLMServer, tmp_path: Path
) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "calc.py").write_text(SOURCE)
    ws = chat.workspaces.create("Team")
    project = chat.projects.create(ws.id, "App")
    chat.disk_sync.bind(project.id, root)
    file_id = chat.files.find(project.id, "calc.py").id
    llm.push(Script(text=REFACTOR))
    done = chat.ai_jobs.run(AiRequest(file_id, "refactor", lines=Lines(1, 2)))
    chat.ai_changes.apply(done.id)
    assert (root / "calc.py").read_text().startswith("def add(a: int, b: int) -> int:")
