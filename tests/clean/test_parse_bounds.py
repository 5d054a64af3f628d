"""`html.parse` counts the tree's elements only when the page's '<'s allow more than `MAX_ELEMENTS`
(at most 4 elements a '<', plus 16): the bound holds for every shape of markup, implied elements included,
and a page over the limit is still refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from newsdedup.clean import extract
from newsdedup.clean import settings as clean_settings
from newsdedup.clean.html import BadInput, parse

_ELEMENTS = etree.XPath("count(//*)")

# Pieces that make libxml2 add elements of its own (<html>, <head>, <body>, a <p> around loose text) or merge
# documents (`_merge_sibling_documents`): text before any tag, in the head, after </body> and </html>, a second <html>.
_PIECES = st.sampled_from([
    "loose text", "<p>", "</p>", "<div>", "</div>", "<head>", "</head>", "<body>", "</body>", "<html>", "</html>",
    "<title>t</title>", "<meta name=a content=b>", "<br>", "<li>", "<td>", "<table>", "<tr>", "<b>", "</b>",
    "<!-- c -->", "<?pi x?>", "&amp;", "<", ">", "<!doctype html>", "<noscript>", "<frameset>", "<option>",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=60))
def test_elements_within_the_bound_of_the_pages_tags(pieces: list[str]) -> None:
    page = "<p>a</p>" + "".join(pieces)
    try:
        root = parse(page)
    except BadInput:
        return
    assert _ELEMENTS(root) <= 4 * page.count("<") + 16


@pytest.mark.parametrize("unit", ["<i></i>", "<p>x", "x<br>"])
def test_a_page_over_the_element_limit_is_still_refused(unit: str) -> None:
    story = "<p>" + "A sentence of the story that says something. " * 20 + "</p>"
    html = f"<html><body>{story}{unit * (clean_settings.MAX_ELEMENTS + 10)}</body></html>"
    ex = extract(html, "https://example.com/news/story")
    assert ex.error == "too_many_elements" and ex.paragraphs == []
