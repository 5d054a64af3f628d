"""The offline `dedup_corpus` command on JSONL input."""

from __future__ import annotations

import io
import json
from pathlib import Path

from newsdedup.dedup import dedup_corpus

from .textgen import light_edit, story

FIXTURES = Path(__file__).parent / "fixtures"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rec(i: str, text: str, source: str, published: str | None) -> str:
    return json.dumps({"id": i, "source": source, "url": f"https://x.example/{i}", "published": published,
                       "title": "t", "text": text})


def test_seed_article_repeated_quote_is_flagged_within(tmp_path):
    text = (FIXTURES / "seed_article.txt").read_text(encoding="utf-8")
    corpus = _write(tmp_path / "c.jsonl", [_rec("seed", text, "autos", "2024-03-01T10:00:00Z")])
    out = io.StringIO()
    stats = dedup_corpus(corpus, out)
    line = json.loads(out.getvalue())
    within = [s for s in line["repeated_sentences"] if s["scope"] == "within"]
    assert len(within) == 1 and within[0]["count"] == 2
    assert within[0]["text"].startswith('"Carmakers are much less precious about sharing electric auto')
    assert (line["cluster_id"], line["canonical_id"], line["duplicate_kind"]) == ("seed", "seed", "canonical")
    assert stats["docs"] == 1


def test_output_lines_clusters_canonical_and_bad_lines(tmp_path):
    base = story(7)
    corpus = _write(tmp_path / "c.jsonl", [
        _rec("b", light_edit(base, 0.03, 1), "two", "2024-03-01T12:00:00Z"),
        "{not json",
        "[" * 100_000 + "]" * 100_000,  # nested past the recursion limit: a bad line, not a crash
        json.dumps(["a list"]),
        json.dumps({"text": "no id"}),
        _rec("a", base, "one", "2024-03-01T10:00:00+00:00"),
        _rec("a", base, "one", "2024-03-01T10:00:00Z"),
        _rec("c", base, "three", "not a date"),
        _rec("d", "", "four", None),
        json.dumps({"id": "e", "text": 42}),
    ])
    out = io.StringIO()
    stats = dedup_corpus(corpus, out)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [x["id"] for x in lines] == ["b", "a", "c", "d"]
    by = {x["id"]: x for x in lines}
    assert by["b"]["cluster_id"] == by["a"]["cluster_id"] == by["c"]["cluster_id"] == "a"
    assert {by[i]["canonical_id"] for i in "abc"} == {"a"}
    assert (by["a"]["duplicate_kind"], by["b"]["duplicate_kind"], by["c"]["duplicate_kind"]) == (
        "canonical", "near", "exact")
    assert by["d"]["cluster_id"] == "d" and by["d"]["duplicate_kind"] == "canonical"
    assert stats["bad_json"] == 2 and stats["bad_not_an_object"] == 1 and stats["bad_no_id"] == 1
    assert stats["bad_duplicate_id"] == 1 and stats["bad_text_not_string"] == 1
    assert stats["unparsed_published"] == 1 and stats["skipped_empty"] == 1
    assert stats["docs"] == 4 and stats["clusters"] == 2


def test_a_date_that_overflows_in_utc_is_no_date_not_a_crash(tmp_path):
    # year 1 at +14:00 is before datetime.min in UTC, year 9999 at -12:00 after datetime.max: ordering
    # the batch converted them and the whole corpus failed with OverflowError
    base = story(8)
    corpus = _write(tmp_path / "c.jsonl", [
        _rec("early", base, "one", "0001-01-01T00:00:00+14:00"),
        _rec("late", light_edit(base, 0.02, 2), "two", "9999-12-31T23:59:59-12:00"),
        _rec("dated", base, "three", "2024-03-01T10:00:00Z"),
    ])
    out = io.StringIO()
    stats = dedup_corpus(corpus, out)
    by = {x["id"]: x for x in map(json.loads, out.getvalue().splitlines())}
    assert stats["unparsed_published"] == 2 and stats["docs"] == 3
    # undated docs cannot claim to be the original: the dated copy is the canonical
    assert {x["canonical_id"] for x in by.values()} == {"dated"}
    assert by["early"]["duplicate_kind"] == "exact" and by["late"]["duplicate_kind"] == "near"


def test_the_deduplicator_takes_a_date_past_the_calendar_in_utc_for_no_date():
    from datetime import UTC, datetime, timedelta, timezone

    from newsdedup.dedup import DedupDoc, Deduplicator

    base = story(9)
    edge = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    r = Deduplicator().add([DedupDoc("edge", "a", edge, "", base),
                            DedupDoc("dated", "b", datetime(2024, 3, 1, tzinfo=UTC), "", base)])
    assert (r[0].kind, r[0].cluster_id, r[1].kind) == ("exact", "dated", "canonical")
