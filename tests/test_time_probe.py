"""Clocks and time zones: the pipeline and its readers under machine zones other than UTC.

Production workers and analysts' laptops are not in UTC. Every run here is a real `newsdedup`
process started with its own `TZ` (New York on its DST days, Kolkata's +05:30, Chatham's +13:45,
Lord Howe's half-hour DST, a zone name that does not exist), against real files and a real DuckDB
warehouse. The contract: stored instants, day buckets and re-check times are the same whatever the
machine's zone; naive dates (no offset) are read as UTC on every path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsdedup.discovery import SiteState, _why_look
from newsdedup.revisions import due_at

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe", "Not/AZone"]


def _utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() if "+" not in text[10:] \
        else datetime.fromisoformat(text).timestamp()


# (date as the feed gives it, the instant stored (UTC) or None, a phrase of the date_note or None)
FEED_DATES: dict[str, tuple[str, float | None, str | None]] = {
    "gap": ("2026-03-08T02:30:00", _utc("2026-03-08T02:30:00"), None),    # no such local time in New York
    "ambig": ("2026-11-01 01:30", _utc("2026-11-01T01:30:00"), None),     # twice in New York
    "late": ("2026-03-08T23:30:00Z", _utc("2026-03-08T23:30:00"), None),
    "plus14": ("2026-03-08T02:30:00+14:00", _utc("2026-03-07T12:30:00"), None),
    "minus12": ("2026-03-08T02:30:00-12:00", _utc("2026-03-08T14:30:00"), None),
    "leap": ("2016-12-31T23:59:60Z", _utc("2017-01-01T00:00:00"), None),  # a leap second: the next second
    "h24": ("2026-03-08T24:00:00Z", _utc("2026-03-09T00:00:00"), None),   # the end of the day
    "comma": ("2026-03-08T02:30:00,5Z", _utc("2026-03-08T02:30:00.5"), None),
    "compact": ("20260308T0230Z", _utc("2026-03-08T02:30:00"), None),
    "week": ("2026-W10-7T02:30Z", _utc("2026-03-08T02:30:00"), None),
    "ordinal": ("2026-067T02:30Z", None, "cannot be read"),
    "rfc": ("Sun, 08 Mar 2026 02:30:00 +0000", _utc("2026-03-08T02:30:00"), None),
    "rfcnaive": ("Sun, 08 Mar 2026 23:30:00", _utc("2026-03-08T23:30:00"), None),
    "far": ("9999-12-31T23:59:59Z", None, "in the future"),
    "y2100": ("2100-01-01T00:00:00Z", None, "in the future"),
    "y1900": ("1900-01-01T00:00:00Z", None, "before 1995"),
    "y1": ("0001-01-01T00:00:00Z", None, "before 1995"),
    "epoch0": ("1970-01-01T00:00:00Z", None, "before 1995"),
}
# Dates a page gives in its own metadata (a `dir` source): naive ones are UTC there too.
PAGE_DATES: dict[str, tuple[str, float | None]] = {
    "pgap": ("2026-03-08T02:30:00", _utc("2026-03-08T02:30:00")),
    "plate": ("2026-03-08T23:30:00", _utc("2026-03-08T23:30:00")),
    "pleap": ("2016-12-31T23:59:60Z", _utc("2017-01-01T00:00:00")),
    "ph24": ("2026-03-08T24:00:00Z", _utc("2026-03-09T00:00:00")),
    "pplus14": ("2026-03-08T02:30:00+14:00", _utc("2026-03-07T12:30:00")),
}


def _body(key: str) -> str:
    return " ".join(f"Sentence {j} of the {key} story tells its own tale about {key} item {j * 7 + len(key)}."
                    for j in range(40))


def _write_sources(folder: Path) -> Path:
    """An RSS feed and a JSON Feed (full content, no fetches) with the same dates, and a folder of pages."""
    folder.mkdir(parents=True, exist_ok=True)
    items = "".join(
        f"<item><title>Story {k}</title><link>https://rss.example.org/{k}</link><pubDate>{d}</pubDate>"
        f"<content:encoded><![CDATA[<p>rss {_body(k)}</p>]]></content:encoded></item>"
        for k, (d, _, _) in FEED_DATES.items())
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>P</title><link>https://rss.example.org/</link>{items}</channel></rss>", encoding="utf-8")
    (folder / "feed.json").write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "J",
        "items": [{"id": f"https://json.example.org/{k}", "url": f"https://json.example.org/{k}",
                   "title": f"Story {k}", "date_published": d, "content_html": f"<p>json {_body(k)}</p>"}
                  for k, (d, _, _) in FEED_DATES.items() if not d[0].isalpha()]}), encoding="utf-8")
    pages = folder / "pages"
    pages.mkdir(exist_ok=True)
    for k, (d, _) in PAGE_DATES.items():
        (pages / f"{k}.html").write_text(
            f'<!DOCTYPE html><html><head><title>Story {k}</title>'
            f'<meta property="article:published_time" content="{d}"></head>'
            f"<body><article><h1>Story {k}</h1><p>page {_body(k)}</p></article></body></html>", encoding="utf-8")
    sources = folder / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - {{name: rss, url: '{folder / 'feed.xml'}', kind: rss}}\n"
        f"  - {{name: json, url: '{folder / 'feed.json'}', kind: jsonfeed}}\n"
        f"  - {{name: pages, url: '{pages}', kind: dir, settle_seconds: 0, base_url: 'https://pages.example.org/'}}\n",
        encoding="utf-8")
    return sources


def _env(tz: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDEDUP_")}
    env["TZ"] = tz
    return env


def _cli(tz: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsdedup.cli", *args], env=_env(tz), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def _sql(tz: str, warehouse: Path, query: str) -> list[dict[str, object]]:
    proc = _cli(tz, "sql", "--json", "--warehouse", str(warehouse), query)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One `newsdedup run` of the same sources per machine zone: zone -> warehouse."""
    out = {}
    for tz in ZONES:
        work = tmp_path_factory.mktemp("tz")
        sources = _write_sources(work / "in")
        proc = _cli(tz, "run", "--sources", str(sources), "--warehouse", str(work / "w.duckdb"),
                    "--staging", str(work / "staging"))
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, (tz, proc.stderr[-3000:])
        out[tz] = work / "w.duckdb"
    return out


@pytest.mark.parametrize("tz", ZONES)
def test_feed_and_page_dates_are_the_same_instants_in_every_machine_zone(runs: dict[str, Path], tz: str) -> None:
    rows = _sql("UTC", runs[tz], "SELECT source, split_part(url, '/', -1) AS k, epoch(published_at) AS e, "
                                 "date_note FROM articles")
    got = {(r["source"], str(r["k"]).removesuffix(".html")): (r["e"], r["date_note"]) for r in rows}
    for source in ("rss", "json"):
        for k, (raw, when, note) in FEED_DATES.items():
            if source == "json" and raw[0].isalpha():
                continue  # JSON Feed dates are RFC 3339 only
            assert (source, k) in got, f"{source}/{k} missing under TZ={tz}"
            e, date_note = got[(source, k)]
            if when is None:
                assert e is None and date_note is not None and note in date_note, (tz, source, k, e, date_note)
            else:
                assert e is not None and abs(float(e) - when) < 1, (tz, source, k, raw,
                    datetime.fromtimestamp(float(e), UTC) if e is not None else None, date_note)
                assert date_note is None, (tz, source, k, date_note)
    for k, (raw, when) in PAGE_DATES.items():
        e, _ = got[("pages", k)]
        assert e is not None and abs(float(e) - when) < 1, (tz, k, raw, e)


@pytest.mark.parametrize("tz", ["UTC", "Asia/Kolkata", "America/New_York", "Pacific/Chatham"])
def test_analysts_see_utc_days_and_times_whatever_their_machine_zone(runs: dict[str, Path], tz: str) -> None:
    # 23:30 UTC on March 8 is March 9 in Kolkata and Chatham: `published_at::DATE`, date_trunc and
    # the printed time followed the laptop's zone (DuckDB's session TimeZone is the local one).
    q = ("SELECT published_at::DATE::VARCHAR AS d, date_trunc('day', published_at)::VARCHAR AS t, "
         "strftime(published_at, '%H:%M') AS hm, current_setting('TimeZone') AS zone "
         "FROM articles WHERE source = 'rss' AND url LIKE '%/late'")
    [row] = _sql(tz, runs["UTC"], q)
    assert row == {"d": "2026-03-08", "t": "2026-03-08 00:00:00+00", "hm": "23:30", "zone": "UTC"}
    proc = _cli(tz, "sql", "--warehouse", str(runs["UTC"]),
                "SELECT published_at FROM articles WHERE source = 'rss' AND url LIKE '%/late'")
    assert "2026-03-08 23:30:00+00:00" in proc.stdout, proc.stdout
    days = _sql(tz, runs["UTC"], "SELECT day::VARCHAR AS day, articles FROM daily_duplicate_rate WHERE "
                                 "source = 'rss' AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31' ORDER BY day")
    assert days == [{"day": "2026-03-07", "articles": 1}, {"day": "2026-03-08", "articles": 8},
                    {"day": "2026-03-09", "articles": 1}]


# ------------------------------------------------------------------------------ re-check schedule
def test_a_recheck_age_is_real_hours_across_a_dst_change() -> None:
    # DuckDB hands TIMESTAMPTZ values back in the session's zone; `first_seen + 24 h` on a New York
    # datetime is wall-clock arithmetic: 23 real hours across the spring change, 25 across the fall.
    ny = ZoneInfo("America/New_York")
    spring = datetime(2026, 3, 7, 12, 0, tzinfo=ny)  # 17:00 UTC; the clocks go forward that night
    assert due_at(spring, None, (24.0,)) == datetime(2026, 3, 8, 17, 0, tzinfo=UTC)
    fall = datetime(2026, 10, 31, 12, 0, tzinfo=ny)  # 16:00 UTC; the clocks go back that night
    assert due_at(fall, None, (1.0, 24.0)) == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    assert due_at(fall, fall + timedelta(hours=2), (1.0, 24.0)) == datetime(2026, 11, 1, 16, 0, tzinfo=UTC)
    # a check 24.5 real hours after the first fetch (wall clock: 23.5 h later) covers the 24 h age
    checked = (fall.astimezone(UTC) + timedelta(hours=24.5)).astimezone(ny)
    assert due_at(fall, checked, (1.0, 24.0)) is None


_SELECT_DUE = r"""
import json, sys
from datetime import UTC, datetime, timedelta
from newsdedup import warehouse as wh
from newsdedup.revisions import select_due
path, first = sys.argv[1], datetime.fromisoformat(sys.argv[2])
with wh.writer(path) as con:
    con.execute("INSERT INTO article_checks (article_id, source, url, first_seen_at, checks) "
                "VALUES ('a', 'one', 'https://x.example/a', ?, 0)", [first])
out = {}
with wh.Snapshot(wh.main_path(path)) as snap, snap.reading() as con:
    for label, hours in (("23.5h", 23.5), ("24h", 24.0)):
        sel = select_due(con, ["one"], first + timedelta(hours=hours), (24.0,), 100, 100)
        out[label] = [d.due_at.astimezone(UTC).isoformat() for d in sel.chosen]
print(json.dumps(out))
"""


@pytest.mark.parametrize(("tz", "first", "due"), [
    ("America/New_York", "2026-03-07T17:00:00+00:00", "2026-03-08T17:00:00+00:00"),  # forward 1 h that night
    ("Australia/Lord_Howe", "2026-04-04T10:00:00+00:00", "2026-04-05T10:00:00+00:00"),  # back 30 min
])
def test_select_due_under_a_machine_zone_with_dst(tmp_path: Path, tz: str, first: str, due: str) -> None:
    proc = subprocess.run([sys.executable, "-c", _SELECT_DUE, str(tmp_path / "w.duckdb"), first], env=_env(tz),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"23.5h": [], "24h": [due]}


# ------------------------------------------------------------------------------------- the clock
def _dir_sources(folder: Path, pages: Path) -> Path:
    sources = folder / "sources.yaml"
    sources.write_text(f"sources:\n  - {{name: drop, url: '{pages}', kind: dir, settle_seconds: 0, "
                       "base_url: 'https://drop.example.org/'}\n", encoding="utf-8")
    return sources


def _page(path: Path, key: str) -> None:
    path.write_text(f"<!DOCTYPE html><html><head><title>Story {key}</title></head><body><article>"
                    f"<h1>Story {key}</h1><p>{_body(key)}</p></article></body></html>", encoding="utf-8")


def test_a_file_dated_in_the_future_does_not_hide_the_files_that_come_after_it(tmp_path: Path) -> None:
    # A file whose mtime is years ahead (a camera's or an NFS server's wrong clock, `touch -d`, an
    # archive unpacked with its times) moved the folder's cursor to that time: every file written
    # after it sorted before the cursor and was skipped until the clock got there.
    pages = tmp_path / "pages"
    pages.mkdir()
    _page(pages / "future.html", "future")
    ahead = time.time() + 4 * 365 * 86400
    os.utime(pages / "future.html", (ahead, ahead))
    _page(pages / "first.html", "first")
    sources, wpath = _dir_sources(tmp_path, pages), tmp_path / "w.duckdb"
    args = ("run", "--sources", str(sources), "--warehouse", str(wpath), "--staging", str(tmp_path / "st"))
    assert _cli("America/New_York", *args).returncode == 0
    _page(pages / "second.html", "second")
    proc = _cli("America/New_York", *args)
    assert proc.returncode == 0, proc.stderr
    rows = _sql("UTC", wpath, "SELECT split_part(url, '/', -1) AS k, count(*) AS n FROM fetch_log "
                              "GROUP BY k ORDER BY k")
    assert rows == [{"k": "first.html", "n": 1}, {"k": "future.html", "n": 1}, {"k": "second.html", "n": 1}]


def test_a_site_last_looked_at_in_the_future_is_looked_at_again() -> None:
    # The machine's clock ran a month ahead during a look, then was set right: `now - last` stayed
    # negative and the site's feeds and sitemaps were not looked for again for a month.
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    ahead = SiteState(discovered_at=(now + timedelta(days=30)).isoformat())
    assert _why_look(ahead, now, False) is not None
    recent = SiteState(discovered_at=(now - timedelta(hours=2)).isoformat())
    assert _why_look(recent, now, False) is None



_RETENTION = r"""
import json, sys
from datetime import UTC, datetime, timedelta
from newsdedup import warehouse as wh
from newsdedup.maintenance import apply_retention
path = sys.argv[1]
reference = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)      # the cutoff, 1 day before, is New York's DST day
cutoff = reference - timedelta(days=1)
with wh.writer(path) as con:
    for aid, at in (("old", cutoff - timedelta(minutes=1)), ("new", cutoff + timedelta(minutes=1))):
        con.execute("INSERT INTO minhash_signatures (article_id, published_at, config_fingerprint) VALUES (?, ?, 'x')",
                    [aid, at])
        con.execute("INSERT INTO raw_pages (url_id, url, path, fetched_at) VALUES (?, ?, ?, ?)",
                    [aid, "https://x.example/" + aid, aid + ".html.gz", at])
# a naive reference is UTC too (never the machine's zone)
out = apply_retention(path, reference.replace(tzinfo=None), 1)
with wh.reader(path) as con:
    kept = [r[0] for r in con.execute("SELECT article_id FROM minhash_signatures ORDER BY 1").fetchall()]
    pages = [r[0] for r in con.execute("SELECT url_id FROM raw_pages ORDER BY 1").fetchall()]
print(json.dumps({"cutoff": out["cutoff"], "kept": kept, "pages": pages}))
"""


@pytest.mark.parametrize("tz", ["America/New_York", "Pacific/Chatham", "Not/AZone"])
def test_retention_cuts_at_the_same_instant_in_every_machine_zone(tmp_path: Path, tz: str) -> None:
    proc = subprocess.run([sys.executable, "-c", _RETENTION, str(tmp_path / "w.duckdb")], env=_env(tz),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"cutoff": "2026-03-08T12:00:00+00:00", "kept": ["new"], "pages": ["new"]}


def test_a_page_dated_only_in_its_text_gets_the_same_date_in_every_machine_zone(tmp_path: Path) -> None:
    # No structured date, the day printed after the story: htmldate finds it, with `date.today()` as
    # the latest date allowed. At UTC-12 that was yesterday (the page got December 1, htmldate's
    # fallback); at UTC+14 tomorrow (a page dated tomorrow kept that date on that machine only).
    today = datetime.now(UTC).date()
    body = " ".join(f"Sentence {i} of a long story about the harbour and the council vote." for i in range(30))
    pages = {}
    for label, day in (("today", today), ("tomorrow", today + timedelta(days=1))):
        pages[label] = tmp_path / f"{label}.html"
        pages[label].write_text(f"<html><head><title>Vote</title></head><body><article><h1>Harbour vote</h1>"
                                f"<p>{body}</p><p>{body}</p><div class='footer'>Posted on {day.isoformat()}</div>"
                                "</article></body></html>", encoding="utf-8")
    seen: dict[str, list[str | None]] = {}
    for tz in ("UTC", "Etc/GMT+12", "Etc/GMT-14"):
        proc = _cli(tz, "extract", str(pages["today"]), str(pages["tomorrow"]))
        assert proc.returncode == 0, proc.stderr
        seen[tz] = [json.loads(line)["published"] for line in proc.stdout.splitlines()]
    assert seen["UTC"][0] == f"{today.isoformat()}T00:00:00"
    assert seen["Etc/GMT+12"] == seen["UTC"] and seen["Etc/GMT-14"] == seen["UTC"], seen
