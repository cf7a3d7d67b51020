"""A source thread as promptterm keeps a conversation: one line of messages, the other
answers to a question as that answer's versions, and every other branch as an archived
branch thread, exactly as regenerate and edit-and-resend leave them (services/chat/versions.py).

The main line runs from the root to the message the source showed last (``current_id``,
else the newest message). Where it forks:

- another **answer** to the same question that nothing follows (a regenerated answer) is a
  version of the answer on the line (``meta["versions"]``, oldest first);
- anything else (an edited question, or an answer the conversation went on from) starts an
  **archived branch thread** from that position (``context = {branch_of, from_seq}``),
  following its newest continuation, with its own forks mapped the same way. As after
  successive edits, the message on the line names the newest of those branches
  (``meta["edited"]``), whose first message names the one before it, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from promptterm.services.chat.importers.model import SourceMessage, SourceThread

_EARLIEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class PlannedMessage:
    source: SourceMessage
    versions: list[SourceMessage] = field(default_factory=list)  # oldest first
    replaced: PlannedLine | None = None  # the branch this message took the place of


@dataclass
class PlannedLine:
    key: str | None  # None: the thread itself; else the source id of the branch's first message
    from_seq: int
    branch_of: PlannedLine | None
    messages: list[PlannedMessage] = field(default_factory=list)


@dataclass
class ThreadPlan:
    source: SourceThread
    lines: list[PlannedLine]  # the thread first, then each branch after the line it leaves
    unplaced: int = 0  # messages no line reaches (a broken tree)

    @property
    def main(self) -> PlannedLine:
        return self.lines[0]

    def message_count(self) -> int:
        return sum(len(line.messages) for line in self.lines)


def plan(thread: SourceThread) -> ThreadPlan:
    if not thread.tree:
        line = PlannedLine(None, 1, None, [PlannedMessage(m) for m in thread.messages])
        return ThreadPlan(thread, [line])
    return _TreePlanner(thread).plan()


class _TreePlanner:
    def __init__(self, thread: SourceThread) -> None:
        self.thread = thread
        self.by_id = {m.source_id: m for m in thread.messages}
        order = {m.source_id: n for n, m in enumerate(thread.messages)}
        self.children: dict[str | None, list[SourceMessage]] = {}
        for m in thread.messages:
            parent = m.parent_id if m.parent_id in self.by_id else None
            self.children.setdefault(parent, []).append(m)
        for siblings in self.children.values():
            siblings.sort(key=lambda m: (m.created_at or _EARLIEST, order[m.source_id]))
        self.lines: list[PlannedLine] = []
        self.placed: set[str] = set()

    def plan(self) -> ThreadPlan:
        leaf = self.by_id.get(self.thread.current_id or "")
        if leaf is None and self.thread.messages:
            leaf = self._newest_leaf()
        path = self._path_to(leaf) if leaf is not None else []
        self._line(path, 1, None, None)
        return ThreadPlan(self.thread, self.lines, len(self.by_id) - len(self.placed))

    def _newest_leaf(self) -> SourceMessage:
        leaves = [m for m in self.thread.messages if not self.children.get(m.source_id)]
        pool = leaves or list(self.thread.messages)
        return max(pool, key=lambda m: m.created_at or _EARLIEST)

    def _path_to(self, leaf: SourceMessage) -> list[SourceMessage]:
        path, seen = [], set()
        node: SourceMessage | None = leaf
        while node is not None and node.source_id not in seen:
            seen.add(node.source_id)
            path.append(node)
            node = self.by_id.get(node.parent_id or "")
        path.reverse()
        return path

    def _down_from(self, start: SourceMessage) -> list[SourceMessage]:
        """``start`` and its newest continuation, down to a leaf."""
        path, seen = [start], {start.source_id}
        while kids := [
            k for k in self.children.get(path[-1].source_id, []) if k.source_id not in seen
        ]:
            path.append(kids[-1])
            seen.add(kids[-1].source_id)
        return path

    def _line(
        self,
        path: list[SourceMessage],
        from_seq: int,
        branch_of: PlannedLine | None,
        key: str | None,
    ) -> PlannedLine:
        line = PlannedLine(key, from_seq, branch_of)
        self.lines.append(line)
        path = [m for m in path if m.source_id not in self.placed]
        self.placed.update(m.source_id for m in path)
        for k, node in enumerate(path):
            planned = PlannedMessage(node)
            line.messages.append(planned)
            if k == 0 and branch_of is not None:
                continue  # its siblings belong to the line it branched from
            siblings = [
                s
                for s in self.children.get(
                    node.parent_id if node.parent_id in self.by_id else None, []
                )
                if s is not node and s.source_id not in self.placed
            ]
            for s in siblings:
                if node.role == s.role == "assistant" and not self.children.get(s.source_id):
                    planned.versions.append(s)
                    self.placed.add(s.source_id)
            earlier = None
            for s in siblings:
                if s.source_id in self.placed:
                    continue
                branch = self._line(self._down_from(s), from_seq + k, line, s.source_id)
                if branch.messages:
                    branch.messages[0].replaced = earlier
                    earlier = branch
            planned.replaced = earlier
        return line
