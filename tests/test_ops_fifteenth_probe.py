"""The fifteenth probe of what operators and analysts type and run (session 41): what the fourteenth left
(UTF-8 names with Python's UTF-8 mode off, `sql` INTERVALs and BLOBs, a source skipped as a repeat called
missing, DuckDB under `ulimit -v`), then the Airflow Params an operator types, a full or read-only disk
during a load, a sources file edited while a run reads it, two runs at once and two snapshots at once.
Each test of a fix failed on the code before it; the `test_held_*` ones record what already held.

Real files, a real DuckDB warehouse, and the `newsdedup` command as the installed script with PYTHONPATH at
this checkout's `plugins/`, as a subprocess.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from cliruns import ENV, EXE, ROOT
from cliruns import copy_pages as _pages
from cliruns import run_cli as _cli

pytestmark = pytest.mark.slow


def _count(warehouse: str, env: dict[str, str] | None = None, cwd: Path | None = None,
           query: str = "select source, count(*) AS n from articles group by 1 order by 1") -> list[dict[str, object]]:
    got = _cli("sql", "--json", "--warehouse", warehouse, query, env=env, cwd=cwd)
    assert got.returncode == 0, got.stderr[-3000:]
    return [json.loads(line) for line in got.stdout.splitlines()]


# ------------------------------------------------------------------ 1. UTF-8 names, UTF-8 mode off
def _latin1_locale(tmp: Path) -> dict[str, str] | None:
    """A real ISO-8859-1 locale, built with localedef into `tmp` (the image has none installed)."""
    if shutil.which("localedef") is None:
        return None
    tmp.mkdir()
    subprocess.run(["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(tmp / "en_US.ISO-8859-1")],
                   capture_output=True, check=False)
    if not (tmp / "en_US.ISO-8859-1").is_dir():
        return None
    return {"LOCPATH": str(tmp), "LC_ALL": "en_US.ISO-8859-1", "PYTHONUTF8": "0"}


def _locale_env(which: str, tmp: Path) -> dict[str, str]:
    if which == "ascii":
        extra = {"PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "LC_ALL": "C"}
    else:
        made = _latin1_locale(tmp / "locale")
        if made is None:
            pytest.skip("no localedef or no en_US locale source to build a Latin-1 locale")
        extra = made
    env = {**ENV, **extra}
    env.pop("LANG", None)
    probe = subprocess.run([sys.executable, "-c", "import sys; print(sys.getfilesystemencoding())"],
                           capture_output=True, text=True, env=env, check=True)
    assert probe.stdout.strip() == ("ascii" if which == "ascii" else "iso8859-1"), probe.stdout
    return env


@pytest.mark.parametrize("which", ["ascii", "latin1"])
def test_utf8_names_work_with_utf8_mode_off(which: str, tmp_path: Path) -> None:
    """With UTF-8 mode off (`LC_ALL=C PYTHONUTF8=0 PYTHONCOERCECLOCALE=0`, or a Latin-1 locale), Python holds
    a UTF-8 `é` in a path as two lone surrogates (or as `Ã©`): the warehouse `dé/wé.duckdb` was "not UTF-8"
    (ASCII), a folder DuckDB could not find (Latin-1), and a `dir` source `dé/pages` in a UTF-8 sources file
    was `not_found` every run. Paths go to DuckDB and pyarrow as their bytes read as UTF-8 now, and a
    sources file's UTF-8 paths to Python's file calls as the bytes they are."""
    env = _locale_env(which, tmp_path)
    base = tmp_path / "dé"
    _pages(base / "pagés")
    (base / "sourcés.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": "rel", "kind": "dir", "url": "pagés", "settle_seconds": 0}]}, allow_unicode=True), encoding="utf-8")
    # the shell hands the names as the bytes they are: run from tmp_path, the paths relative
    got = _cli("run", "--sources", "dé/sourcés.yaml", "--warehouse", "dé/wé.duckdb", "--staging", "dé/sté",
               env=env, cwd=tmp_path)
    assert got.returncode == 0, got.stderr[-3000:]
    assert (base / "wé.duckdb").is_file() and (base / "wé.snapshot.duckdb").is_file()
    assert _count("dé/wé.duckdb", env=env, cwd=tmp_path) == [{"source": "rel", "n": 3}]
    # an absolute path and a file:// URL of the same folder (percent-encoded UTF-8) in another sources file
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump({"sources": [
        {"name": "absolute", "kind": "dir", "url": str(_pages(base / "àbs", 4)), "settle_seconds": 0},
        {"name": "fileurl", "kind": "dir", "url": (base / "ùrl").as_uri(), "settle_seconds": 0}]},
        allow_unicode=True), encoding="utf-8")
    _pages(base / "ùrl", 5)
    got = _cli("run", "--sources", "other.yaml", "--warehouse", "dé/wé.duckdb", "--staging", "dé/sté", env=env,
               cwd=tmp_path)
    assert got.returncode == 0, got.stderr[-3000:]
    assert "not_found" not in got.stderr, got.stderr[-3000:]
    assert _cli("snapshot", "--warehouse", "dé/wé.duckdb", env=env, cwd=tmp_path).returncode == 0
    # the same warehouse, read under UTF-8 as any other tool would
    stored = _count(str(base / "wé.duckdb"))
    assert {r["source"] for r in stored} == {"rel", "absolute", "fileurl"}, stored
    # a name that is truly not UTF-8 (Latin-1 bytes) is still named as such, nothing done
    bad = os.fsdecode(os.fsencode(str(tmp_path)) + b"/w\xe9.duckdb")
    got = subprocess.run([EXE, "run", "--sources", "other.yaml", "--warehouse", bad], capture_output=True,
                         env=env, cwd=tmp_path, timeout=300, check=False)
    assert got.returncode != 0 and b"is not UTF-8" in got.stderr and b"Traceback" not in got.stderr, got.stderr


# ------------------------------------------------------------------ 2. `sql` INTERVALs and BLOBs
@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("fifteenth")
    cfg = tmp / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(_pages(tmp / "pages")),
                                                "settle_seconds": 0}]}))
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(tmp / "w.duckdb"), "--staging", str(tmp / "st"))
    assert got.returncode == 0, got.stderr[-3000:]
    return tmp / "w.duckdb"


VALUES = ("SELECT INTERVAL '1 year 2 months 3 days 04:05:06' AS iv, INTERVAL 1 MONTH AS month, "
          "INTERVAL 30 DAYS AS days, INTERVAL '-1 year 2 days -00:00:01.5' AS neg, "
          "'\\xAA\\x00ab\\x5C'::BLOB AS blob, [INTERVAL 1 MONTH, NULL] AS ivs, "
          "{'b': 'x\\xFF'::BLOB, 'n': 1} AS st, MAP {INTERVAL 2 DAYS: 'k'::BLOB} AS m, "
          "[INTERVAL 1 DAY, INTERVAL 2 DAYS]::INTERVAL[2] AS arr, count(*) AS articles FROM articles")


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "table"])
def test_sql_prints_intervals_and_blobs_as_duckdb_writes_them(loaded: Path, as_json: bool) -> None:
    """`sql` printed an INTERVAL as Python's timedelta (`423 days, 4:05:06`: a month counted as 30 days, so
    `1 month` and `30 days` alike) and a BLOB as Python's `b'\\xaa\\x00ab\\\\'`, in a table and with --json,
    inside lists, structs and maps too. Both are DuckDB's own text now, which casts back to the same value."""
    got = _cli("sql", *(["--json"] if as_json else []), "--warehouse", str(loaded), VALUES)
    assert got.returncode == 0, got.stderr
    if not as_json:
        line = got.stdout.splitlines()[2]
        assert "1 year 2 months 3 days 04:05:06" in line and "| 1 month " in line and "| 30 days " in line, line
        assert "\\xAA\\x00ab\\x5C" in line and "b'" not in line and "days," not in line, line
        return
    row = json.loads(got.stdout)
    assert row == {"iv": "1 year 2 months 3 days 04:05:06", "month": "1 month", "days": "30 days",
                   "neg": "-1 year 2 days -00:00:01.5", "blob": "\\xAA\\x00ab\\x5C", "ivs": ["1 month", None],
                   "st": {"b": "x\\xFF", "n": 1}, "m": {"2 days": "k"},
                   "arr": ["1 day", "2 days"], "articles": 3}, row
    # lossless: DuckDB reads its text back as the same values
    back = _cli("sql", "--json", "--warehouse", str(loaded),
                f"SELECT '{row['iv']}'::INTERVAL = INTERVAL '1 year 2 months 3 days 04:05:06' AS a, "
                f"'{row['blob']}'::BLOB = '\\xAA\\x00ab\\x5C'::BLOB AS b")
    assert json.loads(back.stdout) == {"a": True, "b": True}, back.stdout + back.stderr


def test_held_sql_of_other_types_and_statements_unchanged(loaded: Path) -> None:
    """What is not an INTERVAL or a BLOB comes as before (a DECIMAL as its text), a join's repeated names keep
    `_1`, a comment after the `;` is no matter, and SHOW, PRAGMA, EXPLAIN run as written."""
    got = _cli("sql", "--json", "--warehouse", str(loaded),
               "SELECT a.source, b.source, 1.5::DECIMAL(3,1) AS d, DATE '2026-03-08' AS day, "
               "a.fetched_at - a.fetched_at AS gap FROM articles a, articles b LIMIT 1; -- a note")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == {"source": "local", "source_1": "local", "d": "1.5", "day": "2026-03-08",
                                      "gap": "00:00:00"}, got.stdout
    for q in ("SHOW TABLES", "PRAGMA version", "EXPLAIN SELECT 1"):
        got = _cli("sql", "--warehouse", str(loaded), q)
        assert got.returncode == 0 and got.stdout.strip(), q + got.stderr


# ------------------------------------------------------------------ 3. a source skipped as a repeat
def test_a_source_skipped_as_a_repeat_is_not_called_missing(tmp_path: Path) -> None:
    """Two sources read by a run; then one is given the other's URL (a copy-paste). The next run skipped it
    as a repeat (with a warning saying so) and also said it "is not in the sources file: its stored articles
    stay, but none is fetched ... list it again under the name again", which it is: the advice is a no-op."""
    cfg = tmp_path / "sources.yaml"
    one, two = _pages(tmp_path / "one"), _pages(tmp_path / "two", 5)
    cfg.write_text(yaml.safe_dump({"sources": [
        {"name": "local", "kind": "dir", "url": str(one), "settle_seconds": 0},
        {"name": "again", "kind": "dir", "url": str(two), "settle_seconds": 0}]}))
    w = str(tmp_path / "w.duckdb")
    assert _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", str(tmp_path / "st")).returncode == 0
    cfg.write_text(yaml.safe_dump({"sources": [
        {"name": "local", "kind": "dir", "url": str(one), "settle_seconds": 0},
        {"name": "again", "kind": "dir", "url": str(one) + "/", "settle_seconds": 0}]}))
    got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", str(tmp_path / "st"))
    assert got.returncode == 0, got.stderr[-3000:]
    assert "again is skipped" in got.stderr, got.stderr
    assert "is not in the sources file" not in got.stderr, got.stderr
    # a source really taken out is still named
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(one), "settle_seconds": 0}]}))
    got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", str(tmp_path / "st"))
    assert got.returncode == 0 and "source again, skipped as a repeat by the last run, is not in the sources file" in got.stderr, \
        got.stderr[-3000:]


# ------------------------------------------------------------------ 4. DuckDB under `ulimit -v`
def _address_space(mib: int) -> Callable[[], None]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mib * 2**20, resource.RLIM_INFINITY))
    return limit


@pytest.mark.parametrize("mib", [250, 700, 1000])
def test_a_small_address_space_limit_is_named_and_nothing_half_written(mib: int, tmp_path: Path) -> None:
    """Under `ulimit -v` (RLIMIT_AS) DuckDB, glibc and OpenBLAS reserve address space for each thread: `run`
    spun for good in OpenBLAS at import (250 MiB), aborted with C++'s "cannot allocate memory for
    thread-local data: ABORT" (exit 127), failed as ImportError / MemoryError / "can't start new thread"
    tracebacks, or called a staged batch "unreadable" and the snapshot unopenable. Each command now says
    what the limit is and what it needs, before it touches anything; the warehouse stays whole."""
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(_pages(tmp_path / "p")),
                                                "settle_seconds": 0}]}))
    w = str(tmp_path / "w.duckdb")
    st = str(tmp_path / "st")
    assert _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", st).returncode == 0
    _pages(tmp_path / "p", 6)
    for args in (("run", "--sources", str(cfg), "--warehouse", w, "--staging", st),
                 ("sql", "--warehouse", w, "select count(*) from articles"), ("snapshot", "--warehouse", w),
                 ("dedup", str(cfg))):
        got = _cli(*args, preexec_fn=_address_space(mib), timeout=120)
        assert got.returncode == 2, (args, got.returncode, got.stderr[-2000:])
        assert "the address-space limit (`ulimit -v`, RLIMIT_AS) is" in got.stderr, got.stderr[-2000:]
        assert "Traceback" not in got.stderr and "ABORT" not in got.stderr
    # whole: the next run without the limit loads the three new pages, the snapshot opens
    got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", st)
    assert got.returncode == 0, got.stderr[-3000:]
    assert _count(w) == [{"source": "local", "n": 6}]


def test_held_the_limit_asked_for_is_enough(tmp_path: Path) -> None:
    """At the limit the message asks for (on this machine's CPUs), a first run, a second and `sql` work."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from newsdedup.addressspace import address_space_need

    need = address_space_need(os.cpu_count() or 1) // 2**20  # DuckDB on a thread a CPU, its default
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(_pages(tmp_path / "p")),
                                                "settle_seconds": 0}]}))
    w = str(tmp_path / "w.duckdb")
    for n in (3, 5):
        _pages(tmp_path / "p", n)
        got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", str(tmp_path / "st"),
                   preexec_fn=_address_space(need))
        assert got.returncode == 0, got.stderr[-3000:]
    got = _cli("sql", "--warehouse", w, "select count(*) from articles", preexec_fn=_address_space(need))
    assert got.returncode == 0 and "5" in got.stdout, got.stderr[-3000:]


# ------------------------------------------------------------------ 5. a full or read-only file system
@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MiB tmpfs (mount needs root with CAP_SYS_ADMIN: skipped without)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    got = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True, text=True,
                         check=False)
    if got.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {got.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _all_pages(folder: Path) -> Path:
    return _pages(folder, 1000)


def test_a_full_disk_is_named_as_full_and_sql_reads_the_last_snapshot(small_fs: Path, tmp_path: Path) -> None:
    """A warehouse on a file system that fills up (a real 4 MiB tmpfs): the load commits into the write-ahead
    log and its CHECKPOINT fails (warned, held). Then every writer (`sql`'s snapshot rebuild, `snapshot`, the
    next `run`) was told "cannot create its write-ahead log ... Make the folder writable for this user",
    which it was, and `sql` refused every query. Now the message says the file system is full, and `sql`
    reads the last published snapshot with a note. Made larger, the next run loads everything, nothing lost."""
    w = str(small_fs / "w.duckdb")
    st = str(tmp_path / "st")
    first, second = tmp_path / "s1.yaml", tmp_path / "s2.yaml"
    first.write_text(yaml.safe_dump({"sources": [{"name": "one", "kind": "dir", "url": str(_all_pages(tmp_path / "p1")),
                                                  "settle_seconds": 0}]}))
    second.write_text(yaml.safe_dump({"sources": [
        {"name": "one", "kind": "dir", "url": str(tmp_path / "p1"), "settle_seconds": 0},
        {"name": "two", "kind": "dir", "url": str(_all_pages(tmp_path / "p2")), "settle_seconds": 0}]}))
    pages = len(list((tmp_path / "p1").iterdir()))
    got = _cli("run", "--sources", str(first), "--warehouse", w, "--staging", st)
    assert "Traceback" not in got.stderr, got.stderr[-3000:]
    assert os.statvfs(small_fs).f_bavail == 0, "the file system did not fill: make the test's tmpfs smaller"
    for args in (("snapshot", "--warehouse", w), ("run", "--sources", str(second), "--warehouse", w, "--staging", st)):
        got = _cli(*args)
        assert got.returncode != 0, (args, got.stderr[-3000:])
        assert "is full (`df -h` it)" in got.stderr and "writable for this user" not in got.stderr, got.stderr[-3000:]
        assert "Traceback" not in got.stderr, got.stderr[-3000:]
    got = _cli("sql", "--warehouse", w, "select count(*) AS n from articles")
    assert got.returncode == 0, got.stderr[-3000:]
    assert "cannot be rebuilt now" in got.stderr and "Reading the snapshot the last load published" in got.stderr, \
        got.stderr[-3000:]
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_fs)], check=True)
    got = _cli("run", "--sources", str(second), "--warehouse", w, "--staging", st)
    assert got.returncode == 0, got.stderr[-3000:]
    assert _count(w) == [{"source": "one", "n": pages}, {"source": "two", "n": pages}]  # two's: exact copies


def test_a_read_only_file_system_is_named_for_sure(small_fs: Path, tmp_path: Path) -> None:
    """Remounted read-only after a load (`mount -o remount,ro`, as the kernel does a failing disk): the next
    run stopped at its plan, nothing fetched (held), saying "its mode is 0644 ... (its mode allows it: the file
    may be immutable, see `lsattr`, or on a file system mounted read-only) ... Give this user write access":
    a guess beside advice no chmod follows. It says the file system is mounted read-only (statvfs);
    `sql` reads the snapshot."""
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_fs)], check=True)
    cfg = tmp_path / "s.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "one", "kind": "dir", "url": str(_pages(tmp_path / "p", 3)),
                                                "settle_seconds": 0}]}))
    w = str(small_fs / "w.duckdb")
    assert _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", str(tmp_path / "st")).returncode == 0
    _pages(tmp_path / "p", 5)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", str(tmp_path / "st"))
    assert got.returncode != 0 and "stopped at its plan, nothing was fetched" in got.stderr, got.stderr[-3000:]
    assert "it is on a file system mounted read-only (`findmnt -T" in got.stderr, got.stderr[-3000:]
    assert "its mode is" not in got.stderr and "Traceback" not in got.stderr, got.stderr[-3000:]
    assert _count(w) == [{"source": "one", "n": 3}]


# ------------------------------------------------------------------ 6. a sources file edited during a run
def test_held_a_sources_file_edited_during_a_run_changes_the_next_run_only(tmp_path: Path) -> None:
    """The sources file is read once, at the plan (one read() of the whole file); the ingest, dedup and load
    stages (and the Airflow tasks) read the run's plan.json. Rewritten after the plan (another source, other
    settings), the run goes on with what it planned; the next run reads the new file. A file caught half
    written (cut mid-entry) is a ConfigError naming it, nothing fetched."""
    from newsdedup.pipeline import dedup_stage, ingest_sources, load_stage, plan

    cfg = tmp_path / "sources.yaml"
    a, b = _pages(tmp_path / "a", 3), _pages(tmp_path / "b", 5)
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "first", "kind": "dir", "url": str(a), "settle_seconds": 0}]}))
    w, st = str(tmp_path / "w.duckdb"), str(tmp_path / "st")
    ref = plan("edited-1", sources_file=str(cfg), staging=st, warehouse=w)
    text = yaml.safe_dump({"settings": {"max_entries_per_source": 1},
                           "sources": [{"name": "second", "kind": "dir", "url": str(b), "settle_seconds": 0}]})
    cfg.write_text(text)
    summaries = ingest_sources(ref["run_dir"], ref["sources"])
    assert all(isinstance(s, dict) for s in summaries), summaries
    dedup_stage(ref["run_dir"])
    load_stage(ref["run_dir"], summaries)  # type: ignore[arg-type]
    assert _count(w) == [{"source": "first", "n": 3}]
    got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", st)
    assert got.returncode == 0, got.stderr[-3000:]
    assert _count(w) == [{"source": "first", "n": 3}, {"source": "second", "n": 1}]
    cfg.write_text(text[: text.index("kind: dir") + 6])  # an editor's write caught half-way
    got = _cli("run", "--sources", str(cfg), "--warehouse", w, "--staging", st)
    assert got.returncode != 0 and str(cfg) in got.stderr and "Traceback" not in got.stderr, got.stderr[-3000:]


# ------------------------------------------------------------------ 7. snapshots and runs at once
def test_held_snapshots_written_at_once_leave_one_whole_snapshot(tmp_path: Path) -> None:
    """Four `newsdedup snapshot`s started at once on a warehouse whose snapshot is gone: each takes the writer
    lock in turn and publishes through its own `.tmp<PID>` and a rename; one whole snapshot stays, no copy
    is left beside it, and a run started beside them loads (the lock is waited for, not failed)."""
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(yaml.safe_dump({"sources": [{"name": "local", "kind": "dir", "url": str(_pages(tmp_path / "p")),
                                                "settle_seconds": 0}]}))
    w, st = tmp_path / "w.duckdb", str(tmp_path / "st")
    assert _cli("run", "--sources", str(cfg), "--warehouse", str(w), "--staging", st).returncode == 0
    (tmp_path / "w.snapshot.duckdb").unlink()
    _pages(tmp_path / "p", 6)
    procs = [subprocess.Popen([EXE, "snapshot", "--warehouse", str(w)], env=ENV, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    procs.append(subprocess.Popen([EXE, "run", "--sources", str(cfg), "--warehouse", str(w), "--staging", st],
                                  env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
        assert "Traceback" not in err
    assert sorted(f.name for f in tmp_path.glob("w.*")) == ["w.duckdb", "w.raw", "w.snapshot.duckdb"]
    assert _count(str(w)) == [{"source": "local", "n": 6}]
