"""Propose tasks: the model is asked through chat's send (a thread of the project, metered),
its checklist parsed whatever the bullets, a non-list answer kept and said to be one, and
the kept tasks added to the board."""

from __future__ import annotations

import uuid

from promptterm.services.facade import Services
from promptterm.services.plan import parse_checklist
from support.chat_fixtures import usage_records
from support.llm_server import LLMServer, Script


def _project(services: Services) -> uuid.UUID:
    ws = services.workspaces.create("Team")
    return services.projects.create(ws.id, "Site").id


def test_a_checklist_is_read_whatever_its_bullets() -> None:
    answer = (
        "Here are the tasks:\n\n## Backend\n- Set up the database\n* **Write the API**\n"
        "1. Add login\n2) Add logout.\n(3) Deploy\n- [ ] Write tests\n- [x] Write tests\n"
        "• Monitor errors\nThat is all."
    )
    assert parse_checklist(answer) == [
        "Set up the database",
        "Write the API",
        "Add login",
        "Add logout",
        "Deploy",
        "Write tests",
        "Monitor errors",
    ]
    assert parse_checklist("I cannot help with that without more detail.") == []


def test_propose_then_keep_two(chat: Services, llm: LLMServer) -> None:
    project = _project(chat)
    chat.plan.add(chat.plan.board(project).project_id, "task", "Pick a name")
    llm.push(Script(text="- Set up CI\n- Write the landing page\n- Add analytics"))
    proposal = chat.propose_tasks.propose(project, description="A site for a bakery.")
    assert proposal.is_list and proposal.items == (
        "Set up CI",
        "Write the landing page",
        "Add analytics",
    )
    sent = llm.requests[-1].body["messages"][-1]["content"]
    assert "Project: Site" in sent and "A site for a bakery." in sent and "- Pick a name" in sent
    thread = chat.chat.get_thread(proposal.thread_id)
    assert thread.project_id == project and len(usage_records(chat)) == 1  # metered
    chat.propose_tasks.keep(project, [proposal.items[0], proposal.items[2]])
    names = [c.name for c in chat.plan.board(project).cards]
    assert names == ["Pick a name", "Set up CI", "Add analytics"]


def test_an_answer_that_is_not_a_list_is_kept(chat: Services, llm: LLMServer) -> None:
    project = _project(chat)
    llm.push(Script(text="Tell me more about the project first."))
    proposal = chat.propose_tasks.propose(project)
    assert not proposal.is_list and proposal.answer == "Tell me more about the project first."
    messages = chat.chat.messages(proposal.thread_id)
    assert messages[-1].content == "Tell me more about the project first."
