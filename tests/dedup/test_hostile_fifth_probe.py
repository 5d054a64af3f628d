"""A fifth attacker probe of dedup: what a hostile corpus text can make the sentence splitter spend."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsdedup.dedup.text as text_module
from newsdedup.dedup.text import parse_text, split_sentences, text_hash

# The sentence-end pattern before it was made possessive, as the reference for what a split must give.
_BACKTRACKING_END = re.compile(r"(?=[.!?…。！？])(?:([.!?…]+[\"'”’»)\]]*)(\s+)|([。！？]+[」』”）]*))")


@pytest.mark.timeout(120)  # a hang guard: 200,000 dots took about 12 minutes (40,000 took 30 s)
@pytest.mark.parametrize("run", [".", "…", "!?", "?"])
def test_a_run_of_sentence_ends_without_a_space_after_it_is_read_once(run: str) -> None:
    # The end pattern was tried at every character of a run of terminators, each try reading the rest of
    # the run: time in the square of the run (a 2 MB corpus text of dots: hours).
    flood = run * (200_000 // len(run))
    text = f"The council met on Monday. It voted{flood}And then it left. The end."
    assert split_sentences(text) == ["The council met on Monday.", f"It voted{flood}And then it left.", "The end."]
    assert parse_text(flood, 5).n_tokens == 0
    assert text_hash(flood) == text_hash("")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list(".!?…。！？\"'”’»)] \nAaz1「」"), max_size=40))
def test_the_split_is_the_one_the_backtracking_pattern_gave(text: str) -> None:
    new = split_sentences(text)
    saved = text_module._END_RE
    try:
        text_module._END_RE = _BACKTRACKING_END
        old = split_sentences(text)
    finally:
        text_module._END_RE = saved
    assert new == old
