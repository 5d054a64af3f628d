"""Deduplicator decisions: exact, near, truncation, traps, incremental seeding, bad input."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from newsdedup.dedup import DedupConfig, DedupDoc, Deduplicator

from .textgen import T0, doc, light_edit, sentence, story, truncate

FOOTER = (
    "The Valley Herald is published by Valley Media Group. Advertising enquiries are handled by our sales "
    "team on weekdays between nine and five. Letters to the editor may be edited for length and clarity. "
    "Subscribe to our weekly newsletter for the best of local news every Friday morning."
)


def _by_id(results):
    return {r.id: r for r in results}


def test_exact_near_truncated_and_distinct():
    base = story(1)
    docs = [
        doc("orig", base, "a", 0),
        doc("exact", base, "b", 10),
        doc("edit", light_edit(base, 0.05, 2), "c", 20),
        doc("trunc", truncate(light_edit(base, 0.03, 3), 0.6), "d", 30),
        doc("other", story(99), "e", 40),
    ]
    r = _by_id(Deduplicator().add(docs))
    assert r["orig"].kind == "canonical" and r["orig"].cluster_id == "orig"
    assert (r["exact"].kind, r["exact"].matched_id, r["exact"].similarity) == ("exact", "orig", 1.0)
    for i in ("edit", "trunc"):
        assert r[i].kind == "near" and r[i].cluster_id == "orig"
        assert r[i].similarity is not None and r[i].estimated_similarity is not None
    assert r["trunc"].containment is not None and r["trunc"].containment > r["trunc"].jaccard
    assert r["other"].cluster_id == "other" and r["other"].kind == "canonical"
    assert r["orig"].config_fingerprint == DedupConfig().fingerprint()


def test_unordered_batch_is_decided_in_publication_order():
    base = story(5)
    docs = [doc("late", light_edit(base, 0.02, 1), "b", 60), doc("early", base, "a", 0)]
    r = Deduplicator().add(docs)
    assert [x.id for x in r] == ["late", "early"]  # input order
    assert r[1].kind == "canonical" and r[0].cluster_id == "early" and r[0].matched_id == "early"


def test_boilerplate_footer_does_not_merge_distinct_short_items():
    rng = random.Random(3)
    items = [" ".join(sentence(rng) for _ in range(4)) + "\n\n" + FOOTER for _ in range(6)]
    r = Deduplicator().add([doc(f"n{i}", t, "valley-herald", i) for i, t in enumerate(items)])
    assert len({x.cluster_id for x in r}) == 6
    footer_sentences = [s for s in r[1].sentences if s.text.startswith("Advertising enquiries")]
    assert footer_sentences and footer_sentences[0].boilerplate


def test_shared_quote_does_not_make_two_stories_one():
    quote = '"We will not rest until every family has a roof over its head again," the minister said.'
    a = "Storm damage report. " + quote + " " + sentence(random.Random(1), 12)
    b = "Budget debate opens. " + quote + " " + sentence(random.Random(2), 12)
    r = Deduplicator().add([doc("qa", story(11) + "\n\n" + a, "a", 0), doc("qb", story(12) + "\n\n" + b, "b", 5)])
    assert r[0].cluster_id != r[1].cluster_id
    q = [s for s in r[1].sentences if s.text.startswith('"We will not rest')]
    assert q[0].across_count == 1
    assert any(x["scope"] == "across" for x in r[1].repeated_sentences())


def test_incremental_seed_gives_the_same_decisions_as_one_batch():
    docs = []
    for k in range(8):
        base = story(100 + k)
        docs.append(doc(f"s{k}", base, f"src{k % 3}", k * 10))
        docs.append(doc(f"c{k}", light_edit(truncate(base, 0.8), 0.03, k), f"src{(k + 1) % 3}", k * 10 + 5))
    one = _by_id(Deduplicator().add(docs))
    first = Deduplicator().add(docs[:9])
    seeds = [r.to_seed(d.source, d.published) for d, r in zip(docs[:9], first, strict=True)]
    second = Deduplicator()
    second.seed(seeds)
    rest = _by_id(second.add(docs[9:]))
    for d in docs[9:]:
        assert (rest[d.id].cluster_id, rest[d.id].kind) == (one[d.id].cluster_id, one[d.id].kind)
    # seeding without shingles falls back to the signature and still finds the copy
    bare = Deduplicator()
    for s in seeds:
        s.shingles, s.shingle_counts = None, None
    bare.seed(seeds)
    assert bare.add([doc("again", docs[0].text, "zz", 500)])[0].kind == "exact"
    assert bare.add([doc("edit", light_edit(docs[2].text, 0.01, 9), "zz", 501)])[0].cluster_id == "s1"


def test_add_never_merges_existing_clusters_and_late_original_becomes_canonical():
    base = story(21)
    dd = Deduplicator()
    first = dd.add([doc("copy", light_edit(base, 0.03, 1), "b", 30)])
    assert first[0].kind == "canonical"
    later = dd.add([doc("orig", base, "a", 0)])[0]
    assert later.cluster_id == "copy" and later.kind == "canonical" and later.matched_id == "copy"
    assert dd.canonical_of("copy") == "orig"


def test_duplicate_ids_are_rejected():
    dd = Deduplicator()
    dd.add([doc("x", story(1))])
    with pytest.raises(ValueError, match="already known"):
        dd.add([doc("x", story(2))])


def test_evict_drops_old_docs():
    base = story(31)
    dd = Deduplicator()
    dd.add([doc("old", base, "a", 0)])
    assert dd.evict(T0 + timedelta(minutes=1)) == 1
    assert dd.add([doc("new", base, "b", 600)])[0].kind == "canonical"


@pytest.mark.parametrize(
    ("text", "skipped"),
    [("", "empty"), ("   \n\n ", "empty"), ("Hello", "too_short"), ("... !!! ---", "empty"),
     ("12 345 6789", "too_short"),
     # texts of nothing but invisible, combining or pictographic characters: no words, never one story
     ("\u200b\u200c\u200d\ufeff\u2060" * 400, "empty"), ("\u0301\u0308\u0327" * 500, "empty"),
     ("\U0001f600\U0001f680 \u2764\ufe0f " * 300, "empty"), ("\u00a0\u3000\u2003\n" * 200, "empty")],
)
def test_bad_input_has_a_defined_outcome(text, skipped):
    r = Deduplicator().add([doc("a", text), doc("b", text, "b", 5)])
    assert [x.skipped for x in r] == [skipped, skipped]
    assert r[0].cluster_id == "a" and r[1].cluster_id == "b" and r[1].kind == "canonical"


def test_huge_article_is_cut_not_crashed():
    rng = random.Random(4)
    text = " ".join(sentence(rng) for _ in range(60_000))  # ~5 MB
    assert len(text) > 4_000_000
    dd = Deduplicator()
    r = dd.add([doc("big", text)])[0]
    assert r.kind == "canonical" and r.signature is not None
    assert dd.stats["cut_long_text"] == 1


def test_cjk_without_spaces_uses_character_shingles():
    a = "東京都は本日、新しい防災計画を発表した。計画には避難所の増設と食料備蓄の拡充が含まれる。知事は記者会見で詳細を説明した。"
    b = a.replace("本日", "今日")
    c = "大阪市では地下鉄の新路線が開業し、多くの市民が初日の運行を見守った。市長は経済効果に期待を示した。"
    r = Deduplicator().add([DedupDoc("a", "x", T0, "", a), DedupDoc("b", "y", T0 + timedelta(1), "", b),
                            DedupDoc("c", "z", T0 + timedelta(2), "", c)])
    assert r[0].skipped is None and r[1].cluster_id == "a" and r[2].cluster_id == "c"


def test_full_width_copy_is_exact_and_unrelated_thai_briefs_stay_apart():
    text = story(43)
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)
    thai = ["นายกรัฐมนตรีกล่าวว่ารัฐบาลจะเพิ่มงบประมาณด้านการศึกษาในปีหน้าเพื่อช่วยเหลือนักเรียนในชนบท",
            "ตลาดหุ้นไทยปิดตลาดวันนี้ปรับตัวลดลงเล็กน้อยหลังนักลงทุนกังวลเรื่องอัตราดอกเบี้ยของสหรัฐ"]
    r = Deduplicator().add([doc("a", text), doc("wide", wide, "b", 5), DedupDoc("t1", "x", T0, "", thai[0]),
                            DedupDoc("t2", "x", T0 + timedelta(1), "", thai[1])])
    assert (r[1].kind, r[1].cluster_id) == ("exact", "a")
    assert [x.skipped for x in r[2:]] == [None, None] and [x.cluster_id for x in r[2:]] == ["t1", "t2"]


def test_undated_docs_sort_last():
    base = story(41)
    r = Deduplicator().add([DedupDoc("nodate", "a", None, "", base), doc("dated", base, "b", 0)])
    assert r[1].kind == "canonical" and r[0].kind == "exact" and r[0].cluster_id == "dated"


def test_worker_processes_parse_like_the_main_process():
    import numpy as np

    from newsdedup.dedup.parallel import parse_many

    texts = [story(i, paragraphs=2) for i in range(40)] + ["", "東京は晴れ。"]
    serial = parse_many(texts, DedupConfig(), workers=1)
    pooled = parse_many(texts, DedupConfig(), workers=2, min_docs=0)
    for a, b in zip(serial, pooled, strict=True):
        assert np.array_equal(a.sent_hashes, b.sent_hashes) and np.array_equal(a.within_counts, b.within_counts)
        assert a.sentences == b.sentences and np.array_equal(a.shingle_counts, b.shingle_counts)
        assert np.array_equal(a.shingles, b.shingles)
        assert (a.signature is None and b.signature is None) or np.array_equal(a.signature, b.signature)


def test_a_copy_salted_with_invisible_characters_is_still_the_same_story():
    # `newsdedup dedup` reads texts as given: zero-width spaces or soft hyphens put inside every
    # longer word made a verbatim copy share no shingle with its original
    base = story(44)
    for ch in ("\u200b", "\u00ad", "\u2060"):
        salted = " ".join(w[:3] + ch + w[3:] if len(w) > 4 else w for w in base.split(" "))
        r = Deduplicator().add([doc("orig", base), doc("salted", salted, "b", 5)])
        assert (r[1].kind, r[1].cluster_id) == ("exact", "orig"), repr(ch)


# Latin letters and the Cyrillic (or Greek) letters a reader cannot tell from them.
LOOKALIKES = str.maketrans("aceopxyiABCEHKMOPTX", "асеорхуіАВСЕНКМОРТХ")


def test_a_copy_spelt_with_lookalike_letters_is_still_the_same_story():
    # Cyrillic а, е, о, р, с in place of the Latin letters read the same, and a copy written so shared
    # no shingle with its original (every word with one of them was another word). Every third
    # letter swapped, or all of them, including the one-letter words.
    base = story(45)
    for every in (3, 1):
        swapped = "".join(c.translate(LOOKALIKES) if i % every == 0 else c for i, c in enumerate(base))
        assert swapped != base
        r = Deduplicator().add([doc("orig", base), doc("swapped", swapped, "b", 5)])
        assert r[1].cluster_id == "orig" and r[1].kind in ("exact", "near"), (every, r[1])


def test_words_of_one_script_are_not_read_as_another():
    # The lookalike folding reads only words that mix scripts: two Russian stories are not one
    # because their letters have Latin lookalikes, and a Russian copy with Latin о is still a copy.
    ru1 = ("Совет города утвердил бюджет на строительство новой дамбы во вторник. " * 3
           + "Работы начнутся весной и продлятся два года, сообщил мэр на пресс-конференции.")
    ru2 = ("Команда выиграла кубок после серии пенальти в финале в субботу вечером. " * 3
           + "Тренер поблагодарил болельщиков, которые приехали поддержать клуб.")
    latin_o = ru1.replace("о", "o")
    r = Deduplicator().add([doc("ru1", ru1), doc("ru2", ru2, "b", 5), doc("ru1o", latin_o, "c", 9)])
    assert r[1].cluster_id == "ru2" and r[1].kind == "canonical"
    assert r[2].cluster_id == "ru1" and r[2].kind in ("exact", "near"), r[2]
