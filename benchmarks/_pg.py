"""A private PostgreSQL server for the benchmarks, started from the machine's own binaries.

Why not tests/support/postgres.py: the test server turns durability off (fsync,
synchronous_commit, full_page_writes), which makes commits unrealistically cheap. This one
keeps every durability setting at PostgreSQL's defaults; only ``shared_buffers`` is pinned
(to 128MB) so that results do not depend on the machine's initdb defaults.

The server listens on 127.0.0.1 only, on a free port, with trust authentication, and keeps
its data directory, socket and log in a temporary directory that ``stop()`` removes. As root
(initdb refuses root) it runs as the ``postgres`` account, or ``nobody``.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
from psycopg import sql

SUPERUSER = "postgres"
SERVER_ACCOUNTS = ("postgres", "nobody")
REQUIRED = ("initdb", "pg_ctl", "postgres")
STARTUP_TIMEOUT = 30.0


class PostgresUnavailable(RuntimeError):
    """No server binaries, no account to run them as, or the server would not start."""


def find_bin_dir() -> Path | None:
    """PROMPTTERM_PG_BIN, else the newest /usr/lib/postgresql/*/bin (Debian), else PATH."""
    explicit = os.environ.get("PROMPTTERM_PG_BIN")
    if explicit:
        # An explicit choice is not second-guessed: an unusable one means no server.
        candidates = [Path(explicit)]
    else:
        candidates = [
            Path(p)
            for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major, reverse=True)
        ]
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if all(os.access(bindir / name, os.X_OK) for name in REQUIRED):
            return bindir
    return None


def _major(bindir: str) -> float:
    try:
        return float(Path(bindir).parent.name)
    except ValueError:
        return -1.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_account() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in SERVER_ACCOUNTS:
        with contextlib.suppress(KeyError):
            account = pwd.getpwnam(name)
            if account.pw_uid != 0:
                return account
    raise PostgresUnavailable(
        "Running as root (initdb refuses root) and there is no unprivileged account "
        f"({', '.join(SERVER_ACCOUNTS)}) to run PostgreSQL as."
    )


class BenchPostgres:
    """``start()``, ``create_database(name)``, ``url(name)``, ``stop()``; or use ``with``."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = 0
        self._run_dir: Path | None = None
        self._account: pwd.struct_passwd | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def run_dir(self) -> Path:
        if self._run_dir is None:
            raise RuntimeError("the PostgreSQL server is not started")
        return self._run_dir

    @property
    def data_dir(self) -> Path:
        return self.run_dir / "data"

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def version(self) -> str:
        out = subprocess.run(
            [str(self.bin_dir / "postgres"), "--version"], capture_output=True, text=True
        )
        return out.stdout.strip()

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = (self.run_dir / "server.log").read_text(errors="replace")
        except (OSError, RuntimeError):
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # Life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._account = _server_account()
        # /tmp (not root's TMPDIR) so that the server account can reach it.
        parent = "/tmp" if self._account is not None else None
        self._run_dir = Path(tempfile.mkdtemp(prefix="promptterm-bench-pg-", dir=parent))
        (self._run_dir / "socket").mkdir(mode=0o700)
        if self._account is not None:
            for path in (self._run_dir, self._run_dir / "socket"):
                os.chown(path, self._account.pw_uid, self._account.pw_gid)
        atexit.register(self.stop)
        try:
            self._initdb()
            self._launch()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Fast shutdown (clean, with a checkpoint), then remove every file."""
        atexit.unregister(self.stop)
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                self._run(
                    [str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir),
                     "-m", "fast", "-w", "-t", "30"],
                    timeout=40,
                )  # fmt: skip
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._run_dir is not None:
            shutil.rmtree(self._run_dir, ignore_errors=True)
            self._run_dir = None

    def __enter__(self) -> BenchPostgres:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def create_database(self, name: str) -> None:
        with self._connect("postgres") as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    # Internals -----------------------------------------------------------------------------

    def _as_account(self) -> dict[str, Any]:
        if self._account is None:
            return {}
        return {"user": self._account.pw_uid, "group": self._account.pw_gid, "extra_groups": []}

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", HOME=str(self.run_dir))
        return env

    def _run(self, command: list[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=self.run_dir,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            **self._as_account(),
        )

    def _initdb(self) -> None:
        result = self._run(
            [str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
             "-A", "trust", "-E", "UTF8", "--locale=C"],
            timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed:\n{(result.stdout + result.stderr).strip()}")

    def _launch(self) -> None:
        for attempt in range(3):
            self.port = _free_port()
            self._process = self._spawn()
            if self._wait_until_ready(self._process):
                return
            self._process = None
            if "could not bind" not in self.log_tail(50) or attempt == 2:
                break
        raise PostgresUnavailable(f"PostgreSQL did not start:\n{self.log_tail()}")

    def _spawn(self) -> subprocess.Popen[bytes]:
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.run_dir / "socket"),
            "shared_buffers": "128MB",
            "timezone": "UTC",
            "log_timezone": "UTC",
        }
        command = [str(self.bin_dir / "postgres"), "-D", str(self.data_dir)]
        for key, value in settings.items():
            command += ["-c", f"{key}={value}"]
        with (self.run_dir / "server.log").open("ab") as log:
            return subprocess.Popen(
                command,
                cwd=self.run_dir,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Ctrl-C reaches us, and we stop the server in order.
                start_new_session=True,
                **self._as_account(),
            )

    def _wait_until_ready(self, process: subprocess.Popen[bytes]) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while process.poll() is None:
            try:
                with self._connect("postgres") as conn:
                    row = conn.execute("SHOW data_directory").fetchone()
                if row is not None and Path(row[0]) == self.data_dir:
                    return True
            except psycopg.OperationalError:
                pass
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise PostgresUnavailable(f"PostgreSQL did not answer in time:\n{self.log_tail()}")
            time.sleep(0.05)
        return False

    def _connect(self, dbname: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            dbname=dbname,
            connect_timeout=5,
            autocommit=True,
        )
