"""A damaged or missing snapshot, or a damaged main warehouse (issue 10, item 6 and the weak spot
"a corrupt main warehouse is only noticed at load").

- The run's `plan` (once per run, before anything is fetched) rebuilds a missing, damaged or stale
  snapshot from the main file under the writer lock, and stops the run with a clear error when the
  main file itself is damaged.
- Ingest tasks only read: they never take the writer lock, and say what to do when the snapshot is
  unreadable; they proceed as if the warehouse were empty only when there is no main file at all.

Real DuckDB files damaged the way disks and people damage them, a real local site, real processes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml
from lockholder import holding_the_lock

from newsdedup import pipeline
from newsdedup import warehouse as wh
from newsdedup.samplesite import SampleSite, serve, write_sources_file

pytestmark = pytest.mark.slow

EXE = str(Path(sys.executable).with_name("newsdedup"))


@pytest.fixture(scope="module")
def site() -> Iterator[SampleSite]:
    with serve(port=0) as s:
        yield s


@pytest.fixture(scope="module")
def origin(site: SampleSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse after one run of the sample site (copied per test)."""
    work = tmp_path_factory.mktemp("origin")
    sources = write_sources_file(site.base_url, work / "sources.yaml")
    pipeline.run_pipeline(str(sources), str(work / "w.duckdb"), str(work / "staging"), run_id="first")
    return work


@pytest.fixture
def work(origin: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "work"
    shutil.copytree(origin, dest)
    # the sources file names the origin's paths only through the site URL: nothing to rewrite
    return dest


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "missing":
        path.unlink()
    else:
        raise ValueError(how)


def _count(path: Path, sql: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "missing"])
def test_the_next_run_rebuilds_a_damaged_snapshot(work: Path, how: str) -> None:
    w = work / "w.duckdb"
    _damage(wh.snapshot_path(w), how)
    summary = pipeline.run_pipeline(str(work / "sources.yaml"), str(w), str(work / "staging"), run_id="second")
    # the rebuilt snapshot is the main file's state: every article is known, none fetched again
    assert [s["status"] for s in summary.sources] == ["ok"] * 4
    assert sum(s["new"] for s in summary.sources) == 0
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM ingest_runs") == 2
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM articles") == _count(w, "SELECT count(*) FROM articles")


@pytest.mark.parametrize("how", ["garbage", "missing"])
def test_an_ingest_task_never_takes_the_writer_lock(work: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDEDUP_LOCK_PATIENCE", "1")
    w = work / "w.duckdb"
    ref = pipeline.plan("second", sources_file=str(work / "sources.yaml"), staging=str(work / "staging"),
                        warehouse=str(w))
    _damage(wh.snapshot_path(w), how)  # damaged after the plan checked it
    main_before = w.read_bytes()
    with holding_the_lock(w), pytest.raises(wh.SnapshotUnavailable) as err:
        pipeline.ingest_source(ref["run_dir"], ref["sources"][0])
    message = str(err.value)
    assert str(wh.snapshot_path(w)) in message and str(w) in message
    assert f"newsdedup snapshot --warehouse {w}" in message  # what to do
    assert "never take the writer lock" in message
    assert w.read_bytes() == main_before
    assert how != "missing" or not wh.snapshot_path(w).exists()  # no snapshot published from the task


def test_a_run_planned_before_another_runs_first_load_reads_and_loads(site: SampleSite, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two first runs at once: run B planned while there was no warehouse yet; run A's load then created
    the file and held it, unpublished. B's ingest found a main file without a snapshot and the run failed
    (exit 1, "run `newsdedup snapshot`"), its fetched pages thrown away."""
    monkeypatch.setenv("NEWSDEDUP_LOCK_PATIENCE", "30")
    w = tmp_path / "w.duckdb"
    sources = write_sources_file(site.base_url, tmp_path / "sources.yaml")
    ref = pipeline.plan("b", sources_file=str(sources), staging=str(tmp_path / "staging"), warehouse=str(w))
    with holding_the_lock(w):  # run A's load, creating the warehouse
        summaries = [pipeline.ingest_source(ref["run_dir"], s) for s in ref["sources"]]
        assert all(s["status"] == "ok" and s["new"] > 0 for s in summaries)
        pipeline.dedup_stage(ref["run_dir"])
    loaded = pipeline.load_stage(ref["run_dir"], summaries)
    assert loaded["added"]["articles"] == sum(s["new"] for s in summaries) > 0
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM ingest_runs WHERE run_id = 'b'") == 1


def test_a_reader_on_a_missing_snapshot_does_not_open_the_main_file(work: Path) -> None:
    w = work / "w.duckdb"
    wh.snapshot_path(w).unlink()
    with pytest.raises(wh.SnapshotUnavailable), wh.reader(w):
        pass
    assert not wh.snapshot_path(w).exists()


def test_without_any_warehouse_readers_see_nothing(tmp_path: Path) -> None:
    with wh.reader(tmp_path / "none.duckdb") as con:
        assert con is None
    assert wh.ensure_snapshot(tmp_path / "none.duckdb") == "none"
    assert not (tmp_path / "none.duckdb").exists()


def test_a_snapshot_older_than_the_main_file_is_republished(work: Path) -> None:
    w = work / "w.duckdb"
    # a load that committed and was killed before it published the snapshot (no CHECKPOINT either)
    script = textwrap.dedent("""
        import os, signal, sys
        from newsdedup import warehouse as wh
        with wh.writer(sys.argv[1]) as con:
            con.execute("INSERT INTO ingest_runs (run_id, status) VALUES ('killed', 'success')")
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script, str(w)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM ingest_runs WHERE run_id = 'killed'") == 0
    assert wh.ensure_snapshot(w) == "rebuilt"
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM ingest_runs WHERE run_id = 'killed'") == 1
    assert wh.ensure_snapshot(w) == "ok"  # nothing to do the second time


def test_a_warehouse_whose_freed_tail_duckdb_cut_off_is_not_called_truncated(tmp_path: Path) -> None:
    """DuckDB's checkpoint cuts free blocks off the end of the file while its header still counts them.
    A load that freed the tail (a dropped or rewritten table; revisions did it on the third run of one
    revised story) left a warehouse every later run, `sql` and `snapshot` refused as "truncated"."""
    w = tmp_path / "w.duckdb"
    with wh.writer(w):
        pass  # a new warehouse
    with wh.writer(w) as con:
        con.execute("CREATE TABLE scratch AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(200000)")
    with wh.writer(w) as con:
        con.execute("DROP TABLE scratch")
    total, free = _count_row(w, "SELECT total_blocks, free_blocks FROM pragma_database_size()")
    block = _count(w, "SELECT block_size FROM pragma_database_size()")
    assert free > 0 and w.stat().st_size < total * block  # what DuckDB leaves
    assert wh.ensure_snapshot(w) in ("ok", "rebuilt")
    with wh.writer(w) as con:
        con.execute("INSERT INTO sources (name, url) VALUES ('s', 'https://news.example/feed.xml')")
    assert wh.ensure_snapshot(w) == "ok"
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM sources") == 1


def _count_row(path: Path, sql: str) -> tuple[int, ...]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()
    finally:
        con.close()


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_a_damaged_main_warehouse_stops_the_run_before_anything_is_fetched(work: Path, site: SampleSite,
                                                                          how: str) -> None:
    w = work / "w.duckdb"
    _damage(w, how)
    requests_before = len(site.requests)
    proc = subprocess.run([EXE, "run", "--sources", str(work / "sources.yaml"), "--warehouse", str(w),
                           "--staging", str(work / "staging")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"the warehouse {w} is damaged" in proc.stderr and "nothing was fetched" in proc.stderr
    assert f"cp {wh.snapshot_path(w)} {w}" in proc.stderr  # the last published state, when it opens
    assert len(site.requests) == requests_before


def test_sql_rebuilds_a_damaged_snapshot_or_says_what_to_do(work: Path) -> None:
    w = work / "w.duckdb"
    articles = _count(w, "SELECT count(*) FROM articles")
    _damage(wh.snapshot_path(w), "garbage")
    env = {**os.environ, "NEWSDEDUP_LOCK_PATIENCE": "1"}
    with holding_the_lock(w, label="bi-tool-on-main") as holder:
        proc = subprocess.run([EXE, "sql", "SELECT count(*) FROM articles", "--warehouse", str(w)],
                              capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"PID {holder.pid}" in proc.stderr and "bi-tool-on-main" in proc.stderr
    assert f"newsdedup snapshot --warehouse {w}" in proc.stderr
    proc = subprocess.run([EXE, "sql", "SELECT count(*) AS n FROM articles", "--warehouse", str(w), "--json"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f'{{"n": {articles}}}'
    assert "rebuilt" in proc.stderr


def test_the_snapshot_command_republishes(work: Path) -> None:
    w = work / "w.duckdb"
    _damage(wh.snapshot_path(w), "truncated")
    proc = subprocess.run([EXE, "snapshot", "--warehouse", str(w)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "rebuilt" in proc.stdout
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM ingest_runs") == 1


@contextlib.contextmanager
def _unwritable(path: Path) -> Iterator[None]:
    """Make `path` impossible to open for writing, for root too (`chattr +i`), for real."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_warehouse_that_cannot_be_opened_for_writing_is_said_in_words(work: Path, site: SampleSite) -> None:
    # A warehouse file left read-only (restored from a backup, another user's file) or a folder by
    # that name: DuckDB's "Permission denied" / "Is a directory" came out as a traceback of every
    # command that takes the writer lock, after a run had fetched everything.
    w = work / "w.duckdb"
    env = {**os.environ, "NEWSDEDUP_LOCK_PATIENCE": "1"}
    with _unwritable(w):
        proc = subprocess.run([EXE, "run", "--sources", str(work / "sources.yaml"), "--warehouse", str(w),
                               "--staging", str(work / "staging")], capture_output=True, text=True, timeout=300,
                              env=env)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        # since session 39 the plan finds it before fetching (`warehouse.check_writable`): nothing is fetched
        assert "stopped at its plan, nothing was fetched" in proc.stderr, proc.stderr
        assert f"the warehouse {w} cannot be written by this user" in proc.stderr
        assert ("immutable" in proc.stderr) == (os.geteuid() == 0)  # root meets chattr +i, not its mode
        assert not list((work / "staging").glob(f"*/{pipeline.LOAD_FAILED}"))
        proc = subprocess.run([EXE, "reclean", "--warehouse", str(w)], capture_output=True, text=True, timeout=120,
                              env=env)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert f"the warehouse {w} cannot be opened for writing" in proc.stderr
        os.utime(wh.snapshot_path(w), ns=(0, 0))  # stale: `snapshot` and `sql` try to rebuild it
        for args, code in ((["snapshot"], 2), (["sql", "SELECT 1"], 2)):
            proc = subprocess.run([EXE, *args, "--warehouse", str(w)], capture_output=True, text=True, timeout=120,
                                  env=env)
            assert proc.returncode == code and "Traceback" not in proc.stderr, proc.stderr
            assert f"the warehouse {w} cannot be opened for writing" in proc.stderr
    locked = work / "locked"
    locked.mkdir()
    for f in (w, wh.snapshot_path(w)):
        shutil.copy2(f, locked / f.name)
    with _unwritable(locked):  # the file is writable, its folder takes no write-ahead log
        proc = subprocess.run([EXE, "reclean", "--warehouse", str(locked / w.name)], capture_output=True, text=True,
                              timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "cannot create its write-ahead log" in proc.stderr
    folder = work / "folder.duckdb"
    folder.mkdir()
    proc = subprocess.run([EXE, "reclean", "--warehouse", str(folder)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "is a folder, not a DuckDB file" in proc.stderr


def test_another_duckdb_database_is_never_migrated_into(work: Path, site: SampleSite) -> None:
    # `--warehouse` naming a BI tool's or a colleague's DuckDB file: `newsdedup sql` (read-only to
    # its user) created the 26 tables and views of the schema in it, and a file with its own
    # `articles` table was left half-migrated by a Binder Error.
    env = {**os.environ, "NEWSDEDUP_LOCK_PATIENCE": "1"}
    for i, ddl in enumerate(["CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (1)",
                             "CREATE TABLE articles (x INTEGER); INSERT INTO articles VALUES (1)"]):
        other = work / f"other{i}.duckdb"
        con = duckdb.connect(str(other))
        con.execute(ddl)
        con.close()
        before = other.read_bytes()
        for args, code in ((["sql", "SELECT 1"], 2), (["snapshot"], 2), (["reclean"], 1),
                           (["run", "--sources", str(work / "sources.yaml"), "--staging", str(work / "staging")], 1)):
            proc = subprocess.run([EXE, *args, "--warehouse", str(other)], capture_output=True, text=True,
                                  timeout=300, env=env)
            assert proc.returncode == code and "Traceback" not in proc.stderr, (args, proc.stderr)
            assert f"{other} is a DuckDB database but not a newsdedup warehouse" in proc.stderr, proc.stderr
            assert other.read_bytes() == before and not Path(f"{other}.wal").exists()
            assert not wh.snapshot_path(other).exists()


def test_a_warehouse_of_a_newer_schema_is_not_written_by_an_older_release(work: Path) -> None:
    # A rolling upgrade: a newer release migrated the warehouse (a migration this one does not
    # have), and a worker or laptop still on this release loaded into it with the old schema's idea of
    # the tables. It now says so and writes nothing.
    w = work / "w.duckdb"
    con = duckdb.connect(str(w))
    con.execute("INSERT INTO schema_migrations VALUES ('999_from_a_newer_release', now())")
    con.close()
    before = w.read_bytes()
    for args, code in ((["reclean"], 1), (["snapshot"], 2)):
        os.utime(wh.snapshot_path(w), ns=(0, 0))  # stale: `snapshot` rebuilds it under the writer
        proc = subprocess.run([EXE, *args, "--warehouse", str(w)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == code and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert "999_from_a_newer_release" in proc.stderr and "newer release of newsdedup" in proc.stderr
        assert w.read_bytes() == before


def test_the_readers_snapshot_named_as_the_warehouse_is_never_written(work: Path) -> None:
    # Analysts are told to open w.snapshot.duckdb; given as `--warehouse`, the run loaded into it (and
    # migrated it), published w.snapshot.snapshot.duckdb, and the next load's snapshot replaced the
    # file with everything that run had put there. Each command now names the main file instead.
    w = work / "w.duckdb"
    snap = wh.snapshot_path(w)
    before = snap.read_bytes()
    for args, code in ((["sql", "SELECT 1"], 2), (["snapshot"], 2), (["reclean"], 1),
                       (["run", "--sources", str(work / "sources.yaml"), "--staging", str(work / "staging")], 1)):
        proc = subprocess.run([EXE, *args, "--warehouse", str(snap)], capture_output=True, text=True, timeout=300)
        assert proc.returncode == code and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert f"{snap} is the readers' snapshot of the warehouse {w}" in proc.stderr, proc.stderr
        assert snap.read_bytes() == before and not wh.snapshot_path(snap).exists()
        assert not Path(f"{snap}.wal").exists()


def _page(folder: Path, word: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{word}.html").write_text(
        f"<html lang='en'><head><title>{word}</title></head><body><article><h1>{word}</h1>"
        + "".join(f"<p>The {word} council met on Tuesday, item {j}, to agree a budget for the coming year after "
                  "months of talks, and the vote passed by a narrow margin late in the evening.</p>"
                  for j in range(4)) + "</article></body></html>", encoding="utf-8")


def _dir_sources(path: Path, folders: dict[str, Path]) -> Path:
    path.write_text(yaml.safe_dump({"sources": [
        {"name": name, "url": str(folder), "kind": "dir", "settle_seconds": 0, "base_url": f"https://{name}.example.org/"}
        for name, folder in folders.items()]}), encoding="utf-8")
    return path


def test_the_sources_of_a_run_share_one_snapshot_reader_that_follows_a_publish(tmp_path: Path) -> None:
    """A source's ingest opened the snapshot four times (~30 ms each: most of a run over 1,000 `dir`
    sources with nothing new). The sources of a run in one process now share one reader: opened once,
    and again only when a load has published a new snapshot meanwhile, which the next source then reads."""
    w, drops = tmp_path / "w.duckdb", tmp_path / "drops"
    folders = {name: drops / name for name in ("alpha", "beta", "gamma")}
    for name, folder in folders.items():
        _page(folder, name)
    sources = _dir_sources(tmp_path / "s.yaml", folders)
    pipeline.run_pipeline(str(sources), str(w), str(tmp_path / "st"), run_id="first")
    _page(folders["beta"], "later")
    ref = pipeline.plan("second", sources_file=str(sources), staging=str(tmp_path / "st"), warehouse=str(w))
    with wh.Snapshot(w) as snap:
        alpha = pipeline.ingest_source(ref["run_dir"], "alpha", snap)
        assert snap.opens == 1 and alpha["new"] == 0, alpha
        # meanwhile a run in another process stores beta's new page and publishes a new snapshot
        other = _dir_sources(tmp_path / "beta.yaml", {"beta": folders["beta"]})
        proc = subprocess.run([EXE, "run", "--sources", str(other), "--warehouse", str(w), "--staging",
                               str(tmp_path / "st2")], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        beta = pipeline.ingest_source(ref["run_dir"], "beta", snap)
        gamma = pipeline.ingest_source(ref["run_dir"], "gamma", snap)
        assert snap.opens == 2
    assert beta["new"] == 0 and gamma["new"] == 0, (beta, gamma)  # read in the snapshot the other run published
    pipeline.dedup_stage(ref["run_dir"])
    pipeline.load_stage(ref["run_dir"], [alpha, beta, gamma])
    assert _count(wh.snapshot_path(w), "SELECT count(*) FROM articles WHERE source = 'beta'") == 2


def test_a_snapshot_reader_of_another_warehouse_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "drops" / "alpha"
    _page(folder, "alpha")
    sources = _dir_sources(tmp_path / "s.yaml", {"alpha": folder})
    ref = pipeline.plan("one", sources_file=str(sources), staging=str(tmp_path / "st"),
                        warehouse=str(tmp_path / "w.duckdb"))
    with wh.Snapshot(tmp_path / "other.duckdb") as snap, pytest.raises(ValueError, match="other.duckdb"):
        pipeline.ingest_source(ref["run_dir"], "alpha", snap)
