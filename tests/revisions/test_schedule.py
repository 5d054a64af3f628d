"""The re-check schedule and its bounds, the word diff, and the `recheck_*` settings."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup import warehouse as wh
from newsdedup.config import ConfigError, Settings, loads_sources
from newsdedup.revisions import due_at, is_stub, replaced_page, select_due, unified_diff, word_changes

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
AGES = (1.0, 6.0, 24.0, 72.0)


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_each_age_is_one_recheck_and_a_late_check_covers_what_it_passed() -> None:
    assert due_at(T0, None, AGES) == h(1)
    assert due_at(T0, h(1.2), AGES) == h(6)
    assert due_at(T0, h(30), AGES) == h(72)  # checked late: the 6 h and 24 h ages are done
    assert due_at(T0, h(72), AGES) is None   # schedule done
    assert due_at(T0, None, ()) is None      # off
    assert due_at(T0, None, (0.0,)) == T0    # every run: due since the last check
    assert due_at(T0, h(5), (0.0,)) == h(5)


def _warehouse(tmp_path: Path, rows: list[tuple[str, str, str, datetime, datetime | None]]) -> Path:
    path = tmp_path / "w.duckdb"
    with wh.writer(path) as con:
        for article_id, source, url, first, last in rows:
            con.execute("INSERT INTO article_checks (article_id, source, url, first_seen_at, last_checked_at, checks) "
                        "VALUES (?, ?, ?, ?, ?, 0)", [article_id, source, url, first, last])
    return path


def test_selection_is_most_overdue_first_within_the_run_and_host_bounds(tmp_path: Path) -> None:
    rows = [(f"a{i}", "one" if i < 4 else "two", f"https://{'x' if i % 2 else 'y'}.example/{i}", h(-i), None)
            for i in range(6)]
    rows.append(("late", "one", "https://x.example/late", h(-2), h(-0.5)))   # checked since its 1 h age
    rows.append(("other", "three", "https://x.example/o", h(-10), None))     # a source not in this run
    path = _warehouse(tmp_path, rows)
    with wh.reader(path) as con:
        sel = select_due(con, ["one", "two"], T0, AGES, max_per_run=3, max_per_host=2)
        assert [d.article_id for d in sel.chosen] == ["a5", "a4", "a3"]  # due at -4 h, -3 h, -2 h
        assert dict(sel.deferred) == {"one": 2}  # a2 (run bound), a1 (run bound)
        by_host = select_due(con, ["one", "two"], T0, AGES, max_per_run=100, max_per_host=2)
        assert [d.article_id for d in by_host.chosen] == ["a5", "a4", "a3", "a2"]
        assert dict(by_host.deferred) == {"one": 1}  # a1: its host had 2 already
        assert select_due(con, ["one", "two"], h(-4.5), AGES, 100, 100).chosen == []  # nothing 1 h old yet
        assert [d.article_id for d in select_due(con, ["one"], T0, (0.0,), 100, 100).chosen] == [
            "a3", "a2", "a1", "late", "a0"]  # every run: least recently checked first
        assert select_due(con, ["one"], T0, (), 100, 100).chosen == []


def test_a_snapshot_without_revision_tables_rechecks_nothing(tmp_path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    assert select_due(con, ["one"], T0, AGES, 10, 10).chosen == []


def test_word_changes_count_what_a_reader_sees_changed() -> None:
    old = "The ferry returned on Tuesday. It carried vans."
    assert word_changes(old, old) == (0, 0)
    assert word_changes(old, old + " Correction: it was Wednesday.") == (4, 0)
    assert word_changes(old, old.replace("Tuesday.", "Wednesday morning.")) == (2, 1)
    assert word_changes("a b c d", "c d a b") == (2, 2)  # a moved sentence is removed and added
    big_old, big_new = "w " * 30_000, "w " * 30_000 + "x y"
    assert word_changes(big_old, big_new) == (2, 0)  # past DIFF_MAX_WORDS: counted, not diffed


@pytest.mark.timeout(20)  # a hang guard: it takes milliseconds; it took ~40 s of CPU before, inside the load
def test_word_changes_of_a_long_text_of_few_distinct_words_is_counted_not_diffed() -> None:
    """Under DIFF_MAX_WORDS, a page of 20,000 words drawn from two (a table of 0s and 1s, a hostile
    page) made difflib compare every equal pair of words, 200 million, inside the writer's transaction."""
    import random

    rng = random.Random(7)
    old = " ".join(rng.choice("01") for _ in range(19_999))
    new = " ".join(rng.choice("01") for _ in range(19_999)) + " 1"
    added, removed = word_changes(old, new)
    assert added - removed == 1 and added < 20_000


@settings(deadline=None)  # the first call imports difflib's users lazily (1.5 s alone)
@given(st.text(max_size=300), st.text(max_size=300))
def test_word_changes_never_fail_and_balance(a: str, b: str) -> None:
    added, removed = word_changes(a, b)
    assert len(b.split()) - len(a.split()) == added - removed
    assert unified_diff({"revision": 1, "fetched_at": T0, "title": a, "text": a},
                        {"revision": 2, "fetched_at": h(1), "title": b, "text": b})


def test_recheck_settings_are_validated() -> None:
    def settings(yaml_block: str) -> Settings:
        return loads_sources(f"settings:\n{yaml_block}\nsources:\n  - {{name: s, url: 'https://x.example/f'}}\n"
                             ).settings

    assert settings("  recheck_hours: [72, 1, 6]").recheck_hours == (1.0, 6.0, 72.0)
    assert settings("  recheck_hours: []").recheck_hours == ()
    assert settings("  recheck_hours: [0]").recheck_hours == (0.0,)
    assert Settings().recheck_hours == AGES and Settings().recheck_max_per_run > 0
    for bad, message in [
        ("recheck_hours: 6", "settings.recheck_hours: must be a list of ages in hours"),
        ("recheck_hours: [0, 6]", "0 means 're-check on every run' and cannot be combined with other ages"),
        ("recheck_hours: [6, 6]", "lists an age twice"),
        ("recheck_hours: [-1]", "settings.recheck_hours[0]: must be >= 0"),
        ("recheck_hours: [.inf]", "settings.recheck_hours[0]: must be a finite number"),
        ("recheck_hours: ['6']", "settings.recheck_hours[0]: must be a number, not '6'"),
        ("recheck_max_per_run: -1", "settings.recheck_max_per_run: must be >= 0"),
        ("recheck_max_per_host: 1.5", "settings.recheck_max_per_host: must be a whole number"),
        ("recheck_hour: [1]", "unknown key (did you mean 'recheck_hours'?)"),
    ]:
        with pytest.raises(ConfigError) as err:
            settings("  " + bad)
        assert message in str(err.value), (bad, str(err.value))


def test_a_short_leftover_of_a_long_story_is_no_version_of_it() -> None:
    # a page that still has a sentence or two (a teaser, a "this story was removed" notice) passes the
    # extractor's prose test; against a 400-word stored story it is no revision
    notice = "This story has been removed at the request of the family. We apologise for any distress caused."
    assert is_stub(notice, 400) == "no_article_text: 17 words where the stored version has 400"
    assert is_stub(notice, 40) is None  # a brief that short may really have been cut to this
    assert is_stub(" ".join(["word"] * 120), 400) is None  # a real cut, not a stub



def test_another_page_at_the_address_is_no_version_but_a_cut_or_a_rewrite_is() -> None:
    story = " ".join(f"Paragraph {i} of the council story says the ferry will run on time this winter."
                     for i in range(20))
    wall = "Subscribe to continue reading. Already a subscriber? Log in to read this story and all of our journalism."
    assert replaced_page(story, wall) == "replaced_page: 18 words sharing no passage with the stored 300"
    half = " ".join(story.split()[:140])
    assert replaced_page(story, half) is None  # cut down by an editor: its passages are the story's
    assert replaced_page(story, story + " " + wall) is None  # longer: a rewrite may be anything
    assert replaced_page(story, " ".join(story.split()[:40]) + " " + wall) is None  # a cut with a note: shares
    assert replaced_page(None, wall) is None and replaced_page(story, "Removed.") is None  # too short to judge


@pytest.mark.parametrize("render", [
    lambda t: unicodedata.normalize("NFD", t),  # a CMS that stores decomposed accents
    lambda t: t.replace("council", "coun&shy;cil"),  # hyphenation hints in a headline
    lambda t: t.replace("council", "coun&#8203;cil"),
    lambda t: t + "&#8206;",  # a left-to-right mark after it
])
def test_the_same_headline_rendered_with_other_code_points_is_no_headline_change(render) -> None:
    # the page's title as the extractor gives it keeps the code points: a re-render with decomposed
    # accents or invisible hyphenation hints was a "headline changed" revision a reader cannot see
    from newsdedup.clean import extract
    from newsdedup.revisions import same_title

    def title(t: str) -> str:
        body = "".join(f"<p>{'Residents and officials met in the town hall to discuss it. ' * 3}{i}</p>" for i in range(4))
        return extract(f"<html><head><title>{t}</title></head><body><article><h1>{t}</h1>{body}</article></body></html>",
                       url="https://a.example/news/1").title
    headline = "Café owner’s résumé: Zürich council approves plan"
    assert same_title(title(headline), title(render(headline)))
    assert not same_title(title(headline), title(headline.replace("approves", "rejects")))
    assert not same_title(title(headline), title(headline.upper()))  # a visible change stays one
