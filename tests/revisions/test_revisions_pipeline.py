"""Revisions through the real pipeline (`run_pipeline`) against a local site that edits its pages
between runs: headline rewrite, appended correction, rotating template, 304, removed pages, failures,
and a re-run of a run that revised something."""

from __future__ import annotations

import gzip

import pytest
from editable_site import EditableSite
from revision_runs import CORRECTION, FERRY, LIBRARY, ORCHARD, Runner, checksums

from newsdedup import warehouse as wh
from newsdedup.dedup.text import text_hash

pytestmark = pytest.mark.slow

FERRY_TITLE = "Ferry returns after storm repairs"
NEW_FERRY_TITLE = "Ferry back in service after three-week storm outage"


def test_headline_rewrite_and_appended_correction_are_kept_as_revisions(site: EditableSite, runner: Runner) -> None:
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
    site.add("/news/library.html", "Libraries to open on Sundays", LIBRARY)
    first = runner.run()
    assert first.added["articles"] == 3 and first.added["article_revisions"] == 3  # revision 1 of each
    ferry, orchard, library = (runner.article_id(p) for p in ("/news/ferry.html", "/news/orchard.html",
                                                               "/news/library.html"))
    # the content hash a re-check compares is the one the dedup stage stored
    assert all(h == text_hash(t) for h, t in runner.q("SELECT content_hash, text FROM articles"))
    (seen,) = runner.q("SELECT fetched_at FROM articles WHERE article_id = ?", [ferry])[0]
    orchard_cluster = runner.q("SELECT cluster_id FROM article_clusters WHERE article_id = ?", [orchard])[0][0]

    site.edit("/news/ferry.html", title=NEW_FERRY_TITLE)               # the headline rewritten
    site.edit("/news/orchard.html", paragraphs=[*ORCHARD, CORRECTION])  # a correction appended
    second = runner.run()
    text = second.text()
    assert "2 articles revised, 1 headline changed" in text
    assert "re-checked 3: 1 not modified, 2 revised (1 headline changed)" in text
    assert second.added["articles"] == 0 and second.added["article_revisions"] == 2

    revs = runner.q("""SELECT article_id, revision, title, title_changed, text_changed, words_added, words_removed
                       FROM article_revisions ORDER BY article_id, revision""")
    by_article: dict[str, list[tuple]] = {}
    for r in revs:
        by_article.setdefault(r[0], []).append(r[1:])
    assert by_article[ferry] == [(1, FERRY_TITLE, None, None, None, None), (2, NEW_FERRY_TITLE, True, False, 0, 0)]
    assert by_article[orchard][1][2:] == (False, True, len(CORRECTION.split()), 0)
    assert [r[0] for r in by_article[library]] == [1]  # unchanged: no revision

    # `articles` shows the latest version; first seen stays
    ((title, revision, revised_at, fetched_at),) = runner.q(
        "SELECT title, revision, revised_at, fetched_at FROM articles WHERE article_id = ?", [ferry])
    assert (title, revision, fetched_at) == (NEW_FERRY_TITLE, 2, seen) and revised_at > seen
    ((otext, ohash),) = runner.q("SELECT text, content_hash FROM articles WHERE article_id = ?", [orchard])
    assert otext.endswith(CORRECTION) and ohash == text_hash(otext)
    # a revision of an article alone in its cluster is the same article: same cluster, decided on revision 2
    assert runner.q("SELECT cluster_id, decision, matched_article_id, revision, note FROM article_clusters "
                    "WHERE article_id = ?", [orchard]) == [(orchard_cluster, "canonical", None, 2, None)]
    # the sentence index follows the latest text
    assert CORRECTION in [t for (t,) in runner.q("SELECT text FROM article_sentences WHERE article_id = ?", [orchard])]

    # the raw page of every revision is kept, keyed by page and revision
    pages = runner.q("SELECT revision, path, etag FROM raw_pages WHERE article_id = ? ORDER BY revision", [orchard])
    assert [p[0] for p in pages] == [1, 2] and pages[0][1] != pages[1][1] and all(p[2] for p in pages)
    raw = [gzip.decompress((wh.raw_dir(runner.warehouse) / p[1]).read_bytes()).decode() for p in pages]
    assert CORRECTION not in raw[0] and CORRECTION in raw[1]

    # the views
    ((aid, source, old, new, changed_at, minutes, rev),) = runner.q("SELECT * FROM headline_changes")
    assert (aid, source, old, new, rev) == (ferry, "courier", FERRY_TITLE, NEW_FERRY_TITLE, 2)
    assert changed_at > seen and minutes >= 0
    hist = {r[0]: r[1:] for r in runner.q(
        "SELECT article_id, revisions, headline_changes, words_added, words_removed, rechecks FROM revision_history")}
    assert hist == {ferry: (2, 1, 0, 0, 1), orchard: (2, 0, len(CORRECTION.split()), 0, 1), library: (1, 0, 0, 0, 1)}
    assert runner.q("SELECT source, articles, followed, revised, headline_changed, revised_share "
                    "FROM daily_revision_rate") == [("courier", 3, 3, 2, 1, 0.667)]

    # nothing changed since: every re-check is a 304 and nothing is added
    third = runner.run()
    assert "0 articles revised, 0 headlines changed; re-checked 3: 3 not modified" in third.text()
    assert third.added["article_revisions"] == 0


def test_rotating_sidebar_ads_and_timestamps_are_no_revision(site: EditableSite, runner: Runner) -> None:
    """The page changes on every request (most-read box, ad, generated-at time) while its story does not."""
    site.add("/news/library.html", "Libraries to open on Sundays", LIBRARY, rotating=True)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD, validators=False)
    runner.run()
    lib = runner.article_id("/news/library.html")
    for _ in range(2):
        summary = runner.run()
        assert "re-checked 2: 2 unchanged" in summary.text()
        assert summary.added["article_revisions"] == 0
    # the bytes did change each time (so no 304 could help): it is the cleaned article that is compared
    bodies = [s for _h, s in site.requests_for("/news/library.html")]
    assert bodies == [200, 200, 200]
    assert runner.q("SELECT count(*) FROM article_revisions") == [(2,)]
    assert runner.q("SELECT count(*) FROM raw_pages") == [(2,)]  # an unchanged page keeps no raw copy
    assert runner.q("SELECT last_outcome, checks FROM article_checks WHERE article_id = ?", [lib]) == [("unchanged", 2)]


def test_a_304_is_no_revision_and_the_validators_were_sent(site: EditableSite, runner: Runner) -> None:
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    runner.run()
    (first_headers, first_status), = site.requests_for("/news/ferry.html")
    assert first_status == 200 and "If-None-Match" not in first_headers
    etag, lastmod = runner.q("SELECT etag, last_modified FROM raw_pages")[0]
    assert etag and lastmod
    summary = runner.run()
    assert "re-checked 1: 1 not modified" in summary.text() and summary.added["article_revisions"] == 0
    (headers, status) = site.requests_for("/news/ferry.html")[1]
    assert status == 304
    assert headers["If-None-Match"] == etag and headers["If-Modified-Since"] == lastmod
    assert runner.q("SELECT purpose, status FROM fetch_log WHERE url = ? ORDER BY fetched_at",
                    [site.url("/news/ferry.html")]) == [("page", 200), ("recheck", 304)]
    assert runner.q("SELECT last_outcome, last_status, checks, etag FROM article_checks") == [
        ("not_modified", 304, 1, etag)]


def test_a_vanished_page_is_recorded_not_deleted(site: EditableSite, runner: Runner) -> None:
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
    site.add("/news/library.html", "Libraries to open on Sundays", LIBRARY)
    runner.run()
    site.remove("/news/ferry.html", 404)
    site.remove("/news/orchard.html", 410)
    summary = runner.run()
    assert "re-checked 3: 1 not modified, 2 gone" in summary.text()
    rows = runner.q("SELECT url, gone_status, gone_at IS NOT NULL, length(text) > 0, revision FROM articles ORDER BY url")
    assert rows == [(site.url("/news/ferry.html"), 404, True, True, 1),
                    (site.url("/news/library.html"), None, False, True, 1),
                    (site.url("/news/orchard.html"), 410, True, True, 1)]
    gone_at = runner.q("SELECT gone_at FROM articles WHERE gone_at IS NOT NULL ORDER BY url")
    assert runner.q("SELECT count(*) FROM article_revisions") == [(3,)]
    assert sorted(runner.q("SELECT status FROM fetch_log WHERE purpose = 'recheck'")) == [(304,), (404,), (410,)]
    runner.run()  # still gone: when it first went is kept
    assert runner.q("SELECT gone_at FROM articles WHERE gone_at IS NOT NULL ORDER BY url") == gone_at
    site.pages["/news/ferry.html"].status = 200  # back online
    runner.run()
    assert runner.q("SELECT gone_at, gone_status FROM articles WHERE url = ?", [site.url("/news/ferry.html")]) == [
        (None, None)]


def test_failed_and_uncleanable_rechecks_keep_the_stored_version(site: EditableSite, runner: Runner) -> None:
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
    runner.run()
    site.remove("/news/ferry.html", 500)
    # the story taken out of its page: what is left (navigation, a byline "updated N minutes ago")
    # changes on every fetch and must not come back as a revision each time
    site.edit("/news/orchard.html", paragraphs=[])
    site.pages["/news/orchard.html"].rotating = True
    for _ in range(2):
        summary = runner.run()
        assert "re-checked 2: 1 no longer cleanable, 1 failed (http_500 1)" in summary.text()
        assert summary.added["article_revisions"] == 0
    ((outcome, status, error),) = runner.q("SELECT last_outcome, last_status, last_error FROM article_checks "
                                           "WHERE url = ?", [site.url("/news/orchard.html")])
    # the extractor sees no prose left on the page (menus, headline, byline only)
    assert (outcome, status, error) == ("clean_failed", 200, "no_main_text")
    assert runner.q("SELECT last_outcome, last_status FROM article_checks WHERE url = ?",
                    [site.url("/news/ferry.html")]) == [("failed", 500)]
    assert runner.q("SELECT count(*) FROM articles WHERE gone_at IS NULL AND length(text) > 100") == [(2,)]
    assert sorted(runner.q("SELECT status, error FROM fetch_log WHERE purpose = 'recheck'")) == [
        (200, None), (200, None), (500, "http_500"), (500, "http_500")]


LOGIN_WALL = ["Subscribe to continue reading. Already a subscriber? Log in to read this story and all of our "
              "journalism, with unlimited access on any device, newsletters, the daily puzzle and our archive going "
              "back to 1850. Cancel anytime. Offer available to new subscribers only for the first twelve months, "
              "then at the standard rate."]


def test_a_login_wall_served_in_place_of_the_stories_replaces_none_of_them(site: EditableSite,
                                                                          runner: Runner) -> None:
    """The site puts its stories behind one login wall (53 words, over the stub rule's 50): it came back
    as revision 2 of every re-checked article, whose text became the wall; a later run that re-checked
    one article at a time took the wall as that article's text too."""
    stories = {"/news/ferry.html": (FERRY_TITLE, FERRY), "/news/orchard.html": ("Quarry orchard's first harvest", ORCHARD),
               "/news/library.html": ("Libraries to open on Sundays", LIBRARY)}
    for path, (title, paragraphs) in stories.items():
        site.add(path, title, paragraphs)
    runner.run()
    before = runner.q("SELECT article_id, text, content_hash FROM articles ORDER BY 1")
    for path in stories:
        site.edit(path, paragraphs=LOGIN_WALL)
    summary = runner.run()
    assert "re-checked 3: 3 no longer cleanable" in summary.text()
    assert summary.added["article_revisions"] == 0
    assert runner.q("SELECT article_id, text, content_hash FROM articles ORDER BY 1") == before
    errors = [e for (e,) in runner.q("SELECT last_error FROM article_checks")]
    assert all(e.startswith("shared_page: the same text came back for 3 articles") for e in errors), errors
    # one re-check a run: a wall an earlier run took as one article's text is no version of the next one
    (next_due,), *others = runner.q("SELECT article_id FROM article_checks ORDER BY last_checked_at, article_id")
    with wh.writer(runner.warehouse) as con:  # as if another article had been revised into the wall earlier
        con.execute("UPDATE articles SET text = ?, content_hash = ? WHERE article_id = ?",
                    ["\n\n".join(LOGIN_WALL), text_hash("\n\n".join(LOGIN_WALL)), others[0][0]])
    runner.settings["recheck_max_per_run"] = 1
    summary = runner.run()
    assert "re-checked 1: 1 no longer cleanable" in summary.text(), summary.text()
    assert summary.added["article_revisions"] == 0
    assert runner.q("SELECT last_error FROM article_checks WHERE article_id = ?", [next_due]) == [
        (f"shared_page: the same text as stored article {others[0][0]} of the source",)]



def test_a_login_wall_served_for_one_story_alone_replaces_nothing(site: EditableSite, runner: Runner) -> None:
    """The wall above, served for one story only and stored for no other article: nothing told it from
    the story's new text, and it became revision 2. A text that is less than half as long as the stored
    one and keeps none of its passages is another page, not a version; a story cut down keeps its
    passages and is still a revision."""
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
    runner.run()
    before = runner.q("SELECT text, content_hash FROM articles WHERE url = ?", [site.url("/news/ferry.html")])
    site.edit("/news/ferry.html", paragraphs=LOGIN_WALL)
    site.edit("/news/orchard.html", paragraphs=ORCHARD[:2])  # the editor cut the story to its first half
    summary = runner.run()
    assert "re-checked 2: 1 revised (0 headlines changed), 1 no longer cleanable" in summary.text(), summary.text()
    assert summary.added["article_revisions"] == 1
    assert runner.q("SELECT text, content_hash FROM articles WHERE url = ?", [site.url("/news/ferry.html")]) == before
    ((error,),) = runner.q("SELECT last_error FROM article_checks WHERE url = ?", [site.url("/news/ferry.html")])
    assert error.startswith("replaced_page: 53 words sharing no passage with the stored "), error
    assert runner.q("SELECT text FROM articles WHERE url = ?", [site.url("/news/orchard.html")]) == [
        ("\n\n".join(ORCHARD[:2]),)]


def test_one_story_at_two_addresses_is_revised_at_both(site: EditableSite, runner: Runner) -> None:
    """The shared-page rule above is for different stories that came back as one page: one story the
    site serves at two addresses comes back as one text because it is one text, and both copies take
    the new version."""
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/print/ferry.html", FERRY_TITLE, FERRY)
    runner.run()
    assert runner.q("SELECT count(*) FROM articles") == [(2,)]
    for path in ("/news/ferry.html", "/print/ferry.html"):
        site.edit(path, paragraphs=[*FERRY, "Update: the council confirmed the ferry will also run on Sundays."])
    summary = runner.run()
    assert summary.added["article_revisions"] == 2, summary.text()
    assert runner.q("SELECT count(*) FROM articles WHERE text LIKE '%also run on Sundays%'") == [(2,)]
    # one address a run: the second finds its new text already stored for the first, which once
    # had its text too
    runner.settings["recheck_max_per_run"] = 1
    for path in ("/news/ferry.html", "/print/ferry.html"):
        site.edit(path, paragraphs=[*FERRY, "Update: the Sunday service starts in May."])
    for _ in range(2):
        summary = runner.run()
        assert summary.added["article_revisions"] == 1, summary.text()
    assert runner.q("SELECT count(*) FROM articles WHERE text LIKE '%starts in May%'") == [(2,)]

def test_rerunning_a_run_that_revised_changes_no_table(site: EditableSite, runner: Runner) -> None:
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
    runner.run("scheduled__2026-11-24T08:00")
    site.edit("/news/ferry.html", title=NEW_FERRY_TITLE, paragraphs=[*FERRY, CORRECTION])
    first = runner.run("scheduled__2026-11-24T09:00")
    assert "1 article revised, 1 headline changed" in first.text()
    before = checksums(runner.warehouse)
    site.edit("/news/ferry.html", title="A third headline nobody should store")  # the re-run must not fetch it
    again = runner.run("scheduled__2026-11-24T09:00")
    assert again.sources == first.sources and again.added == dict.fromkeys(first.added, 0)
    assert checksums(runner.warehouse) == before


def test_default_schedule_and_off_recheck_nothing_right_away(site: EditableSite, runner: Runner) -> None:
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    runner.settings = {}  # the default ages: 1, 6, 24 and 72 hours after first seen
    runner.run()
    site.edit("/news/ferry.html", title=NEW_FERRY_TITLE)
    assert "re-checked" not in runner.run().text()
    runner.settings = {"recheck_hours": []}
    assert "re-checked" not in runner.run().text()
    assert runner.q("SELECT count(*) FROM fetch_log WHERE purpose = 'recheck'") == [(0,)]
    assert runner.q("SELECT title FROM articles") == [(FERRY_TITLE,)]


def test_rechecks_are_bounded_per_run_and_take_turns(site: EditableSite, runner: Runner) -> None:
    for i, paras in enumerate((FERRY, ORCHARD, LIBRARY)):
        site.add(f"/news/{i}.html", f"Story {i}", paras)
    runner.settings = {"recheck_hours": [0], "recheck_max_per_run": 2}
    runner.run()
    second = runner.run()
    assert "re-checked 2: 2 not modified; 1 more due, left for a later run" in second.text()
    third = runner.run()  # the one left waiting is checked first
    assert "re-checked 2: 2 not modified; 1 more due" in third.text()
    assert runner.q("SELECT min(checks), max(checks) FROM article_checks") == [(1, 2)]
    runner.settings = {"recheck_hours": [0], "recheck_max_per_host": 1}
    assert "re-checked 1: 1 not modified; 2 more due" in runner.run().text()
    assert runner.q("SELECT count(*) FROM fetch_log WHERE purpose = 'recheck'") == [(5,)]


def test_a_template_learnt_after_the_first_fetch_is_no_revision(site: EditableSite, runner: Runner) -> None:
    """The first batch is cleaned before the warehouse knows the source's footer; a re-check cleans with
    it (the footer goes), which changes the text but not the story: no revision."""
    footer = ("The Courier is published every weekday by the Westholm Community Trust and printed at the old "
              "harbour works on Calder Point.")
    for path, title, paras in (("/news/ferry.html", FERRY_TITLE, FERRY),
                               ("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD),
                               ("/news/library.html", "Libraries to open on Sundays", LIBRARY)):
        site.add(path, title, [*paras, footer], validators=False)  # no 304: the page is cleaned again
    runner.run()
    assert runner.q("SELECT count(*) FROM articles WHERE text LIKE '%Westholm Community Trust%'") == [(3,)]
    assert runner.q("SELECT count(*) FROM boilerplate_by_domain WHERE text LIKE '%Westholm Community Trust%'") == [(1,)]
    summary = runner.run()
    assert "re-checked 3: 3 unchanged" in summary.text()
    assert summary.added["article_revisions"] == 0


def test_a_redirect_to_another_story_is_no_revision(site: EditableSite, runner: Runner) -> None:
    # A CMS that redirects a removed story to another one: the re-check followed the 301 and stored
    # the other story as revision 2 of the first (its headline and text replaced the stored ones).
    # A story moved to a new address with the same text is still the same version.
    site.add("/news/ferry.html", FERRY_TITLE, FERRY)
    site.add("/news/orchard.html", "Quarry orchard's first harvest", ORCHARD)
    site.add("/news/library.html", "Libraries to open on Sundays", LIBRARY)
    runner.run()
    ferry, library = runner.article_id("/news/ferry.html"), runner.article_id("/news/library.html")
    site.pages["/news/ferry.html"].status, site.pages["/news/ferry.html"].location = 301, "/news/orchard.html"
    site.pages["/news/library.html"].status, site.pages["/news/library.html"].location = 301, "/news/sundays.html"
    site.add("/news/sundays.html", "Libraries to open on Sundays", LIBRARY, listed=False)
    summary = runner.run()
    assert runner.q("SELECT title, revision FROM articles WHERE article_id = ?", [ferry]) == [(FERRY_TITLE, 1)]
    assert runner.q("SELECT count(*) FROM article_revisions WHERE article_id = ?", [ferry]) == [(1,)]
    checks = dict(runner.q("SELECT article_id, last_outcome FROM article_checks"))
    assert checks[ferry] == "failed" and checks[library] in ("unchanged", "not_modified")
    assert runner.q("SELECT revision FROM articles WHERE article_id = ?", [library]) == [(1,)]
    assert "redirected_elsewhere 1" in summary.text()
    assert runner.q("SELECT count(*) FROM fetch_log WHERE purpose = 'recheck' AND url LIKE '%/ferry.html'") == [(1,)]


def test_a_clock_in_the_story_is_no_revision_and_a_real_edit_still_is(site: EditableSite, runner: Runner) -> None:
    """A live page prints the time it was last refreshed inside the story ("Last updated 9:14:21 a.m.
    GMT", "3 minutes ago: ..."): with `recheck_hours: [0]` every re-check added a revision, without
    bound. A short line whose only change is a clock reading is no new version of the story; an edit
    of the story's own words still is."""
    site.add("/news/ferry.html", FERRY_TITLE, FERRY, clock=True, validators=False)
    runner.run()
    ferry = runner.article_id("/news/ferry.html")
    assert any("Last updated" in t for (t,) in runner.q("SELECT text FROM articles"))  # the line is in the text
    for _ in range(2):
        summary = runner.run()
        assert "re-checked 1: 1 unchanged" in summary.text()
        assert summary.added["article_revisions"] == 0
    site.edit("/news/ferry.html", paragraphs=[*FERRY, CORRECTION])
    summary = runner.run()
    assert summary.added["article_revisions"] == 1
    ((added, removed),) = runner.q("SELECT words_added, words_removed FROM article_revisions "
                                   "WHERE article_id = ? AND revision = 2", [ferry])
    assert added >= len(CORRECTION.split())


def test_only_clock_readings_beside_an_update_word_are_set_aside() -> None:
    from newsdedup.revisions import same_but_clock

    story = "The ferry returned to service on Tuesday after three weeks of repairs to its loading ramp."
    for old, new in [("Last updated 9:14 a.m. GMT", "Last updated 10:02 a.m. GMT"),
                     ("Published 08:00, updated 09:14", "Published 08:00, updated 11:40"),
                     ("5 minutes ago", "12 minutes ago"), ("Aktualisiert vor 3 Minuten", "Aktualisiert vor 40 Minuten")]:
        assert same_but_clock(f"{old}\n\n{story}", f"{new}\n\n{story}", frozenset()), (old, new)
    for old, new in [("The vote is at 5 pm.", "The vote is at 6 pm."),  # news, not a clock
                     ("Polls close at 8:00 tonight.", "Polls close at 9:00 tonight.")]:
        assert not same_but_clock(f"{old}\n\n{story}", f"{new}\n\n{story}", frozenset()), (old, new)
    long = story + " It was last updated at 9:14 by the harbour master."
    assert not same_but_clock(long, long.replace("9:14", "9:20"), frozenset())  # a sentence of the story


def test_an_unchanged_story_stored_under_an_older_text_hash_is_no_revision(site: EditableSite,
                                                                         runner: Runner) -> None:
    """A release that normalises texts otherwise (here: accents dropped from the dedup tokens) hashes an
    unchanged accented story differently from the hash an earlier release stored: each re-check of such
    a story stored it again as a new revision. The stored text, hashed as today, decides."""
    from newsdedup.dedup.text import TOKEN_RE, fold, hash_tokens, hex64, split_sentences

    zurich = [p.replace("Calder Point", "Zürich-Höngg").replace("Westholm", "Måløy") for p in FERRY]
    site.add("/news/ferry.html", FERRY_TITLE, zurich, validators=False)  # no 304: cleaned and compared
    runner.run()
    (text, stored), = runner.q("SELECT text, content_hash FROM articles")
    assert stored == text_hash(text)
    # the hash of the release before accents were folded: NFKC and casefold only
    earlier = hex64(hash_tokens([t for s in split_sentences(text) for t in TOKEN_RE.findall(fold(s))]))
    assert earlier != stored
    with wh.writer(runner.warehouse) as con:
        con.execute("UPDATE articles SET content_hash = ?", [earlier])
        con.execute("UPDATE article_revisions SET content_hash = ?", [earlier])
    summary = runner.run()
    assert "re-checked 1: 1 unchanged" in summary.text()
    assert summary.added["article_revisions"] == 0
    # a real edit of such a story is still one
    site.edit("/news/ferry.html", paragraphs=[*zurich, CORRECTION])
    summary = runner.run()
    assert summary.added["article_revisions"] == 1
