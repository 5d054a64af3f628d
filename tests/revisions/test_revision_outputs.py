"""What revisions look like from outside: `newsdedup diff`, the dashboard's "Recently revised" panel
(escaped, link-free), `newsdedup reclean` over revised articles, and the sample site's revised story."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from editable_site import EditableSite
from revision_runs import CORRECTION, FERRY, ORCHARD, Runner

from newsdedup import cli
from newsdedup.dashboard import data, render
from newsdedup.pipeline import reclean, run_pipeline
from newsdedup.samplesite import REVISED_OVERLAY, serve, write_sources_file

HOSTILE_TITLE = '<script>alert("rev")</script> Ferry timetable & <b>fares</b> changed'
HOSTILE_LINE = 'Update: <script>document.location="http://evil.example/"</script> <a href="javascript:x()">fares</a>.'


@pytest.fixture
def revised(site: EditableSite, runner: Runner) -> tuple[Runner, str]:
    site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
    runner.run()
    site.edit("/news/ferry.html", title="Ferry back in service after three-week storm outage",
              paragraphs=[*FERRY, CORRECTION])
    runner.run()
    return runner, runner.article_id("/news/ferry.html")


def test_diff_prints_title_and_text_changes(revised: tuple[Runner, str], capsys: pytest.CaptureFixture[str]) -> None:
    runner, ferry = revised
    assert cli.main(["diff", ferry, "--warehouse", str(runner.warehouse)]) == 0
    out = capsys.readouterr().out
    assert f"article {ferry} (courier) {runner.site.url('/news/ferry.html')}" in out
    assert "=== revision 1 -> 2 (fetched " in out
    assert f"title changed, +{len(CORRECTION.split())} / -0 words" in out
    lines = out.splitlines()
    assert "-Ferry returns after storm repairs" in lines
    assert "+Ferry back in service after three-week storm outage" in lines
    assert "+Correction: an earlier version of this story said the replacement ramp was built on the island; it" in lines
    assert not [ln for ln in lines if ln.startswith("-") and not ln.startswith("---")][1:]  # only the old title
    # two given revisions, either way round
    assert cli.main(["diff", ferry, "--from", "2", "--to", "1", "--warehouse", str(runner.warehouse)]) == 0
    assert "-Correction: an earlier version" in capsys.readouterr().out


def test_diff_says_what_is_wrong(revised: tuple[Runner, str], capsys: pytest.CaptureFixture[str]) -> None:
    runner, ferry = revised
    w = ["--warehouse", str(runner.warehouse)]
    assert cli.main(["diff", "no-such-article", *w]) == 2
    assert "no article 'no-such-article' in the warehouse" in capsys.readouterr().err
    assert cli.main(["diff", ferry, "--to", "7", *w]) == 2
    assert f"--to 7: article {ferry} has revisions 1, 2" in capsys.readouterr().err
    orchard = runner.article_id("/news/orchard.html")
    assert cli.main(["diff", orchard, *w]) == 0
    assert "only one revision: the page has not changed since it was first fetched" in capsys.readouterr().out
    assert cli.main(["diff", ferry, "--warehouse", str(runner.tmp / "none.duckdb")]) == 2
    assert "no warehouse at" in capsys.readouterr().err


def test_diff_on_a_warehouse_from_before_revisions_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """A warehouse an older release wrote (migrations 001-003) with its up-to-date snapshot: `diff`, run
    after the upgrade and before any run migrated it, ended in a CatalogException traceback."""
    import duckdb

    from newsdedup import warehouse as wh

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)")
    for f in sorted((wh.SQL_DIR / "migrations").glob("00[123]_*.sql")):
        con.execute(f.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migrations VALUES (?, now())", [f.stem])
    con.execute("INSERT INTO articles (article_id, url, canonical_url, source, title, text, word_count, fetched_at, "
                "run_id) VALUES ('a1', 'https://news.example/a', 'https://news.example/a', 'feed', 'A', 'Text a.', "
                "2, TIMESTAMPTZ '2026-11-24 08:00:00+00', 'run1')")
    con.close()
    wh.publish_snapshot(path)
    assert cli.main(["diff", "a1", "--warehouse", str(path)]) == 2
    err = capsys.readouterr().err
    assert "newsdedup diff:" in err and "before revisions were kept" in err and "newsdedup run" in err


def test_dashboard_shows_recent_revisions_escaped_and_without_links(site: EditableSite, runner: Runner) -> None:
    site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
    runner.run()
    empty = render.page(data.load(runner.warehouse))
    assert "Recently revised" in empty and "No article has changed since it was first fetched" in empty
    site.edit("/news/ferry.html", title=HOSTILE_TITLE, paragraphs=[*FERRY, HOSTILE_LINE])
    runner.run()
    d = data.load(runner.warehouse)
    (rev,) = d.revisions
    assert (rev.revision, rev.title_changed, rev.new_title) == (2, True, HOSTILE_TITLE)
    page = render.page(d)
    section = page[page.index("<h2>Recently revised</h2>"):page.index("<div class='grid'>", page.index("Recently"))]
    assert html.escape(HOSTILE_TITLE) in section                          # shown, as text
    assert "<span class='add'>+Update: &lt;script&gt;document.location=&quot;http://evil.example/&quot;" in section
    assert "headline was: <span class='was'>Ferry returns after storm repairs</span>" in section
    assert "<script" not in page.lower() and "<a " not in section and 'href="' not in section
    # the source filter narrows the panel, with the value bound
    assert data.load(runner.warehouse, source="x' OR 1=1 --").revisions == []


def test_reclean_rebuilds_every_revision_and_keeps_the_history(revised: tuple[Runner, str]) -> None:
    runner, ferry = revised
    q = ("SELECT a.title, a.revision, a.fetched_at, a.revised_at, a.content_hash, r.content_hash "
         "FROM articles a JOIN article_revisions r ON r.article_id = a.article_id AND r.revision = a.revision "
         "WHERE a.article_id = ?")
    before = runner.q(q, [ferry])
    revs = runner.q("SELECT * FROM article_revisions ORDER BY article_id, revision")
    summary = reclean(str(runner.warehouse), str(runner.tmp / "staging"))
    assert "recleaned 2 stored pages" in summary.text()
    assert runner.q(q, [ferry]) == before and before[0][4] == before[0][5]
    assert runner.q("SELECT * FROM article_revisions ORDER BY article_id, revision") == revs
    assert runner.q("SELECT revision FROM article_clusters WHERE article_id = ?", [ferry]) == [(2,)]
    assert runner.q("SELECT count(*) FROM raw_pages") == [(3,)]


def test_sample_site_revises_one_story_on_later_runs(tmp_path: Path) -> None:
    """What `make demo` does on its second run: the overlay serves one story revised, every article is
    re-checked, and the summary says '1 article revised, 1 headline changed'."""
    import json

    truth = json.loads((REVISED_OVERLAY.parent / "truth.json").read_text(encoding="utf-8"))["revision"]
    w, staging = tmp_path / "w.duckdb", tmp_path / "staging"
    with serve(port=0) as site:
        sources = write_sources_file(site.base_url, tmp_path / "sources.yaml", recheck_hours=[0])
        first = run_pipeline(str(sources), str(w), str(staging), run_id="demo__1")
        assert first.added["articles"] == 44 and "revised" not in first.text()
        site.set_overlay(REVISED_OVERLAY)
        second = run_pipeline(str(sources), str(w), str(staging), run_id="demo__2")
    text = second.text()
    assert "revisions: 1 article revised, 1 headline changed; re-checked 44: 43 not modified, 1 revised" in text
    assert "meridian-wire: 0 entries, 0 new, feed not modified (HTTP 304), re-checked 11: 10 not modified, " \
           "1 revised (1 headline changed)" in text
    from newsdedup.warehouse import query_rows

    (row,) = query_rows(w, "SELECT old_title, new_title FROM headline_changes")[1]
    assert row == (truth["title_before"], truth["title_after"])
    (text_now,) = query_rows(w, "SELECT text FROM articles WHERE revision = 2")[1][0]
    assert text_now.endswith(truth["correction"]) and truth["fixed"][1] in text_now
