"""Main text as paragraphs: trafilatura's body scorer on our parsed tree, then our paragraph filter."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsdedup.clean import settings

_WS = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def _paragraphs(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = _WS.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def _is_boilerplate(line: str) -> bool:
    return len(line) < 160 and settings.BOILERPLATE_LINE.match(line) is not None


def extract_paragraphs(root: HtmlElement, url: str | None) -> list[str]:
    """Paragraphs of the main text (teaser and subheadings kept, boilerplate lines dropped)."""
    import trafilatura

    doc = trafilatura.bare_extraction(root, url=url, with_metadata=False, include_comments=False,
                                      include_tables=True)
    text = (doc.text if doc is not None else "") or ""
    return [p for p in _paragraphs(text) if not _is_boilerplate(p)]
