"""`make demo`: serve the bundled sample news site on 127.0.0.1 and run the ingest DAG once on it.

Runs `airflow dags test newsdedup_ingest` with a project-local AIRFLOW_HOME (SQLite metadata, no
examples), then prints what the run did, read back from the warehouse.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from newsdedup.config import (
    PROJECT_ROOT,
    WRITER_POOL,
    WRITER_POOL_DESCRIPTION,
    WRITER_POOL_SLOTS,
    port_setting,
    warehouse_path,
)

DEMO_PORT_ENV, DEMO_PORT = "NEWSDEDUP_DEMO_PORT", 8765  # the port's default; the setting is read by main()
DAG_ID = "newsdedup_ingest"


def airflow_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every project-local Airflow command runs with."""
    env = dict(os.environ)
    home = Path(env.get("AIRFLOW_HOME") or PROJECT_ROOT / "var" / "airflow")
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
    })
    env.update(extra or {})
    return env


def airflow(args: list[str], env: dict[str, str], log_path: Path) -> None:
    """Run one `airflow` command, its output appended to a log file; raise with the tail on failure."""
    exe = Path(sys.executable).with_name("airflow")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a") as fh:
        fh.write(f"\n$ airflow {' '.join(args)}\n")
        fh.flush()
        proc = subprocess.run([str(exe), *args], env=env, stdout=fh, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = log_path.read_text(errors="replace").splitlines()[-40:]
        raise SystemExit(f"airflow {' '.join(args)} failed (exit {proc.returncode}); last lines of "
                         f"{log_path}:\n" + "\n".join(tail))


def prepare_airflow(env: dict[str, str], log_path: Path) -> None:
    """Migrate the metadata DB once and make sure the DuckDB writer pool exists."""
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    stamp = home / ".newsdedup-ready"
    if not stamp.exists():
        airflow(["db", "migrate"], env, log_path)
        airflow(["pools", "set", WRITER_POOL, str(WRITER_POOL_SLOTS), WRITER_POOL_DESCRIPTION], env, log_path)
        stamp.write_text("ok\n")


def last_run_summary(warehouse: Path) -> str:
    from newsdedup.summary import RunSummary
    from newsdedup.warehouse import query_rows

    cols, rows = query_rows(warehouse, "SELECT run_id, articles_new, metrics FROM ingest_runs "
                                       "ORDER BY finished_at DESC LIMIT 1")
    if not rows:
        return "no run recorded in the warehouse"
    run_id, articles_new, metrics = rows[0]
    m = json.loads(metrics)
    return RunSummary(run_id=run_id, sources=m["sources"], dedup=m["dedup"],
                      added={"articles": articles_new or 0}, warehouse=str(warehouse)).text()


def has_loaded_run(warehouse: Path) -> bool:
    """True when an earlier demo run loaded into this warehouse (then the site shows a revised story)."""
    from newsdedup.warehouse import WarehouseMissing, query_rows

    if not warehouse.exists():
        return False
    try:
        return bool(query_rows(warehouse, "SELECT count(*) FROM ingest_runs")[1][0][0])
    except (WarehouseMissing, Exception):  # noqa: BLE001 - unreadable: a first run, as far as the demo can tell
        return False


def main() -> int:
    from newsdedup.samplesite import REVISED_OVERLAY, serve, write_sources_file

    try:
        port = port_setting(DEMO_PORT_ENV, DEMO_PORT, allow_zero=True)  # before anything is prepared
    except ValueError as exc:
        raise SystemExit(f"newsdedup demo: {exc}") from None
    warehouse = warehouse_path()
    var = PROJECT_ROOT / "var"
    log_path = var / "demo" / "airflow.log"
    sources = var / "demo" / "sources.yaml"
    env = airflow_env({"NEWSDEDUP_WAREHOUSE": str(warehouse), "NEWSDEDUP_SOURCES": str(sources)})
    t0 = time.monotonic()
    print("newsdedup demo: preparing Airflow (project-local, SQLite) ...", flush=True)
    prepare_airflow(env, log_path)
    # The site's news moves on between demo runs as real news does: from the second run on, one wire
    # story is served updated (headline rewritten, correction appended; samples/revised/), and the
    # demo's sources re-check every stored article on every run (recheck_hours: [0]).
    later = has_loaded_run(warehouse)
    try:
        site = serve(port=port, overlay=REVISED_OVERLAY if later else None)
    except OSError as exc:
        raise SystemExit(f"cannot serve the sample site on 127.0.0.1:{port} ({exc}); "
                         "set NEWSDEDUP_DEMO_PORT to a free port") from None
    with site:
        write_sources_file(site.base_url, sources, recheck_hours=[0])
        if later:
            print("newsdedup demo: a later run: the sample site now serves one story revised since the first run "
                  f"({REVISED_OVERLAY.relative_to(PROJECT_ROOT)}/); every stored article is re-checked", flush=True)
        print(f"newsdedup demo: sample site on {site.base_url}; running `airflow dags test {DAG_ID}` "
              f"(log: {log_path.relative_to(PROJECT_ROOT)}) ...", flush=True)
        airflow(["dags", "test", DAG_ID], env, log_path)
    print()
    print(last_run_summary(warehouse))
    print(f"(demo took {time.monotonic() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
