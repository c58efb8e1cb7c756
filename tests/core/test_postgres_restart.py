"""With PostgreSQL restarted, the app recovers without a restart of its own.

The test runs gunicorn against a private PostgreSQL cluster that it creates, stops, starts and
restarts itself: the machine's shared server (port 5432) serves other tests and benchmarks and
must not be disturbed, and this test does not depend on DATABASE_URL, so it runs the same in the
SQLite and the PostgreSQL passes of the suite. It is skipped where PostgreSQL's server binaries
or a `postgres` system user are missing, except in CI, where it fails instead.
"""

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
DB_NAME = "gaceta_restart"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    """Status and body of a GET; an HTTP error status is an answer too, a timeout is not."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Cluster:
    """A throwaway PostgreSQL cluster on a free loopback port, run as the `postgres` user."""

    def __init__(self, workdir: Path):
        self.bin = Path(PG_BIN[-1])
        home = workdir / "postgres"  # the postgres user's: data, socket and log
        home.mkdir()
        shutil.chown(home, "postgres", "postgres")
        self.data = home / "data"
        self.sockets = home
        self.log = home / "postgres.log"
        self.port = free_port()

    def run(self, *args: str) -> None:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
        command = ["runuser", "-u", "postgres", "--", str(self.bin / args[0]), *args[1:]]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}"

    def pg_ctl(self, *args: str) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), *args)

    def init_and_start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--locale=C", "--no-sync")
        # In the cluster's own configuration file, so that every later start uses them too and
        # none can fall back to the default port and socket of the shared server.
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.sockets}'\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        self.pg_ctl("start", "-w", "-t", "30")
        self.run("createdb", "-h", str(self.sockets), "-p", str(self.port), "-U", "postgres",
                 DB_NAME)

    def app_backends(self) -> list[int]:
        """Process ids of the connections the app holds open to its database."""
        import psycopg

        with psycopg.connect(host=str(self.sockets), port=self.port, user="postgres",
                             dbname=DB_NAME) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND client_addr IS NOT NULL"
                " AND pid <> pg_backend_pid()", [DB_NAME]
            ).fetchall()
        return [pid for (pid,) in rows]

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop", "-m", "immediate", "-w")


def app_env(cluster: Cluster, workdir: Path) -> dict[str, str]:
    """The app's environment: nothing inherited that could point it at the shared servers."""
    env = {
        name: value for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GACETA_", "PG", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster.port}/{DB_NAME}",
        DJANGO_SETTINGS_MODULE="gaceta.settings.dev",
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        GACETA_PAGE_CACHE_SECONDS="0",  # every request reaches the views and the database
        GACETA_SQLITE_PATH=str(workdir / "unused.sqlite3"),
        GACETA_MEDIA_ROOT=str(workdir / "media"),
        GACETA_DEMO_DATA=str(workdir / "no-demo-data"),  # the small original set of stories
        GACETA_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{output}"


@pytest.fixture
def workdir():
    if not PG_BIN or shutil.which("runuser") is None:
        unavailable("needs PostgreSQL's server binaries and runuser")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        unavailable("needs a postgres system user")
    if os.geteuid() != 0:
        unavailable("runs PostgreSQL as the postgres user, which needs root")
    path = Path(tempfile.mkdtemp(prefix="gaceta-pg-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.mark.slow
def test_app_recovers_when_postgres_stops_starts_and_restarts(workdir):
    cluster = Cluster(workdir)
    server = None
    server_log = workdir / "gunicorn.log"
    try:
        cluster.init_and_start()
        env = app_env(cluster, workdir)
        (workdir / "no-demo-data").mkdir()
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo_content")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env.update(GACETA_BIND=f"127.0.0.1:{port}", GACETA_WORKERS="1")
        with server_log.open("wb") as log:
            # The deployment's own gunicorn settings (preload_app and all), with one worker.
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "gaceta.wsgi", "-c", "deploy/gunicorn.conf.py"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, f"gunicorn exited:\n{server_log.read_text()}"
            try:
                get(f"{base}/healthz", timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline, (
                    f"gunicorn never answered:\n{server_log.read_text()}")
                time.sleep(0.1)

        searches = iter(range(1000))

        def assert_all_ok(when: str) -> None:
            paths = [f"/search/?q=minister{next(searches)}", "/readyz", "/",
                     f"/search/?q=market{next(searches)}"]
            for path in paths:
                status, body = get(base + path)
                assert status == 200, (
                    f"{when}: GET {path} -> {status}\n{body[:500]}\n{server_log.read_text()}")
                if path == "/readyz":
                    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}

        assert_all_ok("before any restart")
        workers = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        worker = workers.read_text().split()
        assert len(worker) == 1
        # The worker keeps its connection between requests (conn_max_age), so a restart leaves it
        # holding a dead one: exactly the case the health check must catch.
        held = cluster.app_backends()
        assert len(held) == 1, f"expected one persistent connection from the app, found {held}"

        # PostgreSQL down: readiness says so at once, pages fail with an error page, nothing hangs.
        cluster.pg_ctl("stop", "-m", "fast", "-w")
        started = time.monotonic()
        time.sleep(2.1)  # outlive the content generation the worker cached (core/cache.py)
        status, body = get(f"{base}/readyz", timeout=5)
        assert status == 503 and json.loads(body)["database"].startswith("unavailable"), body
        for path in ("/search/?q=outage", "/"):
            status, _ = get(base + path, timeout=5)
            assert 500 <= status < 600, f"GET {path} with PostgreSQL down -> {status}"
        assert time.monotonic() - started < 10
        assert server.poll() is None

        cluster.pg_ctl("start", "-w", "-t", "30")
        assert_all_ok("after PostgreSQL started again")

        held = cluster.app_backends()
        assert len(held) == 1
        cluster.pg_ctl("restart", "-m", "fast", "-w", "-t", "30")
        assert_all_ok("right after PostgreSQL restarted")
        assert_all_ok("a little later")
        reconnected = cluster.app_backends()
        assert len(reconnected) == 1 and reconnected != held, (held, reconnected)
        assert server.poll() is None and workers.read_text().split() == worker, (
            "the same gunicorn worker must have served throughout")
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        cluster.stop()
