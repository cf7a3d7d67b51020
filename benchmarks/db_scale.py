"""Seed a promptterm database at scale, in bulk, with realistic and repeatable data.

Users are created through the service layer (``create_user``); the big rows (components,
presets, threads, messages) go in with SQLAlchemy Core inserts into the SQLModel tables,
inside one transaction: going through the services row by row would take far too long.
Everything random comes from one ``random.Random(seed)``, so a seed gives the same data on
SQLite and on PostgreSQL (apart from timestamps, which are relative to now).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from promptterm.db.models import Component, Conversation, Message, Preset
from promptterm.db.models.library import COMPONENT_TYPES
from promptterm.services.facade import Services
from promptterm.services.workspaces.users import create_user


@dataclass(frozen=True)
class Scale:
    name: str
    users: int  # including the big user
    big_components: int
    big_presets: int
    big_threads: int
    messages_per_thread: int
    other_components: tuple[int, int]  # per other user, inclusive range
    other_presets: tuple[int, int]
    other_threads: tuple[int, int]
    other_messages: tuple[int, int]  # per thread of another user


FULL = Scale(
    name="full",
    users=100,
    big_components=10_000,
    big_presets=5_000,
    big_threads=1_000,
    messages_per_thread=100,
    other_components=(20, 60),
    other_presets=(2, 10),
    other_threads=(10, 40),
    other_messages=(2, 12),
)
QUICK = Scale(
    name="quick",
    users=20,
    big_components=2_000,
    big_presets=1_000,
    big_threads=200,
    messages_per_thread=100,
    other_components=(10, 30),
    other_presets=(1, 5),
    other_threads=(5, 15),
    other_messages=(2, 8),
)


@dataclass
class Seeded:
    """What the benchmark needs to know about the data it measures."""

    big_user_id: uuid.UUID
    component_ids: dict[str, list[uuid.UUID]]  # the big user's, by type
    preset_ids: list[uuid.UUID]
    thread_ids: list[uuid.UUID]
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# Vocabulary ---------------------------------------------------------------------------------


def _options(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# Component names are "<first> <second> <topic>": 16 x 16 x 21 per type.
NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "role": (
        _options(
            "Senior|Junior|Staff|Principal|Friendly|Strict|Pragmatic|Skeptical|Patient|"
            "Expert|Veteran|Curious|Meticulous|Bold|Calm|Socratic"
        ),
        _options(
            "Python reviewer|Rust mentor|SQL tuner|Copywriter|Data scientist|"
            "Security auditor|Product manager|Tutor|Historian|Translator|Legal analyst|SRE|"
            "UX researcher|Editor|Architect|Marketing expert"
        ),
    ),
    "style": (
        _options(
            "Concise|Formal|Playful|Academic|Plain|Warm|Terse|Vivid|Neutral|Direct|Gentle|"
            "Witty|Technical|Bullet-point|Narrative|Journalistic"
        ),
        _options(
            "tone|voice|prose|answers|summaries|explanations|feedback|register|style guide|"
            "release notes|emails|docs|tweets|reports|commit messages|outlines"
        ),
    ),
    "context": (
        _options(
            "Acme|Globex|Initech|Umbrella|Hooli|Stark|Wayne|Tyrell|Cyberdyne|Soylent|"
            "Aperture|Massive|Vandelay|Oscorp|Wonka|Gringotts"
        ),
        _options(
            "codebase|billing schema|customer base|release plan|incident log|API contract|"
            "data warehouse|onboarding|roadmap|brand book|kubernetes cluster|mobile app|"
            "support macros|pricing page|test suite|compliance notes"
        ),
    ),
    "mode": (
        _options(
            "Brainstorm|Step-by-step|Critique|Summarise|Debug|Plan|Refactor|Interview|"
            "Red-team|Explain|Compare|Outline|Translate|Review|Teach|Ship"
        ),
        _options(
            "mode|loop|pass|session|drill|checklist|sprint|workshop|deep dive|quick take|"
            "walkthrough|retro|triage|dry run|audit|draft"
        ),
    ),
}
TOPICS = (
    "for Python", "for Rust", "for TypeScript", "for Go", "for SQL", "for Kubernetes",
    "for React", "for Django", "for Postgres", "for finance", "for healthcare", "for legal",
    "for marketing", "for education", "for security", "for data pipelines", "for mobile",
    "for games", "for DevOps", "for ML", "",
)  # fmt: skip
TAGS = ("work", "personal", "draft", "team", "favourite", "client", "experimental", "v2")
_PROSE = (
    "the model should answer with care and cite sources when it can the user wants a clear "
    "plan with steps risks and open questions review the code for bugs performance and "
    "security issues explain each finding and propose a fix keep the tone friendly but "
    "direct avoid jargon unless the reader is an expert summarise long threads into short "
    "bullet points highlight decisions owners and deadlines write tests first then the "
    "implementation prefer small functions pure logic and explicit types the database "
    "schema has users workspaces projects files versions threads messages presets and "
    "components each query must filter by user and use an index latency matters on slow "
    "laptops and remote shells over ssh the terminal interface is keyboard driven with "
    "panels lists editors and a command palette customers ask about pricing invoices "
    "refunds limits and upgrades translate the text into plain english keep names and "
    "numbers unchanged compare two designs list trade offs and recommend one with reasons "
    "python rust typescript sql kubernetes postgres sqlite react django api json yaml "
    "latency throughput cache index migration rollback deploy incident postmortem roadmap"
)
WORDS = tuple(_PROSE.split())
PROVIDERS = (("openai", "gpt-4o-mini"), ("openai", "gpt-4o"), ("anthropic", "claude-sonnet-4"))
SEARCH_TERMS = (
    "python", "Review", "concise", "SQL", "tutor", "kube", "acme", "step", "legal", "senior",
    "security", "data", "mode", "e", "for ", "nothing like this", "Socratic tutor", "zzz",
    "release notes", "Debug",
)  # fmt: skip


class TextSource:
    """Random but readable text: slices of one large generated corpus (cheap per row)."""

    def __init__(self, rng: random.Random, words: int = 400_000) -> None:
        self.rng = rng
        chosen = rng.choices(WORDS, k=words)
        for i in range(rng.randint(6, 14), words, 12):
            chosen[i] = chosen[i] + "."
        self.corpus = " ".join(chosen)

    def text(self, low: int, high: int) -> str:
        length = self.rng.randint(low, high)
        start = self.corpus.find(" ", self.rng.randrange(len(self.corpus) - high - 100)) + 1
        body = self.corpus[start : start + length].rstrip()
        body = body + "." * (low - len(body)) if len(body) < low else body
        return body[0].upper() + body[1:]


# Seeding ------------------------------------------------------------------------------------


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _usage(rng: random.Random) -> int:
    # Most components are rarely used, a few very often.
    return min(int(rng.paretovariate(1.1)) - 1, 5_000)


def _moment(rng: random.Random, now: datetime, max_days: float = 365) -> datetime:
    return now - timedelta(seconds=rng.uniform(60, max_days * 86_400))


def seed(services: Services, scale: Scale, seed_value: int = 20_260_115) -> Seeded:
    """Fill the (fresh) database behind ``services``; its acting user is the big user."""
    started = time.perf_counter()
    rng = random.Random(seed_value)
    words = TextSource(rng)
    now = datetime.now(UTC)
    db = services.ctx.db

    services.billing.set_plan("business")  # unlimited components and presets
    users = [services.user.id]
    for i in range(1, scale.users):
        info = create_user(
            db, f"User {i:03d}", f"user{i:03d}@example.com", _moment(rng, now), new_uuid(rng)
        )
        users.append(info.id)
    big = users[0]

    rows: dict[str, int] = {}
    by_user: dict[uuid.UUID, dict[str, list[uuid.UUID]]] = {}
    with db.engine.begin() as conn:
        components: list[dict[str, Any]] = []
        for user in users:
            count = scale.big_components if user == big else rng.randint(*scale.other_components)
            by_user[user] = {kind: [] for kind in COMPONENT_TYPES}
            for kind, name in _component_names(rng, count):
                row = _component_row(rng, words, now, user, kind, name)
                by_user[user][kind].append(row["id"])
                components.append(row)
        rows["components"] = _insert(conn, Component.__table__, components)
        del components

        presets: list[dict[str, Any]] = []
        preset_names: dict[uuid.UUID, list[tuple[uuid.UUID, str, dict[str, Any]]]] = {}
        for user in users:
            count = scale.big_presets if user == big else rng.randint(*scale.other_presets)
            preset_names[user] = []
            for name in _preset_names(rng, count):
                row = _preset_row(rng, words, now, user, name, by_user[user])
                preset_names[user].append((row["id"], name, row))
                presets.append(row)
        rows["presets"] = _insert(conn, Preset.__table__, presets)
        del presets

        threads: list[dict[str, Any]] = []
        plan: list[tuple[dict[str, Any], int]] = []
        for user in users:
            count = scale.big_threads if user == big else rng.randint(*scale.other_threads)
            for _ in range(count):
                thread = _thread_row(rng, now, user, preset_names[user])
                messages = (
                    scale.messages_per_thread if user == big else rng.randint(*scale.other_messages)
                )
                threads.append(thread)
                plan.append((thread, messages))
        # A thread's messages are made first (they set its tokens and last activity), then
        # the thread and its messages are inserted together, in batches to bound memory.
        message_count = 0
        batch: list[dict[str, Any]] = []
        finished: list[dict[str, Any]] = []
        for thread, count in plan:
            batch.extend(_message_rows(rng, words, thread, count))
            finished.append(thread)
            if len(batch) >= 5_000:
                message_count += _flush_threads(conn, finished, batch)
                finished, batch = [], []
        message_count += _flush_threads(conn, finished, batch)
        rows["threads"] = len(threads)
        rows["messages"] = message_count
    rows["users"] = len(users)

    return Seeded(
        big_user_id=big,
        component_ids=by_user[big],
        preset_ids=[pid for pid, _, _ in preset_names[big]],
        thread_ids=[t["id"] for t in threads if t["user_id"] == big],
        rows=rows,
        seconds=time.perf_counter() - started,
    )


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]], chunk: int = 5_000) -> int:
    for i in range(0, len(rows), chunk):
        conn.execute(table.insert(), rows[i : i + chunk])
    return len(rows)


def _flush_threads(
    conn: Connection, threads: list[dict[str, Any]], messages: list[dict[str, Any]]
) -> int:
    # Threads before their messages (foreign key).
    if threads:
        conn.execute(Conversation.__table__.insert(), threads)
    if messages:
        conn.execute(Message.__table__.insert(), messages)
    return len(messages)


def _component_names(rng: random.Random, count: int) -> Iterator[tuple[str, str]]:
    """``count`` distinct (type, name) pairs, spread evenly over the four types."""
    seen: set[tuple[str, str]] = set()
    for i in range(count):
        kind = COMPONENT_TYPES[i % len(COMPONENT_TYPES)]
        first, second = NAME_PARTS[kind]
        while True:
            name = f"{rng.choice(first)} {rng.choice(second)} {rng.choice(TOPICS)}".strip()
            if (kind, name) in seen:
                name = f"{name} #{rng.randint(2, 999)}"
            if (kind, name) not in seen:
                break
        seen.add((kind, name))
        yield kind, name


def _preset_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        first, second = NAME_PARTS[rng.choice(COMPONENT_TYPES)]
        name = f"{rng.choice(first)} {rng.choice(second)}"
        if name in names:
            name = f"{name} {rng.randint(2, 9_999)}"
        names.add(name)
    return sorted(names, key=lambda _: rng.random())


def _component_row(
    rng: random.Random, words: TextSource, now: datetime, user: uuid.UUID, kind: str, name: str
) -> dict[str, Any]:
    created = _moment(rng, now)
    updated = created + (now - created) * rng.random() * 0.5
    usage = _usage(rng)
    return {
        "id": new_uuid(rng),
        "user_id": user,
        "type": kind,
        "name": name,
        "content": words.text(200, 2000),
        "description": words.text(30, 200) if rng.random() < 0.7 else None,
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "usage_count": usage,
        "last_used_at": updated + (now - updated) * rng.random() if usage else None,
        "created_at": created,
        "updated_at": updated,
    }


def _preset_row(
    rng: random.Random,
    words: TextSource,
    now: datetime,
    user: uuid.UUID,
    name: str,
    components: dict[str, list[uuid.UUID]],
) -> dict[str, Any]:
    available = [kind for kind in COMPONENT_TYPES if components[kind]]
    size = min(len(available), rng.choices((1, 2, 3, 4), weights=(1, 3, 4, 4))[0])
    slots = set(rng.sample(available, size))
    created = _moment(rng, now)
    updated = created + (now - created) * rng.random() * 0.5
    usage = _usage(rng)
    return {
        "id": new_uuid(rng),
        "user_id": user,
        "name": name,
        "description": words.text(30, 200) if rng.random() < 0.5 else None,
        **{
            f"{kind}_id": rng.choice(components[kind]) if kind in slots else None
            for kind in COMPONENT_TYPES
        },
        "declared_slots": [kind for kind in COMPONENT_TYPES if kind in slots],
        "usage_count": usage,
        "last_used_at": updated + (now - updated) * rng.random() if usage else None,
        "created_at": created,
        "updated_at": updated,
    }


def _thread_row(
    rng: random.Random,
    now: datetime,
    user: uuid.UUID,
    presets: list[tuple[uuid.UUID, str, dict[str, Any]]],
) -> dict[str, Any]:
    created = _moment(rng, now)
    preset = rng.choice(presets) if presets and rng.random() < 0.5 else None
    history = []
    if preset is not None:
        history.append(
            {
                "timestamp": created.isoformat(),
                "preset_id": str(preset[0]),
                "preset_name": preset[1],
                "changed_components": list(preset[2]["declared_slots"]),
            }
        )
    provider, model = rng.choice(PROVIDERS)
    first, second = NAME_PARTS[rng.choice(COMPONENT_TYPES)]
    return {
        "id": new_uuid(rng),
        "project_id": None,
        "user_id": user,
        "title": f"{rng.choice(first)} {rng.choice(second)} {rng.choice(TOPICS)}".strip(),
        "context": {},
        "is_archived": rng.random() < 0.05,
        "current_preset_id": preset[0] if preset else None,
        "preset_history": history,
        "total_tokens": 0,  # set from the messages
        "provider": provider,
        "model": model,
        "created_at": created,
        "updated_at": created,  # set from the messages
    }


def _message_rows(
    rng: random.Random, words: TextSource, thread: dict[str, Any], count: int
) -> list[dict[str, Any]]:
    moment: datetime = thread["created_at"]
    now = datetime.now(UTC)
    # Spread the thread's messages over at most the time left until now.
    step = max((now - moment).total_seconds() / (count + 1), 1.0)
    rows, tokens = [], 0
    for seq in range(1, count + 1):
        moment = moment + timedelta(seconds=rng.uniform(0.2, 1.0) * step)
        assistant = seq % 2 == 0
        content = words.text(200, 2000)
        tokens_in = rng.randint(50, 4_000) if assistant else None
        tokens_out = len(content) // 4 if assistant else None
        tokens += (tokens_in or 0) + (tokens_out or 0)
        rows.append(
            {
                "id": new_uuid(rng),
                "conversation_id": thread["id"],
                "seq": seq,
                "role": "assistant" if assistant else "user",
                "content": content,
                "status": "complete",
                "metadata": {},
                "tokens_in": tokens_in,
                "tokens_out": tokens_out,
                "tokens_estimated": False,
                "provider": thread["provider"] if assistant else None,
                "model": thread["model"] if assistant else None,
                "cost_usd": Decimal(tokens_in + tokens_out) / Decimal(1_000_000)
                if assistant and tokens_in and tokens_out
                else None,
                "created_at": moment,
            }
        )
    thread["total_tokens"] = tokens
    thread["updated_at"] = moment
    return rows
