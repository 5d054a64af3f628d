"""Test-wide set-up: a private Airflow home per session, set before anything imports Airflow."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="newsdedup-airflow-"))
_HOME_OWNER = os.getpid()


def _remove_airflow_home() -> None:
    # Each pytest process made its own home (about 1 MB of SQLite and logs); a forked child that
    # exits normally must not take it from the process still using it.
    if os.getpid() == _HOME_OWNER:
        shutil.rmtree(_AIRFLOW_HOME, ignore_errors=True)


atexit.register(_remove_airflow_home)
os.environ["AIRFLOW_HOME"] = str(_AIRFLOW_HOME)
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "False"
os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{_AIRFLOW_HOME}/airflow.db"
os.environ.pop("NEWSDEDUP_WAREHOUSE", None)
os.environ.pop("NEWSDEDUP_SOURCES", None)
os.environ.pop("NEWSDEDUP_STAGING", None)
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(Path(__file__).parent / "fetch"))

from local_server import TestServer  # noqa: E402


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Worker groups for pytest-xdist (`make test` runs `-n auto --dist loadgroup`): one module's tests
    run in one worker, so a module's fixtures (a loaded warehouse, a Redis, a PostgreSQL) are made once;
    every test marked `airflow` (it starts Airflow components) runs in one worker: tests/airflow share one
    running stack (a session fixture each worker would otherwise start) and no second stack (Celery's, the
    parameter probe's) runs beside it. Runs before xdist's own hook, which reads the marks."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        group = "airflow" if item.get_closest_marker("airflow") else item.path.relative_to(ROOT).as_posix()
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A fresh Airflow metadata DB (SQLite) for the session."""
    from airflow.utils import db

    db.resetdb()
    return _AIRFLOW_HOME


@pytest.fixture
def server() -> Iterator[TestServer]:
    """A real threaded HTTP/1.1 server on 127.0.0.1 (tests/fetch/local_server.py), fresh for each test:
    tests set its `routes` and read its `hits`."""
    with TestServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def sample_site_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one pipeline run over the bundled sample site (served on 127.0.0.1 for the run):
    `w.duckdb` with its snapshot and raw store, `staging/`, `sources.yaml`. Made once a session; a test
    module that reads a loaded warehouse takes its own copy (`sample_warehouse`), never this folder."""
    from newsdedup.pipeline import run_pipeline
    from newsdedup.samplesite import serve, write_sources_file

    work = tmp_path_factory.mktemp("sample-run")
    with serve(port=0) as site:
        sources = write_sources_file(site.base_url, work / "sources.yaml")
        run_pipeline(str(sources), str(work / "w.duckdb"), str(work / "staging"), run_id="sample-run")
    return work



@pytest.fixture(scope="module")
def sample_warehouse(sample_site_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A test module's own copy of `sample_site_run` (the warehouse path in it): tests of one module share
    it, as they shared the run each module made before; no module sees another's changes."""
    dest = tmp_path_factory.mktemp("sample-warehouse")
    shutil.copytree(sample_site_run, dest, dirs_exist_ok=True)
    return dest / "w.duckdb"
