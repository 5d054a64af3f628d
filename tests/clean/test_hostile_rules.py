"""Hostile pages against the clean step's newest rules (session 43): the teaser rules' sizes, the teaser XPath,
the items put back between two paragraphs, the caption pattern, odd nodes where the rules expect elements.

Each asserts what comes out (the story, no error) and how much work is done where that grew faster than the
page (calls counted), never time: `benchmarks/hostile_pages.py --sweep` prints the seconds.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from newsdedup.clean import body, extract
from newsdedup.clean import settings as clean_settings

from .pages import LOREM, article, page
from .test_hostile_ninth_probe import _counted

_STORY = [f"Paragraph {i} of the story. {LOREM}".strip() for i in range(3)]
_URL = "https://example.com/news/2024/03/05/budget"

# The patterns before session 43, the reference the new ones must agree with.
_OLD_TEASERS = etree.XPath(
    ".//li[.//h2//a or .//h3//a or .//h4//a or .//a//h2 or .//a//h3 or .//a//h4]"
    "|.//article[.//h2//a or .//h3//a or .//h4//a or .//a//h2 or .//a//h3 or .//a//h4]")
_OLD_CAPTION = re.compile(
    r"\((?:[^()]*\b(?:photos?|photograph|fotos?|bild|image|credit|quelle|ap video)\b[^()]*"
    r"|[^()]*/\s*(?:ap|afp|reuters|getty images|epa|dpa|bloomberg|ansa|efe|aap)"
    r"|[^()]*\bvia (?:ap|afp|reuters|getty images)\b[^()]*)(?<![.!?])\)\s*$", re.I)


def _story_page(before: str) -> str:
    return page("", article(_STORY, extra_before=before))


# ---------------------------------------------------------------- the items put back between two paragraphs

def test_a_heading_between_our_paragraphs_comes_back_once_when_a_line_repeats() -> None:
    # Our text prints "Date: 5 March" twice, the other candidate once, before the heading: the two gaps it made
    # overlapped and the heading was put back after each (and each gap's lines were read again: 20,000 field
    # lines took 10 s).
    root = lxml.html.document_fromstring(
        "<html><body><div><p>Date: 5 March</p><h2>The vote</h2><p>First paragraph of the story here.</p>"
        "<p>Date: 5 March</p><p>Second paragraph of the story here.</p></div></body></html>")
    kept = ["Date: 5 March", "First paragraph of the story here.", "Date: 5 March",
            "Second paragraph of the story here."]
    other = ["Date: 5 March", "The vote", "First paragraph of the story here.", "Second paragraph of the story here."]
    out = body.with_items_between(kept, other, root, body._PageReads(root))
    assert out.count("The vote") == 1
    assert out[:3] == ["Date: 5 March", "The vote", "First paragraph of the story here."]


def test_a_field_list_of_thousands_of_lines_reads_each_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _counted(monkeypatch, body._Support, "__call__")
    fields = "<ul>" + "".join(f"<li><strong>Author</strong> Writer Person{i}</li><li><strong>Date</strong> 5 March</li>"
                              for i in range(1_000)) + "</ul>"
    ex = extract(_story_page(fields), _URL)
    assert ex.error is None
    assert all(p in ex.paragraphs for p in _STORY)
    assert asked[0] < 20_000  # 1,000,000 before: each gap's lines read again


# ---------------------------------------------------------------- the teaser XPath and the teasers' sizes

def test_twenty_thousand_linked_headings_in_the_article_leave_the_story() -> None:
    cards = "<div>" + "".join(f"<div><h3><a href='/s/{i}'>Headline {i} of another story</a></h3><p>A lede, number "
                              f"{i}.</p></div>" for i in range(20_000)) + "</div>"
    ex = extract(_story_page(cards), _URL)
    assert ex.error is None
    assert ex.paragraphs == _STORY


def test_teaser_list_items_and_articles_both_many_are_found_in_document_order() -> None:
    items = "<ul>" + "".join(f"<li><article><h3><a href='/s/{i}'>H {i}</a></h3></article></li>" for i in range(3_000))
    root = lxml.html.document_fromstring(page("", items + "</ul>"))
    found = body._TEASERS(root.find("body"))
    assert found == _OLD_TEASERS(root.find("body"))
    assert len(found) == 6_000


_TAGS = ("div", "li", "ul", "article", "h2", "h3", "h4", "a", "p", "span")


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 4 else 0))):
        kind = draw(st.sampled_from(("tag", "text", "comment", "pi")))
        if kind == "tag":
            tag = draw(st.sampled_from(_TAGS))
            parts.append(f"<{tag}>{draw(_markup(depth + 1))}</{tag}>")
        elif kind == "text":
            parts.append(draw(st.sampled_from(("x", " word ", "\u00a0", "\n\t", "a b c d e f", "é"))))
        elif kind == "comment":
            parts.append("<!-- c -->")
        else:
            parts.append("<?pi x?>")
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup(), st.integers(1, 40))
def test_the_teasers_and_their_sizes_are_the_old_readings(markup: str, limit: int) -> None:
    root = lxml.html.document_fromstring(page("", f"<div>{markup}</div>"))
    top = root.find("body")
    assert body._TEASERS(top) == _OLD_TEASERS(top)
    for node in top.iter():
        if not isinstance(node.tag, str):
            continue
        whole = body._visible_chars(node.text_content())
        upto = body._visible_upto(node, limit)
        assert upto == whole if whole < limit else upto >= limit


_OLD_LINKED_HEADINGS = etree.XPath(
    ".//h2[.//a]|.//h3[.//a]|.//h4[.//a]|.//a[.//h2 or .//h3 or .//h4]"
    "|.//div/*[1][self::a][string-length(normalize-space(.)) >= 20]"
    "[not(preceding-sibling::text()[normalize-space()])][following-sibling::*[1][self::p or self::div]]")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markup())
def test_the_cards_linked_headings_are_the_old_xpaths(markup: str) -> None:
    # session 44: found in one walk up from the headings, in document order, as the union XPath found them
    root = lxml.html.document_fromstring(page("", f"<div>{markup}</div>"))
    top = root.find("body")
    assert body._linked_headings(top) == _OLD_LINKED_HEADINGS(top)


@pytest.mark.parametrize("cards", [
    # 200 nested cards around a block of words: each card's size was the whole block's, read 200 times
    "<div><h3><a href='/s/x'>Headline of another story</a></h3>" * 200 + "word " * 20_000 + "</div>" * 200,
    "<div><p><a href='/s/x'>Headline of another story</a></p><p><a href='/s/x'>Its lede</a></p>" * 200
    + "word " * 20_000 + "</div>" * 200,
    "<ul><li><a href='/s/x'>Headline of another story here</a><div>A lede sentence." * 80 + "word " * 20_000
    + "</div></li></ul>" * 80,
], ids=["linked_headings", "linked_pairs", "lede_items"])
def test_nested_cards_around_a_block_of_words_are_measured_up_to_the_teaser_size(
        cards: str, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[int] = [0]
    real = body._visible_chars

    def counting(text: str) -> int:
        read[0] += len(text)
        return real(text)

    monkeypatch.setattr(body, "_visible_chars", counting)
    ex = extract(_story_page(cards), _URL)
    assert ex.error is None
    assert all(p in ex.paragraphs for p in _STORY)
    # the pruning's sizes: 200 x 100,000 characters before
    assert read[0] < 40 * len(cards)


# ---------------------------------------------------------------- the caption pattern

_CAPTION_PIECES = ["(", ")", " ", "/", "ap", "via ", "photo", ".", "!", "x", "AP", "Reuters", "credit", "\t",
                   "Getty Images", "fotos", "é", "ap video", "dpa"]


@settings(max_examples=2_000, deadline=None)
@given(st.lists(st.sampled_from(_CAPTION_PIECES), max_size=16).map("".join))
def test_the_caption_pattern_finds_what_the_old_one_found(line: str) -> None:
    old, new = _OLD_CAPTION.search(line), clean_settings.CAPTION_CREDIT.search(line)
    assert (old is None) == (new is None)
    assert old is None or new is None or old.start() == new.start()


def test_lines_of_credit_words_that_end_a_sentence_are_no_captions() -> None:
    line = "Line 00001 (" + "photo " * 96 + "x.)"
    assert not body._is_caption(line)
    assert body._is_caption("The mayor opens the new bridge on Monday (" + "photo " * 20 + "Jane Marsh)")
    paragraphs = "".join(f"<p>Line {i:05d} (" + "photo " * 96 + "x.)</p>" for i in range(300))
    ex = extract(_story_page(paragraphs), _URL)
    assert ex.error is None
    assert all(p in ex.paragraphs for p in _STORY)


# ---------------------------------------------------------------- odd nodes where the rules expect elements

_ODD = ["<!-- c -->", "<?php echo 1 ?>", "<![CDATA[x]]>", "<template><a href='/t'>T a b c</a></template>",
        "<svg><a href='/s'><text>Svg link a b</text></a></svg>", "<math><mi>x</mi></math>", "\x00", "\x0c",
        "\u202e", "&#0;", "&#xD800;", "<noscript><a href='/n'>No script link here</a></noscript>", "<a href=''>",
        "<time datetime='\x00'>x</time>", "<a href='/z'><h3>Heading link inside a</h3></a>", "\ufeff"]
_SHAPES = [
    "<ul><li>{0}<a href='/s/1'>{1}Headline one of another story</a><span>A lede of the other story that runs "
    "long enough.{2}</span></li><li><a href='/s/2'>Headline two of another story</a><br>{3}A lede of the other "
    "story that runs long enough.</li><li><a href='/s/3'>Headline three of another story</a><div>A lede of the "
    "other story that runs long enough.</div></li></ul>",
    "<div><div>{0}<h3>{1}<a href='/s/1'>Headline one</a></h3><p>{2}Lede one</p></div><div><h3><a href='/s/2'>"
    "Headline two{3}</a></h3><p>Lede two</p></div></div>",
    "<ul><li><div><p>{0}<a href='/s/1'>{1}Headline</a></p>{2}<p><a href='/s/1'>Lede{3}</a></p></div></li><li><div>"
    "<p><a href='/s/1'>Headline</a></p><p><a href='/s/1'>Lede</a></p></div></li></ul>",
    "<div>{0}<a href='/s/1'>{1}Another story headline number one</a> <time datetime='2023-01-02T10:00:00Z'>{2}Jan 2"
    "</time>{3}</div>",
    "<ul><li><strong>{0}Author{1}</strong> Jane Doe</li><li><strong>Date</strong>{2} 5 March{3}</li></ul>",
]


@pytest.mark.parametrize("shape", range(len(_SHAPES)))
@pytest.mark.parametrize("odd", _ODD)
def test_odd_nodes_in_the_rules_shapes_leave_the_story(shape: int, odd: str) -> None:
    block = _SHAPES[shape].format(odd, odd, odd, odd)
    for html in (_story_page(block), page("", block + article(_STORY))):
        ex = extract(html, _URL)
        assert ex.error is None, (odd, ex.error)
        assert all(p in ex.paragraphs for p in _STORY), odd


def test_a_hostile_page_is_a_clean_record_in_the_pipelines_clean_stage() -> None:
    from newsdedup.pipeline import make_article_row
    from newsdedup.record import PageInput

    cards = "<div>" + "".join(f"<div><h3><a href='/s/{i}'>Headline {i} of another story</a></h3><p>A lede.</p></div>"
                              for i in range(5_000)) + "</div>"
    fields = "<ul>" + "".join(f"<li><strong>Author</strong> Writer Person{i}</li><li><strong>Date</strong> 5 March</li>"
                              for i in range(500)) + "</ul>"
    for before in (cards, fields, "<p>" + "(" + "photo " * 96 + "x.)</p>" * 500):
        raw = _story_page(before).encode()
        row = make_article_row(PageInput(source="s", url=_URL, final_url=_URL, raw=raw,
                                         content_type="text/html; charset=utf-8", http_status=200,
                                         fetched_at=datetime(2024, 3, 5, 12, tzinfo=UTC)), run_id="r", raw_path=None)
        assert row["clean_error"] is None
        assert all(p in row["text"] for p in _STORY)
