"""Copies of a frozen PostgreSQL template database, one for each test, made and dropped
beside the tests instead of in their set-up and teardown."""

from __future__ import annotations

import itertools
from concurrent.futures import Future, ThreadPoolExecutor

from support.postgres import PostgresServer

# One count for every instance: two of them in one process never make the same name.
_numbers = itertools.count(1)


class TemplateCopies:
    """Copies of the PostgreSQL template, each made one test ahead and dropped after its
    test, in a thread of their own: the test waits for neither (they were ~40 ms of each
    PostgreSQL test's setup and teardown). Every copy is still new and used by one test only;
    the template is frozen (``freeze_template``), so a copy made early is the same copy. A copy
    or a drop that fails fails the next test that takes a copy, or the session's end."""

    def __init__(self, server: PostgresServer, template: str, prefix: str) -> None:
        self._server = server
        self._template = template
        self._prefix = prefix
        # One thread: CREATE and DROP run one at a time, in the order they were asked for.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-copies")
        self._next = self._thread.submit(self._copy)
        self._dropping: list[Future[None]] = []

    def _copy(self) -> str:
        name = f"{self._prefix}_{next(_numbers)}"
        self._server.create_database(name, template=self._template)
        return name

    def _raise_failed_drops(self) -> None:
        for drop in [d for d in self._dropping if d.done()]:
            self._dropping.remove(drop)
            drop.result()

    def take(self) -> str:
        """The name of a new copy, made for the caller alone."""
        self._raise_failed_drops()
        # The next copy is asked for before this one is read: one that failed fails only
        # the test that took it.
        ready, self._next = self._next, self._thread.submit(self._copy)
        return ready.result()

    def give_back(self, name: str) -> None:
        """Drop ``name`` (closing any connection a test left open), without waiting for it."""
        self._dropping.append(self._thread.submit(self._server.drop_database, name))

    def close(self) -> None:
        self._thread.shutdown(wait=True)
        unused = self._next.result()
        self._server.drop_database(unused)
        self._raise_failed_drops()
