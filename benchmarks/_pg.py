"""The benchmarks' PostgreSQL server: the test suite's (tests/support/postgres.py), durable.

The test server turns durability off (fsync, synchronous_commit, full_page_writes), which
makes commits unrealistically cheap; ``durable=True`` keeps PostgreSQL's defaults and puts
the cluster on disk. As root (initdb refuses root) it runs as an unprivileged account.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.postgres import PostgresServer, PostgresUnavailable, find_bin_dir

__all__ = ["BenchPostgres", "PostgresUnavailable", "find_bin_dir"]


def BenchPostgres(bin_dir: Path) -> PostgresServer:  # named like the class it stood for
    """``start()``, ``create_database(name)``, ``url(name)``, ``stop()``; or use ``with``."""
    return PostgresServer(bin_dir, durable=True)
