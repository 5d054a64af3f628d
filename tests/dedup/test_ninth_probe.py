"""A ninth probe of dedup: a content farm's copy that reads the same to a person but is spelt otherwise.

Each test fails on the code before its fix, except the ones named as guards (what a fix must keep).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.dedup import Deduplicator
from newsdedup.dedup.text import normalise_tokens, parse_text, split_sentences, text_hash

from .textgen import doc

STORY = """The city council voted on Tuesday to close the harbour road for three months while engineers repair the sea wall that was damaged in last winter's storms.

Residents of the old town said the closure would cut them off from the market and the ferry terminal, and asked the council to run a free shuttle bus during the works.

The mayor said the repairs could not wait another year because the wall had moved by several centimetres since January 2024, according to a survey published last week.

Work is due to start on the first Monday of April, and the council said it would publish a detailed traffic plan for the diversions before the end of the month."""


def _joined(copy: str) -> bool:
    results = Deduplicator().add([doc("orig", STORY, "outlet-a", 0), doc("copy", copy, "farm.example", 60)])
    return results[1].cluster_id == "orig"


def _every_char(mark: str) -> str:
    return "".join(c + mark if not c.isspace() else c for c in STORY)


def test_control_characters_inside_words_change_no_token() -> None:
    # C0/C1 control characters (NUL, backspace, DEL, ...) and the interlinear annotation anchors show
    # nothing on a page; one inside a word split it, so a copy salted with them shared no shingle.
    plain = "The council approved the flood defence budget on Tuesday."
    for ch in ("\x00", "\x08", "\x1b", "\x7f", "\x9b", "\ufff9", "\ufffb"):
        salted = " ".join(w[:2] + ch + w[2:] for w in plain.split())
        assert normalise_tokens(salted) == normalise_tokens(plain), repr(ch)
    assert _joined(re.sub(r"(\w)(\w)(\w)", "\\1\\2\x7f\\3", STORY))


def test_strikethrough_and_underline_text_joins_its_story() -> None:
    # "Fancy text" generators strike through (U+0336) or underline (U+0332) text by putting a combining
    # mark after every character; an accent on a consonant (t́) has no precomposed letter either. NFKC
    # leaves such marks, which are no word characters: every word was cut into letters.
    for mark in ("\u0336", "\u0332", "\u0335", "\u20e5"):
        assert text_hash(_every_char(mark)) == text_hash(STORY), repr(mark)
        assert _joined(_every_char(mark)), repr(mark)
    assert normalise_tokens("t\u0301he c\u0301ity") == ["the", "city"]
    # Greek and Turkish letters that casefolding spells with a combining mark are one token too
    assert normalise_tokens("ΐΣΟΣ") == ["ισοσ"] and normalise_tokens("İSTANBUL") == ["istanbul"]
    # positions hold: the repeat after a dateline is found on the same tokens
    text = "LONDON (AP) \u2013 The t\u0336alks will resume on Monday in Geneva.\n\nThe talks will resume on Monday in Geneva."
    assert parse_text(text, 5).within_counts.tolist() == [1, 2]


def test_guard_marks_of_scripts_that_need_them_stay() -> None:
    # Devanagari, Hebrew and Arabic marks are their own blocks' (vowel signs, points): untouched
    assert normalise_tokens("नमस्ते दुनिया") == normalise_tokens("नमस्ते दुनिया".replace("\u0336", ""))
    assert text_hash("नमस्ते दुनिया") != text_hash("नमसत दनय")


def test_a_copy_with_its_characters_left_as_html_entities_joins_its_story() -> None:
    # A feed escaped twice shows "&#8217;", "&amp;" and "&nbsp;" as text; one that escapes some letters
    # ("c&#111;uncil") or hyphenates with "&shy;" shows garbage only to a program. Each entity was tokens
    # of its own ("8217", "nbsp") inside the words: the copy shared few shingles with its story.
    entities = {"o": "&#111;", "e": "&#x65;", " ": "&nbsp;", "'": "&#8217;"}
    copy = re.sub(r"[oe' ]", lambda m: entities[m.group()], STORY, count=0)
    assert text_hash(copy) == text_hash(STORY)
    assert _joined(copy)
    shy = re.sub(r"(\w{3})(\w{3})", "\\1&shy;\\2", STORY)
    assert normalise_tokens("Ambi&shy;tious &quot;plans&quot; &amp; c&#111;sts") == ["ambitious", "plans", "costs"]
    assert _joined(shy)


def test_guard_an_ampersand_that_starts_no_entity_stays_text() -> None:
    # only a complete reference (with its semicolon) is read: "&notice" is no "¬ice", "AT&T" stays
    assert normalise_tokens("R&D &notice AT&T") == ["r", "d", "notice", "at", "t"]
    # a reference no character answers is the replacement character, as a browser shows it: no token
    assert normalise_tokens("&bogus; &#0; &#xD800; &#99999999; x") == ["bogus", "x"]


SMALL_CAPS = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘꞯʀꜱᴛᴜᴠᴡxʏᴢ")


def test_a_copy_in_small_capitals_or_with_ipa_letters_joins_its_story() -> None:
    # "Fancy text" small capitals (ᴄᴏᴜɴᴄɪʟ), and IPA ɑ, ɡ, ɩ, which read as a, g, i: Latin-script letters
    # NFKC keeps, so the words were other words and the copy shared no shingle with its story.
    assert text_hash(STORY.lower().translate(SMALL_CAPS)) == text_hash(STORY)
    assert _joined(STORY.lower().translate(SMALL_CAPS))
    ipa = STORY.replace("a", "ɑ").replace("g", "ɡ").replace("i", "ɩ")
    assert text_hash(ipa) == text_hash(STORY)
    assert _joined(ipa)


def test_armenian_and_cherokee_lookalikes_are_spelt_in_latin() -> None:
    # Armenian օ, ս, հ, ո, ց and Cherokee Ꭺ, Ꭼ, Ꮋ, Ꭲ... in an English text read as Latin letters, as the
    # Cyrillic and Greek lookalikes already did: a copy written with them was stored as a new story.
    armenian = STORY.replace("o", "օ").replace("u", "ս").replace("h", "հ").replace("n", "ո")
    assert text_hash(armenian) == text_hash(STORY)
    assert _joined(armenian)
    cherokee = STORY.upper().translate(str.maketrans("AEHTCM", "ᎪᎬᎻᎢᏟᎷ"))
    assert text_hash(cherokee) == text_hash(STORY)
    assert _joined(cherokee)
    # Cherokee small letters (U+AB70-ABBF, U+13F8-13FD) read like small capitals; other blocks untouched
    assert normalise_tokens("the \uabaatory of the \u13fcig city") == normalise_tokens("the story of the big city")
    assert normalise_tokens("\uabc4") == ["\uabc4"]  # Meetei Mayek, next to Cherokee
    # an Armenian sentence keeps its letters
    assert normalise_tokens("Երևանում անձրև է") == ["երեւանում", "անձրեւ", "է"]  # NFKC spells և as եւ


def _reversed_under_rlo(text: str) -> str:
    return "\n\n".join("\u202e" + p[::-1] + "\u202c" for p in text.split("\n\n"))


def test_a_copy_stored_backwards_under_a_right_to_left_override_joins_its_story() -> None:
    # Each paragraph stored backwards after U+202E (RIGHT-TO-LEFT OVERRIDE): a browser shows the Latin
    # letters right to left, so the page reads exactly as the story, but the stored words are "licnuoc".
    copy = _reversed_under_rlo(STORY)
    assert text_hash(copy) == text_hash(STORY)
    assert _joined(copy)
    # the sentences are read (and reported) in reading order
    assert split_sentences("\u202e.tnemom a rof deppots ti nehT .nrael lliw ew ,dias eH\u202c Fine.") == [
        "He said, we will learn.", "Then it stopped for a moment.", "Fine."]
    # Hebrew stored backwards under a LEFT-TO-RIGHT OVERRIDE reads as Hebrew does
    assert text_hash("\u202d" + "שלום עולם ומה שלומך היום"[::-1]) == text_hash("שלום עולם ומה שלומך היום")


def test_guard_an_override_around_text_of_its_own_direction_changes_nothing() -> None:
    # Hebrew under a right-to-left override, Latin under a left-to-right one: shown as stored
    assert text_hash("\u202eשלום עולם ומה שלומך היום\u202c") == text_hash("שלום עולם ומה שלומך היום")
    assert split_sentences("\u202dThe talks resume. On Monday.\u202c") == ["The talks resume.", "On Monday."]


def test_a_text_that_grows_under_nfkc_is_cut_as_read_not_as_stored() -> None:
    # The cut at MAX_TEXT_CHARS counted stored characters; NFKC spells U+3316 (one character) as six
    # katakana, six tokens: 2 million of them were 12 million tokens and shingles (U+FDFA: 18 characters,
    # 3 words). A 400,000-character text under a 1,000,000 limit held 2.4 million tokens.
    from newsdedup.dedup.parallel import MAX_TEXT_CHARS

    text = "\u3316" * 400_000
    parsed = parse_text(text, 5, max_chars=1_000_000)
    assert parsed.n_tokens == 1_000_000
    assert parse_text("\ufdfa" * 200_000, 5, max_chars=1_000_000).n_tokens < 200_000  # 600,001 before
    assert text_hash(text, max_chars=1_000_000) == text_hash(("\u30ad\u30ed\u30e1\u30fc\u30c8\u30eb" * 166_667)[:1_000_000])
    # counted as cut, like a text over the limit as stored
    dd = Deduplicator()
    dd.add([doc("big", "\u3316" * (MAX_TEXT_CHARS // 3), "outlet-a", 0), doc("small", STORY, "outlet-a", 5)])
    assert dd.stats["cut_long_text"] == 1


def test_guard_a_text_under_the_limit_as_read_is_not_cut() -> None:
    text = "Ｆｕｌｌ ｗｉｄｔｈ ﬁne ligatures. " * 10
    assert parse_text(text, 5, max_chars=1_000).sentences == split_sentences(text)


_PIECES = st.sampled_from(["&#111;", "&amp;", "&nbsp;", "&shy;", "&#x65;", "&bogus;", "&", ";", "#", "\x00", "\x7f",
                           "\u0336", "\u0301", "\u0307", "ΐ", "İ", "ᴄ", "ɑ", "օ", "Ꭺ", "\u202e", "\u202d", "\u202c",
                           "\u3316", "\ufdfa", "a", "b", "Z", " ", ". ", "\n", "–", "1"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_every_token_keeps_its_position_with_the_new_characters(text: str) -> None:
    # within-article repeats find token positions on `fold`'s text and index normalise_tokens' tokens
    from newsdedup.dedup.text import TOKEN_RE, fold

    for sentence in split_sentences(text):
        assert len(normalise_tokens(sentence)) == len(TOKEN_RE.findall(fold(sentence)))
    parse_text(text, 5)


ARABIC = ("وافق مجلس المدينة يوم الثلاثاء على إغلاق طريق الميناء لمدة ثلاثة أشهر بينما يقوم المهندسون بإصلاح الجدار "
          "البحري الذي تضرر في عواصف الشتاء الماضي. وقال سكان البلدة القديمة إن الإغلاق سيعزلهم عن السوق ومحطة العبارات.")
_HARAKAT = "\u064e\u064f\u0650\u0652\u0651"


def test_arabic_and_hebrew_copies_with_or_without_vowel_marks_or_kashida_join_their_story() -> None:
    # Arabic harakat and Hebrew niqqud are optional (a text is written with them or without), and the
    # kashida (tatweel) only stretches a word. Marks are no word characters: "كَتَبَ" was the three tokens
    # ك ت ب, the same text without them one token, so a copy that added or dropped them (or stretched
    # words) shared no shingle with its story.
    assert normalise_tokens("كَتَبَ الوَلَدُ الدَّرْسَ") == normalise_tokens("كتب الولد الدرس") == ["كتب", "الولد", "الدرس"]
    assert normalise_tokens("مـــرحبا بكم") == ["مرحبا", "بكم"]
    assert normalise_tokens("שָׁלוֹם עוֹלָם") == normalise_tokens("שלום עולם") == ["שלום", "עולם"]
    voweled = re.sub(r"(\w)", lambda m: m.group(1) + _HARAKAT[ord(m.group(1)) % 5], ARABIC)
    stretched = ARABIC.replace("ل", "لـ")
    docs = [doc("orig", ARABIC, "outlet-a", 0), doc("voweled", voweled, "farm.example", 60),
            doc("stretched", stretched, "farm2.example", 90)]
    assert {r.cluster_id for r in Deduplicator().add(docs)} == {"orig"}


def test_words_of_scripts_with_vowel_signs_are_whole_tokens() -> None:
    # Devanagari, Bengali, Tamil... spell vowels with signs (marks) inside the word: each cut the word,
    # and the sign itself was lost, so "दिन" (day) and "दुन" were both the tokens द, न.
    assert normalise_tokens("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]
    assert normalise_tokens("दिन") != normalise_tokens("दुन")
    assert normalise_tokens("আমি বাংলায় গান গাই") == ["আমি", "বাংলায়", "গান", "গাই"]
    # a script written without spaces keeps a token per character, its marks too
    assert normalise_tokens("สวัสดี") == list("สวัสดี")


def test_a_shared_index_unpickles_each_key_of_a_popular_story_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A story with many copies fills the same bucket in every band: a query for one more copy unpickled
    # each key once per band (32 times); through Redis, 1,000 copies took 35.7 s, 25.3 s now (the buckets
    # are still read whole: see the README's ninth probe). Same keys found.
    import numpy as np
    from datasketch import MinHashLSH

    from newsdedup.dedup import DedupConfig
    from newsdedup.dedup import minhash as mh

    cfg = DedupConfig()
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm, params=cfg.lsh_params, prepickle=True)
    sig = np.arange(cfg.num_perm, dtype=np.uint32)
    for i in range(50):
        mh.lsh_insert(lsh, f"copy{i}", sig, cfg)
    calls: list[bytes] = []

    def counted(raw: bytes) -> str | None:
        calls.append(raw)
        return unpickle(raw)

    unpickle = mh.unpickle_key
    monkeypatch.setattr(mh, "unpickle_key", counted)
    assert mh.lsh_query(lsh, sig, cfg) == {f"copy{i}" for i in range(50)}
    assert len(calls) == 50
