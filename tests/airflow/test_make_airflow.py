"""`make airflow`'s program (`python -m newsdedup.localstack`): it comes up with the documented login,
the project's DAGs unpaused, the pool created and the sample site served, all on 127.0.0.1, and one
Ctrl-C (SIGINT) stops every process it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsdedup.localstack import PROJECT_DAGS, free_port

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


def _processes_with_home(home: Path) -> list[int]:
    """Processes whose environment names this AIRFLOW_HOME (the components and their children)."""
    marker = f"AIRFLOW_HOME={home}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                if marker in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:
                pass
    return found


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_make_airflow_starts_everything_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    home, port, site_port = tmp_path / "home", free_port(), free_port()
    env = {**os.environ, "AIRFLOW_HOME": str(home), "NEWSDEDUP_AIRFLOW_PORT": str(port),
           "NEWSDEDUP_DEMO_PORT": str(site_port), "NEWSDEDUP_SCHEDULE": "none",
           "NEWSDEDUP_WAREHOUSE": str(tmp_path / "w.duckdb"), "NEWSDEDUP_STAGING": str(tmp_path / "staging")}
    env.pop("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", None)  # the test session's DB is not this stack's
    log = (tmp_path / "make-airflow.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "newsdedup.localstack"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 300
        while "Press Ctrl-C" not in (text := (tmp_path / "make-airflow.log").read_text()):
            assert proc.poll() is None and time.monotonic() < deadline, text[-3000:]
            time.sleep(1)
        assert "login: admin / admin" in text
        base = f"http://127.0.0.1:{port}"
        token = httpx.post(f"{base}/auth/token", json={"username": "admin", "password": "admin"},
                           timeout=30).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        for dag_id in PROJECT_DAGS:
            assert httpx.get(f"{base}/api/v2/dags/{dag_id}", headers=auth, timeout=30).json()["is_paused"] is False
        assert httpx.get(f"{base}/api/v2/pools/duckdb_writer", headers=auth, timeout=30).json()["slots"] == 1
        assert httpx.get(f"http://127.0.0.1:{site_port}/wire/rss.xml", timeout=30).status_code == 200
        assert _processes_with_home(home)

        proc.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()
    assert "stopped: api-server, scheduler, dag-processor and the sample site." in (
        tmp_path / "make-airflow.log").read_text()
    assert _processes_with_home(home) == []
    assert not _listening(port) and not _listening(site_port)
