"""A throwaway PostgreSQL server for the test suite, started from the machine's own binaries.

The server listens on 127.0.0.1 only, on a free port, and keeps its data directory, Unix
socket and log in a private temporary directory that ``stop()`` removes. Durability is off
(fsync, synchronous_commit, full_page_writes): nothing in it outlives the test session.

The benchmarks use the same server with ``durable=True`` (benchmarks/_pg.py): PostgreSQL's own
durability settings, on disk rather than in RAM, since cheap commits would flatter them.
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

from support.waiting import CEILING

SUPERUSER = "postgres"
STARTUP_TIMEOUT = CEILING  # a busy machine starts slowly; only a broken server takes this long
# initdb and the server refuse to run as root; as root we run them as the first of these
# existing unprivileged accounts (Debian's server package creates "postgres") ...
SERVER_ACCOUNTS = ("postgres", "nobody")
# ... or, failing that, as this system account, which we create.
DEDICATED_ACCOUNT = "promptterm-pg"
_REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")
# Free space /dev/shm needs for the server's files to go there (PROMPTTERM_PG_TMPDIR wins).
SHM_MIN_FREE = 1 << 30


class PostgresUnavailable(RuntimeError):
    """The server could not be found, set up or started; the message says why."""


def find_bin_dir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, or None when there is none.

    Looks at PROMPTTERM_PG_BIN, then ``pg_config --bindir``, then /usr/lib/postgresql/*/bin
    (Debian's layout, which keeps them off PATH; newest version first), then PATH.
    """
    explicit = os.environ.get("PROMPTTERM_PG_BIN")
    if explicit:
        # An explicit choice is not second-guessed: quietly using another server would hide
        # the mistake.
        if _has_binaries(Path(explicit)):
            return Path(explicit)
        raise PostgresUnavailable(
            f"PROMPTTERM_PG_BIN={explicit} does not contain {', '.join(_REQUIRED_BINARIES)}."
        )
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            bindir = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=CEILING
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            bindir = ""
        # Debian's pg_config comes with libpq-dev and can name a bindir with no server in it.
        if bindir and _has_binaries(Path(bindir)):
            return Path(bindir)
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major_version, reverse=True)
    for bindir in debian:
        if _has_binaries(Path(bindir)):
            return Path(bindir)
    initdb = shutil.which("initdb")
    if initdb and _has_binaries(Path(initdb).resolve().parent):
        return Path(initdb).resolve().parent
    return None


def _has_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in _REQUIRED_BINARIES)


def _major_version(bindir: str) -> float:
    # /usr/lib/postgresql/15/bin -> 15.0; "9.6" sorts below "10".
    try:
        return float(Path(bindir).parent.name)
    except ValueError:
        return -1.0


def _free_port() -> int:
    # The kernel picks a free port; there is a small window in which someone else can take it
    # before the server binds, which start() covers by retrying on another port.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as, or None to run it as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in (*SERVER_ACCOUNTS, DEDICATED_ACCOUNT):
        with contextlib.suppress(KeyError):
            account = pwd.getpwnam(name)
            if account.pw_uid != 0:
                return account
    command = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
    try:
        result = subprocess.run([*command, DEDICATED_ACCOUNT], capture_output=True, text=True)
        reason = result.stderr.strip()
    except OSError as exc:
        reason = str(exc)
    try:
        # useradd exits with status 9 when another pytest-xdist worker created it first: fine.
        return pwd.getpwnam(DEDICATED_ACCOUNT)
    except KeyError:
        raise PostgresUnavailable(
            "Running as root, and initdb refuses root, but there is no unprivileged account "
            f"to run PostgreSQL as and `useradd {DEDICATED_ACCOUNT}` failed: {reason}"
        ) from None


def _run_dir_parent(account: pwd.struct_passwd | None) -> str | None:
    """Where to put the server's files: RAM when there is room, else the temporary directory.

    Every test copies a template database of a few hundred files; on a RAM disk that takes
    about 15 ms, on a virtual machine's ext4 disk it can take ten times as long.
    """
    explicit = os.environ.get("PROMPTTERM_PG_TMPDIR")
    if explicit:
        return explicit
    with contextlib.suppress(OSError):
        shm = os.statvfs("/dev/shm")
        # Docker gives containers a 64 MB /dev/shm: too small for a cluster and its WAL.
        if shm.f_bavail * shm.f_frsize >= SHM_MIN_FREE and os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    # As root, root's TMPDIR may be somewhere the server account cannot reach, whereas /tmp
    # is world-traversable; the run directory itself is then handed to the server account.
    return "/tmp" if account is not None else None


class PostgresServer:
    """One private PostgreSQL server: ``start()``, use ``url(dbname)``, ``stop()``."""

    def __init__(
        self,
        bin_dir: Path,
        *,
        superuser: str = SUPERUSER,
        startup_timeout: float = STARTUP_TIMEOUT,
        durable: bool = False,
    ) -> None:
        self.bin_dir = bin_dir
        self.durable = durable
        self.superuser = superuser
        self.startup_timeout = startup_timeout
        self._port: int | None = None
        self._run_dir: Path | None = None
        self._account: pwd.struct_passwd | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._admin: psycopg.Connection[Any] | None = None
        self._server_version = 0  # e.g. 150018, known once started
        self._owner_pid = os.getpid()

    # -- where things are ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the PostgreSQL server has not been started")
        return self._port

    @property
    def run_dir(self) -> Path:
        if self._run_dir is None:
            raise RuntimeError("the PostgreSQL server has not been started")
        return self._run_dir

    @property
    def data_dir(self) -> Path:
        return self.run_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.run_dir / "socket"

    @property
    def log_file(self) -> Path:
        return self.run_dir / "server.log"

    def url(self, dbname: str) -> str:
        """The SQLAlchemy URL promptterm takes, for database ``dbname`` on this server."""
        return f"postgresql+psycopg://{self.superuser}@127.0.0.1:{self.port}/{dbname}"

    def version(self) -> str:
        """E.g. ``postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)``."""
        out = subprocess.run(
            [str(self.bin_dir / "postgres"), "--version"], capture_output=True, text=True
        )
        return out.stdout.strip()

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except (OSError, RuntimeError):
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:]) or "(the server log is empty)"

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """initdb a fresh cluster and start the server; raises PostgresUnavailable."""
        if self._process is not None:
            raise RuntimeError("the PostgreSQL server is already running")
        self._owner_pid = os.getpid()
        self._account = _server_account()
        self._run_dir = self._make_run_dir()
        # Backstop for runs that never reach the fixture's teardown (e.g. an internal error).
        atexit.register(self.stop)
        try:
            self._initdb()
            self._launch()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server and delete its files: an immediate shutdown (no checkpoint), or
        when durable a fast one (clean, with a checkpoint)."""
        if os.getpid() != self._owner_pid:
            return  # a forked child must not stop the server its parent is using
        atexit.unregister(self.stop)
        if self._admin is not None:
            with contextlib.suppress(Exception):
                self._admin.close()
            self._admin = None
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                mode, wait = ("fast", 30) if self.durable else ("immediate", 10)
                self._run(
                    [str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir),
                     "-m", mode, "-w", "-t", str(wait)],
                    timeout=wait + 10,
                )  # fmt: skip
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._run_dir is not None:
            shutil.rmtree(self._run_dir, ignore_errors=True)
            self._run_dir = None
        self._port = None

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------------------------

    def create_database(self, name: str, template: str | None = None) -> None:
        """CREATE DATABASE ``name``, as a copy of ``template`` when given.

        Copying fails while anyone is connected to the template; see ``freeze_template``.
        """
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            if self._server_version >= 150000:
                # PostgreSQL 15's default, WAL_LOG, writes every copied page to the WAL;
                # FILE_COPY copies the files and, with fsync off, its checkpoints cost little:
                # about 11 ms instead of 17 ms per copy of our template.
                query += sql.SQL(" STRATEGY FILE_COPY")
        self._admin_connection().execute(query)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ``name`` if it exists, closing any connections a test left open."""
        query = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        self._admin_connection().execute(query)

    def freeze_template(self, name: str) -> None:
        """Mark ``name`` as a template that nobody can connect to (so copying it never fails)."""
        query = sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
        self._admin_connection().execute(query.format(sql.Identifier(name)))

    # -- internals ----------------------------------------------------------------------------

    def _make_run_dir(self) -> Path:
        if self.durable:
            # On disk: a RAM disk would make durability free. /tmp (not root's TMPDIR) so that
            # the server account can reach it.
            parent = "/tmp" if self._account is not None else None
        else:
            parent = _run_dir_parent(self._account)
        prefix = "promptterm-bench-pg-" if self.durable else "promptterm-pg-"
        run_dir = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        (run_dir / "socket").mkdir(mode=0o700)
        if self._account is not None:
            for path in (run_dir, run_dir / "socket"):
                os.chown(path, self._account.pw_uid, self._account.pw_gid)
        return run_dir

    def _as_account(self) -> dict[str, Any]:
        if self._account is None:
            return {}
        # extra_groups=[] drops root's supplementary groups too.
        return {"user": self._account.pw_uid, "group": self._account.pw_gid, "extra_groups": []}

    def _env(self) -> dict[str, str]:
        # PG* variables of the developer's shell (PGDATA, PGPORT, PGOPTIONS...) must not leak
        # into our server; LC_ALL=C keeps its messages in English for the error reports.
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
        command = [
            str(self.bin_dir / "initdb"),
            "-D", str(self.data_dir),
            "-U", self.superuser,
            "-A", "trust",
            "-E", "UTF8",
            "--locale=C",
            "--no-instructions",
        ]  # fmt: skip
        if not self.durable:
            command.append("--no-sync")
        result = self._run(command, timeout=120)
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()
            raise PostgresUnavailable(
                f"initdb failed (exit status {result.returncode}) in {self.data_dir}:\n{output}"
            )

    def _launch(self) -> None:
        attempts = 3
        for attempt in range(1, attempts + 1):
            self._port = _free_port()
            self._process = self._spawn()
            if self._wait_until_ready(self._process):
                return
            self._process = None
            port_taken = "could not bind" in self.log_tail(lines=50)
            if not (port_taken and attempt < attempts):
                raise PostgresUnavailable(
                    f"PostgreSQL ({self.bin_dir}) exited during start-up on port {self._port}."
                    f"\nLast lines of {self.log_file}:\n{self.log_tail()}"
                )

    def _spawn(self) -> subprocess.Popen[bytes]:
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.socket_dir),
            # Results must not depend on the machine's time zone.
            "timezone": "UTC",
            "log_timezone": "UTC",
        }
        if self.durable:
            # Every durability setting at PostgreSQL's defaults; only shared_buffers pinned,
            # so that figures do not depend on the machine's initdb defaults.
            settings["shared_buffers"] = "128MB"
        else:
            settings |= self._fast_settings()
        command = [str(self.bin_dir / "postgres"), "-D", str(self.data_dir)]
        for key, value in settings.items():
            command += ["-c", f"{key}={value}"]
        with self.log_file.open("ab") as log:
            return subprocess.Popen(
                command,
                cwd=self.run_dir,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own session: a Ctrl-C in the terminal reaches pytest, whose teardown
                # then stops the server in order, instead of reaching the server directly.
                start_new_session=True,
                **self._as_account(),
            )

    @staticmethod
    def _fast_settings() -> dict[str, str]:
        return {
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            # Shared memory segments as files in the data directory rather than in /dev/shm,
            # so that even a killed server leaves nothing behind once the directory is gone.
            "dynamic_shared_memory_type": "mmap",
            # Checkpoint often enough that the WAL stays small (its files may be in RAM).
            "max_wal_size": "128MB",
            "min_wal_size": "32MB",
        }

    def _wait_until_ready(self, process: subprocess.Popen[bytes]) -> bool:
        """True once the server accepts connections; False if it exited; raises on timeout."""
        deadline = time.monotonic() + self.startup_timeout
        while process.poll() is None:
            try:
                with self._connect("postgres") as conn:
                    # Make sure it is our server that answers on the port, not a stranger's.
                    row = conn.execute("SHOW data_directory").fetchone()
                    if row is not None and Path(row[0]) == self.data_dir:
                        self._server_version = conn.info.server_version
                        return True
            except psycopg.OperationalError:
                pass  # not accepting connections yet ("the database system is starting up")
            if time.monotonic() > deadline:
                # start() then stops the server the usual way, which stops its children too.
                raise PostgresUnavailable(
                    f"PostgreSQL ({self.bin_dir}) did not accept connections on "
                    f"127.0.0.1:{self.port} within {self.startup_timeout:.0f} s."
                    f"\nLast lines of {self.log_file}:\n{self.log_tail()}"
                )
            time.sleep(0.05)
        return False

    def _connect(self, dbname: str) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.superuser,
            dbname=dbname,
            connect_timeout=int(CEILING),
            autocommit=True,  # CREATE/DROP DATABASE cannot run inside a transaction
        )

    def _admin_connection(self) -> psycopg.Connection[Any]:
        # One connection to the maintenance database, reused: a new backend per test costs.
        if self._admin is None or self._admin.closed or self._admin.broken:
            self._admin = self._connect("postgres")
        return self._admin
