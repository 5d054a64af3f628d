"""trafilatura and readability read the page with an empty <head> in place of its own (`body.without_head`):
the same texts as with the head, and the page as it was afterwards."""

from __future__ import annotations

from copy import copy

import pytest
from lxml import etree
from lxml.html import document_fromstring
from trafilatura import bare_extraction
from trafilatura.external import try_readability

from newsdedup.clean import extract
from newsdedup.clean.body import (
    _trafilatura_options,
    _trafilatura_text,
    drop_scripts,
    element_paragraphs,
    readability_paragraphs,
    without_head,
)

from .pages import LOREM, article, page

_URL = "https://example.com/news/2024/03/05/budget"
# A head like a news site's: dozens of metas and preload links, a title, a style and a noscript.
_HEAD = ("<title>Budget approved | Example Media</title><style>p{color:red}</style>"
         + "".join(f"<meta property='og:x{i}' content='value {i} of the page'>" for i in range(60))
         + "".join(f"<link rel='preload' href='/asset{i}.js' class='pre{i}' id='l{i}'>" for i in range(40))
         + "<noscript><img src='/pixel.gif'></noscript>")
_LONG = [f"Paragraph {i}, of the story. {LOREM}" for i in range(6)]


def _pages() -> list[str]:
    short = page(_HEAD, article(["A short story of one line, too short for the precise pass alone."],
                                extra_after="<div class='related'>" + "<p>Other story. </p>" * 8 + "</div>"))
    listing = page(_HEAD, "<div id='main'>" + "".join(f"<div><a href='/s{i}'>Story number {i} in the list</a>"
                                                       f"<span>{LOREM[:60]}</span></div>" for i in range(30)) + "</div>")
    return [page(_HEAD, article(_LONG)), short, listing, page("", article(_LONG))]


def _root(html: str):  # noqa: ANN202 - an lxml.html root
    root = document_fromstring(html)
    drop_scripts(root)  # as extract_paragraphs gets it
    return root


def test_the_head_is_a_stub_inside_the_block_and_comes_back_whole() -> None:
    root = _root(page(_HEAD, article(_LONG)))
    root.find("head").tail = "\n"
    before = etree.tostring(root)
    head = root.find("head")
    with without_head(root):
        stub = root.find("head")
        assert stub is not head and len(stub) == 0 and not stub.text and stub.tail == "\n"
        assert root.index(stub) == 0
    assert root.find("head") is head
    assert etree.tostring(root) == before


def test_the_head_comes_back_when_the_block_fails() -> None:
    root = _root(page(_HEAD, article(_LONG)))
    before = etree.tostring(root)
    with pytest.raises(RuntimeError), without_head(root):
        raise RuntimeError("a failing pass")
    assert etree.tostring(root) == before


def test_a_page_without_a_head_element_is_read_as_it_is() -> None:
    root = etree.fromstring("<html><body><p>One paragraph of a page without a head.</p></body></html>",
                            parser=etree.HTMLParser(no_network=True))
    for node in list(root):
        if node.tag == "head":
            root.remove(node)
    with without_head(root):
        assert root.find("head") is None


@pytest.mark.parametrize("index", range(4))
@pytest.mark.parametrize("fast", [True, False])
def test_trafilatura_reads_the_same_text_without_the_head(index: int, fast: bool) -> None:
    html = _pages()[index]
    root = _root(html)
    before = etree.tostring(root)
    whole = bare_extraction(_root(html), url=_URL, options=_trafilatura_options(_URL, fast))
    assert _trafilatura_text(root, _URL, fast) == ((whole.text or "") if whole is not None else "")
    assert etree.tostring(root) == before


@pytest.mark.parametrize("index", range(4))
def test_readability_reads_the_same_article_without_the_head(index: int) -> None:
    html = _pages()[index]
    root = _root(html)
    before = etree.tostring(root)
    assert readability_paragraphs(root) == element_paragraphs(try_readability(copy(_root(html))))
    assert etree.tostring(root) == before


def test_two_pages_in_a_row_read_as_each_alone() -> None:
    first, second = _pages()[0], _pages()[1]
    alone = extract(second, _URL)
    extract(first, _URL)
    again = extract(second, _URL)
    assert (again.title, again.paragraphs, again.published) == (alone.title, alone.paragraphs, alone.published)
