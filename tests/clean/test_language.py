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
