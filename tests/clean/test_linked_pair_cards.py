"""Other stories' teaser cards of two `<p>`s that are each one link to the same address (headline and lede) under
a short story printed as bare `<div>` text, all class names hashed and no sectioning tags (session 42: fundus
ChunichiShimbun on the "classes + sections" blind copy returned the cards and lost the story)."""

from __future__ import annotations

from lxml import html as lxml_html

from newsdedup.clean import body, extract

from .test_long_stories import MENU, TITLE, page

URL = "https://coast.example/news/pier"

STORY = [
    "The harbour council voted on Tuesday to rebuild the old stone pier, ending a dispute that has split the "
    "town for more than a decade and delayed two summer seasons of repairs.",
    "Supporters said the pier draws visitors who fill the cafes along the front, while opponents argued the "
    "money would be better spent on the flood wall further east...",
]

CARDS = [
    ("Ferry timetable changes from Monday", "The harbour ferry will run every forty minutes until the spring..."),
    ("Lifeboat crew rescues two kayakers", "Two kayakers were brought back to the slipway after their boat..."),
    ("Fish market to move inland next year", "The council has bought a warehouse on the ring road for the..."),
    ("School swimming lessons return", "Children from the town's four primary schools will be back at the..."),
    ("Bus station to close for repairs", "The bus station on Quay Street will close for three weeks from..."),
    ("Lighthouse open for visitors again", "The lighthouse on the point reopens to visitors on Saturday after..."),
]
TAGS = ["Coast", "Harbour", "Town", "Council"]


def _card(i: int, headline: str, lede: str) -> str:
    href = f"/article/{100 + i}?rct=news"
    return (f"<li class='c3a7'><div class='c339' data-href='{href}'><div class='cf76'><div class='cb7f'>"
            f"<p class='c343'><a href='{href}'>{headline}</a></p><p class='c184'><a href='{href}'>\u3000{lede}</a></p>"
            f"<p class='ce3e'><span class='c7be'>13 Jan</span></p></div></div></div></li>")


def _ranked(i: int, headline: str) -> str:
    tags = " ".join(f"<a href='/local/{t.lower()}' class='c7be'>{t}</a>" for t in TAGS[: 1 + i % 4])
    return (f"<li class='c3a7'><div class='c339'><div class='cb7f'><p class='c343'><a href='/article/{200 + i}'>"
            f"{headline} in the ranking</a></p><p class='ce3e'>{tags}</p></div></div></li>")


def _page(cards: str) -> str:
    story = "".join(f"<div class='c021'>\u3000{p}</div>" for p in STORY)
    paywall = ("<div class='c3a3'><p class='c4a9'><span>This article is for members only.</span><br>Print "
               "subscribers can register for free.</p><p class='c436'>Print means the morning edition.</p>"
               "<p class='c610'><a href='/faq'>Questions</a></p></div>")
    ranking = "<div class='c1a9'><h2 class='c2e3'>Most read</h2><ol class='c38b'>" + \
        "".join(_ranked(i, h) for i, (h, _) in enumerate(CARDS)) + "</ol></div>"
    content = (f"<div class='c6e5'><h1 class='c871'>{TITLE}</h1><span class='ca17'>14 Jan 2025</span></div>"
               f"<div class='c7cd'><p class='c772'>The council chamber during the vote (photo)</p></div>"
               f"{story}{paywall}<div class='cc5c'><h2 class='c871'>News</h2><ul class='c38b'>{cards}</ul></div>"
               f"{ranking}")
    return page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='cfe5'><div class='c920'>{content}</div></div>"
                "<div class='c9a1'><p>Copyright \u00a9 Coast Post, All Rights Reserved.</p></div>")


def test_cards_of_a_headline_and_a_lede_linking_one_address_are_teasers() -> None:
    """The story is kept and no card's headline or lede comes back."""
    text = extract(_page("".join(_card(i, h, lede) for i, (h, lede) in enumerate(CARDS))), URL).text
    assert STORY[0] in text
    for headline, lede in CARDS:
        assert headline not in text.replace(" in the ranking", "")
        assert lede not in text


def test_a_short_story_outweighs_a_longer_text_of_link_lines() -> None:
    """No cards, only a "most read" list of headlines and tag links: trafilatura's precise pass took the list and
    readability the story, and measured by length the list won the short-text fallback (only the paywall's lines
    were left). Our text is measured without its lines of link text."""
    text = extract(_page(""), URL).text
    assert STORY[0] in text
    assert "in the ranking" not in text


def test_prune_drops_a_run_of_linked_pair_cards() -> None:
    """Two or more cards under one list are dropped by the pruning, their `<li>`s with them."""
    root = lxml_html.fromstring(_page("".join(_card(i, h, lede) for i, (h, lede) in enumerate(CARDS[:2]))))
    body.prune(root)
    left = root.text_content()
    assert STORY[0] in left
    for headline, lede in CARDS[:2]:
        assert f"{headline}\u3000{lede}" not in left and lede not in left
    assert "in the ranking" in left  # a headline and tag links: not one address twice


def test_one_card_and_story_links_stay() -> None:
    """A single such card is not a list; a story's paragraphs that are links to different addresses, or a
    pair of links to one address that is alone, stay in the tree."""
    single = _card(0, *CARDS[0])
    links = ("<div class='k1'><p><a href='/report.pdf'>Read the council's report on the pier</a></p>"
             "<p><a href='/report.pdf'>Download the drawings of 1871 as a file</a></p>"
             "<p><a href='/a'>The harbour master's statement</a></p><p><a href='/b'>The anglers' club reply</a></p></div>")
    root = lxml_html.fromstring(_page(single + "</ul>" + links + "<ul>"))
    body.prune(root)
    left = root.text_content()
    for text in (CARDS[0][0], "Read the council's report", "Download the drawings", "The anglers' club reply"):
        assert text in left, text
