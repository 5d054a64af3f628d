"""Main text as paragraphs: our DOM pruning, trafilatura's body scorer, then our paragraph filter.

trafilatura (2.3.1) is used as a component, measured on the dev sets (see README "Clean step"):
its precise single pass (`fast=True`, no readability/jusText fallback) scored aeb body F1 0.967
against 0.960 for its default, because the fallbacks swap a right short body for a whole-page
dump; the fallbacks still rescue bodies the single pass cut short, so we run them only then.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml.html import HtmlElement

from newsdedup.clean import settings

if TYPE_CHECKING:
    from lxml.etree import _Element
    from trafilatura.settings import Extractor

_WS = re.compile(r"[ \t\u00a0\u2009\u202f\u200b]+")
_TOKENS = re.compile(r"\w+")
_TRUNCATED = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])\s*$")
_PRUNE_TAGS = ("figcaption", *settings.PRUNE_TAGS)


def prune(root: HtmlElement) -> None:
    """Remove captions, credits, teaser lists and consent boxes that trafilatura keeps.

    A Python pass over the candidate tags with one compiled regex: the same selection as an EXSLT
    `re:test` XPath over every element at less than half its cost.
    """
    body = root.find("body")
    if body is None:
        return
    matched = []
    for node in body.iter(*_PRUNE_TAGS):  # document order: a wrapper comes before its children
        if node.tag == "figcaption":
            matched.append(node)
            continue
        cls, ident = node.get("class"), node.get("id")
        if (cls or ident) and settings.PRUNE_CLASS.search(f" {cls or ''} {ident or ''} "):
            matched.append(node)
    for node in matched:
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


class _Cascade:
    """trafilatura 2.3's extraction cascade (`core.trafilatura_sequence`, comments off), split in two.

    `precise()` is the single pass (`fast=True`); `with_fallbacks()` adds the readability/jusText
    comparison on top of the same cleaned tree and first extraction instead of re-running
    cleaning, tag conversion and the main extractor from scratch as a second `bare_extraction`
    does, and measures the page text (the escalation check) once for both. On the dates set half
    the pages take the fallback; this halves what they pay for it. trafilatura is pinned to 2.3.x
    (pyproject), whose internals this follows.
    """

    def __init__(self, root: HtmlElement, url: str | None) -> None:
        from copy import copy

        from trafilatura import core
        from trafilatura.settings import Extractor

        self._core, self._copy, self._url = core, copy, url
        self._opts = Extractor(output_format="python", fast=True, comments=False, tables=True, url=url)
        tree = copy(root)  # trafilatura's cleaning works in place; our tree still feeds htmldate
        # Same raw-tree pruning as trafilatura_sequence with comments off (forum posts are content).
        tree = core.prune_unwanted_nodes(tree, core.RAW_TREE_PRUNE_XPATH)
        if not core._forum_thread_page(tree):
            tree = core.prune_unwanted_nodes(tree, core.REMOVE_COMMENTS_AND_LISTS_XPATH)
        self._tree = tree
        cleaned, self._backup = core._prepare_tree(tree, self._opts, url)
        self._body, self._text = core.extract_content(cleaned, self._opts)
        self._page_chars: int | None = None

    def _finish(self, body: _Element, text: str, opts: Extractor) -> str:
        """Stages 3 and 4 of the cascade: baseline rescue, then the recall escalation."""
        core, copy, tree = self._core, self._copy, self._tree
        if len(text) < opts.min_extracted_size:
            b_body, b_text, b_len = core.baseline(tree)
            if b_len > len(text):
                body, text = b_body, b_text
        if 0 < len(text) < core.ESCALATION_MAX_LENGTH:
            if self._page_chars is None:
                self._page_chars = len(core.html2txt(tree))
            if len(text) < core.ESCALATION_PAGE_SHARE * self._page_chars:
                r_opts = copy(opts)
                r_opts.focus = "recall"
                try:
                    r_body, r_text = core._recall_retry(tree, r_opts, self._url)
                except Exception:  # trafilatura guards the retry the same way
                    r_text = ""
                j_text = ""
                if not opts.fast:
                    try:
                        j_body, j_text = core.justext_rescue(copy(tree), opts)
                    except Exception:
                        j_text = ""
                if len(j_text) > len(r_text) and len(j_text) > core.ESCALATION_JUSTEXT_RATIO * len(text):
                    body, text = j_body, j_text
                elif len(r_text) >= opts.min_extracted_size \
                        and len(r_text) > core.ESCALATION_ACCEPT_RATIO * len(text):
                    body, text = r_body, r_text
        if len(text) < opts.min_output_size:
            return ""
        return core.xmltotxt(body, opts.formatting) or ""

    def precise(self) -> str:
        return self._finish(self._body, self._text, self._opts)

    def with_fallbacks(self) -> str:
        opts = self._copy(self._opts)
        opts.fast = False
        body, text = self._core.compare_extraction(self._backup, self._copy(self._tree), self._body,
                                                   self._text, opts)
        return self._finish(body, text, opts)


def drop_new_excerpts(fallback: list[str], precise: list[str]) -> list[str]:
    """The fallback's paragraphs without cut-off excerpts that the precise pass did not keep.

    The fallbacks read the whole page: excerpt cards of other posts ("... Com otimismo conseguimos
    nos adaptar a uma situação ruim traçando um plano paralelo para …", mensagensreflexao.com.br)
    come with it. A cut-off excerpt is a teaser, not the article.
    """
    kept = set(precise)
    return [para for para in fallback if para in kept or not _TRUNCATED.search(para)]


def _probe(para: str) -> str:
    """A run of the paragraph's words to look for in the page (the first word may be glued to markup)."""
    words = _norm(para).split(" ")
    return " ".join(words[1:9] if len(words) > 9 else words)


def keep_inside_article(root: HtmlElement, fallback: list[str], precise: list[str]) -> list[str]:
    """The fallback's paragraphs that lie in the `<article>` holding the precise pass's text.

    The fallbacks read the whole page: on a blog or news page that wraps each post in its own
    `<article>` (the story, then the next posts, mensagensreflexao.com.br), the other posts came
    with them. Only when the precise text sits inside one `<article>`; otherwise unchanged.
    """
    anchor = max(precise, key=len, default="")
    if len(anchor) < settings.ARTICLE_ANCHOR_CHARS:
        return fallback
    probe = _probe(anchor)
    holder = None
    for node in root.iter("article"):
        text = _norm(" ".join(node.itertext()))
        # The innermost article holding the anchor: iteration is in document order, parents first.
        if probe in text:
            holder = text
    if holder is None:
        return fallback
    kept = set(precise)
    inside = [para for para in fallback if para in kept or _probe(para) in holder]
    # The fallback swapped the story for other posts (an obituary column beside the article): the
    # precise pass had the story.
    return inside if sum(map(len, inside)) >= sum(map(len, precise)) else precise


def extract_paragraphs(root: HtmlElement, url: str | None,
                       title: str | list[str] | None = None) -> list[str]:
    """Paragraphs of the main text (teaser and subheadings kept, boilerplate lines dropped)."""
    prune(root)
    cascade = _Cascade(root, url)
    text = cascade.precise()
    paragraphs = _paragraphs(text)
    if len(text) < settings.FALLBACK_BELOW_CHARS:
        full = cascade.with_fallbacks()
        if len(full) > len(text):
            paragraphs = keep_inside_article(root, drop_new_excerpts(_paragraphs(full), paragraphs),
                                             paragraphs)
    return filter_paragraphs(paragraphs, title)
