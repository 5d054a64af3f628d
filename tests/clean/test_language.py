"""Language of the text, ISO 639-1, from the text rather than a site-wide lang attribute."""

from __future__ import annotations

from newsdedup.clean import extract
from newsdedup.clean.language import detect

from .pages import LOREM, article, page

GERMAN = ("Der Gemeinderat hat am Dienstag nach langer Debatte den neuen Haushalt beschlossen. "
          "Die Bibliothek in der Altstadt bleibt auch sonntags geöffnet, sagte die Bürgermeisterin. ")


def test_english_text() -> None:
    assert extract(page("", article([LOREM * 3]))).language == "en"


def test_text_wins_over_wrong_lang_attribute() -> None:
    assert extract(page("", article([GERMAN * 3]), lang="en")).language == "de"


def test_short_text_uses_declared_language() -> None:
    assert detect("Kurz.", "de-AT") == "de"
    assert detect("", None) is None


ENGLISH = ("The city council approved the new budget on Tuesday after a long debate about schools and roads. "
           "The library in the old town will also stay open on Sundays, the mayor said in a statement. ")


def test_a_confident_start_decides() -> None:
    # The first LANG_QUICK_CHARS are classified first and decide when py3langid is sure of them: an English
    # lead of 200 characters before German prose is English (the whole 600-character sample read German).
    text = ENGLISH[:200] + " " + GERMAN * 4
    assert detect(text, None) == "en"


def test_a_doubtful_start_reads_the_whole_sample() -> None:
    # A start py3langid cannot place (a table of scores and times) is no answer: the sample's German prose is.
    scores = ("10:45 | 2-1 | 3-0 | 4-4 | 12:30 | 0-0 | 1-1 | 22:15 | 5-2 | " * 10)[:300]
    assert detect(scores + " " + GERMAN * 4, None) == "de"
    assert detect(scores + " " + GERMAN * 4, "fr") == "de"
