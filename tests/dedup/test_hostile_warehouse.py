"""An incremental run against a warehouse holding a flood of copies of one story: it seeds a bounded
number of them (the latest MAX_HITS_PER_BAND per band key, the first per content hash), not all, and
decides as one offline pass over everything does."""

from __future__ import annotations

from pathlib import Path

from newsdedup import warehouse as wh
from newsdedup.dedup.minhash import MAX_HITS_PER_BAND

from .test_incremental_warehouse import _offline, _partition, _pipeline_run
from .textgen import story


def test_a_run_against_a_flood_of_stored_copies_seeds_a_bounded_number_and_decides_like_one_pass(
        tmp_path: Path) -> None:
    base = story(7)
    other = story(8)
    n = 700  # stored: 350 exact copies and 350 copies with a word of their own, each from its own outlet
    stored = [{"id": f"c{i:04d}", "source": f"o{i}", "minutes": i,
               "text": base if i % 2 else f"{base} extra{i}"} for i in range(n)]
    new = [{"id": "new-exact", "source": "n1", "minutes": n + 1, "text": base},
           {"id": "new-near", "source": "n2", "minutes": n + 2, "text": f"{base} late"},
           {"id": "new-other", "source": "n3", "minutes": n + 3, "text": other}]
    offline = _offline(tmp_path, stored + new)
    warehouse = tmp_path / "w.duckdb"
    _pipeline_run(tmp_path, warehouse, "run1", stored)
    s2 = _pipeline_run(tmp_path, warehouse, "run2", new)
    # every stored copy shares most bands with the new ones: per band key the cap, plus one exact twin (the
    # copies with a word of their own differ in a few bands: a few buckets more, 267 seeded of 700)
    assert MAX_HITS_PER_BAND <= s2["seeded"] < 2 * MAX_HITS_PER_BAND
    _, rows = wh.query_rows(warehouse, "SELECT article_id, cluster_id FROM article_clusters")
    assert _partition(rows) == _partition([(x["id"], x["cluster_id"]) for x in offline])
    # the decision (an exact twin found through the one content-hash seed, a near copy through the bands)
    _, rows = wh.query_rows(warehouse, "SELECT article_id, decision, matched_article_id FROM article_clusters "
                                       "WHERE article_id LIKE 'new%'")
    assert {a: k for a, k, _ in rows} == {x["id"]: x["duplicate_kind"] for x in offline if x["id"].startswith("new")}
    assert {a: (k, m) for a, k, m in rows} == {x["id"]: (x["duplicate_kind"], x["matched_id"]) for x in offline
                                              if x["id"].startswith("new")}
    assert {a: k for a, k, _ in rows} == {"new-exact": "exact", "new-near": "near", "new-other": "canonical"}
