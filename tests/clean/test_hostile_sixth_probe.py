"""A sixth probe of the clean step: what the fifth left (a paragraph of links, a flood of <br>s)."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from newsdedup.clean import extract
from newsdedup.clean import settings as clean_settings

from .pages import LOREM, article, page

_STORY = [f"Paragraph {i} of the story. {LOREM}".strip() for i in range(3)]
_URL = "https://example.com/news/2024/03/05/budget"


def _links(n: int, words: str, line: int = 0) -> str:
    """One paragraph of `n` links, a <br> after every `line` of them (0: none)."""
    return "<p>" + "".join(f"<a href='/t/{i}'>{words}</a>" + ("<br>" if line and i % line == line - 1 else " ")
                           for i in range(n)) + "</p>"


@pytest.mark.parametrize(("n", "words"), [(300_000, "link"), (1_000, "link"), (200, "Budget news from the town")])
def test_a_paragraph_of_links_alone_is_no_article(n: int, words: str) -> None:
    # One paragraph of 300,000 links came out as the article's text (20 s): words without a sentence
    # end, but over PROSE_LONG_CHARS, so it read as prose to every later rule.
    ex = extract(page("", _links(n, words)), _URL)
    assert ex.paragraphs == []
    assert ex.error == "no_main_text"


@pytest.mark.parametrize(("n", "words"), [(300_000, "link"), (1_000, "link"), (30, "link"),
                                          (200, "Budget news from the town")])
def test_a_paragraph_of_links_above_the_story_is_not_its_text(n: int, words: str) -> None:
    ex = extract(page("", article(_STORY, extra_before=_links(n, words))), _URL)
    assert ex.error is None
    assert ex.paragraphs == _STORY


def test_a_story_paragraph_with_links_in_it_stays() -> None:
    # Links inside sentences are the story's: a paragraph is navigation only when it is mostly links.
    linked = ("The <a href='/council'>council</a> approved the <a href='/budget'>new budget</a> on Tuesday, "
              "said <a href='/mayor'>the mayor</a>, after a long debate about road repairs and the library.")
    ex = extract(page("", article(_STORY, extra_before=f"<p>{linked}</p>")), _URL)
    assert ex.paragraphs[0].startswith("The council approved the new budget on Tuesday")
    assert ex.paragraphs[1:] == _STORY


def test_line_breaks_do_not_make_a_paragraph_of_links_an_article() -> None:
    # A <br> after every 1,000 links: lines of links are still navigation.
    ex = extract(page("", article(_STORY, extra_before=_links(100_000, "link", line=1_000))), _URL)
    assert ex.paragraphs == _STORY


_BR_COUNT = etree.XPath("count(//br)")
_ELEMENT_COUNT = etree.XPath("count(//*)")


@pytest.mark.parametrize("where", ["before", "inside"])
def test_a_flood_of_line_breaks_is_read_as_one_break(where: str, monkeypatch: Any) -> None:
    # A million <br>s took 24 s and 1.1 GB: every pass (ours, trafilatura's, readability's, jusText's)
    # walked each of them, for what two of them say (a paragraph break).
    import trafilatura

    handed: list[float] = []

    def spy(tree: Any, **kwargs: Any) -> None:
        handed.append(_BR_COUNT(tree))
        return None

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    flood = "<br>\n" * 1_000_000
    extra = flood if where == "before" else f"<p>{flood}</p>"
    ex = extract(page("", article(_STORY, extra_before=extra)), _URL)
    assert ex.error is None and ex.paragraphs == _STORY
    assert handed and all(n <= clean_settings.BREAK_RUN_MAX for n in handed)


def test_a_story_between_runs_of_breaks_keeps_its_paragraphs() -> None:
    # A 2008 layout prints its story as text between <br><br>s; five or a thousand say the same.
    for run in (2, 5, 1_000):
        ex = extract(page("", "<div><h1>Budget approved</h1>" + ("<br>" * run).join(_STORY) + "</div>"), _URL)
        assert ex.paragraphs == _STORY, run


@pytest.mark.parametrize("flood", ["x<br>", "<span></span>", "<i>x</i>"])
def test_a_page_of_more_elements_than_the_cap_is_refused_and_said_so(flood: str, monkeypatch: Any) -> None:
    # A flood no cut makes small (lines of text, empty spans) is no article page: the most the 732 dev
    # pages hold is 4,098 elements.
    import trafilatura

    ex = extract(page("", article(_STORY, extra_before=flood * 20_000)), _URL)
    assert ex.error is None
    assert all(p in ex.paragraphs for p in _STORY)
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: pytest.fail("read past the cap"))
    ex = extract(page("", article(_STORY, extra_before=flood * clean_settings.MAX_ELEMENTS)), _URL)
    assert ex.error == "too_many_elements" and ex.paragraphs == []


def test_a_flood_of_one_letter_elements_is_searched_for_with_a_short_word(monkeypatch: Any) -> None:
    # 390,000 <i>x</i> above a story read as one "word" of 390,000 x's, which libxml2's contains() measured
    # again for each text node: a minute. The word's start finds the same nodes and more.
    from newsdedup.clean import body

    needles: list[str] = []

    def spying(original: Any) -> Any:
        def spy(root: Any, w: str) -> Any:
            needles.append(w)
            return original(root, w=w)
        return spy

    for name in ("TEXTS_WITH", "_PARAGRAPHS_WITH"):
        monkeypatch.setattr(body, name, spying(getattr(body, name)))
    ex = extract(page("", article(_STORY, extra_before="<i>x</i>" * 100_000)), _URL)
    assert all(p in ex.paragraphs for p in _STORY)
    assert needles and max(map(len, needles)) <= clean_settings.SEARCH_WORD_CHARS
