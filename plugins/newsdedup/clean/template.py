"""A source's template: sentences that repeat verbatim across its articles (menus, footers, sign-up
lines, "Latest News") and that the single-page extraction kept.

No single-page extractor can tell a site's footer line from the story when it sits inside the
article's container; the pipeline sees many pages of each source, and the dedup stage already counts,
per source, the sentences that come back on several of its articles (`article_sentences.boilerplate`,
view `boilerplate_by_domain`). Those sentences, read from the warehouse before a source's next batch
is cleaned, are dropped from that batch's bodies.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from newsdedup.dedup.text import hash_tokens, hex64, normalise_tokens, split_sentences

# A template drops at most this share of a body's characters: when more of it repeats, the page is
# another copy of a story the source published before (dedup's business), not a template.
MAX_TEMPLATE_SHARE = 0.5


def sentence_key(sentence: str) -> str:
    """The warehouse's sentence fingerprint (`article_sentences.sentence_hash`) of one sentence."""
    return hex64(hash_tokens(normalise_tokens(sentence)))


def source_template(con: Any, source: str) -> frozenset[str]:
    """The fingerprints of the sentences the warehouse counts as `source`'s boilerplate.

    `con` is a DuckDB connection to the warehouse, or None before the first load (no template yet).
    """
    if con is None:
        return frozenset()
    rows = con.execute("SELECT text FROM boilerplate_by_domain WHERE source = ?", [source]).fetchall()
    return frozenset(sentence_key(text) for (text,) in rows)


def drop_template(paragraphs: list[str], template: Collection[str]) -> list[str]:
    """The paragraphs without those made only of template sentences.

    A paragraph goes when every one of its sentences is in the template; a paragraph that mixes a
    template sentence with others is the story's and stays whole. Unchanged when the template would
    take more than `MAX_TEMPLATE_SHARE` of the text.
    """
    if not template:
        return paragraphs
    kept = []
    for para in paragraphs:
        sentences = split_sentences(para)
        if sentences and all(sentence_key(s) in template for s in sentences):
            continue
        kept.append(para)
    total = sum(map(len, paragraphs))
    if total and sum(map(len, kept)) < (1 - MAX_TEMPLATE_SHARE) * total:
        return paragraphs
    return kept
