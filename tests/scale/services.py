"""Real servers for the scale-out tests: redis-server and PostgreSQL on 127.0.0.1, stopped by PID.

Debian's packages are installed through apt when missing (the machines have no Docker engine);
`Unavailable` carries the reason when that fails, and the fixtures turn it into a skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from glob import glob
from pathlib import Path


class Unavailable(RuntimeError):
    """A server or tool cannot be installed or started here; the message says why."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def apt_install(*packages: str) -> None:
    """`apt-get install -y` (after one `apt-get update`); raise Unavailable with apt's tail on failure."""
    if shutil.which("apt-get") is None:
        raise Unavailable(f"apt-get not found: install {' '.join(packages)} by hand")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else [])
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        proc = subprocess.run(sudo + cmd, env=env, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise Unavailable(f"`{' '.join(cmd)}` failed: {(proc.stderr or proc.stdout)[-800:]}")


def ensure_tool(tool: str, package: str, candidates: tuple[str, ...] = ()) -> str:
    """The path of `tool`, installing `package` through apt when it is missing."""
    def find() -> str | None:
        found = shutil.which(tool)
        if found:
            return found
        for pattern in candidates:
            hits = sorted(glob(pattern))
            if hits:
                return hits[-1]
        return None

    path = find()
    if path is None:
        apt_install(package)
        path = find()
    if path is None:
        raise Unavailable(f"{tool} still missing after `apt-get install -y {package}`")
    return path


def wait_for_port(port: int, proc: subprocess.Popen, what: str, log: Path, patience: float = 60.0) -> None:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Unavailable(f"{what} exited with {proc.returncode}: {tail(log)}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise Unavailable(f"{what} did not listen on 127.0.0.1:{port} within {patience:.0f} s: {tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(proc: subprocess.Popen, patience: float = 20.0) -> None:
    """SIGTERM the process (its own group, so its children too), SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=patience)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@dataclass
class Redis:
    port: int
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def db_url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


@contextmanager
def redis_server(workdir: Path, *extra: str, port: int | None = None) -> Iterator[Redis]:
    """redis-server on 127.0.0.1 (a free port unless given); `extra` arguments go last (they win)."""
    exe = ensure_tool("redis-server", "redis-server")
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log = workdir / "redis.log"
    # No persistence unless `extra` asks for it: the test's data lives for the session only.
    proc = subprocess.Popen(
        [exe, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(workdir), "--save", "",
         "--appendonly", "no", "--protected-mode", "yes", *extra],
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, proc, "redis-server", log)
        yield Redis(port, proc)
    finally:
        stop(proc)


def redis_or_skip(workdir: Path, *extra: str) -> Iterator[Redis]:
    """For a module fixture (`yield from redis_or_skip(...)`): a redis-server, or the tests skipped
    when none can be had here."""
    import pytest

    try:
        with redis_server(workdir, *extra) as r:
            yield r
    except Unavailable as exc:
        pytest.skip(f"redis-server is not available here: {exc}")


@dataclass
class Postgres:
    port: int
    proc: subprocess.Popen
    user: str = "airflow"
    password: str = "airflow"
    database: str = "airflow"

    @property
    def sqlalchemy_url(self) -> str:
        return f"postgresql+psycopg2://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"


def _pg_bin(name: str) -> str:
    return ensure_tool(name, "postgresql", (f"/usr/lib/postgresql/*/bin/{name}",))


@contextmanager
def postgres_server(workdir: Path) -> Iterator[Postgres]:
    """initdb + postgres in workdir on a free port; as the `postgres` user when running as root."""
    initdb, postgres, psql = _pg_bin("initdb"), _pg_bin("postgres"), _pg_bin("psql")
    as_user: dict = {}
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root; the Debian package creates the `postgres` user.
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise Unavailable("running as root and no `postgres` user exists to run PostgreSQL") from None
        as_user = {"user": pw.pw_uid, "group": pw.pw_gid}
        workdir.mkdir(parents=True, exist_ok=True)
        os.chown(workdir, pw.pw_uid, pw.pw_gid)
        # The postgres user must be able to reach workdir: open the temp parents for traversal.
        for parent in workdir.parents:
            if str(parent) in ("/", "/tmp"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o011)
    data = workdir / "data"
    log = workdir / "postgres.log"
    pwfile = workdir / "pwfile"
    pwfile.write_text("airflow\n")
    if as_user:
        os.chown(pwfile, as_user["user"], as_user["group"])
    init = subprocess.run([initdb, "-D", str(data), "-U", "airflow", "--pwfile", str(pwfile), "-A", "md5",
                           "-E", "UTF8", "--no-sync"], capture_output=True, text=True, timeout=180, **as_user)
    if init.returncode != 0:
        raise Unavailable(f"initdb failed: {init.stderr[-800:]}")
    port = free_port()
    sock_dir = workdir / "sock"
    sock_dir.mkdir()
    if as_user:
        os.chown(sock_dir, as_user["user"], as_user["group"])
    # fsync off and small buffers: a throwaway test database on a 2-core machine.
    proc = subprocess.Popen(
        [postgres, "-D", str(data), "-h", "127.0.0.1", "-p", str(port), "-k", str(sock_dir),
         "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
         "-c", "shared_buffers=32MB", "-c", "max_connections=100"],
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True, **as_user)
    try:
        wait_for_port(port, proc, "postgres", log)
        env = dict(os.environ, PGPASSWORD="airflow")
        deadline = time.monotonic() + 60
        while True:
            made = subprocess.run([psql, "-h", "127.0.0.1", "-p", str(port), "-U", "airflow", "-d", "postgres",
                                   "-c", "CREATE DATABASE airflow"], env=env, capture_output=True, text=True,
                                  timeout=60)
            if made.returncode == 0:
                break
            if time.monotonic() > deadline:  # the server may still be starting up
                raise Unavailable(f"cannot create the airflow database: {made.stderr[-500:]}")
            time.sleep(0.5)
        yield Postgres(port, proc)
    finally:
        stop(proc)
