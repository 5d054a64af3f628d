"""The fourteenth probe of what operators and analysts type (session 40): what the thirteenth left (one URL
under two sources, `dedup -o` killed mid-write, machine folders shown by `sql`'s introspection, three
wordings of one permission problem), then hostile values in the environment and on the command line the
CLI reads. Each test of a fix failed on the code before it; the `test_held_*` ones record what already held.

Real files, a real DuckDB warehouse, and the `newsdedup` command as the installed script with PYTHONPATH at
this checkout's `plugins/`, as a subprocess. Tests run as root, whom no file mode stops: the permission test
runs its process under `setpriv` without the capabilities that override file modes (as the thirteenth's).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from samplesources import dir_sources

from newsdedup.config import load_sources
from newsdedup.pipeline import run_pipeline

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("newsdedup"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("fourteenth")
    run_pipeline(str(dir_sources(tmp, "local", pages=3)), str(tmp / "w.duckdb"), str(tmp / "st"), run_id="fourteenth-1")
    return tmp / "w.duckdb"


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300, **kw: object
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout, env=env or ENV, **kw)  # type: ignore[call-overload]


# ------------------------------------------------------------------ 1. one URL under two sources
@pytest.mark.parametrize(("first", "second"), [
    ("https://news.example.org/feed", "https://news.example.org/feed"),
    ("https://news.example.org/feed", "https://NEWS.Example.org/feed"),
    ("https://news.example.org/feed", "https://news.example.org:443/feed"),
    ("https://news.example.org/feed", "https://news.example.org/feed/"),
    ("https://news.example.org/feed", "https://news.example.org/feed#latest"),
    ("https://news.example.org/", "https://news.example.org"),
    ("/srv/news/pages", "file:///srv/news/pages/"),
])
def test_two_sources_of_one_url_are_warned_about_and_the_second_left_out(first: str, second: str,
                                                                          tmp_path: Path) -> None:
    """Two sources of one URL (or of two spellings of it) were both fetched every run, the second storing
    nothing (its pages are the first's articles), and nothing said so. Read now with a warning naming both
    entries and their lines; the second is left out of the run."""
    f = tmp_path / "sources.yaml"
    f.write_text("sources:\n"
                 f"  - name: first\n    url: {first}\n"
                 "  - name: other\n    url: https://other.example.org/rss\n"
                 f"  - name: again\n    url: {second}\n")
    cfg = load_sources(f)
    assert [s.name for s in cfg.sources] == ["first", "other"]
    assert len(cfg.warnings) == 1
    w = cfg.warnings[0]
    assert "sources[2] again (line 6)" in w and "sources[0] first (line 2)" in w and "again is skipped" in w, w


def test_other_urls_of_one_site_stay_different_sources(tmp_path: Path) -> None:
    f = tmp_path / "sources.yaml"
    f.write_text(yaml.safe_dump({"sources": [
        {"name": "a", "url": "https://news.example.org/feed"}, {"name": "b", "url": "http://news.example.org/feed"},
        {"name": "c", "url": "https://news.example.org/feed?section=world"},
        {"name": "d", "url": "https://news.example.org/Feed"}, {"name": "e", "url": "https://news.example.org:8443/feed"}]}))
    cfg = load_sources(f)
    assert len(cfg.sources) == 5 and cfg.warnings == ()


def test_a_run_with_one_folder_under_two_sources_fetches_it_once_and_says_so(tmp_path: Path) -> None:
    cfg = dir_sources(tmp_path, "local", pages=3)
    doc = yaml.safe_load(cfg.read_text())
    doc["sources"].append({**doc["sources"][0], "name": "again", "url": doc["sources"][0]["url"] + "/"})
    cfg.write_text(yaml.safe_dump(doc))
    w = tmp_path / "w.duckdb"
    got = _cli("run", "--sources", str(cfg), "--warehouse", str(w), "--staging", str(tmp_path / "st"))
    assert got.returncode == 0, got.stderr[-3000:]
    assert "sources[1] again (line" in got.stderr and "has the URL of sources[0] local (line" in got.stderr, got.stderr
    rows = _cli("sql", "--json", "--warehouse", str(w), "select source, count(*) AS n from fetch_log group by 1")
    assert [json.loads(line)["source"] for line in rows.stdout.splitlines()] == ["local"], rows.stdout + rows.stderr


# ------------------------------------------------------------------ 2. `dedup -o OUT` killed mid-write
def _corpus(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"doc{i}", "source": f"s{i % 7}", "url": f"http://x.example/{i}",
                                 "published": None, "title": f"story {i}",
                                 "text": f"Story number {i} says something of its own about item {i * 7}. " * 5}) + "\n")
    return path


def test_the_file_of_a_dedup_killed_mid_write_is_removed_by_the_next(tmp_path: Path) -> None:
    """`newsdedup dedup -o OUT` writes OUT.tmp<PID> and renames it over OUT once whole: killed (SIGKILL,
    the OOM killer) it left that file for good, one more at each kill. The next `dedup -o OUT` removes the
    files of processes that are gone (shared with the snapshot publish); one of a live process stays."""
    corpus = _corpus(tmp_path / "c.jsonl", 3000)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([EXE, "dedup", str(corpus), "-o", str(out)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    left = out.with_name(f"out.jsonl.tmp{proc.pid}")
    for _ in range(6000):
        if left.exists() or proc.poll() is not None:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert left.exists(), "the dedup ended before it could be killed mid-write"
    busy = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        live = out.with_name(f"out.jsonl.tmp{busy.pid}")
        live.write_text("another dedup's lines\n")
        got = _cli("dedup", str(_corpus(tmp_path / "small.jsonl", 20)), "-o", str(out))
        assert got.returncode == 0, got.stderr[-2000:]
        assert not left.exists() and live.exists()
        assert f"removed {left}" in got.stderr and f"(PID {proc.pid})" in got.stderr, got.stderr
        assert len(out.read_text().splitlines()) == 20
    finally:
        busy.kill()
        busy.wait()


# ------------------------------------------------------------------ 3. machine folders in `sql`'s introspection
@pytest.mark.parametrize("query", [
    "select name, value from duckdb_settings()",
    "select current_setting('secret_directory') AS s",
    "select * from duckdb_secrets()",
    "select extension_name, install_path from duckdb_extensions()",
    "select * from duckdb_temporary_files()",
    "select * from pragma_database_list",
])
def test_sql_introspection_names_no_folder_of_the_machine(query: str, loaded: Path, tmp_path: Path) -> None:
    """`duckdb_settings()` showed `secret_directory` (the home folder of the user running `sql`: a worker's
    `/home/airflow/.duckdb/stored_secrets`), and the refusals of `duckdb_secrets()` / `duckdb_extensions()`
    named the secrets and extensions folders under it. Both are cleared for readers. The snapshot's own
    path (the file the analyst opened) may be shown; no other folder."""
    home = tmp_path / "analyst-home-7f3a"
    home.mkdir()
    got = _cli("sql", "--warehouse", str(loaded), query, env={**ENV, "HOME": str(home)})
    said = got.stdout + got.stderr
    assert "Traceback" not in said and "analyst-home-7f3a" not in said and ".duckdb/" not in said, said


def test_held_the_settings_an_analyst_reads_are_still_there(loaded: Path) -> None:
    got = _cli("sql", "--json", "--warehouse", str(loaded),
               "select current_setting('TimeZone') AS tz, current_setting('memory_limit') <> '' AS m, "
               "(select count(*) from duckdb_settings()) > 50 AS many")
    assert got.returncode == 0 and json.loads(got.stdout) == {"tz": "UTC", "m": True, "many": True}, got.stderr


# ------------------------------------------------------------------ 4. one wording of a mode/owner problem
SETPRIV = shutil.which("setpriv")
AS_USER = [SETPRIV or "setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]
_SAY = """
import sys
from pathlib import Path
from newsdedup import warehouse as wh
from newsdedup.pipeline import _not_adoptable
folder = Path(sys.argv[1])
print(_not_adoptable(folder))
try:
    wh.check_writable(folder / "w.duckdb")
except wh.WarehouseAccessError as exc:
    print(exc)
print(wh._unreadable_by_us(folder / "secret"))
"""


def test_mode_and_owner_problems_are_said_one_way(tmp_path: Path) -> None:
    """A failed run's staging folder this user cannot adopt said "cannot write D (mode 0555, owner uid 0)",
    the warehouse's folder "cannot be written by this user (uid 0): its mode is 0555, owner uid 0, group gid
    0", an unreadable snapshot a third variant: one helper (`config.access_problem`) words all three."""
    if SETPRIV is None:
        pytest.skip("setpriv (util-linux) is not installed")
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "secret").write_text("x")
    (folder / "secret").chmod(0)
    folder.chmod(0o555)
    try:
        got = subprocess.run([*AS_USER, sys.executable, "-c", _SAY, str(folder)], capture_output=True, text=True,
                             timeout=120, env=ENV)
    finally:
        folder.chmod(0o755)
    uid, gid = os.getuid(), os.getgid()
    lines = got.stdout.splitlines()
    assert len(lines) == 3, got.stdout + got.stderr
    if lines[0] == "None":
        pytest.skip("setpriv cannot drop the capabilities that override file modes here")
    said = f"cannot be written by this user (uid {uid}): its mode is 0555, owner uid {uid}, group gid {gid}"
    assert lines[0].startswith(f"{folder} {said}"), lines
    assert f"the warehouse's folder {folder} {said}" in lines[1], lines
    assert lines[2] == f"cannot be read by this user (uid {uid}): its mode is 0000, owner uid {uid}, group gid {gid}", lines


# ------------------------------------------------------------------ 5. several statements on one line of the prompt
def test_each_statement_of_a_prompt_line_prints_its_rows(loaded: Path) -> None:
    """`SELECT count(*) FROM a; SELECT count(*) FROM b;` on one line of a script (or typed at the prompt) was
    run as one text, and DuckDB handed back the last statement's rows only: the first count was never
    shown, and a failing first statement stopped the second. Each statement now runs and prints on its
    own, as on separate lines (`sql QUERY` keeps its documented "the last one's rows")."""
    script = ("select 1 as a; select 'x;y' as b; -- a comment; with a ;\n"
              "select 3 as c /* ; */ ;; selec 4; select 5 as e\n")
    got = _cli("sql", "--warehouse", str(loaded), input=script)
    assert got.returncode == 1, got.stderr  # `selec 4` failed: a script's exit says so
    heads = [line for line in got.stdout.splitlines() if line in ("a", "b", "c", "e")]
    assert heads == ["a", "b", "c", "e"], got.stdout
    assert got.stdout.count("error: Parser Error") == 1 and "x;y" in got.stdout, got.stdout


def test_ten_thousand_statements_on_one_line_each_print_their_rows(loaded: Path) -> None:
    got = _cli("sql", "--warehouse", str(loaded), input="select 7 as seven;" * 10_000 + "\n")
    assert got.returncode == 0 and got.stdout.count("(1 row)") == 10_000, got.stderr[-2000:]


def test_a_nul_byte_in_a_script_line_fails_its_statement_only(loaded: Path) -> None:
    """A NUL byte pasted into a line: DuckDB's parser error for the statement holding it; the statement
    before it on the line (lost before: the line was one text) and the next line run."""
    got = _cli("sql", "--warehouse", str(loaded), input="select 1 as a;\x00 select 2 as b;\nselect 3 as c;\n")
    assert got.returncode == 1 and "Traceback" not in got.stderr, got.stderr
    assert [line for line in got.stdout.splitlines() if line in ("a", "b", "c")] == ["a", "c"], got.stdout
    assert got.stdout.count("error: Parser Error") == 1, got.stdout


# ------------------------------------------------------------------ held: odd files where the CLI wants a file
@pytest.mark.parametrize("what", ["symlink_loop", "proc_environ", "dev_zero"])
def test_held_a_sources_file_that_is_no_yaml_file_is_one_line(what: str, tmp_path: Path) -> None:
    if what == "symlink_loop":
        (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
        (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    path = {"symlink_loop": str(tmp_path / "a.yaml"), "proc_environ": "/proc/self/environ", "dev_zero": "/dev/zero"}[what]
    got = _cli("run", "--sources", path, "--warehouse", str(tmp_path / "w.duckdb"), "--staging", str(tmp_path / "st"),
               timeout=120)
    assert got.returncode != 0 and "Traceback" not in got.stderr and path in got.stderr, got.stderr
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize("what", ["fifo", "dev_null", "folder"])
@pytest.mark.parametrize("command", ["sql", "run", "snapshot"])
def test_held_a_warehouse_path_that_is_no_file_is_refused(what: str, command: str, tmp_path: Path) -> None:
    w = tmp_path / "w.duckdb"
    if what == "fifo":
        os.mkfifo(w)
    elif what == "folder":
        w.mkdir()
    path = "/dev/null" if what == "dev_null" else str(w)
    args = {"sql": ["select 1"], "snapshot": [],
            "run": ["--sources", str(dir_sources(tmp_path)), "--staging", str(tmp_path / "st")]}[command]
    got = _cli(command, *args, "--warehouse", path, timeout=120)
    assert got.returncode != 0 and "Traceback" not in got.stderr and "nothing was done" in got.stderr, got.stderr


@pytest.mark.parametrize(("var", "value"), [
    ("NEWSDEDUP_SQL_TIME_LIMIT", "nan"), ("NEWSDEDUP_SQL_TIME_LIMIT", "-inf"), ("NEWSDEDUP_SQL_TIME_LIMIT", "1e999"),
    ("NEWSDEDUP_SQL_TIME_LIMIT", "5\n6"), ("NEWSDEDUP_READER_MEMORY_LIMIT", "1e999"),
    ("NEWSDEDUP_READER_MEMORY_LIMIT", "\u0661\u0662GB"), ("NEWSDEDUP_READER_MEMORY_LIMIT", "-1GB"),
])
def test_held_hostile_settings_in_the_environment_are_named(var: str, value: str, loaded: Path) -> None:
    got = _cli("sql", "--warehouse", str(loaded), "select 1 as x", env={**ENV, var: value})
    assert got.returncode != 0 and var in got.stderr and "Traceback" not in got.stderr, got.stderr


def test_held_a_huge_time_limit_in_the_environment_is_no_limit_in_effect(loaded: Path) -> None:
    got = _cli("sql", "--warehouse", str(loaded), "select 1 as x",
               env={**ENV, "NEWSDEDUP_SQL_TIME_LIMIT": "1e300", "NEWSDEDUP_LOCK_PATIENCE": "nan"})
    assert got.returncode == 0 and "(1 row)" in got.stdout, got.stderr


@pytest.mark.parametrize("tz", ["", ":/dev/zero", "../../../../etc/passwd", "A" * 5000, "<+1234>-12:34", "Europe/Nowhere"])
def test_held_a_garbage_tz_leaves_the_session_zone_utc(tz: str, loaded: Path) -> None:
    got = _cli("sql", "--json", "--warehouse", str(loaded),
               "select current_setting('TimeZone') AS z, min(published_at)::VARCHAR AS f FROM articles",
               env={**ENV, "TZ": tz})
    assert got.returncode == 0 and "Traceback" not in got.stderr, got.stderr
    row = json.loads(got.stdout)
    assert row["z"] == "UTC" and row["f"].endswith("+00"), row
