"""A full disk (issue 10, weak spot), reproduced for real: the run goes on in a child process whose
files may not grow past a limit (RLIMIT_FSIZE, with SIGXFSZ ignored, so a write past it fails with
EFBIG the way a write to a full disk fails with ENOSPC; no root or mount needed).

- A CHECKPOINT that fails after the load's COMMIT does not fail the load: the data is safe in the
  write-ahead log, the next writer replays it, and the next run's plan republishes the snapshot.
- A raw page that cannot be written leaves no temporary file behind.
"""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from newsdedup import pipeline
from newsdedup import warehouse as wh
from newsdedup.samplesite import SampleSite, serve, write_sources_file

LIMITED = textwrap.dedent("""
    import resource, signal, sys
    # py3langid unpacks its model into a temporary file the first time it is used: done before the
    # limit, so that what runs out of space is the warehouse, as on a disk that fills up mid-run.
    from newsdedup.clean import language
    language.detect("A sentence long enough for the language to be detected from it.", None)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from newsdedup.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.fixture(scope="module")
def site() -> Iterator[SampleSite]:
    with serve(port=0) as s:
        yield s


def _count(path: Path, sql: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_a_checkpoint_that_fails_after_the_commit_does_not_fail_the_load(site: SampleSite, tmp_path: Path) -> None:
    w, stage = tmp_path / "w.duckdb", tmp_path / "staging"
    everything = write_sources_file(site.base_url, tmp_path / "sources.yaml")
    cfg = yaml.safe_load(everything.read_text())
    one = tmp_path / "one.yaml"
    one.write_text(yaml.safe_dump({**cfg, "sources": cfg["sources"][:1]}))
    first = pipeline.run_pipeline(str(one), str(w), str(stage), run_id="first")
    stored = sum(s["articles"] for s in first.sources)
    # No file may grow past the warehouse's present size: the run's write-ahead log fits, the
    # checkpoint that folds it into the (growing) main file does not.
    limit = w.stat().st_size
    proc = subprocess.run([sys.executable, "-c", LIMITED, str(limit), "run", "--sources", str(everything),
                           "--warehouse", str(w), "--staging", str(stage)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "CHECKPOINT failed after the data committed" in proc.stderr
    assert w.stat().st_size <= limit and Path(str(w) + ".wal").exists()  # the data is in the log
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM articles") == stored  # not republished
    # the next run's plan (disk space back) replays the log, checkpoints and republishes
    pipeline.plan("third", sources_file=str(everything), staging=str(stage), warehouse=str(w))
    assert not Path(str(w) + ".wal").exists()
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM articles") == 44
    assert _count(w, "SELECT articles_new FROM ingest_runs WHERE status = 'success' ORDER BY started_at DESC "
                     "LIMIT 1") == 44 - stored


def test_a_raw_page_that_cannot_be_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import os, resource, signal, sys
        from pathlib import Path
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        from newsdedup import warehouse as wh
        try:
            wh.store_raw_page(Path(sys.argv[1]), "ab" * 20, os.urandom(300_000))  # gzip cannot shrink it
        except OSError as exc:
            print(exc.errno)
    """)
    w = tmp_path / "w.duckdb"
    proc = subprocess.run([sys.executable, "-c", script, str(w)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(errno.EFBIG)
    raw = wh.raw_dir(w)
    assert [p for p in raw.rglob("*") if p.is_file()] == []
    assert not list(raw.rglob("*.tmp*"))
