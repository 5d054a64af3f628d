"""Other stories' teasers printed as blocks of a linked headline and its lede, in blocks whose classes name
nothing (session 42: the class-blind copies' worst pages). With "related" in a class they were pruned; with
hashed names every method kept them after (or before) the story, each lede a sentence of prose."""

from __future__ import annotations

from newsdedup.clean import extract

from .test_long_stories import MENU, STORY, TITLE, page

URL = "https://coast.example/news/pier"

TEASERS = [
    ("Ferry timetable changes from Monday", "The harbour ferry will run every forty minutes until the spring, the "
     "operator said on Friday."),
    ("Lifeboat crew rescues two kayakers", "Two kayakers were brought back to the slipway after their boat "
     "overturned off the headland on Sunday."),
    ("Fish market to move inland next year", "The council has bought a warehouse on the ring road for the "
     "market, which has stood on the quay since 1904."),
    ("School swimming lessons return", "Children from the town's four primary schools will be back at the "
     "lido pool after a break of two years."),
]


def _page(teasers: str, before: bool = False) -> str:
    story = "".join(f"<p>{p}</p>" for p in STORY)
    box = f"<div class='r8a1'><span class='t0'>More news</span>{teasers}</div>"
    article = f"<div class='x9f2'><h1>{TITLE}</h1>{box if before else ''}<div class='k27a'>{story}</div>" \
        f"{'' if before else box}</div>"
    return page(f"<title>{TITLE} - Coast Post</title>", f"{MENU}{article}<footer><p>Coast Post, 2025</p></footer>")


def test_linked_headlines_with_a_lede_after_a_break_are_teasers() -> None:
    """`<p><a>headline</a><br>lede</p>` (a 2008 tabloid's "Must read"): a run of them is other stories."""
    blocks = "".join(f"<p><a href='/news/{i}'>{h}</a><br>{lede}</p>" for i, (h, lede) in enumerate(TEASERS))
    assert extract(_page(blocks), URL).paragraphs == STORY


def test_list_items_of_a_linked_headline_and_a_lede_are_teasers() -> None:
    """`<li><a>headline</a><span>lede...</span></li>` (a WordPress theme's "Breaking News"), before or after
    the story."""
    items = "".join(f"<li><a href='https://coast.example/news/{i}'>{h}</a>\n<span>{lede[:70]}...</span></li>"
                    for i, (h, lede) in enumerate(TEASERS))
    for before in (True, False):
        assert extract(_page(f"<ul>{items}</ul>", before=before), URL).paragraphs == STORY, before


def test_story_paragraphs_that_start_with_a_link_stay() -> None:
    """Paragraphs that open with a linked name and go on in the same sentence are the story's text."""
    lines = [
        ("The harbour master", " confirmed the closure of the far end of the pier on Monday evening."),
        ("The anglers' club", " said its members would fish from the inner basin until the repairs are done."),
        ("The town's museum", " has put the pier's original drawings of 1871 on show until the end of May."),
    ]
    paras = "".join(f"<p><a href='/people/{i}'>{name}</a>{rest}</p>" for i, (name, rest) in enumerate(lines))
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>{story}{paras}</div></div>")
    text = extract(html, URL).paragraphs
    for name, rest in lines:
        assert f"{name}{rest}" in text


def _indented(depth: int, inner: str) -> str:
    """`inner` in `depth` nested hash-named `<div>`s, printed as a template engine prints them: each tag on its
    own line, indented by its depth, with blank indented lines between."""
    pad = "\n" + " " * 24
    for level in range(depth):
        inner = f"{pad * 3}<div class='c{level}f3'>{pad}{inner}{pad * 3}</div>"
    return inner


def test_teaser_cards_are_measured_by_their_text_not_their_indentation() -> None:
    """Cards of a linked `<h2>` and a lede, pretty-printed: the indentation made each card longer than a teaser
    (`settings.TEASER_MAX_CHARS`) though its text is a headline and a sentence, and the run stayed after the
    story (a German broadcaster's "Mehr zum Thema" on the class-blind copies)."""
    cards = "".join(
        _indented(2, f"<div class='h4'>{'  ' * 40}<h2>{'  ' * 30}<a href='/news/{i}'>{h}</a>{'  ' * 30}</h2></div>"
                     f"<div class='b7'>{'  ' * 40}<p>{lede}</p>{'  ' * 40}</div>")
        for i, (h, lede) in enumerate(TEASERS))
    assert extract(_page(f"<div class='q1'>{cards}</div>"), URL).paragraphs == STORY


def test_teasers_of_a_linked_heading_are_measured_by_their_text_not_their_indentation() -> None:
    """`<article>`s (or list items) of a linked `<h3>` and a line about another story, pretty-printed (a weekly's
    three related stories under its story: 607-672 characters, 241-301 of them text): each was longer than a
    teaser by its indentation alone and stayed."""
    for tag, wrap in (("article", "div"), ("li", "ul")):
        items = "".join(
            f"<{tag}>{' ' * 200}\n{' ' * 120}<h3>{' ' * 60}<a href='/books/{i}'>{h}</a>{' ' * 60}</h3>\n"
            f"{' ' * 120}<p>{lede}</p>\n{' ' * 200}</{tag}>" for i, (h, lede) in enumerate(TEASERS))
        assert extract(_page(f"<{wrap} class='z3'>{items}</{wrap}>"), URL).paragraphs == STORY, tag
