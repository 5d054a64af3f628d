"""docker-compose.yml and the Dockerfile: valid for `docker-compose config`, and complete for the code.

There is no Docker engine here, so the stack is checked on paper: Debian's docker-compose resolves
anchors, merges and variables, then every service, volume and environment variable the code relies
on is looked up in the resolved file. The same topology runs for real in test_celery_stack.py.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from newsdedup import lshstore

from .services import Unavailable, ensure_tool

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW_SERVICES = ["airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
                    "airflow-worker", "airflow-init"]
# Every NEWSDEDUP_* variable the package reads must be set in the stack or be listed here with why not.
NOT_NEEDED_IN_STACK = {
    "NEWSDEDUP_SQL_DIR": "the image keeps sql/ next to the package, where the default points",
}
# Modules that start local set-ups of their own (never run inside the stack's containers).
LOCAL_ONLY_MODULES = {
    "demo.py": "`make demo` serves the sample site and runs `airflow dags test`",
    "localstack.py": "`make airflow` starts a local api-server/scheduler/dag-processor",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    try:
        exe = ensure_tool("docker-compose", "docker-compose")
    except Unavailable as exc:
        pytest.skip(f"Debian's docker-compose is not available: {exc}")
    out = _config(exe, SECRETS)
    assert out.returncode == 0, out.stderr
    assert "WARNING" not in out.stderr, out.stderr
    return yaml.safe_load(out.stdout)


# What an operator puts in .env: the file has no default for any of them.
SECRETS = {"AIRFLOW_JWT_SECRET": "a" * 64, "AIRFLOW_API_SECRET_KEY": "b" * 64,
           "_AIRFLOW_WWW_USER_PASSWORD": 'pa"ss\\word'}


def _config(exe: str, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A clean environment: the file's own defaults, not whatever the developer exported.
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(ROOT), **extra}
    return subprocess.run([exe, "-f", str(ROOT / "docker-compose.yml"), "config"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_the_stack_does_not_start_with_a_secret_everyone_knows(missing: str) -> None:
    """The JWT secret had a default written in this file: anyone who read it could forge an admin token
    for the API and the dashboard of a stack started without .env. So had the UI user's password."""
    try:
        exe = ensure_tool("docker-compose", "docker-compose")
    except Unavailable as exc:
        pytest.skip(f"Debian's docker-compose is not available: {exc}")
    out = _config(exe, {k: v for k, v in SECRETS.items() if k != missing})
    assert out.returncode != 0 and missing in out.stderr, out.stderr


def test_the_ui_password_file_is_json_whatever_the_password_holds(compose: dict, tmp_path: Path) -> None:
    # printf '{"%s": "%s"}' wrote a password holding a quote or a backslash as broken JSON.
    import json

    line = re.search(r"python -c '([^']+)'", command_text(compose, "airflow-init"))
    assert line, command_text(compose, "airflow-init")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "_AIRFLOW_WWW_USER_USERNAME": "airflow",
           "_AIRFLOW_WWW_USER_PASSWORD": SECRETS["_AIRFLOW_WWW_USER_PASSWORD"]}
    out = subprocess.run([sys.executable, "-c", line.group(1)], env=env, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {"airflow": SECRETS["_AIRFLOW_WWW_USER_PASSWORD"]}


def env_of(compose: dict, service: str) -> dict[str, str]:
    env = compose["services"][service].get("environment") or {}
    return {k: str(v) for k, v in env.items()}


def mounts(compose: dict, service: str) -> dict[str, str]:
    """Container path -> volume name of a service's named-volume mounts."""
    out = {}
    for v in compose["services"][service].get("volumes") or []:
        if isinstance(v, dict):
            out[v["target"]] = v.get("source")
        else:
            src, dst = v.split(":")[:2]
            out[dst] = src
    return out


def command_text(compose: dict, service: str) -> str:
    cmd = compose["services"][service].get("command")
    return " ".join(cmd) if isinstance(cmd, list) else str(cmd)


def code_env_vars() -> set[str]:
    """NEWSDEDUP_* names that appear as string literals in the package (what it can read)."""
    found = set()
    for py in (ROOT / "plugins" / "newsdedup").rglob("*.py"):
        if py.name in LOCAL_ONLY_MODULES and py.parent.name == "newsdedup":
            continue
        found |= set(re.findall(r"[\"'](NEWSDEDUP_[A-Z_]+)[\"']", py.read_text(encoding="utf-8")))
    return found


def test_the_official_topology_is_there(compose: dict) -> None:
    services = compose["services"]
    for name in ["postgres", "redis", "lsh-redis", *AIRFLOW_SERVICES]:
        assert name in services, f"service {name} missing"
    for name in AIRFLOW_SERVICES:
        env = env_of(compose, name)
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert urlsplit(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).hostname == "postgres", name
        assert urlsplit(env["AIRFLOW__CELERY__BROKER_URL"]).hostname == "redis", name
        # Without it every task fails to reach the Execution API (it defaults to localhost:8080).
        api = urlsplit(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
        assert api.hostname == "airflow-apiserver" and api.path.rstrip("/") == "/execution", name
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"], f"{name}: all containers must share the JWT secret"
        if name != "airflow-init":
            needs = services[name].get("depends_on") or {}
            assert needs.get("airflow-init", {}).get("condition") == "service_completed_successfully", name


def test_workers_scale_with_the_scale_flag(compose: dict) -> None:
    worker = compose["services"]["airflow-worker"]
    # A fixed container name or host port makes `--scale airflow-worker=N` fail for N > 1.
    assert "container_name" not in worker
    assert not worker.get("ports")
    assert "celery worker" in command_text(compose, "airflow-worker")
    assert worker["depends_on"]["airflow-apiserver"]["condition"] == "service_healthy"


def test_every_variable_the_code_reads_is_set(compose: dict) -> None:
    required = code_env_vars() - set(NOT_NEEDED_IN_STACK)
    # the list above is not allowed to rot: each excused name must still be read by the code
    assert set(NOT_NEEDED_IN_STACK) <= code_env_vars()
    assert {"NEWSDEDUP_WAREHOUSE", "NEWSDEDUP_STAGING", "NEWSDEDUP_SOURCES", lshstore.ENV_URL,
            lshstore.ENV_PREFIX} <= required
    for name in AIRFLOW_SERVICES:
        env = env_of(compose, name)
        missing = sorted(required - set(env))
        assert not missing, f"{name} lacks {missing}"


def test_warehouse_and_staging_are_on_one_shared_volume(compose: dict) -> None:
    volumes = set(compose.get("volumes") or {})
    shared = None
    for name in AIRFLOW_SERVICES:
        env, mnt = env_of(compose, name), mounts(compose, name)
        for var in ("NEWSDEDUP_WAREHOUSE", "NEWSDEDUP_STAGING"):
            path = env[var]
            hits = [(dst, src) for dst, src in mnt.items() if path == dst or path.startswith(dst.rstrip("/") + "/")]
            assert hits, f"{name}: {var}={path} is not on a mounted volume"
            volume = hits[0][1]
            assert volume in volumes, f"{name}: {var} on {volume}, which is not a named volume"
            shared = shared or volume
            assert volume == shared, f"{name}: {var} on {volume}, other services use {shared}"


def test_lsh_index_lives_in_its_own_persistent_redis(compose: dict) -> None:
    lsh = compose["services"]["lsh-redis"]
    assert "--appendonly" in lsh["command"] and "noeviction" in lsh["command"]
    assert mounts(compose, "lsh-redis").get("/data") in set(compose["volumes"])
    for name in AIRFLOW_SERVICES:
        settings = lshstore.RedisLSHSettings.from_env(env_of(compose, name))
        assert settings is not None and urlsplit(settings.url).hostname == "lsh-redis", name
        assert settings.redis_kwargs()["host"] == "lsh-redis"


def dag_pools() -> set[str]:
    """Pools named by `pool=` keywords in the DAG files."""
    pools = set()
    for dag_file in (ROOT / "dags").glob("*.py"):
        for node in ast.walk(ast.parse(dag_file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "pool" and isinstance(node.value, ast.Constant):
                pools.add(node.value.value)
    return pools


def test_init_migrates_creates_pools_and_pins_the_lsh_config(compose: dict) -> None:
    init = command_text(compose, "airflow-init")
    assert "airflow db migrate" in init
    assert dag_pools(), "expected the DAG to name its DuckDB writer pool"
    for pool in dag_pools():
        # under a real scheduler a task in a missing pool stays `scheduled` forever
        assert re.search(rf"airflow pools set {re.escape(pool)} \d+", init), f"pool {pool} not created"
    assert "python -m newsdedup.lshstore check" in init
    assert env_of(compose, "airflow-init").get("_AIRFLOW_WWW_USER_PASSWORD")


def test_workers_check_the_lsh_fingerprint_before_taking_tasks(compose: dict) -> None:
    cmd = command_text(compose, "airflow-worker")
    assert cmd.index("newsdedup.lshstore check") < cmd.index("celery worker")
    assert "&&" in cmd  # a failed check stops the worker from starting


def test_image_matches_the_tested_airflow_and_installs_the_project(compose: dict) -> None:
    from importlib.metadata import version

    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    base = re.search(r"^FROM apache/airflow:(\S+)-python(\d+\.\d+)", dockerfile, re.M)
    assert base, "Dockerfile must build FROM the official apache/airflow image"
    assert base.group(1) == version("apache-airflow"), "image and tested Airflow differ"
    assert '".[scale]"' in dockerfile and f'apache-airflow=={base.group(1)}' in dockerfile
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(d.startswith("apache-airflow-providers-celery") for d in extras["scale"])
    for name in AIRFLOW_SERVICES:
        assert compose["services"][name]["build"]["context"] == str(ROOT), name
    for src in ("dags", "plugins", "sql", "config"):
        assert re.search(rf"^COPY .*\b{src} ", dockerfile, re.M), f"Dockerfile does not copy {src}/"
        assert (ROOT / src).is_dir()
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and "var" in ignored
