"""The docker-compose topology without Docker: CeleryExecutor, PostgreSQL, Redis, two workers.

redis-server and PostgreSQL run on 127.0.0.1 (installed through apt when missing), then Airflow's
api-server, scheduler, dag-processor and two `airflow celery worker` processes (one task slot each,
distinct names); the ingest DAG runs once on the sample site with the LSH index in Redis. A second,
embedded run (`newsdedup run`, in-process index) over the same sources is the reference.

The sample site's syndicated story has its original in one source (the wire) and copies in the
others. During the Celery run the server holds the original and one copy at a rendezvous: neither
page is served until both are requested. Both pages were fetched, so the two sources' mapped tasks
were running at the same moment, and with one slot per worker that means on different workers. The
copy must still be found a duplicate of the original.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from newsdedup import lshstore
from newsdedup import warehouse as wh
from newsdedup.samplesite import SAMPLE_SOURCES, serve, sources_yaml

from .services import Unavailable, free_port, postgres_server, redis_server, stop, tail

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DAG_ID = "newsdedup_ingest"
TRUTH = json.loads((ROOT / "samples" / "truth.json").read_text())
SYND = TRUTH["syndicated"]
# The rendezvous pair: the wire original and the first copy, which another source publishes.
PAIR = (SYND["original"], SYND["copies"][0])
WORKERS = ("scale-worker-1", "scale-worker-2")
RENDEZVOUS_SECONDS = 150.0  # a guard against a hang, not a measurement
RUN_PATIENCE = 420.0


def _source_of(page: str) -> str:
    """The configured source that publishes a sample page (by the outlet's path prefix)."""
    prefix = "/" + page.strip("/").split("/")[0] + "/"
    names = [name for name, feed, _ in SAMPLE_SOURCES if feed.startswith(prefix)]
    assert len(names) == 1, (page, names)
    return names[0]


class Rendezvous:
    """Holds chosen pages of the served sample site until all of them are requested at once."""

    def __init__(self, site: Any, pages: tuple[str, ...], timeout: float) -> None:
        self.root = Path(site.root)
        self.pages = {p.strip("/") for p in pages}
        self.barrier = threading.Barrier(len(self.pages), timeout=timeout)
        self.armed = False
        self.arrived: set[str] = set()
        self.met: bool | None = None
        self._lock = threading.Lock()
        server = site._server  # the running ThreadingHTTPServer; its file lookup is where we wait
        original = server.resource

        def resource(path: Path) -> Any:
            rel = Path(path).resolve().relative_to(self.root).as_posix()
            with self._lock:
                first = self.armed and rel in self.pages and rel not in self.arrived
                if first:
                    self.arrived.add(rel)
            if first:
                try:
                    self.barrier.wait()
                    self.met = self.met is not False
                except threading.BrokenBarrierError:
                    self.met = False
            return original(path)

        server.resource = resource


def _sources_file(base_url: str, path: Path) -> Path:
    """The sample sources with timeouts long enough for a page held at the rendezvous."""
    data = yaml.safe_load(sources_yaml(base_url))
    data["settings"].update({"read_timeout": RENDEZVOUS_SECONDS + 30, "total_timeout": RENDEZVOUS_SECONDS + 60})
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


class Stack:
    """Airflow components as child processes, each in its own process group, stopped by PID."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.procs: list[tuple[str, subprocess.Popen]] = []
        self.airflow = str(Path(sys.executable).with_name("airflow"))

    def run(self, *args: str, timeout: float = 300) -> None:
        log = self.logs / "airflow-cli.log"
        with log.open("a") as fh:
            fh.write(f"\n$ airflow {' '.join(args)}\n")
            fh.flush()
            done = subprocess.run([self.airflow, *args], env=self.env, stdout=fh, stderr=subprocess.STDOUT,
                                  timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"airflow {' '.join(args)} failed:\n{tail(log, 40)}")

    def start(self, name: str, *args: str, extra_env: dict[str, str] | None = None) -> None:
        log = self.logs / f"{name}.log"
        proc = subprocess.Popen([self.airflow, *args], env={**self.env, **(extra_env or {})},
                                stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((name, proc))

    def check_alive(self) -> None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                raise AssertionError(f"{name} exited with {proc.returncode}:\n{tail(self.logs / f'{name}.log', 40)}")

    def stop(self) -> None:
        for _, proc in reversed(self.procs):
            stop(proc, patience=30)


def _wait_api(base: str, stack: Stack, patience: float = 180.0) -> None:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        stack.check_alive()
        try:
            if httpx.get(f"{base}/api/v2/version", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError(f"api-server not up within {patience:.0f} s:\n{tail(stack.logs / 'api-server.log', 40)}")


def _embedded_reference(sources: Path, work: Path) -> Path:
    """`newsdedup run` over the same sources, in-process LSH index: what the Celery run must match."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
    target = work / "embedded.duckdb"
    exe = str(Path(sys.executable).with_name("newsdedup"))
    done = subprocess.run([exe, "run", "--sources", str(sources), "--warehouse", str(target),
                           "--staging", str(work / "embedded-staging")], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return target


@pytest.fixture(scope="module")
def celery_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    pytest.importorskip("airflow.providers.celery", reason="needs the `scale` extra: make venv")
    pytest.importorskip("psycopg2", reason="needs the `scale` extra: make venv")
    work = tmp_path_factory.mktemp("scale")
    logs = work / "logs"
    logs.mkdir()
    with serve(port=0) as site:
        sources = _sources_file(site.base_url, work / "sources.yaml")
        rendezvous = Rendezvous(site, PAIR, RENDEZVOUS_SECONDS)
        reference = _embedded_reference(sources, work)
        try:
            redis_cm, pg_cm = redis_server(work / "redis"), postgres_server(work / "pg")
            redis = redis_cm.__enter__()
        except Unavailable as exc:
            pytest.skip(f"redis-server is not available here: {exc}")
        try:
            try:
                pg = pg_cm.__enter__()
            except Unavailable as exc:
                pytest.skip(f"PostgreSQL is not available here: {exc}")
            try:
                yield _run_stack(work, logs, site, sources, rendezvous, redis, pg, reference)
            finally:
                pg_cm.__exit__(None, None, None)
        finally:
            redis_cm.__exit__(None, None, None)


def _run_stack(work: Path, logs: Path, site: Any, sources: Path, rendezvous: Rendezvous, redis: Any, pg: Any,
               reference: Path) -> dict[str, Any]:
    dags = work / "dags"
    dags.mkdir()
    shutil.copy(ROOT / "dags" / f"{DAG_ID}.py", dags)  # only the DAG under test, not work in progress
    home = work / "airflow"
    home.mkdir()
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({"admin": "admin"}))
    api_port = free_port()
    base = f"http://127.0.0.1:{api_port}"
    warehouse = work / "celery" / "warehouse.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "NEWSDEDUP_"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__PARALLELISM": "8",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base}/execution/",
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "scale_hostname.hostname",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API_AUTH__JWT_SECRET": "scale-test-jwt-secret",
        "AIRFLOW__API__SECRET_KEY": "scale-test-api-secret",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": pg.sqlalchemy_url,
        "AIRFLOW__CELERY__BROKER_URL": redis.db_url(0),
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + pg.sqlalchemy_url.replace("+psycopg2", ""),
        # Only the run the test triggers: unpausing would otherwise also start the latest scheduled
        # run, which (max_active_runs=1) would ingest everything first.
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "5",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "NEWSDEDUP_WAREHOUSE": str(warehouse),
        "NEWSDEDUP_STAGING": str(work / "celery" / "staging"),
        "NEWSDEDUP_SOURCES": str(sources),
        lshstore.ENV_URL: redis.db_url(1),
        lshstore.ENV_PREFIX: "scaletest",
    })
    stack = Stack(env, logs)
    try:
        stack.run("db", "migrate")
        stack.run("pools", "set", "duckdb_writer", "1", "DuckDB has one writer")
        stack.start("api-server", "api-server", "--host", "127.0.0.1", "--port", str(api_port))
        stack.start("scheduler", "scheduler", "--skip-serve-logs")
        stack.start("dag-processor", "dag-processor")
        for name in WORKERS:
            stack.start(name, "celery", "worker", "--queues", "default", "--concurrency", "1", "--skip-serve-logs",
                        "--celery-hostname", f"{name}@%h", extra_env={"NEWSDEDUP_TEST_WORKER_NAME": name})
        _wait_api(base, stack)
        token = httpx.post(f"{base}/auth/token", json={"username": "admin", "password": "admin"},
                           timeout=30).json()["access_token"]
        api = httpx.Client(base_url=f"{base}/api/v2", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        deadline = time.monotonic() + 180
        while api.get(f"/dags/{DAG_ID}").status_code != 200:
            stack.check_alive()
            assert time.monotonic() < deadline, tail(logs / "dag-processor.log", 40)
            time.sleep(2)
        assert api.patch(f"/dags/{DAG_ID}", json={"is_paused": False}).status_code == 200
        rendezvous.armed = True
        made = api.post(f"/dags/{DAG_ID}/dagRuns", json={"logical_date": None})
        assert made.status_code in (200, 201), made.text
        run_id = made.json()["dag_run_id"]
        deadline = time.monotonic() + RUN_PATIENCE
        while True:
            state = api.get(f"/dags/{DAG_ID}/dagRuns/{run_id}").json()["state"]
            if state in ("success", "failed"):
                break
            stack.check_alive()
            assert time.monotonic() < deadline, f"run still {state}:\n{tail(logs / 'scheduler.log', 40)}"
            time.sleep(2)
        tis = api.get(f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances", params={"limit": 100}).json()
        lsh = lshstore.status(lshstore.RedisLSHSettings(redis.db_url(1), "scaletest"))
    finally:
        stack.stop()
    return {"state": state, "task_instances": tis["task_instances"], "warehouse": warehouse,
            "reference": reference, "rendezvous": rendezvous, "base": site.base_url, "lsh": lsh, "logs": logs}


def _rows(path: Path, sql: str) -> set[tuple]:
    return set(wh.query_rows(path, sql)[1])


def test_the_dag_run_succeeds_on_celery(celery_run: dict[str, Any]) -> None:
    failed = [(t["task_id"], t["map_index"], t["state"]) for t in celery_run["task_instances"]
              if t["state"] != "success"]
    assert celery_run["state"] == "success", (failed, tail(celery_run["logs"] / "scheduler.log", 30))


def test_tasks_ran_on_both_workers(celery_run: dict[str, Any]) -> None:
    hosts = {t["hostname"] for t in celery_run["task_instances"]}
    assert hosts == set(WORKERS), hosts


def test_copies_were_processed_on_different_workers_at_the_same_time(celery_run: dict[str, Any]) -> None:
    rdv = celery_run["rendezvous"]
    assert rdv.arrived == {p.strip("/") for p in PAIR}, f"pages requested: {sorted(rdv.arrived)}"
    assert rdv.met, "the two sources' tasks never ran at the same time (the rendezvous timed out)"
    by_source = {t["rendered_map_index"]: t["hostname"] for t in celery_run["task_instances"]
                 if t["task_id"] == "ingest_source"}
    a, b = (_source_of(p) for p in PAIR)
    assert by_source[a] != by_source[b], by_source


def test_concurrently_processed_copies_are_still_duplicates(celery_run: dict[str, Any]) -> None:
    path, base = celery_run["warehouse"], celery_run["base"].rstrip("/")
    original, copy = (base + p for p in PAIR)
    rows = wh.query_rows(path, "SELECT a.url, d.duplicate_of, o.url FROM articles a "
                               "JOIN article_duplicates d USING (article_id) "
                               "JOIN articles o ON o.article_id = d.duplicate_of WHERE a.url = ?", [copy])[1]
    assert rows and rows[0][2] == original, rows
    # every copy of the story, wherever it was fetched, is in the original's cluster
    cluster = _rows(path, "SELECT a.url FROM articles a JOIN article_clusters c USING (article_id) WHERE "
                          "c.cluster_id = (SELECT cluster_id FROM article_clusters JOIN articles USING (article_id) "
                          f"WHERE url = '{original}')")
    assert {u for (u,) in cluster} == {base + p for p in [SYND["original"], *SYND["copies"]]}


def test_the_lsh_index_was_the_shared_one_in_redis(celery_run: dict[str, Any]) -> None:
    lsh = celery_run["lsh"]
    assert lsh["pinned"] == lsh["this_config"]
    signed = wh.query_rows(celery_run["warehouse"], "SELECT count(*) FROM minhash_signatures "
                                                    "WHERE signature IS NOT NULL")[1][0][0]
    assert lsh["indexed_docs"] == signed > 0


SAME = {
    "articles": "SELECT url, canonical_url, title, content_hash, text FROM articles",
    "clusters": "SELECT a.url, o.url FROM article_clusters c JOIN articles a USING (article_id) "
                "JOIN story_clusters s USING (cluster_id) JOIN articles o ON o.article_id = s.canonical_article_id",
    "duplicates": "SELECT a.url, o.url, d.kind FROM article_duplicates d JOIN articles a USING (article_id) "
                  "JOIN articles o ON o.article_id = d.duplicate_of",
    "repeated sentences": "SELECT a.url, s.position, s.text, s.repeated_within, s.repeated_across "
                          "FROM article_sentences s JOIN articles a USING (article_id) "
                          "WHERE s.repeated_within > 1 OR s.repeated_across > 0",
}


@pytest.mark.parametrize("what", list(SAME))
def test_warehouse_matches_the_embedded_run(celery_run: dict[str, Any], what: str) -> None:
    got = _rows(celery_run["warehouse"], SAME[what])
    want = _rows(celery_run["reference"], SAME[what])
    assert want, f"the embedded run stored no {what}"
    assert got == want, {"only celery": sorted(got - want)[:5], "only embedded": sorted(want - got)[:5]}
