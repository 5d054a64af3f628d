"""A sixth probe: an attacker and a careless operator at the dashboard, the DAGs' settings and the
command line's subcommands other than `sql`'s sandbox.

Real files, real subprocesses of the installed `newsdedup` script, real DuckDB files; the dashboard's
data and page are built as its route builds them (its auth needs a running Airflow: `tests/airflow`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))
PAGES = ROOT / "samples" / "site" / "wire" / "2026" / "11"


def _run(*args: str, stdout: int | None = subprocess.PIPE, timeout: float = 180,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout,
                          env=env)


def _dir_sources(tmp: Path, name: str = "local") -> Path:
    """A sources file with one `dir` source of a few sample pages (no server needed)."""
    pages = tmp / "pages"
    pages.mkdir(exist_ok=True)
    for f in sorted(PAGES.rglob("*.html"))[:4]:
        (pages / f.name).write_bytes(f.read_bytes())
    cfg = tmp / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": name, "kind": "dir", "url": str(pages)}]}))
    return cfg


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sixth")
    run_pipeline(str(_dir_sources(tmp)), str(tmp / "w.duckdb"), str(tmp / "st"), run_id="sixth-1")
    return tmp / "w.duckdb"


# ------------------------------------------------------------------ command line: output that cannot be written
def test_output_that_cannot_be_written_is_an_error_not_a_traceback(loaded: Path, tmp_path: Path) -> None:
    """`> /dev/full` (a full disk, a vanished mount): each command was a traceback (OSError out of
    `out.write`), and `dedup -o FILE` blamed its corpus for the output's error."""
    (article_id,), = duckdb.connect(str(wh.snapshot_path(loaded)), read_only=True).execute(
        "SELECT article_id FROM articles LIMIT 1").fetchall()
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "source": "s", "url": "http://x.example/a", "published": None,
                                  "title": "t", "text": "some words here and there " * 20}) + "\n")
    page = next(PAGES.rglob("*.html"))
    w = ["--warehouse", str(loaded)]
    commands = [["sql", "select 1", *w], ["sql", "--json", "select * from range(10)", *w],
                ["diff", article_id, *w], ["snapshot", *w], ["extract", str(page)], ["dedup", str(corpus)]]
    with open("/dev/full", "w") as full:
        for args in commands:
            proc = _run(*args, stdout=full.fileno())
            assert proc.returncode == 1, (args, proc.returncode, proc.stderr)
            assert "Traceback" not in proc.stderr, (args, proc.stderr)
            assert "cannot write its output" in proc.stderr and "No space left on device" in proc.stderr, \
                (args, proc.stderr)
    proc = _run("dedup", str(corpus), "-o", "/dev/full")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "/dev/full" in proc.stderr and str(corpus) not in proc.stderr, proc.stderr
