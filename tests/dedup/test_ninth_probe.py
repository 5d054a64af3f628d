"""A ninth probe of dedup: a content farm's copy that reads the same to a person but is spelt otherwise.

Each test fails on the code before its fix, except the ones named as guards (what a fix must keep).
"""

from __future__ import annotations

import re

from newsdedup.dedup import Deduplicator
from newsdedup.dedup.text import normalise_tokens, parse_text, text_hash

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
