"""Main text as paragraphs: our DOM pruning, trafilatura's body scorer, then our paragraph filter.

trafilatura (2.3.1) is used as a component, measured on the dev sets (see README "Clean step"):
its precise single pass (`fast=True`, no readability/jusText fallback) scored aeb body F1 0.967
against 0.960 for its default, because the fallbacks swap a right short body for a whole-page
dump; the fallbacks still rescue bodies the single pass cut short, so we run them only then.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsdedup.clean import settings

_WS = re.compile(r"[ \t\u00a0\u2009\u202f\u200b]+")
_TOKENS = re.compile(r"\w+")
_TRUNCATED = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*$")
_prune_xpath = None


def _pruner():  # type: ignore[no-untyped-def]
    global _prune_xpath
    if _prune_xpath is None:
        from lxml.etree import XPath

        _prune_xpath = XPath(settings.PRUNE_XPATH, namespaces={"re": "http://exslt.org/regular-expressions"})
    return _prune_xpath


def prune(root: HtmlElement) -> None:
    """Remove captions, credits, teaser lists and consent boxes that trafilatura keeps."""
    body = root.find("body")
    if body is None:
        return
    for node in _pruner()(body):
        if node.getparent() is None:
            continue
        # A boilerplate-sounding class on the article wrapper must not take the article with it.
        long_paragraphs = sum(1 for p in node.iter("p")
                              if len(p.text_content()) >= settings.PRUNE_LONG_PARAGRAPH_CHARS)
        if long_paragraphs >= settings.PRUNE_KEEP_LONG_PARAGRAPHS:
            continue
        node.drop_tree()  # keeps the node's tail text, which belongs to the surrounding flow
    for node in body.xpath(settings.TEASER_XPATH):
        if node.getparent() is not None and len(node.text_content()) < settings.TEASER_MAX_CHARS:
            node.drop_tree()


def _paragraphs(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = _WS.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def _norm(text: str) -> str:
    return " ".join(_TOKENS.findall(text.casefold()))


def _is_boilerplate(line: str) -> bool:
    if len(line) < 200 and settings.BOILERPLATE_LINE.match(line) is not None:
        return True
    if len(line) < 300 and settings.BOILERPLATE_ANYWHERE.search(line) is not None:
        return True
    return settings.NON_TEXT_LINE.match(line) is not None


def filter_paragraphs(paragraphs: list[str], title: str | list[str] | None) -> list[str]:
    """Drop the headline repeated at the top, metadata lines and boilerplate lines.

    `title` may list every form of the headline the page gives (chosen title, visible h1): the chosen
    title can be the short og:title while the body repeats the longer visible h1.
    """
    titles = [title] if isinstance(title, str) else (title or [])
    title_keys = {_norm(t) for t in titles if t}
    out = []
    for i, para in enumerate(paragraphs):
        if title_keys and i < 4 and _norm(para.lstrip("#- ")) in title_keys:
            continue
        if _is_boilerplate(para.lstrip("- ").strip()):
            continue
        out.append(para)
    return out


def _trafilatura(root: HtmlElement, url: str | None, fast: bool) -> str:
    import trafilatura

    doc = trafilatura.bare_extraction(root, url=url, fast=fast, with_metadata=False,
                                      include_comments=False, include_tables=True)
    return (doc.text if doc is not None else "") or ""


def drop_new_excerpts(fallback: list[str], precise: list[str]) -> list[str]:
    """The fallback's paragraphs without cut-off excerpts that the precise pass did not keep.

    The fallbacks read the whole page: excerpt cards of other posts ("... Com otimismo conseguimos
    nos adaptar a uma situação ruim traçando um plano paralelo para …", mensagensreflexao.com.br)
    come with it. A cut-off excerpt is a teaser, not the article.
    """
    kept = set(precise)
    return [para for para in fallback if para in kept or not _TRUNCATED.search(para)]


def extract_paragraphs(root: HtmlElement, url: str | None,
                       title: str | list[str] | None = None) -> list[str]:
    """Paragraphs of the main text (teaser and subheadings kept, boilerplate lines dropped)."""
    prune(root)
    text = _trafilatura(root, url, fast=True)
    paragraphs = _paragraphs(text)
    if len(text) < settings.FALLBACK_BELOW_CHARS:
        full = _trafilatura(root, url, fast=False)
        if len(full) > len(text):
            paragraphs = drop_new_excerpts(_paragraphs(full), paragraphs)
    return filter_paragraphs(paragraphs, title)
