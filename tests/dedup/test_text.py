"""Sentence splitting, normalisation, shingles and within-article repeats."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.dedup.text import (
    hash_tokens,
    normalise_tokens,
    parse_text,
    shingle_hashes,
    split_sentences,
    text_hash,
    within_counts,
)


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


def _within_reference(sentences: list[str], toks_per: list[list[str]], hashes: list[int], min_tokens: int
                      ) -> list[int]:
    """The rule as first written (quadratic in repeated sentences): every later sentence, or any one
    after a dateline dash, that begins with a complete earlier sentence counts one more occurrence."""
    from newsdedup.dedup.text import _END_BOUNDARY_RE, _bounded_at, _repeat_starts

    counts: dict[int, int] = {}
    for h in hashes:
        counts[h] = counts.get(h, 0) + 1
    out = [counts[h] for h in hashes]
    for j, tj in enumerate(toks_per):
        if len(tj) <= min_tokens:
            continue
        for start in _repeat_starts(sentences[j], min_tokens):
            for i, ti in enumerate(toks_per):
                if (len(ti) >= min_tokens and _END_BOUNDARY_RE.search(sentences[i][-3:]) and (j > i or start > 0)
                        and len(ti) < len(tj) and tj[start : start + len(ti)] == ti
                        and _bounded_at(sentences[j], start, len(ti))):
                    out[i] += 1
    return out


_WORDS = ["the", "talks", "will", "resume", "on", "Monday", "in", "Geneva", "we", "rebuild", "bridge"]
_PIECES = st.one_of(st.sampled_from(_WORDS), st.sampled_from([".", ",", " –", " -", "\"", " said", "LONDON (AP) –",
                                                              "\n\n", "."]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=14).map(" ".join), min_size=1, max_size=12),
       st.lists(st.integers(min_value=0, max_value=11), max_size=20))
def test_within_counts_equal_the_rule_as_first_written(parts: list[str], repeats: list[int]) -> None:
    # texts built from a few words, with whole pieces repeated (verbatim, after a dateline, inside quotes)
    text = " ".join(parts + [parts[i % len(parts)] for i in repeats])
    sentences = split_sentences(text)
    toks = [normalise_tokens(s) for s in sentences]
    hashes = [hash_tokens(t) for t in toks]
    assert within_counts(sentences, toks, hashes, 5) == _within_reference(sentences, toks, hashes, 5)


@pytest.mark.timeout(120)  # a hang guard, far above the ~2 s it takes: it took ~10 minutes before
@pytest.mark.parametrize("text", [
    "A b c d e go. " * 140_000,  # one six-word sentence 140,000 times (2 MB: MAX_TEXT_CHARS)
    " ".join(f"The minister said on Monday that item {i} was ready." for i in range(30_000)),  # one opening
    ("The talks will resume on Monday in Geneva. LONDON (AP) – The talks will resume on Monday in Geneva. ") * 10_000,
])
def test_within_counts_stay_linear_on_hostile_repetition(text: str) -> None:
    p = parse_text(text, 5)
    n = len(p.sent_hashes)
    assert n >= 20_000
    if text.startswith("A b"):
        assert p.within_counts.tolist() == [n] * n
    elif text.startswith("The talks"):
        # the sentence counts its own copies and those after a dateline; the dateline lines their own
        assert p.within_counts.tolist() == [n, n // 2] * (n // 2)
    else:
        assert p.within_counts.tolist() == [1] * n


def test_invisible_characters_inside_words_change_no_token():
    # a soft hyphen, zero-width space/joiners, a word joiner, a BOM or a bidi mark inside a word is
    # invisible to a reader; each split the word in two, so a copy salted with them matched nothing
    plain = "The council approved the flood defence budget on Tuesday."
    for ch in ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202e", "\u034f"):
        salted = " ".join(w[:2] + ch + w[2:] for w in plain.split())
        assert normalise_tokens(salted) == normalise_tokens(plain), repr(ch)
        assert text_hash(salted) == text_hash(plain)
    # the repeat after a dateline is found and checked on the same tokens
    text = "LONDON (AP) \u2013 The talks will resume on Monday in Gen\u00adeva.\n\nThe talks will resume on Monday in Geneva."
    assert parse_text(text, 5).within_counts.tolist() == [1, 2]


def test_lookalike_letters_are_spelt_in_the_sentences_main_script():
    # Cyrillic о, а, е, р and Greek ο, ρ in an English sentence, Latin o in a Russian one: the same
    # tokens as the plain sentence. A sentence's own script is never changed, and positions hold.
    assert normalise_tokens("The stоry оf а Сouncil and its ρroposal.") == normalise_tokens(
        "The story of a Council and its proposal.")
    assert normalise_tokens("Совет гoрoда утвердил бюджет.") == normalise_tokens("Совет города утвердил бюджет.")
    assert normalise_tokens("Совет города утвердил бюджет.") == ["совет", "города", "утвердил", "бюджет"]
    assert normalise_tokens("Η Αθήνα και η Ρώμη") == ["η", "αθήνα", "και", "η", "ρώμη"]
    text = "The stоry of a council.\n\nThe stоry of a council."
    assert parse_text(text, 5).within_counts.tolist() == [2, 2]


def test_accents_and_ascii_digraphs_change_no_token():
    # An ASCII-only feed prints a story without its accents, or German with ae, oe, ue: such a copy of
    # a German or French text shared a third of its shingles with the original (copy kinds ascii_fold
    # and umlaut_ae, recall 0.60 and 0.45).
    original = "Der Zürcher Stadtrat beschloss am Dienstag, die Straße vor der Oper für Autos zu sperren."
    assert normalise_tokens(original) == normalise_tokens(
        "Der Zurcher Stadtrat beschloss am Dienstag, die Strasse vor der Oper fur Autos zu sperren.")
    assert normalise_tokens(original) == normalise_tokens(
        "Der Zuercher Stadtrat beschloss am Dienstag, die Strasse vor der Oper fuer Autos zu sperren.")
    assert text_hash("La façade de l'hôpital a été rénovée à Montréal.") == text_hash(
        "La facade de l'hopital a ete renovee a Montreal.")
    assert normalise_tokens("Ærøskøbing, Łódź, Đà Nẵng") == ["aroskobing", "lodz", "da", "nang"]
    assert normalise_tokens("Ёлки в Москве") == normalise_tokens("Елки в Москве")  # ё printed as е
    # other scripts keep their marks (a Greek or Cyrillic accent is a letter of its own there)
    assert normalise_tokens("Η Αθήνα και ο Йорк") == ["η", "αθήνα", "και", "ο", "йорк"]
    # positions hold: the repeat after a dateline is checked on the same tokens
    text = "ZÜRICH (dpa) \u2013 Die Gespräche werden am Montag in Genf fortgesetzt.\n\nDie Gespraeche werden am Montag in Genf fortgesetzt."
    assert parse_text(text, 5).within_counts.tolist() == [1, 2]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_the_skeleton_keeps_every_token_where_it_was(text: str) -> None:
    # within-article repeats find token positions on the folded text (`fold`) and index the tokens with
    # them: dropping accents and reading digraphs must give exactly one token for each token there
    from newsdedup.dedup.text import TOKEN_RE, fold

    assert len(normalise_tokens(text)) == len(TOKEN_RE.findall(fold(text)))


def test_a_turkish_story_and_its_copy_without_accents_are_one_text():
    # Casefolding spells İ as i and a combining dot (no word character): "İstanbul" was the tokens "i" and
    # "stanbul", its ASCII-only copy's "Istanbul" one token, and a Turkish story with an İ-word in each
    # sentence shared a Jaccard of 0.43 of its shingles with such a copy (not joined: 0.49).
    story = ("İstanbul'da dün akşam başlayan yağış nedeniyle birçok ilçede su baskınları yaşandı. "
             "İçişleri Bakanlığı, vatandaşların zorunlu olmadıkça dışarı çıkmamalarını istedi. "
             "İBB ekipleri sabaha kadar çalıştı ve İETT seferlerinde aksamalar yaşandı.")
    copy = ("Istanbul'da dun aksam baslayan yagis nedeniyle bircok ilcede su baskinlari yasandi. "
            "Icisleri Bakanligi, vatandaslarin zorunlu olmadikca disari cikmamalarini istedi. "
            "IBB ekipleri sabaha kadar calisti ve IETT seferlerinde aksamalar yasandi.")
    assert normalise_tokens("İSTANBUL'DA İçişleri") == ["istanbul", "da", "icisleri"]
    assert text_hash(story) == text_hash(copy)
    # positions hold: a sentence repeated after a dateline is found on the same tokens
    text = "İZMİR (AA) \u2013 İzmir'de okullar yarın kapalı olacak.\n\nİzmir'de okullar yarın kapalı olacak."
    assert parse_text(text, 5).within_counts.tolist() == [1, 2]
