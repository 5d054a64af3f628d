"""Sentence splitting, normalisation, shingles and within-article repeats."""

from __future__ import annotations

import numpy as np

from newsdedup.dedup.text import hash_tokens, normalise_tokens, parse_text, shingle_hashes, split_sentences


def test_split_keeps_abbreviations_initials_and_ordinals_together():
    text = "Mr. Smith met Dr. J. R. Brown in the U.S. on Monday. He won No. 1 again. Am 9. Oktober kam er."
    assert split_sentences(text) == [
        "Mr. Smith met Dr. J. R. Brown in the U.S. on Monday.",
        "He won No. 1 again.",
        "Am 9. Oktober kam er.",
    ]


def test_split_after_numbers_and_closing_quotes():
    text = 'McGrath took 2 for 66. But then Bichel struck. "We are ready." The minister left.'
    assert split_sentences(text) == [
        "McGrath took 2 for 66.", "But then Bichel struck.", '"We are ready."', "The minister left.",
    ]


def test_split_lines_are_boundaries_and_no_split_before_lowercase():
    assert split_sentences("Latest News\n\nIt rained. e.g. not here... and on.") == [
        "Latest News", "It rained. e.g. not here... and on.",
    ]


def test_split_cjk_full_stops():
    assert split_sentences("東京は晴れ。明日は雨です！") == ["東京は晴れ。", "明日は雨です！"]


def test_normalisation_ignores_typography():
    a = normalise_tokens("“Don’t panic” – said the\u00a0MINISTER.")
    b = normalise_tokens('"Don\'t panic" - said the minister')
    assert a == b
    assert hash_tokens(a) == hash_tokens(b)


def test_cjk_is_tokenised_by_character():
    assert normalise_tokens("東京は晴れ abc") == ["東", "京", "は", "晴", "れ", "abc"]


def test_shingles_stay_inside_sentences():
    toks = np.arange(1, 9, dtype=np.uint64)
    sh, counts = shingle_hashes(toks, [6, 2], 5)
    assert counts.tolist() == [2, 1]
    assert len(sh) == 3 and sh.dtype == np.uint32
    # the same sentence gives the same shingles wherever it stands
    sh2, _ = shingle_hashes(np.array([9, 9, 1, 2, 3, 4, 5, 6], dtype=np.uint64), [2, 6], 5)
    assert set(sh[:2].tolist()) <= set(sh2.tolist())


def test_within_counts_verbatim_and_prefix_repeat():
    text = (
        '"We will rebuild the bridge within a year." The minister spoke in the morning. '
        'Residents were sceptical.\n\n"We will rebuild the bridge within a year," a spokesperson said.'
    )
    p = parse_text(text, 5)
    assert p.within_counts[0] == 2
    assert p.within_counts[1:].tolist() == [1, 1, 1]


def test_within_ignores_headline_reused_as_lede_and_clause_continuations():
    text = (
        "Missiles struck several towns across the region\n\n"
        "Missiles struck several towns across the region early on Wednesday, officials said.\n\n"
        "Police said seven people were hurt in the firing. Police said seven people were hurt in the firing "
        "and shelling."
    )
    assert parse_text(text, 5).within_counts.tolist() == [1, 1, 1, 1]


def test_within_dateline_prefix():
    text = "LONDON (AP) – The talks will resume on Monday in Geneva.\n\nThe talks will resume on Monday in Geneva."
    p = parse_text(text, 5)
    assert p.within_counts.tolist() == [1, 2]
