"""A sixth probe of the clean step: what the fifth left (a paragraph of links, a flood of <br>s)."""

from __future__ import annotations

import pytest

from newsdedup.clean import extract

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
