"""A thread as a Markdown document or as JSON: everything it holds, nothing secret.

Both carry the thread's metadata, its preset history and every message with role, content,
status, provider and model, tokens (marked when estimated), cost and time, plus what was
replaced (see chat/versions.py): the earlier versions of a regenerated answer, the text an
edited message replaced, and the earlier branch that edit-and-resend left behind, with its
messages. Message details are copied from a list of known keys, never dumped wholesale, so
nothing added to ``meta`` later reaches a file without a decision here. The database never
holds an API key (keys live in the OS keyring) and error texts were redacted when stored.

JSON (``"format": "promptterm.thread/1"``) keeps costs as decimal strings, so that they add
up exactly, and times as ISO 8601 in UTC.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from promptterm.db.models import Conversation, Message
from promptterm.services.chat.export_json import FORMAT as FORMAT
from promptterm.services.chat.export_json import (
    _Thread,
    _uuid,
    branch_ids,
    exported,
    json_document,
)
from promptterm.services.chat.threads import MessageInfo, _message_info, _thread_info
from promptterm.services.context import ServiceContext
from promptterm.services.errors import NotFound

_ROLES = {"user": "You", "assistant": "Assistant", "system": "System"}
_STATUS_NOTES = {
    "stopped": "Stopped before the end: the text above is what had arrived.",
    "streaming": "Still streaming when exported, or the app stopped while it streamed.",
    "error": "Ended with an error",
}


class ChatExportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def to_json(self, thread_id: uuid.UUID) -> str:
        thread, branches = self._load(thread_id)
        return json_document(thread, branches, self.ctx.now())

    def to_markdown(self, thread_id: uuid.UUID) -> str:
        thread, branches = self._load(thread_id)
        lines = [f"# {_one_line(thread.info.title)}", "", *_md_metadata(thread)]
        lines.append(f"- Exported: {_when(self.ctx.now())}")
        if thread.info.preset_history:
            lines += ["", "## Preset history", "", "| When | Preset | Changed |", "|---|---|---|"]
            for change in thread.info.preset_history:
                changed = ", ".join(change.changed_components) or "-"
                lines.append(
                    f"| {_when_text(change.timestamp)} | {_cell(change.preset_name)} | {changed} |"
                )
        lines += ["", "## Messages", ""]
        if not thread.messages:
            lines += ["*No messages yet.*", ""]
        titles = {b.info.id: b.info.title for b in branches}
        for message in thread.messages:
            lines += _md_message(message, titles)
        for branch in branches:
            lines += [f"## Earlier branch: {_one_line(branch.info.title)}", ""]
            lines += [*_md_metadata(branch), ""]
            for message in branch.messages:
                lines += _md_message(message, {})
        return "\n".join(lines).rstrip() + "\n"

    def _load(self, thread_id: uuid.UUID) -> tuple[_Thread, list[_Thread]]:
        """The thread and the earlier branches its edits left, read in one unit of work."""
        with self.ctx.db.session() as session:
            thread = self._thread(session, thread_id)
            if thread is None:
                raise NotFound("That thread does not exist; it may have been deleted.")
            branches = [self._thread(session, branch_id) for branch_id in branch_ids(thread)]
        return thread, [b for b in branches if b is not None]

    def _thread(self, session: Session, thread_id: uuid.UUID) -> _Thread | None:
        row = session.get(Conversation, thread_id)
        if row is None or row.user_id != self.ctx.user_id:
            return None
        stmt = select(Message).where(Message.conversation_id == thread_id)
        messages = [_message_info(m) for m in session.exec(stmt.order_by(col(Message.seq)))]
        return exported(_thread_info(row), messages, row.context)


# -- Markdown -------------------------------------------------------------------------------


def _md_metadata(thread: _Thread) -> list[str]:
    t = thread.info
    lines = [f"- Thread: `{t.id}`"]
    if t.project_id:
        lines.append(f"- Project: `{t.project_id}`")
    if t.provider or t.model:
        lines.append(f"- Model: {_model(t.provider, t.model)}")
    cost = f", {_cost(thread.cost)}" if thread.cost is not None else ""
    lines.append(f"- Messages: {len(thread.messages)}; tokens: {t.total_tokens:,}{cost}")
    lines.append(f"- Started: {_when(t.created_at)}; last active: {_when(t.updated_at)}")
    if thread.branch_of:
        lines.append(
            f"- Earlier branch of `{thread.branch_of['thread_id']}` from message "
            f"{thread.branch_of['from_seq']}, kept when that message was edited and resent"
        )
    if t.is_archived:
        lines.append("- Archived")
    return lines


def _md_message(m: MessageInfo, branch_titles: dict[uuid.UUID, str]) -> list[str]:
    if m.is_tool_result and m.tool is not None:
        what = "error" if m.tool.get("is_error") else "result"
        head = f"### {m.seq}. Tool {what}: {m.tool.get('label')} ({m.tool.get('decision')})"
        return [head, "", "```", m.content, "```", ""]
    details = [_ROLES.get(m.role, m.role.title())]
    if m.role == "assistant" and (m.provider or m.model):
        details.append(_model(m.provider, m.model))
    details += [
        _usage(m.tokens_in, m.tokens_out, m.tokens_estimated, m.cost_usd),
        _when(m.created_at),
    ]
    lines = [f"### {m.seq}. " + " · ".join(d for d in details if d), ""]
    calls = m.tool_calls
    lines += (
        [m.content if m.content or calls else "*(empty)*", ""] if not calls or m.content else []
    )
    for c in calls:
        arguments = c.get("raw") if c.get("arguments") is None else json.dumps(c.get("arguments"))
        lines += [f"*Tool call:* `{c.get('label')}` `{arguments}`", ""]
    note = _STATUS_NOTES.get(m.status)
    if note:
        error = (m.meta.get("error") or {}).get("message")
        lines += [f"> **{m.status.title()}.** {note}" + (f": {error}" if error else ""), ""]
    edited = m.meta.get("edited") or {}
    if edited:
        lines += [
            "*Edited and resent. It replaced:*",
            "",
            *_quote(edited.get("previous_content")),
            "",
        ]
        branch_id = _uuid(edited.get("branch_thread_id"))
        if branch_id in branch_titles:
            lines += [
                f'*What followed the earlier text is kept in "{branch_titles[branch_id]}" '
                f"(`{branch_id}`), below.*",
                "",
            ]
    versions = m.meta.get("versions") or []
    for n, v in enumerate(versions, start=1):
        usage = _usage(v.get("tokens_in"), v.get("tokens_out"), v.get("tokens_estimated"), None)
        cost = f"${v['cost_usd']}" if v.get("cost_usd") else ""
        parts = [_model(v.get("provider"), v.get("model")), v.get("status") or "", usage, cost]
        parts.append(f"replaced {_when_text(v.get('replaced_at'))}")
        lines += [
            f"*Earlier version {n} of {len(versions) + 1}:* " + " · ".join(p for p in parts if p),
            "",
            *_quote(v.get("content")),
            "",
        ]
    return lines


def _quote(text: str | None) -> list[str]:
    if not text:
        return ["> *(empty)*"]
    return [f"> {line}".rstrip() for line in text.splitlines()]


def _usage(
    tokens_in: int | None, tokens_out: int | None, estimated: bool | None, cost: Decimal | None
) -> str:
    if tokens_in is None and tokens_out is None:
        return ""
    text = f"{tokens_in or 0:,} in, {tokens_out or 0:,} out" + (" (estimated)" if estimated else "")
    return text + (f", {_cost(cost)}" if cost is not None else "")


def _model(provider: str | None, model: str | None) -> str:
    return " / ".join(p for p in (provider, model) if p)


def _cost(value: Decimal | None) -> str:
    return "unpriced" if value is None else f"${value:.6f}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


# -- values ---------------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _when_text(stamp: object) -> str:
    try:
        return _when(datetime.fromisoformat(str(stamp)))
    except ValueError:
        return str(stamp or "-")
