"""A source renamed in the sources file (same URL, a new `name`), through the real pipeline
(`run_pipeline`) against a local site: its stored articles were never re-checked again, its feed's
validators and its template (the lines repeated on its pages) were lost. The new name now carries on
what the old one knew, and says so once."""

from __future__ import annotations

import logging

import pytest
from editable_site import EditableSite
from revision_runs import FERRY, LIBRARY, ORCHARD, Runner

from newsdedup import config
from newsdedup import warehouse as wh
from newsdedup.clean.template import source_template

FERRY_TITLE = "Ferry returns after storm repairs"
NEW_FERRY_TITLE = "Ferry back in service after three-week storm outage"
HOUSE_LINE = ("Follow the Calder Courier on social media for the latest news from the islands and the harbour "
              "towns.")
SCHOOL = [
    "The island primary school will reopen its renovated science room next week after a year of fundraising by "
    "parents, who raised the money for new benches, microscopes and a small weather station on the roof.",
    "The head teacher said pupils had followed the building work through the classroom windows and had asked to "
    "name the weather station, which will send its readings to the regional forecasting service.",
    "The parents' association thanked the harbour businesses that matched every pound raised at the summer fair.",
]
FAIR = [
    "The summer fair on the harbour front raised more money than in any year since it began, with stalls selling "
    "island honey, knitwear and smoked fish to visitors who came over on the extra evening ferries.",
    "Organisers said the tug-of-war between the lifeboat crew and the fire brigade drew the largest crowd, and "
    "that the lifeboat crew won for the fourth year running after a contest of nearly ten minutes.",
]

# Every table that says which source a stored row is of, and the column that says it.
SOURCE_COLUMNS = {"sources": "name", "articles": "source", "article_checks": "source",
                  "minhash_signatures": "source", "source_endpoints": "source"}


def _names(runner: Runner) -> dict[str, set[str]]:
    return {t: {n for (n,) in runner.q(f"SELECT DISTINCT {c} FROM {t}")} for t, c in SOURCE_COLUMNS.items()}


def test_a_renamed_source_carries_on_its_stored_articles_feed_state_and_template(
        site: EditableSite, runner: Runner, caplog: pytest.LogCaptureFixture) -> None:
    site.feed_etag = True
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", [*ORCHARD, HOUSE_LINE])
    site.add("/news/library.html", "Libraries to open on Sundays", [*LIBRARY, HOUSE_LINE])
    site.add("/news/fair.html", "Harbour fair raises record sum", [*FAIR, HOUSE_LINE])
    runner.run()
    assert runner.q("SELECT count(*) FROM article_checks WHERE source = 'courier'") == [(4,)]
    with wh.reader(runner.warehouse) as con:
        template = source_template(con, "courier")
    assert template, "the house line on three of four articles is the source's template"

    # The operator renames the source: same feed URL, a new name. The ferry story's headline is rewritten.
    runner.name = "calder-courier"
    site.edit("/news/ferry.html", title=NEW_FERRY_TITLE)
    site.add("/news/school.html", "Island school reopens its science room", [*SCHOOL, HOUSE_LINE])
    feed_requests = len(site.requests_for("/feed.xml"))
    with caplog.at_level(logging.INFO, logger="newsdedup"):
        second = runner.run()
    text = second.text()
    # its stored articles are re-checked under the new name, in this very run
    assert "re-checked 4: 3 not modified, 1 revised (1 headline changed)" in text, text
    assert runner.q("SELECT title, revision FROM articles WHERE url = ?", [site.url("/news/ferry.html")]) == [
        (NEW_FERRY_TITLE, 2)]
    # the feed's validator from the last run under the old name went out
    (headers, _status), = site.requests_for("/feed.xml")[feed_requests:]
    assert "If-None-Match" in headers
    # the new article was cleaned with the source's template: the house line is gone from its text
    (school_text,) = runner.q("SELECT text FROM articles WHERE url = ?", [site.url("/news/school.html")])[0]
    assert SCHOOL[0] in school_text and HOUSE_LINE not in school_text
    # said once, in words, in the log and in the source's line of the summary
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("source calder-courier was known")]
    assert said == ["source calder-courier was known as courier (same URL): its 4 stored articles (4 followed "
                    "by re-checks) carry on under calder-courier: their re-checks, the source's conditional-GET "
                    "state and its template"], said
    assert ("calder-courier: 5 entries, 1 new, 0 near-duplicates of earlier stories, re-checked 4: 3 not modified, "
            "1 revised (1 headline changed), was known as courier (same URL: its 4 stored articles carry on under "
            "this name)") in text, text
    # nothing is left under the old name but the history of what was fetched under it
    assert _names(runner) == {"sources": {"calder-courier"}, "articles": {"calder-courier"},
                              "article_checks": {"calder-courier"}, "minhash_signatures": {"calder-courier"},
                              "source_endpoints": set()}
    assert {n for (n,) in runner.q("SELECT DISTINCT source FROM fetch_log")} == {"courier", "calder-courier"}
    with wh.reader(runner.warehouse) as con:
        assert source_template(con, "calder-courier") >= template

    # the next run goes on as if the source had always had its new name, and says nothing more
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="newsdedup"):
        third = runner.run()
    assert "re-checked 5: 5 not modified" in third.text(), third.text()
    assert "feed not modified (HTTP 304)" in third.text()
    assert not [r for r in caplog.records if "known as" in r.getMessage()]
    assert "known as" not in third.text()
    assert runner.q("SELECT count(*), min(checks) FROM article_checks WHERE source = 'calder-courier'") == [(5, 1)]


def test_a_rename_is_loaded_once_and_a_rerun_changes_nothing(site: EditableSite, runner: Runner) -> None:
    """A cleared and re-run run that renamed a source finds it renamed and writes nothing."""
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    runner.run()
    runner.name = "calder-courier"
    runner.run("test__renamed")
    from revision_runs import checksums

    before = checksums(runner.warehouse)
    again = runner.run("test__renamed")
    assert again.added["articles"] == 0
    assert checksums(runner.warehouse) == before


def test_an_old_name_still_in_the_sources_file_is_no_rename(site: EditableSite, runner: Runner,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    """A second source of one URL beside the old one: no rename. Since session 40 the second is left out
    of the run with a warning naming both (it was fetched too, storing nothing); the old one keeps its
    articles."""
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    runner.run()
    runner.extra_sources = [{"name": "courier-copy", "url": site.url("/feed.xml"), "kind": "rss"}]
    with caplog.at_level(logging.INFO, logger="newsdedup"):
        runner.run()
    assert not [r for r in caplog.records if "known as" in r.getMessage()]
    assert [r for r in caplog.records if "courier-copy is skipped" in r.getMessage()]
    assert runner.q("SELECT DISTINCT source FROM article_checks") == [("courier",)]
    assert sorted(runner.q("SELECT name FROM sources")) == [("courier",)]


def test_an_ambiguous_rename_is_a_warning_not_a_guess(site: EditableSite, runner: Runner,
                                                      caplog: pytest.LogCaptureFixture,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Two stored names of one URL, both gone from the file, and a new name for that URL: which one it
    carries on cannot be told. Nothing is moved; the warning names both and what to do. (A warehouse of a
    release before session 40, which read both sources of one URL: the first run reads the file so.)"""
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    runner.extra_sources = [{"name": "courier-copy", "url": site.url("/feed.xml"), "kind": "rss"}]
    with monkeypatch.context() as before_session_40:
        before_session_40.setattr(config, "_repeated_urls", lambda specs, origin, lines: (specs, (), ()))
        runner.run()
    followed = runner.q("SELECT source, count(*) FROM article_checks GROUP BY 1")
    runner.extra_sources = []
    runner.name = "calder-courier"
    with caplog.at_level(logging.INFO, logger="newsdedup"):
        runner.run()
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "calder-courier" in
              r.getMessage()]
    assert len(warned) == 1 and "courier, courier-copy" in warned[0] and "not re-checked" in warned[0], warned
    assert runner.q("SELECT source, count(*) FROM article_checks GROUP BY 1") == followed


def test_dedup_counts_a_renamed_sources_stored_lines_under_its_new_name(site: EditableSite, runner: Runner) -> None:
    """In the run that finds the rename, the stored articles are still under the old name: the dedup
    stage's per-source counts (what is the source's boilerplate) and its seeded docs read them as the
    new name's, or the new articles' house lines were nobody's boilerplate that run."""
    import numpy as np

    from newsdedup.dedup import DedupConfig

    site.add("/news/orchard.html", "Quarry orchard's first harvest", [*ORCHARD, HOUSE_LINE])
    site.add("/news/library.html", "Libraries to open on Sundays", [*LIBRARY, HOUSE_LINE])
    site.add("/news/fair.html", "Harbour fair raises record sum", [*FAIR, HOUSE_LINE])
    runner.run()
    config = DedupConfig()
    with wh.reader(runner.warehouse) as con:
        assert con is not None
        ((h,),) = con.execute("SELECT DISTINCT sentence_hash FROM article_sentences WHERE text = ?",
                               [HOUSE_LINE]).fetchall()
        key = np.array([int(h, 16)], dtype=np.uint64)
        state = wh.DedupState(con, None, config.fingerprint(), config.sentence_candidate_max_postings,
                              renamed={"courier": "calder-courier"})
        assert state.sentence_stats(key, []).source_docs == {int(h, 16): {"calder-courier": 3}}
        seeded = state.seed_docs(np.array([], dtype=np.uint64), key, [])
        assert {d.source for d in seeded} == {"calder-courier"} and len(seeded) == 3


def test_a_source_taken_out_of_the_sources_file_is_said_once(site: EditableSite, runner: Runner,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    """An operator takes a source out of the sources file (or mistypes its URL and name at once): its
    stored articles stay, but nothing fetches or re-checks them any more, and no line said so. The
    first run without it now says it, with how many articles are no longer followed; the next one is
    quiet (its last run did not read the source either)."""
    import yaml

    from newsdedup.pipeline import run_pipeline

    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
    runner.run()
    other = runner.tmp / "other.yaml"
    other.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True, "retries": 0},
                                     "sources": [{"name": "wire", "url": site.url("/wire.xml"), "kind": "rss"}]}))

    def said(run_id: str) -> list[str]:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="newsdedup"):
            run_pipeline(str(other), str(runner.warehouse), str(runner.tmp / "staging"), run_id=run_id)
        return [r.getMessage() for r in caplog.records if "is not in the sources file" in r.getMessage()]

    assert said("test__without") == [
        "source courier, read by the last run, is not in the sources file: its 2 stored articles stay, but none is "
        "fetched or re-checked any more (2 were followed by re-checks); to follow them again, list it again under "
        "the name courier"]
    assert said("test__again") == []
    assert runner.q("SELECT count(*) FROM articles WHERE source = 'courier'") == [(2,)]
