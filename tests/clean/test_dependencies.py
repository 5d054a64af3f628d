"""What the clean step relies on in its dependencies is there and behaves as it relies on.

The clean step uses trafilatura only through its documented API (`bare_extraction`,
`external.try_readability`); these tests fail loudly on an upgrade that changes it, instead of the
body silently going empty.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

from lxml.html import document_fromstring, tostring

from .pages import LOREM, article, page

P1 = "Councillors met for nine hours before the vote. " + LOREM
P2 = "The mayor said the library would stay open on Sundays. " + LOREM
P3 = "Opposition members criticised the cuts to the road repair fund. " + LOREM
MENU = "<ul class='menu'>" + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(12)) + "</ul>"


def _page() -> str:
    return page("", MENU + article([P1, P2, P3]))


def test_trafilatura_version_is_the_pinned_one() -> None:
    # pyproject pins trafilatura>=2.3.1,<2.4: the figures in README were measured with 2.3.x.
    major, minor, *_ = (int(x) for x in version("trafilatura").split(".")[:2])
    assert (major, minor) == (2, 3)


def test_bare_extraction_takes_our_tree_and_leaves_it_untouched() -> None:
    from trafilatura import bare_extraction

    params = inspect.signature(bare_extraction).parameters
    for name in ("url", "fast", "include_comments", "include_tables", "with_metadata", "output_format"):
        assert name in params
    root = document_fromstring(_page())
    before = tostring(root)
    for fast in (True, False):
        doc = bare_extraction(root, url="https://example.org/a", fast=fast, include_comments=False,
                              include_tables=True, with_metadata=False, output_format="python")
        assert doc is not None and "nine hours" in doc.text and "road repair fund" in doc.text
        assert "\n" in doc.text  # paragraphs come one per line
    assert tostring(root) == before  # it worked on its own copy


def test_try_readability_returns_the_article_element() -> None:
    from trafilatura.external import try_readability

    from newsdedup.clean.body import element_paragraphs

    summary = try_readability(document_fromstring(_page()))
    paragraphs = element_paragraphs(summary)
    assert any("nine hours" in p for p in paragraphs) and any("road repair fund" in p for p in paragraphs)
    assert not any("Section 3" in p for p in paragraphs)


def test_justext_classifies_our_tree_through_its_module_functions() -> None:
    import justext
    from justext.core import ParagraphMaker, classify_paragraphs, revise_paragraph_classification

    # pyproject pins jusText>=3.0,<4 (trafilatura 2.3 depends on it too): body.justext_paragraphs calls these.
    assert int(version("justext").split(".")[0]) == 3
    for name in ("length_low", "length_high", "stopwords_low", "stopwords_high", "max_link_density", "no_headings"):
        assert name in inspect.signature(classify_paragraphs).parameters
    assert "max_heading_distance" in inspect.signature(revise_paragraph_classification).parameters
    assert "the" in justext.get_stoplist("English") and len(justext.get_stoplists()) > 50
    paragraphs = ParagraphMaker.make_paragraphs(document_fromstring(_page()))
    assert all(hasattr(p, "is_boilerplate") and isinstance(p.text, str) for p in paragraphs)

    from newsdedup.clean.body import justext_paragraphs

    good = justext_paragraphs(document_fromstring(_page()))
    assert any("nine hours" in p for p in good) and not any(p == "Section 3" for p in good)


def test_trafilatura_options_are_made_once_and_no_page_url_leaks_into_the_next() -> None:
    # body._trafilatura_options copies one Extractor a process instead of building one a call (it reads
    # trafilatura's config values each time); each call's copy must be what Extractor(url=...) makes.
    from trafilatura.settings import Extractor

    from newsdedup.clean.body import _trafilatura_options

    for fast in (True, False):
        first = _trafilatura_options("https://example.org/a", fast)
        first.focus = "recall"  # trafilatura may change what it is given: the next call must not see it
        for url in ("https://example.org/b\udcff", None, ""):
            made = _trafilatura_options(url, fast)
            fresh = Extractor(output_format="python", fast=fast, comments=False, tables=True, with_metadata=False,
                              url=url)
            assert made is not first
            for name in Extractor.__slots__:
                if name != "date_params":  # today's date; only read with metadata, which these calls do not ask
                    assert getattr(made, name) == getattr(fresh, name), name
    assert _trafilatura_options("https://example.org/a", True).focus == "balanced"
