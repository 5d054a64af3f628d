"""`make airflow`: a local Airflow (api-server, scheduler, dag-processor) on 127.0.0.1, and the same
stack for the tests.

Each component runs as its own process in its own session, so Ctrl-C reaches only this manager,
which then stops them in order (SIGTERM to each process group, SIGKILL after a grace period).
`airflow standalone` is not used: it binds log servers on all interfaces and ignores SIGINT when
backgrounded. The scheduler runs with `--skip-serve-logs` (LocalExecutor: the api-server reads task
logs from the shared local log folder), so nothing listens beyond 127.0.0.1.

Login: simple auth manager, user `admin`, password `admin` (both changeable through
NEWSDEDUP_AIRFLOW_USER / NEWSDEDUP_AIRFLOW_PASSWORD).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx

from newsdedup.config import PROJECT_ROOT, WRITER_POOL, WRITER_POOL_DESCRIPTION, WRITER_POOL_SLOTS

HOST = "127.0.0.1"
PROJECT_DAGS = ("newsdedup_ingest", "newsdedup_maintenance")
COMPONENTS = ("api-server", "scheduler", "dag-processor")
STOP_GRACE_SECONDS = 20.0
# The metadata DB's connect args (`[database] sql_alchemy_connect_args` names this dict): SQLite's busy timeout
# is 5 s by default, and a scheduler writing a DAG run's records on a loaded machine held the write lock longer, so
# an API call that writes (a trigger's audit-log row) failed with HTTP 500 "Database error" after exactly 5 s.
SQLITE_CONNECT_ARGS: dict[str, Any] = {"timeout": 60}


class StackError(RuntimeError):
    """A component failed to start or a REST call failed; the message names the log to read."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class LocalStack:
    """Airflow's three components for one AIRFLOW_HOME, driven through the REST API.

    Args:
        home: AIRFLOW_HOME (SQLite metadata DB, logs, the passwords file and the JWT secret).
        port: api-server port on 127.0.0.1 (0 picks a free one).
        env: extra environment for every component (e.g. NEWSDEDUP_* settings the tasks read).
        parallelism: AIRFLOW__CORE__PARALLELISM; keep it small on a 2-core machine.
    """

    def __init__(self, home: str | os.PathLike[str], port: int = 0, env: dict[str, str] | None = None,
                 parallelism: int = 4, username: str = "admin", password: str = "admin") -> None:
        self.home = Path(home).resolve()
        self.port = port or free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.username, self.password = username, password
        self.parallelism = parallelism
        self.extra_env = dict(env or {})
        self.log_dir = self.home / "stack-logs"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self._token: str | None = None
        self._client: httpx.Client | None = None

    # ------------------------------------------------------------------------------ environment
    def env(self) -> dict[str, str]:
        from newsdedup.demo import airflow_env

        secret_file = self.home / "jwt_secret"
        if not secret_file.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            secret_file.write_text(secrets.token_hex(32))
            secret_file.chmod(0o600)
        env = airflow_env({
            "AIRFLOW_HOME": str(self.home),
            # Set explicitly: a caller's environment (a test session) may point at another DB.
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{self.home / 'airflow.db'}",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": "newsdedup.localstack.SQLITE_CONNECT_ARGS",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(self.parallelism),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",  # we unpause our own DAGs explicitly
            "AIRFLOW__CORE__AUTH_MANAGER":
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{self.username}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.home / "simple_auth_passwords.json"),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
            # Every component signs and checks task and user tokens with the same secret.
            "AIRFLOW__API_AUTH__JWT_SECRET": secret_file.read_text().strip(),
            "AIRFLOW__API__BASE_URL": self.base_url,
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.home / "logs"),
        })
        env.pop("AIRFLOW__CORE__UNIT_TEST_MODE", None)
        env.update(self.extra_env)
        return env

    def prepare(self) -> None:
        """Migrate the metadata DB (first time only), create the pool and write the passwords file."""
        from newsdedup.demo import prepare_airflow

        self.home.mkdir(parents=True, exist_ok=True)
        pw = self.home / "simple_auth_passwords.json"
        pw.write_text(json.dumps({self.username: self.password}))
        pw.chmod(0o600)
        prepare_airflow(self.env(), self.log_dir / "prepare.log")

    # -------------------------------------------------------------------------------- processes
    def _command(self, component: str) -> list[str]:
        exe = str(Path(sys.executable).with_name("airflow"))
        if component == "api-server":
            return [exe, "api-server", "--host", HOST, "--port", str(self.port), "--workers", "1"]
        if component == "scheduler":
            return [exe, "scheduler", "--skip-serve-logs"]
        return [exe, "dag-processor"]

    def start(self, timeout: float = 180.0) -> LocalStack:
        """Prepare, start the three components and wait until the API answers and our DAGs are parsed."""
        self.prepare()
        env = self.env()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for component in COMPONENTS:
            log = (self.log_dir / f"{component}.log").open("ab")
            # A session of its own: the terminal's Ctrl-C reaches only us, and we stop the whole group
            # (the api-server's uvicorn worker, the executor's task processes) by its id.
            self.procs[component] = subprocess.Popen(
                self._command(component), env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=str(PROJECT_ROOT))
            log.close()
        try:
            self._wait_healthy(timeout)
            self.ensure_pool()
            self.wait_for_dags(PROJECT_DAGS, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise StackError(f"airflow {name} exited with code {proc.returncode}; see {self.log_dir / name}.log:\n"
                                 + self.log_tail(name))

    def log_tail(self, component: str, lines: int = 30) -> str:
        path = self.log_dir / f"{component}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            try:
                r = httpx.get(f"{self.base_url}/api/v2/monitor/health", timeout=5)
                if r.status_code == 200 and r.json().get("scheduler", {}).get("status") == "healthy":
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise StackError(f"Airflow did not become healthy within {timeout:.0f} s; logs in {self.log_dir}")
            time.sleep(1)

    def stop(self) -> None:
        """SIGTERM each component's process group (scheduler first, api-server last), then SIGKILL."""
        order = [c for c in ("scheduler", "dag-processor", "api-server") if c in self.procs]
        for name in order:
            proc = self.procs[name]
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name in order:
            proc = self.procs[name]
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            # Children (task processes, uvicorn workers) may outlive their leader: end the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self.procs.clear()
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -------------------------------------------------------------------------------------- REST
    def token(self) -> str:
        """A user token from POST /auth/token (the same call the UI's login makes)."""
        if self._token is None:
            r = httpx.post(f"{self.base_url}/auth/token", json={"username": self.username, "password": self.password},
                           timeout=30)
            if r.status_code not in (200, 201):
                raise StackError(f"POST /auth/token failed: {r.status_code} {r.text[:300]}")
            self._token = r.json()["access_token"]
        return self._token

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(base_url=self.base_url, timeout=30,
                                        headers={"Authorization": f"Bearer {self.token()}"})
        return self._client

    def api(self, method: str, path: str, ok: Iterable[int] = (200, 201), **kwargs: Any) -> Any:
        """Call /api/v2<path>; return the JSON body; raise StackError on another status."""
        r = self.client.request(method, "/api/v2" + path, **kwargs)
        if r.status_code not in tuple(ok):
            raise StackError(f"{method} /api/v2{path} -> {r.status_code}: {r.text[:500]}")
        return r.json() if r.content else None

    def ensure_pool(self) -> None:
        r = self.client.get(f"/api/v2/pools/{WRITER_POOL}")
        if r.status_code == 404:
            self.api("POST", "/pools", json={"name": WRITER_POOL, "slots": WRITER_POOL_SLOTS, "description": WRITER_POOL_DESCRIPTION,
                                             "include_deferred": False})

    def wait_for_dags(self, dag_ids: Iterable[str], timeout: float = 180.0) -> None:
        """Wait until the dag-processor has parsed the DAGs (they appear in the API)."""
        deadline = time.monotonic() + timeout
        missing = list(dag_ids)
        while missing:
            self.check_alive()
            missing = [d for d in missing if self.client.get(f"/api/v2/dags/{d}").status_code != 200]
            if not missing:
                return
            if time.monotonic() > deadline:
                errors = self.api("GET", "/importErrors")
                raise StackError(f"DAGs {missing} not parsed within {timeout:.0f} s; import errors: {errors}")
            time.sleep(1)

    def unpause(self, dag_ids: Iterable[str] = PROJECT_DAGS, paused: bool = False) -> None:
        for dag_id in dag_ids:
            self.api("PATCH", f"/dags/{dag_id}", json={"is_paused": paused})

    def trigger(self, dag_id: str, conf: dict[str, Any] | None = None) -> str:
        body = self.api("POST", f"/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}})
        return body["dag_run_id"]

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 300.0,
                     states: tuple[str, ...] = ("success", "failed")) -> str:
        """Wait until the run reaches one of `states`; return its state."""
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            state = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")["state"]
            if state in states:
                return state
            if time.monotonic() > deadline:
                raise StackError(f"{dag_id} run {run_id} still {state} after {timeout:.0f} s; "
                                 f"scheduler log:\n{self.log_tail('scheduler')}")
            time.sleep(1)

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        return self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100})[
            "task_instances"]


# --------------------------------------------------------------------------------- make airflow
def _interrupt(signum: int, frame: Any) -> None:
    # SIGTERM (e.g. from a process manager) stops the stack the same way as Ctrl-C.
    raise KeyboardInterrupt


def main() -> int:
    """Serve the sample site, start the stack with the project's DAGs unpaused; stop all on Ctrl-C."""
    from newsdedup.config import port_setting, warehouse_path
    from newsdedup.samplesite import serve, write_sources_file

    home = Path(os.environ.get("AIRFLOW_HOME") or PROJECT_ROOT / "var" / "airflow")
    try:
        port = port_setting("NEWSDEDUP_AIRFLOW_PORT", 8080)
        site_port = port_setting("NEWSDEDUP_DEMO_PORT", 8765, allow_zero=True)
    except ValueError as exc:
        raise SystemExit(f"newsdedup airflow: {exc}") from None
    user = os.environ.get("NEWSDEDUP_AIRFLOW_USER", "admin")
    password = os.environ.get("NEWSDEDUP_AIRFLOW_PASSWORD", "admin")
    # Your own sources file when NEWSDEDUP_SOURCES names one; else one for the sample site, kept in
    # this AIRFLOW_HOME so that two local stacks never rewrite each other's.
    own_sources = os.environ.get("NEWSDEDUP_SOURCES")
    sources = Path(own_sources) if own_sources else home / "newsdedup-sources.yaml"
    warehouse = warehouse_path()

    signal.signal(signal.SIGTERM, _interrupt)
    # Started from a script in the background, SIGINT arrives ignored and Python would not turn
    # Ctrl-C into KeyboardInterrupt: install the default handler explicitly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        site = serve(port=site_port)
    except OSError as exc:
        raise SystemExit(f"cannot serve the sample site on {HOST}:{site_port} ({exc}); "
                         "set NEWSDEDUP_DEMO_PORT to a free port") from None
    env = {"NEWSDEDUP_SOURCES": str(sources), "NEWSDEDUP_WAREHOUSE": str(warehouse)}
    stack = LocalStack(home, port=port, env=env, username=user, password=password)
    with site:
        if not own_sources:
            write_sources_file(site.base_url, sources)
        print(f"newsdedup: sample site on {site.base_url}, sources from {sources}; starting Airflow in {home} (logs: {stack.log_dir}) ...",
              flush=True)
        try:
            stack.start()
            stack.unpause(PROJECT_DAGS)
            print(f"\nAirflow UI:  {stack.base_url}/   login: {user} / {password}\n"
                  f"Dashboard:   {stack.base_url}/plugin/newsdedup  (\"News dedup\" in the nav bar)\n"
                  f"Warehouse:   {warehouse}\n"
                  f"DAGs unpaused: {', '.join(PROJECT_DAGS)}; ingest schedule "
                  f"{os.environ.get('NEWSDEDUP_SCHEDULE', 'every 30 minutes')}.\n"
                  "Press Ctrl-C to stop everything.", flush=True)
            while True:
                stack.check_alive()
                time.sleep(2)
        except KeyboardInterrupt:
            print("\nstopping Airflow ...", flush=True)
        except StackError as exc:
            print(f"\n{exc}", file=sys.stderr, flush=True)
            return 1
        finally:
            stack.stop()
            print("stopped: api-server, scheduler, dag-processor and the sample site.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
