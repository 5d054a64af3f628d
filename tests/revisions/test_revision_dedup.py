"""Dedup of revisions: a revision is the same article (never a near-duplicate of its own earlier
version), its cluster and sentence index follow the latest text, and when a rewritten story no longer
matches its cluster the decision record says so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from editable_site import EditableSite
from revision_runs import CORRECTION, FERRY, LIBRARY, ORCHARD, Runner

COPY = ["WESTHOLM (Calder Courier) - " + FERRY[0], *FERRY[1:-1]]  # a syndicated copy: dateline, last paragraph cut


@pytest.fixture
def herald() -> Iterator[EditableSite]:
    with EditableSite() as s:
        yield s


@pytest.fixture
def story(site: EditableSite, herald: EditableSite, runner: Runner) -> tuple[str, str, str]:
    """The courier's ferry story and the herald's copy two hours later: one cluster of two."""
    site.add("/news/ferry.html", "Ferry returns after storm repairs", FERRY)
    herald.add("/copy/ferry.html", "Westholm ferry sails again", COPY, published="2026-11-24T10:00:00+00:00")
    runner.extra_sources = [{"name": "herald", "url": herald.url("/feed.xml"), "kind": "rss"}]
    runner.run()
    original, copy = runner.article_id("/news/ferry.html"), runner.q(
        "SELECT article_id FROM articles WHERE source = 'herald'")[0][0]
    clusters = dict(runner.q("SELECT article_id, cluster_id FROM article_clusters"))
    assert clusters[original] == clusters[copy]
    assert runner.q("SELECT article_id, duplicate_of, kind FROM article_duplicates") == [(copy, original, "near")]
    return original, copy, clusters[original]


def test_a_revised_original_stays_in_its_cluster_and_is_not_its_own_duplicate(
        site: EditableSite, runner: Runner, story: tuple[str, str, str]) -> None:
    original, copy, cluster = story
    site.edit("/news/ferry.html", paragraphs=[*FERRY, CORRECTION])
    summary = runner.run()
    assert "1 article revised, 0 headlines changed" in summary.text()
    assert summary.dedup["revisions"] == 1 and summary.dedup["near"] == 0  # not counted as a duplicate
    # it matched its copy (not itself) and, published first, stays the canonical of the same cluster
    assert runner.q("SELECT cluster_id, decision, matched_article_id, revision, previous_cluster_id, note "
                    "FROM article_clusters WHERE article_id = ?", [original]) == [
        (cluster, "canonical", copy, 2, None, None)]
    assert runner.q("SELECT canonical_article_id, size FROM story_clusters WHERE cluster_id = ?", [cluster]) == [
        (original, 2)]
    assert runner.q("SELECT article_id, duplicate_of, kind FROM article_duplicates") == [(copy, original, "near")]


def test_a_rewritten_copy_leaves_its_cluster_and_the_record_says_so(
        herald: EditableSite, runner: Runner, story: tuple[str, str, str]) -> None:
    original, copy, cluster = story
    herald.edit("/copy/ferry.html", title="Libraries to open on Sundays", paragraphs=LIBRARY)
    summary = runner.run()
    assert "1 article revised, 1 headline changed" in summary.text()
    assert "1 revised article left its story cluster (see article_clusters.note)" in summary.text()
    ((cid, decision, prev, note),) = runner.q(
        "SELECT cluster_id, decision, previous_cluster_id, note FROM article_clusters WHERE article_id = ?", [copy])
    assert cid != cluster and decision == "canonical" and prev == cluster
    assert note.startswith(f"revision 2 no longer matches its story cluster {cluster} (1 other article)")
    assert "now its own story" in note
    assert runner.q("SELECT count(*) FROM article_duplicates") == [(0,)]
    assert sorted(runner.q("SELECT cluster_id, size FROM story_clusters")) == sorted([(cluster, 1), (cid, 1)])
    # the sentence index, signature and bands follow the latest text
    sentences = [t for (t,) in runner.q("SELECT text FROM article_sentences WHERE article_id = ? ORDER BY position",
                                        [copy])]
    assert sentences and "county library service" in sentences[0] and not any("ferry" in s for s in sentences)
    assert runner.q("SELECT m.content_hash = a.content_hash FROM minhash_signatures m JOIN articles a "
                    "USING (article_id) WHERE article_id = ?", [copy]) == [(True,)]
    assert runner.q("SELECT count(DISTINCT article_id) FROM lsh_bands") == [(2,)]


def test_a_rewritten_canonical_gets_a_cluster_of_its_own(
        site: EditableSite, runner: Runner, story: tuple[str, str, str]) -> None:
    """The cluster is named after the original: the rewritten original must not stay in it by name."""
    original, copy, cluster = story
    site.edit("/news/ferry.html", title="Quarry orchard's first harvest", paragraphs=ORCHARD)
    runner.run()
    ((cid, prev, note),) = runner.q(
        "SELECT cluster_id, previous_cluster_id, note FROM article_clusters WHERE article_id = ?", [original])
    assert cid != cluster and prev == cluster and "no longer matches its story cluster" in note
    assert runner.q("SELECT cluster_id FROM article_clusters WHERE article_id = ?", [copy]) == [(cluster,)]
    assert sorted(runner.q("SELECT canonical_article_id, size FROM story_clusters")) == sorted(
        [(copy, 1), (original, 1)])
    # and a later revision that still tells the orchard story stays where it is now, without a note
    site.edit("/news/ferry.html", paragraphs=[*ORCHARD, CORRECTION])
    runner.run()
    assert runner.q("SELECT cluster_id, revision, note FROM article_clusters WHERE article_id = ?", [original]) == [
        (cid, 3, None)]
