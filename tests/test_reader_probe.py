"""The analyst-facing read side probed as an attacker or a careless analyst would (session 30): what
`newsdedup sql` prints (a table, `--json`, the shell fed a script) for values DuckDB can return and
scripts people write, where its output goes, and the plan of an EXPLAIN.

A real warehouse (the sample site ingested once by `run_pipeline`) and the installed console script,
as a user runs it.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

EXE = str(Path(sys.executable).with_name("newsdedup"))


@pytest.fixture(scope="module")
def warehouse(sample_warehouse: Path) -> Path:
    """This module's copy of one run over the sample site (tests/conftest.py)."""
    return sample_warehouse


def _sql(warehouse: Path, query: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, "sql", query, "--warehouse", str(warehouse), *extra], capture_output=True,
                          text=True, timeout=120)


def _shell(warehouse: Path, script: str | bytes, env: dict[str, str] | None = None,
           stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """`newsdedup sql < script` (bytes as they are in the file)."""
    proc = subprocess.run([EXE, "sql", "--warehouse", str(warehouse)],
                          input=script if isinstance(script, bytes) else script.encode(), stdout=stdout,
                          stderr=subprocess.PIPE, timeout=120, env={**os.environ, **(env or {})})
    return subprocess.CompletedProcess(proc.args, proc.returncode, (proc.stdout or b"").decode(errors="replace"),
                                       proc.stderr.decode(errors="replace"))


MAP_KEYS = ("SELECT MAP {DATE '2026-03-08': 1} AS by_day, MAP {1.5::DECIMAL(3,1): 'x'} AS by_dec, "
            "MAP {'nan'::DOUBLE: 1, 'inf'::DOUBLE: 2} AS by_float, MAP {'\\x00k'::BLOB: 1} AS by_blob, "
            "MAP {UUID '00000000-0000-0000-0000-000000000001': 1} AS by_uuid, MAP {INTERVAL 1 DAY: 1} AS by_gap, "
            "MAP {TIMESTAMP '2026-03-08 23:30:00': 1} AS by_ts, [MAP {TIME '01:02:03': 1}] AS nested")


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_a_map_keyed_by_any_type_prints(warehouse: Path, as_json: bool) -> None:
    """A MAP whose keys are dates, decimals, floats, blobs, UUIDs, intervals or times (`SELECT
    histogram(published_at::DATE) FROM articles`) was a traceback as a table and with --json (`keys
    must be str, int, float, bool or None, not datetime.date`; a NaN key: `Out of range float values
    are not JSON compliant`): the keys print as text, as the same values print elsewhere."""
    proc = _sql(warehouse, MAP_KEYS, *(["--json"] if as_json else []))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    if as_json:
        row = json.loads(proc.stdout, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
        assert row["by_day"] == {"2026-03-08": 1} and row["by_dec"] == {"1.5": "x"}
        assert row["by_float"] == {"NaN": 1, "Infinity": 2}
        assert row["by_ts"] == {"2026-03-08 23:30:00": 1} and row["nested"] == [{"01:02:03": 1}]
    else:
        first = proc.stdout.splitlines()[2]
        assert '{"2026-03-08": 1}' in first and '{"1.5": "x"}' in first and '{"2026-03-08 23:30:00": 1}' in first
        assert '[{"01:02:03": 1}]' in first
    # the analyst's real question: articles per day of publication
    hist = _sql(warehouse, "SELECT histogram(published_at::DATE) AS per_day FROM articles", "--json")
    assert hist.returncode == 0, hist.stderr
    per_day = json.loads(hist.stdout)["per_day"]
    assert per_day and all(len(day) == 10 and day[4] == "-" for day in per_day)


def test_a_semicolon_inside_a_string_or_comment_does_not_end_the_statement(warehouse: Path) -> None:
    """The shell ran its text as soon as a line ended with `;`: a string or a block comment holding
    `;` at a line's end was cut in two (`unterminated string literal`, exit 1), and a statement
    followed by a comment on its line (`SELECT 1; -- done`) waited for more input instead of running."""
    script = ("SELECT 'one;\ntwo' AS joined;\n"
              "SELECT 2 AS after_comment /* a note;\nthat goes on */;\n"
              "SELECT 'it''s;' AS \"quoted;\nname\";\n"
              "SELECT $$dollar;\n$$ AS dollars;\n"
              "SELECT 3 AS commented; -- the last one\n")
    shell = subprocess.Popen([EXE, "sql", "--warehouse", str(warehouse)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []

    def read() -> None:  # until the last statement's row: it must run before the script's end
        for line in shell.stdout or ():
            lines.append(line)
            if line.strip() == "3":
                return

    reader = threading.Thread(target=read, daemon=True)
    try:
        reader.start()
        shell.stdin.write(script)  # the pipe stays open: nothing waits for the end of input
        shell.stdin.flush()
        reader.join(timeout=60)
        ran_before_eof = "commented" in "".join(lines)
    finally:
        shell.stdin.close()
        reader.join(timeout=60)
        shell.wait(timeout=60)
    out = "".join(lines)
    assert "error" not in out, out
    for name in ("joined", "after_comment", "quoted", "dollars", "commented"):
        assert name in out, (name, out)
    assert "one; two" in out  # the newline inside the string is kept (shown as a space in a cell)
    assert ran_before_eof and shell.returncode == 0, out


def test_the_shell_writing_to_a_full_device_says_so(warehouse: Path) -> None:
    """`newsdedup sql < checks.sql > /dev/full` was an OSError traceback (the shell printed with
    `print`, past the checks `sql QUERY` has): it says its output could not be written, exit 1."""
    with open("/dev/full", "wb") as full:
        proc = _shell(warehouse, "SELECT 1 AS a;\n", stdout=full)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("newsdedup sql: cannot write its output to standard output"), proc.stderr


def test_a_script_that_is_not_utf8_is_named_not_a_traceback(warehouse: Path) -> None:
    """A script holding a Latin-1 byte was a UnicodeDecodeError traceback in a UTF-8 locale that
    decodes strictly (`en_US.UTF-8`; PYTHONIOENCODING=utf-8:strict here), and in another a message
    about a "surrogate '\\udce9'": the statement fails saying the byte, and the script goes on."""
    script = "SELECT 'caf\xe9' AS name;\nSELECT 2 AS after;\n".encode("latin-1")
    for env in ({"PYTHONIOENCODING": "utf-8:strict"}, {"PYTHONIOENCODING": "utf-8:surrogateescape"}):
        proc = _shell(warehouse, script, env)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == 1, (env, proc.stdout)
        assert "not UTF-8" in proc.stdout and "0xe9" in proc.stdout, proc.stdout
        assert "surrogate" not in proc.stdout
        assert "after" in proc.stdout  # the next statement ran
    query = subprocess.run([os.fsencode(EXE), b"sql", b"SELECT 'caf\xe9' AS name", b"--warehouse",
                            os.fsencode(warehouse)], capture_output=True, timeout=120)
    assert query.returncode == 1 and b"not UTF-8" in query.stderr and b"surrogate" not in query.stderr, query.stderr


def _columns(line: str) -> list[int]:
    """The display columns (a wide character takes two, a combining mark none) where `|` stands."""
    at, out = 0, []
    for ch in line:
        if ch == "|":
            out.append(at)
        at += 0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1  # U+00AD: 1
    return out


def test_a_table_of_wide_and_combining_text_stays_aligned(warehouse: Path) -> None:
    """Columns were padded by code points: a CJK title (two columns per character) pushed its row's
    `|` right, and `e` + U+0301 (one column, two code points) pulled it left; cut at 60 code points,
    a CJK cell was 120 columns wide. A soft hyphen is drawn (one column), unlike other format characters."""
    proc = _sql(warehouse, "SELECT * FROM (VALUES ('東京の記者会見', 'x', 1), ('Cafe\u0301 ok', '名前', 2), "
                           "('soft\u00adhyphen', 'y', 3), (repeat('漢', 100), 'z', 4)) t(title, who, n)")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()[:-1]
    assert len({tuple(_columns(line)) for line in lines if not line.startswith("-")}) == 1, lines
    assert all(_columns(line)[0] <= 61 for line in lines[2:]), lines


@pytest.mark.parametrize("query", ["EXPLAIN SELECT * FROM story_cluster_view",
                                   "EXPLAIN ANALYZE SELECT count(*) FROM articles"])
def test_explain_prints_the_plan_as_drawn(warehouse: Path, query: str) -> None:
    """EXPLAIN's plan (a drawing over many lines in one value) was printed as a table cell: its lines
    ran together on one line (of 10,000 characters for story_cluster_view). The plan prints line by
    line, as DuckDB draws it."""
    proc = _sql(warehouse, query)
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(_sql(warehouse, query, "--json").stdout)["explain_value"]
    if "ANALYZE" not in query:  # timings differ between two runs
        assert proc.stdout == plan.rstrip("\n") + "\n"
    lines = proc.stdout.splitlines()
    assert len(lines) >= 3 and lines[0].startswith("╭─") and "╰─" in lines[-1], lines


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
def test_a_negative_interval_prints_with_its_sign_in_front(warehouse: Path, as_json: bool) -> None:
    """An interval of minus one hour printed as `-1 day, 23:00:00` (Python's form: a day back, then 23
    hours forward) as a table and with --json: `published_at - fetched_at`, how long before its fetch
    an article was dated, read as nearly a day. It prints as `-1:00:00`; since session 41 (fifteenth ops
    probe) as DuckDB writes it, `-01:00:00` (a month is no longer 30 days, `-25:00:00` no `-1 day`)."""
    query = ("SELECT INTERVAL '-1 hour' AS h, -INTERVAL '25 hours' AS d, -INTERVAL '1 microsecond' AS us, "
             "[INTERVAL '-90 minutes'] AS l, INTERVAL '2 hours' AS p, min(published_at - fetched_at) AS lead "
             "FROM articles")
    proc = _sql(warehouse, query, *(["--json"] if as_json else []))
    assert proc.returncode == 0, proc.stderr
    if as_json:
        row = json.loads(proc.stdout)
        values = [row[k] for k in ("h", "d", "us", "l", "p", "lead")]
    else:
        values = [cell.strip() for cell in proc.stdout.splitlines()[2].split(" | ")]
    assert values[:5] == ["-01:00:00", "-25:00:00", "-00:00:00.000001",
                          ["-01:30:00"] if as_json else '["-01:30:00"]', "02:00:00"]
    assert values[5].startswith("-")  # the sample site's pages are dated before they were fetched


def _one_big_story(run_dir: Path, members: int) -> dict[str, str]:
    """A staged run of `members` articles over 40 sources, all copies of one story (undated, as
    soft-404 pages are): one cluster."""
    from newsdedup import staging

    fetched = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    arts, clusters = [], []
    for k in range(members):
        aid, source = f"copy-{k:05d}", f"site{k % 40:02d}"
        arts.append({
            "article_id": aid, "url": f"https://{source}.example/{k}", "canonical_url": f"https://{source}.example/{k}",
            "source": source, "title": "Page not found", "authors": [], "published_at": None,
            "published_text": None, "updated_at": None, "language": "en", "text": "Page not found",
            "word_count": 3, "content_hash": "same", "clean_error": None, "fetched_at": fetched, "run_id": "r1",
            "url_id": aid, "final_url": None, "content_type": "text/html", "http_status": 200, "bytes": 10,
            "sha1": "x", "raw_path": f"{aid}.html.gz"})
        clusters.append({"article_id": aid, "cluster_id": "the-story", "decision": "canonical" if k == 0 else "exact",
                         "matched_article_id": None if k == 0 else "copy-00000", "similarity": None if k == 0 else 1.0,
                         "estimated_similarity": None, "skipped": None, "config_fingerprint": "fp", "run_id": "r1"})
    staging.write_rows(arts, staging.ARTICLE_SCHEMA, run_dir / "articles" / "x.parquet")
    staging.write_rows(clusters, staging.CLUSTER_SCHEMA, run_dir / "clusters" / "dedup.parquet")
    return {"run_id": "r1", "status": "success"}


def test_the_dashboard_lists_a_bounded_part_of_a_huge_cluster(tmp_path: Path) -> None:
    """A cluster of 10,000 members (one story everywhere, or a soft-404 page) listed every member on
    the dashboard: a page of 2 MB for that one cluster, fifteen such clusters 30 MB. It lists the
    first MEMBERS_SHOWN (the canonical first) and says how many there are and how to see them all."""
    from newsdedup import warehouse as wh
    from newsdedup.dashboard import data, render

    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        wh.load_run(con, tmp_path / "run", _one_big_story(tmp_path / "run", 10_000))
    d = data.load(path)
    assert d.state == "ok" and len(d.clusters) == 1
    story = d.clusters[0]
    assert story.size == 10_000 and len(story.members) == data.MEMBERS_SHOWN
    assert story.members[0].role == "canonical" and story.members[0].url == "https://site00.example/0"
    page = html.unescape(render.page(d, base="/newsdedup"))
    assert f"The first {data.MEMBERS_SHOWN} of its 10,000 articles" in page
    assert "where cluster_id = 'the-story'" in page
    assert page.count("Page not found</a>") == data.MEMBERS_SHOWN


def test_a_source_whose_pages_all_failed_to_clean_is_not_counted_as_left_out(warehouse: Path, tmp_path: Path) -> None:
    """With one source whose every page failed to clean (a site that renders in script), the
    dashboard said "The 4 of 5 sources with the most duplicates; pick a source above", as if one had
    been left out of a chart that showed every source with figures. It says nothing then."""
    import shutil

    from newsdedup import warehouse as wh
    from newsdedup.dashboard import data, render

    path = tmp_path / "w.duckdb"
    shutil.copyfile(warehouse, path)
    with wh.writer(path) as con:
        con.execute("INSERT INTO articles (article_id, url, canonical_url, source, text, clean_error, fetched_at) "
                    "VALUES ('js1', 'https://js.example/a', 'https://js.example/a', 'script-only', '', "
                    "'no_text', now())")
    d = data.load(path)
    assert "script-only" in d.sources  # still in the filter
    assert len(d.per_source) == d.sources_total == 4
    assert "sources-note" not in render.page(d, base="/newsdedup")


def test_the_shell_with_its_input_closed_says_so(warehouse: Path) -> None:
    """`newsdedup sql <&-` (no QUERY, standard input closed, as some daemons and cron set-ups start
    commands) was an AttributeError traceback ('NoneType' object has no attribute 'isatty'): it says
    there is nothing to read, exit 2."""
    proc = subprocess.run([EXE, "sql", "--warehouse", str(warehouse)], capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: os.close(0))
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2 and "no standard input" in proc.stderr, proc.stderr


@pytest.mark.parametrize("args", [["sql", "SELECT 1 AS a"], ["sql", "SELECT 1 AS a", "--json"], ["sql"],
                                  ["snapshot"], ["diff", "no-such-article"]],
                         ids=["table", "json", "shell", "snapshot", "diff"])
def test_a_command_started_with_its_output_closed_says_so(warehouse: Path, args: list[str]) -> None:
    """`newsdedup sql "..." >&-` (standard output closed, not full) was an AttributeError traceback
    ('NoneType' object has no attribute 'write'), also for the shell and `snapshot`: each says its
    output cannot be written, exit 1 (`diff` of an unknown article still says that, exit 2)."""
    proc = subprocess.run([EXE, *args, "--warehouse", str(warehouse)], input="SELECT 1;\n", stderr=subprocess.PIPE,
                          text=True, timeout=120, preexec_fn=lambda: os.close(1))
    assert "Traceback" not in proc.stderr, proc.stderr
    if args[0] == "diff":
        assert proc.returncode == 2 and "no article" in proc.stderr
    else:
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.startswith(f"newsdedup {args[0]}: cannot write its output to standard output (it was "
                                      "closed"), proc.stderr


def test_tied_repeated_sentences_come_in_one_order(tmp_path: Path) -> None:
    """repeated_sentences ordered ties (equal stories, articles, repeats) as the threads met them, and
    took any copy's text: the dashboard's top 15 sentences, and `... LIMIT n`, changed between two
    reads of the same snapshot. Ties are ordered by the sentence's hash, the text is the least."""
    from newsdedup import warehouse as wh
    from newsdedup.dashboard import data

    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        con.execute("""INSERT INTO articles (article_id, url, canonical_url, source, title, text, fetched_at,
                                             content_hash)
            SELECT printf('a%05d', i), printf('https://x.example/%d', i), printf('https://x.example/%d', i),
                   printf('s%d', i % 50), 'T', 'x', now(), printf('h%d', i) FROM range(4000) t(i)""")
        con.execute("""INSERT INTO article_sentences
            SELECT printf('a%05d', i), j, printf('sent%02d', j),
                   CASE WHEN i = 3999 THEN printf('SENTENCE %d', j) ELSE printf('Sentence %d', j) END, 2, 0, false
            FROM range(4000) t(i), range(30) u(j)""")
    expected = [f"SENTENCE {j}" for j in range(data.SENTENCES_SHOWN)]
    for _ in range(6):
        assert [row[0] for row in data.load(path).sentences] == expected
    proc = _sql(path, "SELECT text FROM repeated_sentences LIMIT 3", "--json")
    assert [json.loads(line)["text"] for line in proc.stdout.splitlines()] == expected[:3], proc.stderr


def test_a_script_prints_its_results_alone(warehouse: Path) -> None:
    """`newsdedup sql < checks.sql > report.txt` wrote the banner and a prompt before every statement
    to the report: each table's header came out as "sql> ...> a", and the report ended in "sql> ".
    A script's output is its results and errors, as `sql QUERY` prints them (sqlite3, psql and duckdb
    print no prompt to a script either)."""
    proc = _shell(warehouse, "SELECT 1 AS a;\n\nSELECT\n  2 AS b;\nSELEC 3;\nSELECT 'last' AS c")
    assert proc.returncode == 1  # the failed statement still fails the script
    assert proc.stdout.splitlines() == [
        "a", "--------", "1", "(1 row)",
        "b", "--------", "2", "(1 row)",
        *[line for line in proc.stdout.splitlines() if line.startswith("error: ")],
        "c", "--------", "last", "(1 row)"], proc.stdout
    assert proc.stdout.count("error: ") == 1 and "SELEC" in proc.stdout
    assert _sql(warehouse, "SELECT 1 AS a").stdout == "\n".join(proc.stdout.splitlines()[:4]) + "\n"
