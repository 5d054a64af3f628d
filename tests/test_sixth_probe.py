"""A sixth probe: an attacker and a careless operator at the dashboard, the DAGs' settings and the
command line's subcommands other than `sql`'s sandbox.

Real files, real subprocesses of the installed `newsdedup` script, real DuckDB files; the dashboard's
data and page are built as its route builds them (its auth needs a running Airflow: `tests/airflow`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from samplesources import dir_sources

from newsdedup import warehouse as wh
from newsdedup.pipeline import run_pipeline

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))
PAGES = ROOT / "samples" / "site" / "wire" / "2026" / "11"


def _run(*args: str, stdout: int | None = subprocess.PIPE, timeout: float = 180,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout,
                          env=env)


def _dir_sources(tmp: Path, name: str = "local") -> Path:
    return dir_sources(tmp, name, pages=4)


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


# ------------------------------------------------------------------ paths DuckDB and pyarrow cannot take
def _latin1_name(tmp: Path, stem: bytes) -> str:
    """A file name in Latin-1 bytes (an old tarball's, a Windows share's), as Python passes it on."""
    return os.fsdecode(os.fsencode(tmp) + b"/" + stem)


def test_a_warehouse_or_staging_path_that_is_not_utf8_is_refused_with_a_message(tmp_path: Path) -> None:
    """DuckDB cannot open a path that is not UTF-8 (`RuntimeError: std::bad_cast`) and pyarrow cannot
    write under one (`UnicodeEncodeError`): a run with such a warehouse fetched everything and failed at
    its load with a traceback; with such a staging folder every source failed, then the run; `sql` and
    `snapshot` on such a file were tracebacks."""
    cfg = _dir_sources(tmp_path)
    bad_w = _latin1_name(tmp_path, b"w\xe9.duckdb")
    proc = _run("run", "--sources", str(cfg), "--warehouse", bad_w, "--staging", str(tmp_path / "st"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    # the byte named as `\\xe9` (was `\\udce9`, Python's surrogate for it: the sixteenth ops probe)
    assert "not UTF-8" in proc.stderr and "w\\xe9.duckdb" in proc.stderr, proc.stderr
    assert not list((tmp_path / "st").glob("*/sources/*")), "nothing is fetched for a warehouse it cannot open"

    bad_st = _latin1_name(tmp_path, b"st\xe9")
    proc = _run("run", "--sources", str(cfg), "--warehouse", str(tmp_path / "w.duckdb"), "--staging", bad_st)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "not UTF-8" in proc.stderr and "ingest failed" not in proc.stderr, proc.stderr

    # an existing warehouse copied under such a name
    run_pipeline(str(cfg), str(tmp_path / "w.duckdb"), str(tmp_path / "st"), run_id="utf8-1")
    for suffix in (".duckdb", ".snapshot.duckdb"):
        Path(_latin1_name(tmp_path, b"c\xe9" + suffix.encode())).write_bytes(
            (tmp_path / f"w{suffix}").read_bytes())
    copied = _latin1_name(tmp_path, b"c\xe9.duckdb")
    for args in (["sql", "select count(*) from articles"], ["snapshot"], ["diff", "x"], ["reclean"]):
        proc = _run(*args, "--warehouse", copied)
        assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert "not UTF-8" in proc.stderr, (args, proc.stderr)


# ------------------------------------------------------------------ the maintenance DAG's retention setting
def _maintenance_context(warehouse: Path, **params: object) -> dict[str, object]:
    """What the maintenance DAG's tasks read from their context: its Params and data interval."""
    return {"params": {"warehouse": str(warehouse), "staging": None, "retention_days": None, **params},
            "data_interval_end": datetime(2026, 12, 1, 3, tzinfo=UTC)}


@pytest.mark.parametrize("days", [1e6, 1e10, 3_650_000])
def test_a_retention_longer_than_a_date_can_hold_is_refused_with_a_message(loaded: Path, days: float) -> None:
    """`retention_days` typed in the trigger form as 1000000 ("keep everything") was an OverflowError
    ("date value out of range", "Python int too large to convert to C int"), retried twice."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import maintenance

    with pytest.raises(AirflowFailException, match=r"retention_days must be at most 36500 days"):
        maintenance.retention_task(_maintenance_context(loaded, retention_days=days))


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1e400"])
def test_a_retention_that_is_not_a_number_of_days_is_refused(loaded: Path, raw: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """NEWSDEDUP_RETENTION_DAYS=nan passed the check (`nan <= 0` is false) and failed as "cannot convert
    float NaN to integer"; `inf` as an OverflowError."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import maintenance

    monkeypatch.setenv("NEWSDEDUP_RETENTION_DAYS", raw)
    with pytest.raises(AirflowFailException, match=r"retention_days must be a (finite|positive)"):
        maintenance.retention_task(_maintenance_context(loaded))


def test_a_retention_of_zero_days_in_the_trigger_form_is_refused_not_ignored(loaded: Path) -> None:
    """A Param of 0 is falsy: it was dropped for the Variable or the default, and the run kept 30 days
    without a word. 0 is now read, and refused like -1."""
    from airflow.sdk.exceptions import AirflowFailException

    from newsdedup import maintenance

    for days in (0, 0.0, -1):
        with pytest.raises(AirflowFailException, match="retention_days must be positive"):
            maintenance.retention_task(_maintenance_context(loaded, retention_days=days))
    kept = maintenance.retention_task(_maintenance_context(loaded, retention_days=36_500))
    assert kept["retention_days"] == 36_500 and kept["signatures_deleted"] == 0


# ------------------------------------------------------------------ the dashboard on a snapshot it cannot read
def _dashboard(path: Path) -> tuple[str, str]:
    """The dashboard's state and page for the warehouse at `path`, built as its route builds them."""
    import html
    import re

    from newsdedup.dashboard import data, render

    d = data.load(path)
    page = render.page(d, base="/newsdedup")
    notice = re.search(r"<div class='notice' id='notice'>(.*?)</div>", page, re.S)
    return d.state, html.unescape(notice.group(1)) if notice else ""


def _copy(loaded: Path, tmp: Path) -> Path:
    for f in (loaded, wh.snapshot_path(loaded)):
        (tmp / f.name).write_bytes(f.read_bytes())
    return tmp / loaded.name


def test_the_dashboard_says_why_it_cannot_read_the_snapshot(loaded: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged, truncated or locked snapshot (a BI tool opened it read-write) was shown as "No
    snapshot published yet ... the next load publishes it", which was false and hid the reason; a bad
    $NEWSDEDUP_READER_MEMORY_LIMIT, or the Variable naming the snapshot itself, was a 500."""
    ok = _copy(loaded, tmp_path)
    assert _dashboard(ok)[0] == "ok"

    snap = wh.snapshot_path(ok)
    garbage = tmp_path / "g" / ok.name
    garbage.parent.mkdir()
    _copy(loaded, garbage.parent)
    wh.snapshot_path(garbage).write_bytes(b"not a database" * 500)
    truncated = tmp_path / "t" / ok.name
    truncated.parent.mkdir()
    _copy(loaded, truncated.parent)
    with open(wh.snapshot_path(truncated), "r+b") as fh:
        fh.truncate(20_000)
    for path in (garbage, truncated):
        state, notice = _dashboard(path)
        assert state == "unavailable", (path, state, notice)
        assert "cannot be read" in notice and "newsdedup snapshot --warehouse" in notice, notice
        assert "No snapshot published yet" not in notice

    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                               "time.sleep(60)", str(snap)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        state, notice = _dashboard(ok)
        assert state == "unavailable" and f"PID {holder.pid}" in notice, notice
    finally:
        holder.kill()
        holder.wait()

    monkeypatch.setenv("NEWSDEDUP_READER_MEMORY_LIMIT", "lots")
    state, notice = _dashboard(ok)
    assert state == "unavailable" and "NEWSDEDUP_READER_MEMORY_LIMIT must be a size" in notice, notice
    monkeypatch.delenv("NEWSDEDUP_READER_MEMORY_LIMIT")

    state, notice = _dashboard(snap)  # the Variable names the readers' snapshot, not the warehouse
    assert state == "unavailable" and "is the readers' snapshot of the warehouse" in notice, notice


def test_the_dashboard_on_a_snapshot_of_another_schema_says_so(tmp_path: Path) -> None:
    """A snapshot whose tables are not the ones this release reads (another release's, or another DuckDB
    file at the configured path) was a 500 on a BinderException."""
    main = tmp_path / "w.duckdb"
    main.write_bytes(b"")
    con = duckdb.connect(str(wh.snapshot_path(main)))
    con.execute("CREATE TABLE articles (id INTEGER)")
    con.execute("INSERT INTO articles VALUES (1)")
    con.execute("CREATE TABLE ingest_runs (id INTEGER)")
    con.execute("INSERT INTO ingest_runs VALUES (1)")
    con.close()
    state, notice = _dashboard(main)
    assert state == "unavailable" and "cannot be read" in notice, notice


# ------------------------------------------------------------------ run ids typed in the trigger form
def test_two_run_ids_that_differ_only_in_punctuation_keep_their_own_staging(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Airflow accepts run ids such as `nightly:fix` and `nightly+fix` (its allowed pattern), and both
    were staged in the folder `nightly_fix`: the second run's plan removed the first one's batches,
    kept there for adoption after its load failed, and the first run's fetched work and its
    `ingest_runs` row were lost."""
    from lockholder import holding_the_lock

    from newsdedup.staging import run_key

    assert run_key("nightly:fix") != run_key("nightly+fix") != run_key("nightly_fix")
    assert run_key("nightly_fix") == "nightly_fix"  # a plain id names its folder
    long_a, long_b = "m" * 240 + "a", "m" * 240 + "b"
    assert run_key(long_a) != run_key(long_b) and len(run_key(long_a)) <= 200

    cfg = _dir_sources(tmp_path)
    w, st = tmp_path / "w.duckdb", tmp_path / "st"
    run_pipeline(str(cfg), str(w), str(st), run_id="first")  # the warehouse exists
    for f in (tmp_path / "pages").iterdir():  # new pages for the next run
        f.rename(f.with_name("new-" + f.name))
    monkeypatch.setenv("NEWSDEDUP_LOCK_PATIENCE", "0")
    with holding_the_lock(w), pytest.raises(wh.WarehouseError):
        run_pipeline(str(cfg), str(w), str(st), run_id="nightly:fix")
    monkeypatch.delenv("NEWSDEDUP_LOCK_PATIENCE")
    run_pipeline(str(cfg), str(w), str(st), run_id="nightly+fix")
    runs = dict(wh.query_rows(w, "SELECT run_id, status FROM ingest_runs")[1])
    assert runs.get("nightly:fix") == "adopted", runs


# ------------------------------------------------------------------ a revision that costs the dashboard minutes
def test_a_revision_of_many_repeated_lines_is_diffed_in_bounded_time(loaded: Path, tmp_path: Path) -> None:
    """A page of 6,666 short paragraphs drawn from 50, revised into another order: difflib's matcher
    visits every pair of equal lines (45 million, most of them the blank lines between paragraphs),
    8.6 s of CPU per revision, and the dashboard diffs the 10 latest on every page load, in the
    api-server. Past DIFF_MAX_PAIRS the changed middle is shown whole (common head and tail kept): no
    line of it is matched, which is what makes it linear."""
    from newsdedup.dashboard import data
    from newsdedup.revisions import unified_diff

    w = _copy(loaded, tmp_path)
    old = "\n\n".join(f"Paragraph {i % 50} of the page." for i in range(6_666))
    new = "Corrected: a new first line.\n\n" + "\n\n".join(f"Paragraph {i * 7 % 50} of the page."
                                                           for i in range(6_666))
    with wh.writer(w) as con:
        (article_id, fetched), = con.execute("SELECT article_id, fetched_at FROM articles LIMIT 1").fetchall()
        for rev, text in ((1, old), (2, new)):
            con.execute("""INSERT INTO article_revisions (article_id, revision, fetched_at, title, text, title_changed,
                           words_added, words_removed) VALUES (?, ?, ?::TIMESTAMPTZ + to_minutes(?), 'Title', ?,
                           false, 1, 1)""", [article_id, 10 + rev, fetched, rev, text])
    d = data.load(w)
    (r,) = [r for r in d.revisions if r.article_id == article_id]
    # the dashboard shows the diff's first lines and the command for the rest (session 33)
    assert len(r.diff) == data.DIFF_LINES_SHOWN + 1 and f"newsdedup diff {article_id} --from 11 --to 12" in r.diff[-1]
    full = unified_diff({"revision": 11, "title": "Title", "text": old}, {"revision": 12, "title": "Title", "text": new},
                        width=90)
    assert full[3:data.DIFF_LINES_SHOWN] == r.diff[3:-1]  # after the title line and the labels (fetch times)
    assert "+Corrected: a new first line." in full
    # the whole middle, removed and added, not a pair-by-pair match
    assert sum(x.startswith("-Paragraph") for x in full) == sum(x.startswith("+Paragraph") for x in full) == 6_666
    assert any(x.startswith("@@ ") for x in full) and any(x.startswith("-Paragraph 1 ") for x in full)

    # a change in a long page of repeated lines, at its end: head kept as context, the change exact
    tail = unified_diff({"revision": 1, "title": "t", "text": old},
                        {"revision": 2, "title": "t", "text": old + "\n\nA correction was appended."})
    assert [x for x in tail if x.startswith(("+", "-")) and not x.startswith(("+++", "---"))] == \
        ["+", "+A correction was appended."], tail


# ------------------------------------------------------------------ a warehouse path that is no file
def test_a_warehouse_path_that_is_a_folder_or_a_fifo_is_refused_not_damaged_or_waited_on(tmp_path: Path) -> None:
    """`--warehouse var/` (or the trigger form's `warehouse` Param naming a folder) was called a damaged
    warehouse ("restore it from a backup, or move it aside"); a FIFO made `sql`, `snapshot` and a
    run's plan wait for ever. A FIFO in the snapshot's place is a snapshot to rebuild."""
    folder = tmp_path / "data"
    folder.mkdir()
    fifo = tmp_path / "w.fifo"
    os.mkfifo(fifo)
    cfg = _dir_sources(tmp_path)
    for path, what in ((folder, "is a folder"), (fifo, "is not a regular file")):
        for args in (["sql", "select 1"], ["snapshot"], ["diff", "x"], ["reclean"],
                     ["run", "--sources", str(cfg), "--staging", str(tmp_path / "st")]):
            proc = _run(*args, "--warehouse", str(path), timeout=30)
            assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr, (args, proc.stderr)
            assert what in proc.stderr and "damaged" not in proc.stderr, (args, proc.stderr)
    assert not list((tmp_path / "st").glob("*/sources/*"))  # nothing fetched

    w = tmp_path / "w.duckdb"
    run_pipeline(str(cfg), str(w), str(tmp_path / "st"), run_id="fifo-1")
    wh.snapshot_path(w).unlink()
    os.mkfifo(wh.snapshot_path(w))
    proc = _run("sql", "select count(*) from articles", "--warehouse", str(w), timeout=30)
    assert proc.returncode == 0 and "rebuilt the snapshot" in proc.stderr, proc.stderr
    assert wh.snapshot_path(w).is_file()


# ------------------------------------------------------------------ NEWSDEDUP_SCHEDULE
@pytest.mark.parametrize("value", ["0", "-5", "99999999999", "every 30"])
def test_a_schedule_the_dag_cannot_use_names_the_setting(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """NEWSDEDUP_SCHEDULE=0 (or -5, or a number of minutes past a date's range) removed the ingest DAG
    with an import error that never named the setting: "schedule interval must be positive", "Exactly
    5, 6 or 7 columns has to be specified", "OverflowError: date value out of range"."""
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("NEWSDEDUP_SCHEDULE", value)
    bag = DagBag(dag_folder=str(ROOT / "dags" / "newsdedup_ingest.py"))
    (error,) = bag.import_errors.values()
    assert f"NEWSDEDUP_SCHEDULE={value!r}" in error and "a whole number of minutes" in error, error[-400:]
    monkeypatch.setenv("NEWSDEDUP_SCHEDULE", "15")
    assert "newsdedup_ingest" in DagBag(dag_folder=str(ROOT / "dags" / "newsdedup_ingest.py")).dags
