"""Incremental dedup through the warehouse: a corpus ingested in two pipeline runs (dedup_stage, then
load_stage, the DAG's code path) ends up with the same clusters, canonicals and duplicate kinds as one
offline `dedup_corpus` pass, while the second run seeds only the stored articles it can match."""

from __future__ import annotations

import io
import json
import random
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from newsdedup import pipeline, staging
from newsdedup import warehouse as wh
from newsdedup.config import Settings
from newsdedup.dedup import dedup_corpus

from .textgen import WORDS, light_edit, sentence, story, truncate

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SOURCES = ["wire", "paper", "blog", "radio"]
QUOTE = '"We will rebuild every school and every bridge before the winter comes," the minister said.'


def _corpus() -> list[dict]:
    """Stories with copies (exact, edited, truncated, re-headlined) across sources, each source's
    footer on all its articles, one quote shared by two different stories, unrelated singletons, and
    one copy published before the original it is stored after (a late earlier original)."""
    rng = random.Random(7)
    footers = {s: " ".join(sentence(random.Random(1000 + i), 12) for _ in range(2)) for i, s in enumerate(SOURCES)}
    docs: list[dict] = []

    def add(doc_id: str, text: str, source: str, minutes: int) -> None:
        docs.append({"id": doc_id, "source": source, "minutes": minutes, "text": text + "\n\n" + footers[source]})

    for k in range(14):
        base = story(500 + k)
        if k in (3, 9):  # the shared quote: two stories, not one
            base += "\n\n" + QUOTE
        t = k * 60
        src = SOURCES[k % 4]
        add(f"st{k:02d}", base, src, t)
        add(f"ex{k:02d}", base, SOURCES[(k + 1) % 4], t + 20)
        add(f"ed{k:02d}", light_edit(base, 0.03, k), SOURCES[(k + 2) % 4], t + 400)
        if k % 2 == 0:
            add(f"tr{k:02d}", truncate(light_edit(base, 0.02, 50 + k), 0.6), SOURCES[(k + 3) % 4], t + 900)
        if k % 3 == 0:
            add(f"rh{k:02d}", "Breaking: " + " ".join(rng.choice(WORDS) for _ in range(6)) + "\n\n" + base,
                SOURCES[(k + 1) % 4], t + 1000)
    for k in range(10):
        add(f"un{k:02d}", story(900 + k), SOURCES[k % 4], k * 97)
    add("early03", light_edit(story(503) + "\n\n" + QUOTE, 0.01, 99), "radio", 3 * 60 - 30)
    return docs


def _article_row(d: dict, run_id: str) -> dict:
    url = f"https://{d['source']}.example/{d['id']}"
    return {
        "article_id": d["id"], "url": url, "canonical_url": url, "source": d["source"], "title": d["id"],
        "authors": [], "published_at": T0 + timedelta(minutes=d["minutes"]), "published_text": None,
        "updated_at": None, "language": "en", "text": d["text"], "word_count": len(d["text"].split()),
        "content_hash": None, "clean_error": None, "fetched_at": T0 + timedelta(days=1), "run_id": run_id,
        "url_id": d["id"], "final_url": None, "content_type": "text/html", "http_status": 200, "bytes": 1,
        "sha1": "x", "raw_path": None,
    }


def _pipeline_run(tmp_path: Path, warehouse: Path, run_id: str, docs: list[dict]) -> dict:
    """A run whose source step staged `docs`: then the pipeline's own dedup and load stages."""
    run_dir = tmp_path / "staging" / run_id
    run_dir.mkdir(parents=True)
    (run_dir / "plan.json").write_text(json.dumps({
        "run_id": run_id, "run_dir": str(run_dir), "warehouse": str(warehouse), "sources_file": None,
        "settings": asdict(Settings()), "sources": [], "started_at": datetime.now(UTC).isoformat()}))
    staging.write_rows([_article_row(d, run_id) for d in docs], staging.ARTICLE_SCHEMA,
                    run_dir / "articles" / "x.parquet")
    summary = pipeline.dedup_stage(str(run_dir))
    pipeline.load_stage(str(run_dir), [])
    return summary


def _offline(tmp_path: Path, docs: list[dict]) -> list[dict]:
    """One offline `dedup_corpus` pass over `docs`: its output records."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({
        "id": d["id"], "source": d["source"], "text": d["text"],
        "published": (T0 + timedelta(minutes=d["minutes"])).isoformat()}) + "\n" for d in docs))
    out = io.StringIO()
    dedup_corpus(corpus, out)
    return [json.loads(x) for x in out.getvalue().splitlines()]


def _partition(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for doc_id, cluster in pairs:
        groups.setdefault(cluster, set()).add(doc_id)
    return {frozenset(g) for g in groups.values()}


def test_two_pipeline_runs_decide_like_one_offline_pass(tmp_path: Path) -> None:
    docs = _corpus()
    offline = _offline(tmp_path, docs)
    assert len(_partition([(x["id"], x["cluster_id"]) for x in offline])) < len(docs) - 20  # copies found

    # run 1: what was published in the first half of the period (minus the late early original);
    # run 2: the rest, which has copies of stored stories, the second quote story and "early03"
    first = [d for d in docs if d["minutes"] < 500 and d["id"] != "early03"]
    second = [d for d in docs if d not in first]
    warehouse = tmp_path / "w.duckdb"
    s1 = _pipeline_run(tmp_path, warehouse, "run1", first)
    s2 = _pipeline_run(tmp_path, warehouse, "run2", second)
    assert s1["articles"] == len(first) and s2["articles"] == len(second)
    # the second run seeded the stored articles its new ones can match, not the whole window
    assert 0 < s2["seeded"] < len(first)

    _, rows = wh.query_rows(warehouse, "SELECT article_id, cluster_id FROM article_clusters")
    assert _partition(rows) == _partition([(x["id"], x["cluster_id"]) for x in offline])
    _, rows = wh.query_rows(warehouse, "SELECT c.article_id, s.canonical_article_id FROM article_clusters c "
                                       "JOIN story_clusters s USING (cluster_id)")
    assert dict(rows) == {x["id"]: x["canonical_id"] for x in offline}
    assert dict(rows)["st03"] == "early03"  # the late, earlier-published copy is the canonical
    _, rows = wh.query_rows(warehouse, "SELECT article_id, kind FROM article_duplicates")
    assert dict(rows) == {x["id"]: x["duplicate_kind"] for x in offline if x["duplicate_kind"] != "canonical"}

    # story 9 (run 2) carries the quote that story 3 (stored) has: flagged across stories through
    # the warehouse; the footers are each source's boilerplate
    _, rows = wh.query_rows(warehouse, "SELECT DISTINCT article_id FROM article_sentences "
                                       "WHERE text = ? AND repeated_across > 0", [QUOTE])
    assert {r[0] for r in rows} >= {"ex09", "st09"}
    _, rows = wh.query_rows(warehouse, "SELECT count(*) FILTER (WHERE boilerplate), count(*) FROM article_sentences "
                                       "WHERE article_id = 'ed12' AND position >= (SELECT max(position) - 1 "
                                       "FROM article_sentences WHERE article_id = 'ed12')")
    assert rows == [(2, 2)]

    # the warehouse holds what a later run needs: shingles, sentence hashes, one band row per band
    con = duckdb.connect(str(wh.snapshot_path(warehouse)), read_only=True)
    try:
        n_sig, n_state = con.execute("SELECT count(*), count(shingles) FILTER (WHERE sentence_hashes IS NOT NULL) "
                                     "FROM minhash_signatures").fetchone()
        n_bands = con.execute("SELECT count(*) FROM lsh_bands").fetchone()[0]
    finally:
        con.close()
    assert n_sig == n_state == len(docs) and n_bands == 32 * len(docs)


def test_reloading_a_run_adds_no_band_rows(tmp_path: Path) -> None:
    docs = _corpus()[:12]
    warehouse = tmp_path / "w.duckdb"
    _pipeline_run(tmp_path, warehouse, "run1", docs)
    with wh.writer(warehouse) as con:
        again = wh.load_run(con, tmp_path / "staging" / "run1", {"run_id": "run1", "status": "success"})
    assert again["lsh_bands"] == 0 and again["minhash_signatures"] == 0


def test_an_outlet_s_updates_stored_by_earlier_runs_are_seeded_and_clustered(tmp_path: Path) -> None:
    # An outlet's story and three updates (each the one before with a new paragraph after the lede):
    # decided in one pass, the four are one cluster (their sentences on 3+ of its docs are the story,
    # not its boilerplate). Arriving over runs, the stored versions are seeded, and the result is the same.
    paras = story(600).split("\n\n")
    versions = ["\n\n".join(paras)]
    for k in range(1, 4):
        paras = paras[:k] + story(610 + k, 1).split("\n\n") + paras[k:]
        versions.append("\n\n".join(paras))
    docs = [{"id": f"v{i}", "source": "paper", "minutes": i * 90, "text": t} for i, t in enumerate(versions)]
    docs += [{"id": f"un{k}", "source": "paper", "minutes": 20 + k * 60, "text": story(620 + k)} for k in range(3)]
    offline = _partition([(x["id"], x["cluster_id"]) for x in _offline(tmp_path, docs)])
    assert frozenset({"v0", "v1", "v2", "v3"}) in offline
    for k, cuts in enumerate(((2,), (1, 3))):
        warehouse = tmp_path / f"w{k}.duckdb"
        bounds = [0, *cuts, 4]
        for j, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
            part = [d for d in docs if d["id"] in {f"v{i}" for i in range(a, b)} or (j == 0 and d["id"][0] == "u")]
            _pipeline_run(tmp_path / f"s{k}", warehouse, f"run{j}", part)
        _, rows = wh.query_rows(warehouse, "SELECT article_id, cluster_id FROM article_clusters")
        assert _partition(rows) == offline, cuts


def test_stored_articles_of_another_dedup_config_are_reported_not_silently_skipped(tmp_path: Path) -> None:
    """A release that changes the dedup config (its fingerprint) compares new articles only with those
    stored under the new one: the window's older articles were left out without a word, and their copies
    stored as new stories. The run now says how many were left out and what decides them again."""
    from newsdedup.summary import RunSummary

    docs = {d["id"]: d for d in _corpus()}
    warehouse = tmp_path / "w.duckdb"
    first = [docs["st00"], docs["un00"], docs["un01"]]
    _pipeline_run(tmp_path, warehouse, "run1", first)
    with wh.writer(warehouse) as con:  # what an earlier release's runs stored
        con.execute("UPDATE minhash_signatures SET config_fingerprint = '0123456789abcdef'")
    summary = _pipeline_run(tmp_path, warehouse, "run2", [docs["ex00"]])
    assert summary["other_config"] == len(first)
    _, rows = wh.query_rows(warehouse, "SELECT kind FROM article_duplicates WHERE article_id = 'ex00'")
    assert rows == []  # the exact copy was not found: that is what the note is about
    text = RunSummary(run_id="run2", sources=[], dedup=summary, added={"articles": 1}, warehouse=str(warehouse),
                      adopted=[]).text()
    assert "3 stored articles of the dedup window were deduplicated under another dedup config" in text
    assert "newsdedup reclean" in text
    # under one config there is nothing to say
    again = _pipeline_run(tmp_path, tmp_path / "w2.duckdb", "run3", first)
    assert "other_config" not in again


def test_a_roundup_stored_stories_are_quoted_in_joins_none_of_them_through_the_warehouse(tmp_path: Path) -> None:
    # Three stories and a teaser of the first (its lede and a link line) stored by one run; a later run's
    # morning roundup quotes the three ledes. The teaser is contained in it, but the roundup carries as
    # much text of the other stored stories: it joins no cluster, as in one offline pass.
    paras = {k: story(700 + k).split("\n\n") for k in range(3)}
    docs = [{"id": f"st{k}", "source": SOURCES[k], "minutes": k * 30, "text": "\n\n".join(p)} for k, p in paras.items()]
    docs.append({"id": "teaser", "source": "radio", "minutes": 100, "text": paras[0][0] + "\n\nContinue reading"})
    roundup = "\n\n".join(["Here is what you need to know this morning.", *(p[0] for p in paras.values())])
    docs.append({"id": "roundup", "source": "digest", "minutes": 600, "text": roundup})
    offline = {x["id"]: x["cluster_id"] for x in _offline(tmp_path, docs)}
    assert offline["roundup"] == "roundup" and offline["teaser"] == "st0"
    warehouse = tmp_path / "w.duckdb"
    _pipeline_run(tmp_path, warehouse, "run1", docs[:-1])
    _pipeline_run(tmp_path, warehouse, "run2", docs[-1:])
    _, rows = wh.query_rows(warehouse, "SELECT article_id, cluster_id FROM article_clusters")
    assert _partition(rows) == _partition(list(offline.items()))


def test_a_roundup_mostly_one_stored_story_s_lede_joins_none_of_them_through_the_warehouse(tmp_path: Path) -> None:
    # As above when the first story's lede is longer than the two others' together: the roundup shares more
    # with the stored teaser than it quotes of the other stories, and joined its cluster (by Jaccard 0.53
    # here). It quotes more than half as much of the others as it shares: it joins no cluster, in one
    # offline pass and over two runs through the warehouse alike.
    paras = {k: story(131 + k, 6 if k == 0 else 4).split("\n\n") for k in range(3)}
    lede = " ".join(paras[0][:3])
    paras[0] = [lede, *paras[0][3:]]
    docs = [{"id": f"st{k}", "source": SOURCES[k], "minutes": k * 30, "text": "\n\n".join(p)} for k, p in paras.items()]
    docs.append({"id": "teaser", "source": "radio", "minutes": 100, "text": lede + "\n\nContinue reading"})
    roundup = "\n\n".join(["Here is what you need to know this morning.", *(p[0] for p in paras.values())])
    docs.append({"id": "roundup", "source": "digest", "minutes": 600, "text": roundup})
    offline = {x["id"]: x["cluster_id"] for x in _offline(tmp_path, docs)}
    assert offline["roundup"] == "roundup" and offline["teaser"] == "st0"
    warehouse = tmp_path / "w.duckdb"
    _pipeline_run(tmp_path, warehouse, "run1", docs[:-1])
    _pipeline_run(tmp_path, warehouse, "run2", docs[-1:])
    _, rows = wh.query_rows(warehouse, "SELECT article_id, cluster_id FROM article_clusters")
    assert _partition(rows) == _partition(list(offline.items()))


def test_an_outlet_s_updates_with_their_own_notes_are_clustered_over_runs_through_the_warehouse(tmp_path: Path) -> None:
    # The outlet's original and two updates, each update with its own editor's note on top and its own
    # correction under the story (the second with a new paragraph too): one cluster in one offline pass, and
    # the same arriving over two or three runs through DuckDB (the stored versions seeded in full).
    paras = story(640).split("\n\n")
    second = [paras[0], *story(641, 1).split("\n\n"), *paras[1:]]
    versions = ["\n\n".join(paras),
                "\n\n".join(["Editor's note: This story was updated at 4:46 p.m. with comment from officials.", *paras,
                             "Correction: An earlier version of this article misstated the date of the meeting."]),
                "\n\n".join(["EDITOR'S NOTE: This is a developing story. Check back for updates.", *second,
                             "Clarification: This article has been amended to make clear the report was not published."])]
    docs = [{"id": f"v{i}", "source": "paper", "minutes": i * 90, "text": t} for i, t in enumerate(versions)]
    docs += [{"id": f"un{k}", "source": "paper", "minutes": 20 + k * 60, "text": story(650 + k)} for k in range(2)]
    offline = _partition([(x["id"], x["cluster_id"]) for x in _offline(tmp_path, docs)])
    assert frozenset({"v0", "v1", "v2"}) in offline
    for k, cuts in enumerate(((1,), (2,), (1, 2))):
        warehouse = tmp_path / f"w{k}.duckdb"
        bounds = [0, *cuts, 3]
        for j, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
            part = [d for d in docs if d["id"] in {f"v{i}" for i in range(a, b)} or (j == 0 and d["id"][0] == "u")]
            _pipeline_run(tmp_path / f"s{k}", warehouse, f"run{j}", part)
        _, rows = wh.query_rows(warehouse, "SELECT article_id, cluster_id FROM article_clusters")
        assert _partition(rows) == offline, cuts
