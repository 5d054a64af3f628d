"""A seventh probe of the clean step: 16 MB pages that libxml2 built whole before they were refused or cut."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest

from newsdedup.clean import extract
from newsdedup.clean import settings as clean_settings

from .pages import LOREM, article, page

_STORY = [f"Paragraph {i} of the story. {LOREM}".strip() for i in range(3)]
_URL = "https://example.com/news/2024/03/05/budget"


def _handed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the parser is handed, recorded (the parse itself runs)."""
    seen: list[str] = []
    real = lxml.html.document_fromstring

    def recording(html: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(lxml.html, "document_fromstring", recording)
    return seen


@pytest.mark.parametrize("unit", ["<i>x</i>", "<b></b>", "<p></p>", "<img src=a>"])
def test_a_page_of_millions_of_elements_is_refused_before_it_is_parsed(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # 2,000,000 elements in 16 MB: libxml2 built the whole tree (750 MB) and the count refused it after.
    handed = _handed(monkeypatch)
    ex = extract(page("", article(_STORY, extra_before=unit * (2 * clean_settings.MAX_ELEMENTS + 1))), _URL)
    assert ex.error == "too_many_elements" and ex.paragraphs == []
    assert handed == []


def test_a_page_under_the_cap_in_tags_but_with_long_scripts_is_read() -> None:
    # '<' in a script or a comment counts as a possible tag; end tags do not: a page of 100,000
    # short paragraphs (200,000 '<', half of them end tags) is still read.
    flood = "<p>x</p>" * 100_000
    ex = extract(page("", article(_STORY, extra_before=flood)), _URL)
    assert ex.error != "too_many_elements"


@pytest.mark.parametrize("br", ["<br>", "<BR>", "<br/>", "<br />\n", "<Br>\r\n "])
def test_millions_of_breaks_are_cut_to_two_before_the_parser_sees_them(br: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # 4,000,000 <br> above a story (16 MB, the page cap): 4.5 s and 700 MB to parse before the runs
    # were cut in the tree.
    handed = _handed(monkeypatch)
    ex = extract(page("", article(_STORY, extra_before=br * (15_000_000 // len(br)))), _URL)
    assert ex.error is None and ex.paragraphs == _STORY
    assert handed and all(h.lower().count("<br") < 10 for h in handed)


def test_a_story_between_long_runs_of_breaks_reads_as_between_two() -> None:
    # A 2008 layout prints its paragraphs between <br>s: runs cut in the text, before parsing, say
    # what the same page with runs of two says.
    def layout(run: int) -> str:
        return page("", "<div><h1>Budget approved</h1>" + ("<br>\n" * run).join(_STORY) + "</div>")

    assert clean_settings.BREAK_RUN_TEXT_MIN < 3 * 10_000
    long_runs, two = extract(layout(10_000), _URL), extract(layout(2), _URL)
    assert long_runs.paragraphs == two.paragraphs == _STORY and long_runs.title == two.title
