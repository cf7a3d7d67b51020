"""`prompt list|show` on the lean path (db/lean.py), for commands that must answer in a
blink: ``PromptService.list``, ``find`` and ``PromptUsageService.recent`` over
db/lean_rows.py's records, shaped by the same functions (prompt_info.py, prompt_use_info.py)
and sorted by the same orders.

Left to the services (``Declined``): a filter other than the trash and the sort, and
whatever involves sharing (a prompt of someone else's, or one shared into a workspace,
whose name ``prompt show`` says), and a name that is not exactly one of the user's own
prompts (the services then look among those shared with the user, or say what is wrong)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from promptterm.db.lean import Declined, LeanRead
from promptterm.db.lean_rows import NOT_NULL, Order, records
from promptterm.services.library.prompt_info import (
    PROMPT_ORDER,
    PromptInfo,
    content_from,
    info_from,
)
from promptterm.services.library.prompt_use_info import USE_ORDER, PromptUseInfo, use_info

# prompt_state.load_rows's orders. Options sort by (created_at, meta's "position" as an
# integer, name) in SQL there; JSON is not a column, so that is done in Python below.
_MODULES: Order = (("order_index", "asc"), ("created_at", "asc"))
_VARIABLES: Order = (("created_at", "asc"), ("name", "asc"))


def lean_prompt_list(read: LeanRead, *, trash: bool, sort: str) -> list[PromptInfo]:
    """As ``PromptService.list(trash=trash, sort=sort)``."""
    if sort not in PROMPT_ORDER:
        raise Declined(f"sort {sort!r}")  # the service says what the choices are
    where = {"user_id": read.user_id, "deleted_at": NOT_NULL if trash else None}
    return _infos(read, records(read, "prompts", where, PROMPT_ORDER[sort]))


def lean_folder_names(read: LeanRead, *, trash: bool) -> dict[uuid.UUID, str]:
    """As `prompt list` names folders: those in the trash too when listing the trash, the
    live one's name winning."""
    names: dict[uuid.UUID, str] = {}
    for deleted in (NOT_NULL, None) if trash else (None,):
        where = {"user_id": read.user_id, "deleted_at": deleted}
        names.update({f.id: f.name for f in records(read, "prompt_folders", where)})
    return names


def lean_prompt_find(read: LeanRead, ref: str) -> PromptInfo:
    """As ``PromptService.find(ref)`` for one of the user's own prompts."""
    try:
        wanted = uuid.UUID(ref)
    except ValueError:
        where = {"user_id": read.user_id, "name": ref, "deleted_at": None}
        found = records(read, "prompts", where)
    else:
        found = records(read, "prompts", {"id": wanted})
    if len(found) != 1 or found[0].user_id != read.user_id:
        # None, several or someone else's: the services say so (and the activity log
        # keeps what they refused), or look among those shared with the user.
        raise Declined("not exactly one of the user's own prompts")
    return _infos(read, found)[0]


def lean_recent_uses(read: LeanRead, prompt_id: uuid.UUID, limit: int) -> list[PromptUseInfo]:
    """As ``PromptUsageService.recent(prompt_id, limit)``."""
    where = {"user_id": read.user_id, "prompt_id": prompt_id}
    return [use_info(row) for row in records(read, "prompt_usage", where, USE_ORDER, limit)]


def _infos(read: LeanRead, prompts: Sequence[Any]) -> list[PromptInfo]:
    """Each prompt with what it says: its modules, options, variables and tags, read for
    all of them at once."""
    ids = [p.id for p in prompts]
    modules = defaultdict(list)
    for m in records(read, "prompt_modules", {"prompt_id": ids}, _MODULES):
        modules[m.prompt_id].append(m)
    options = defaultdict(list)
    module_ids = [m.id for listed in modules.values() for m in listed]
    for o in sorted(records(read, "module_options", {"module_id": module_ids}), key=_option_order):
        options[o.module_id].append([o.id, o.name, o.content, o.is_default])
    variables = defaultdict(list)
    for v in records(read, "prompt_variables", {"prompt_id": ids}, _VARIABLES):
        variables[v.prompt_id].append((v.name, v.type, v.config))
    tags = defaultdict(list)
    for t in records(read, "prompt_tags", {"prompt_id": ids}, (("tag", "asc"),)):
        tags[t.prompt_id].append(t.tag)
    infos = []
    for prompt in prompts:
        listed = modules[prompt.id]
        rows = SimpleNamespace(
            modules=[(m.id, m.name, m.order_index, m.visible) for m in listed],
            options={m.id: options[m.id] for m in listed},
            variables=variables[prompt.id],
        )
        infos.append(info_from(prompt, content_from(rows, tuple(tags[prompt.id]))))
    return infos


def _option_order(option: Any) -> tuple[Any, ...]:
    """prompt_state.load_rows's ORDER BY created_at, CAST(meta position AS INTEGER), name,
    as SQLite sorts it: no position (NULL) before any."""
    position = (option.meta or {}).get("position")
    return (option.created_at, position is not None, int(position or 0), option.name)
