"""Language of the main text (ISO 639-1), detected with py3langid, page markup as a fallback."""

from __future__ import annotations

import re

from newsdedup.clean import settings

_LANG_TAG = re.compile(r"^([a-zA-Z]{2})(?:[-_].*)?$")
_identifier = None


def _langid():  # type: ignore[no-untyped-def]
    global _identifier
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        # Normalised probabilities let us tell a confident guess from noise on short texts.
        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def from_markup(value: str | None) -> str | None:
    if not value:
        return None
    m = _LANG_TAG.match(value.strip())
    return m.group(1).lower() if m else None


def detect(text: str, declared: str | None) -> str | None:
    """Detect the text's language; trust the page's declaration when the text is too short.

    The text's start is classified first (`settings.LANG_QUICK_CHARS`): a confident label there is the
    text's, and only a doubtful start (a dateline, a table of scores, a name list) reads the whole sample.
    """
    declared_code = from_markup(declared)
    sample = text[: settings.LANG_SAMPLE_CHARS]
    if len(sample) < 40:
        return declared_code
    identifier = _langid()
    if len(sample) > settings.LANG_QUICK_CHARS >= 40:
        lang, prob = identifier.classify(sample[: settings.LANG_QUICK_CHARS])
        if prob >= settings.LANG_QUICK_CONFIDENCE:
            return str(lang)
    lang, prob = identifier.classify(sample)
    if prob >= 0.5 or declared_code is None:
        return str(lang)
    return declared_code
