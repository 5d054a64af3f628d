"""Main text: what must stay (lead, subheadings, repeated blocks) and what must go (boilerplate)."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from newsdedup.clean import extract
from newsdedup.clean.body import (
    described_story,
    drop_new_excerpts,
    filter_paragraphs,
    keep_inside_article,
    prune,
)

from .pages import LOREM, article, page


def ld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


LEAD = "A short teaser sums the story up: the town finally has a budget for the coming year."
SUB = "What happens next"
P1 = "Councillors met for nine hours before the vote. " + LOREM
P2 = "The mayor said the library would stay open on Sundays. " + LOREM
P3 = "Opposition members criticised the cuts to the road repair fund. " + LOREM
REPEAT = "Residents can comment on the plan until the end of the month."


def body_html(extra_before: str = "", extra_after: str = "") -> str:
    paras = (f"<p class='lead'><strong>{LEAD}</strong></p><p>{P1}</p><h2>{SUB}</h2><p>{P2}</p>"
             f"<p>{REPEAT}</p><p>{P3}</p><p>{REPEAT}</p>")
    return (f"<header><nav><a href='/'>Home</a></nav></header><main><article><h1>Budget approved</h1>"
            f"{extra_before}{paras}{extra_after}</article></main>")


def test_keeps_lead_subheading_and_repeated_blocks() -> None:
    ex = extract(page("", body_html()))
    assert ex.error is None
    for phrase in (LEAD, SUB, "nine hours", "library would stay open", "road repair fund"):
        assert phrase in ex.text
    assert ex.text.count(REPEAT) == 2


def test_headline_not_repeated_in_text() -> None:
    ex = extract(page("<meta property='og:title' content='Budget approved'>", body_html()))
    assert ex.title == "Budget approved" and not ex.paragraphs[0].startswith("Budget approved")


def test_drops_related_and_latest_news_lists() -> None:
    related = ("<div class='related-articles'><h3>Related</h3><ul>"
               + "".join(f"<li><a href='/s{i}'>Other headline number {i} about something</a></li>" for i in range(5))
               + "</ul></div>")
    latest = ("<ul class='latest-news-box'>" + "".join(
        f"<li><h3><a href='/l{i}'>Latest story {i}</a></h3><p>Teaser line {i}</p></li>" for i in range(4)) + "</ul>")
    ex = extract(page("", body_html(extra_after=related + latest)))
    assert "Other headline number" not in ex.text and "Latest story" not in ex.text
    assert "road repair fund" in ex.text


def test_teaser_cards_printed_as_divs_without_class_names_go() -> None:
    # "More from News": each card a <div> of a linked headline and a one-sentence summary that reads as
    # prose, no class name saying what it is; trafilatura keeps the summaries.
    cards = "".join(
        f"<div><div><a href='/n{i}'><h4>Other story number {i} in the news</h4></a></div>"
        f"<p>Officers said the driver of van number {i} left the scene before they arrived on Friday night.</p></div>"
        for i in range(3))
    ex = extract(page("", body_html(extra_after=f"<div><h3>More from News</h3>{cards}</div>")))
    assert "Other story number" not in ex.text and "driver of van" not in ex.text
    for phrase in (LEAD, SUB, "nine hours", "library would stay open", "road repair fund"):
        assert phrase in ex.text
    # Cards whose headline is a leading link over a summary block, no heading at all, under a short story
    # (trafilatura takes all twelve summaries for the article).
    short = ("<p>The town council approved a new budget on Tuesday after a nine-hour debate.</p>"
             "<p>Spending on road repairs rises by a fifth, and the library will stay open on Sundays.</p>"
             "<p>Opponents said taxes would have to rise within two years; the mayor disagreed.</p>")
    cards = "".join(
        f"<div><a href='/n{i}'><strong>Police seek witnesses after crash {i}</strong></a><p>Officers said the "
        f"driver of van number {i} left the scene before they arrived at the junction on Friday night.</p></div>"
        for i in range(12))
    html = page("<title>Council approves budget | Gazette</title>",
                f"<div><div><h1>Council approves budget</h1>{short}</div><div><h2>Most popular</h2>{cards}</div></div>")
    ex = extract(html)
    assert "driver of van" not in ex.text and "library will stay open" in ex.text
    # A "div soup" story whose paragraphs start with a link: no block follows the link, they stay.
    soup = "".join(f"<div><a href='/p{i}'>The mayor of the town</a> said on day {i} that {LOREM}</div>" for i in range(4))
    ex = extract(page("", f"<main><h1>Budget approved</h1>{soup}</main>"))
    assert all(f"said on day {i} that" in ex.text for i in range(4))
    # One block under a linked subheading is the story's own: its text stays.
    own = ("<div><h2><a href='/budget-2024'>Where the money goes</a></h2>"
           "<p>Most of the new money goes to road repairs and the library.</p></div>")
    ex = extract(page("", body_html(extra_before=own)))
    assert "Most of the new money" in ex.text


def test_a_note_about_the_author_after_the_story_goes() -> None:
    # The byline names Jane Doe; a bio under the story starts with her name (zdfheute.de: "Manuela
    # Conrad ist ZDF-Reporterin ..."; seattletimes.com: "Jayda Evans: 206-464-2067 or ...").
    head = ("<script type='application/ld+json'>" + json.dumps(
        {"@type": "NewsArticle", "headline": "Budget approved", "author": {"@type": "Person", "name": "Jane Doe"}})
        + "</script>")
    bio = "<p>Jane Doe is a reporter covering city hall and local politics. She joined the paper in 2015.</p>"
    ex = extract(page(head, body_html(extra_after=bio)))
    assert ex.authors == ["Jane Doe"]
    assert "joined the paper" not in ex.text and "road repair fund" in ex.text
    # In the story's first half her name is the story's: it stays.
    quote = "<p>Jane Doe, who chairs the residents' group, said the vote came far too late for the town.</p>"
    ex = extract(page(head, body_html(extra_before=quote)))
    assert "chairs the residents' group" in ex.text
    # An interview transcript: her questions start many paragraphs; none goes.
    qa = "".join(f"<p>Jane Doe: What did question {i} of the interview ask the mayor?</p><p>Mayor: {LOREM}</p>"
                 for i in range(4))
    ex = extract(page(head, body_html(extra_after=qa)))
    assert all(f"question {i} of" in ex.text for i in range(4))


def test_a_name_that_only_begins_with_the_authors_name_is_no_author_note() -> None:
    """The byline credits "Mark Li"; a paragraph of the story's second half quotes "Mark Lilly". The note
    was found by a string prefix, and since a note ends the text, the quote and every paragraph after it
    went. Expected: the name matches as whole words only, the story stays whole."""
    title = "Council backs plan for new bus station"
    paras = [
        "The county council voted on Tuesday to build a new bus station on the site of the old cattle market, "
        "ending ten years of debate about the town centre.",
        "The station will have twelve bays, a waiting room and a cycle park, and is expected to cost about 8 "
        "million pounds, most of it from a government grant.",
        "Councillors said the current stops along the high street caused congestion and were unsafe for "
        "passengers waiting in the road at peak times.",
        "Mark Lilly, who runs the cafe opposite the market, said the plan would bring more people into the "
        "centre and help the shops that had struggled.",
        "Not everyone agreed. Residents of Market Street said they feared the buses would bring noise and fumes "
        "to a street that was already busy.",
    ]
    html = page(f"<title>{title}</title><meta property='og:title' content='{title}'>"
                "<meta name='author' content='Mark Li'>",
                f"<article><h1>{title}</h1>{''.join(f'<p>{p}</p>' for p in paras)}</article>")
    ex = extract(html, "https://coast.example/news/bus-station")
    assert ex.authors == ["Mark Li"]
    assert ex.paragraphs == paras
    # the author's own note still ends the text
    note = "Mark Li covers transport for the paper. Mark Li's book about the railways is out in May."
    html = html.replace("</article>", f"<p>{note}</p><p>He lives in Saltmarsh with his family.</p></article>")
    assert extract(html, "https://coast.example/news/bus-station").paragraphs == paras


def test_cookie_notices_embed_captions_tag_lines_and_lone_buttons_in_the_article_go() -> None:
    # No class name says what they are: the article container holds them between its paragraphs.
    junk = ("<div><p>This website uses cookies to improve your experience. We'll assume you're ok with this,"
            " but you can opt-out if you wish.</p><button>Accept</button></div>"
            "<blockquote><p>A post shared by Example Gazette (@examplegazette)</p></blockquote>"
            "<p>Topics: <a href='/t/a'>Budget</a> <a href='/t/b'>City council</a></p>"
            "<div><a href='/subscribe'>Subscribe</a></div><div><a href='/login'>Log in</a></div>")
    ex = extract(page("", body_html(extra_before=junk, extra_after=junk)))
    for phrase in ("uses cookies", "A post shared by", "Topics:", "Subscribe", "Log in"):
        assert phrase not in ex.text, phrase
    for phrase in (LEAD, SUB, "nine hours", "library would stay open", "road repair fund"):
        assert phrase in ex.text


def test_a_story_printed_twice_comes_back_once_and_repeated_steps_stay() -> None:
    # ohio.com (2008) printed its listing twice in one container; a mobile and a print version do too.
    story = [f"Listing {i}: Community hall, 2543 State Road. Noon to midnight Monday, a buffet and music until late."
             for i in range(6)]
    paras = "".join(f"<p>{p}</p>" for p in story)
    ex = extract(page("", f"<main><h1>New Year's Eve listings</h1><div>{paras}<p>Also this week:</p>{paras}</div></main>"))
    assert all(ex.text.count(p) == 1 for p in story)
    # A meal plan repeats its advice under each day: a small share of the text, kept as printed.
    advice = "<p>Eat 60 to 90 minutes before your workout and drink a glass of water with every meal.</p>" \
             "<p>Keep the portions the plan gives for your calorie bracket and do not skip breakfast.</p>"
    days = "".join(f"<h2>Day {d}</h2><p>{LOREM} Day {d} brings its own recipes and a new shopping list.</p>"
                   f"<p>{P1} ({d})</p><p>{P2} ({d})</p>{advice}" for d in range(1, 4))
    ex = extract(page("", f"<main><article><h1>A week of meal prep</h1>{days}</article></main>"))
    assert ex.text.count("Eat 60 to 90 minutes before your workout") == 3


def test_drops_share_bar_newsletter_cookie_and_caption_credit() -> None:
    share = "<div class='share-bar'><a>Share on Facebook</a><a>Tweet</a><a>Email</a></div>"
    newsletter = ("<div class='newsletter-signup'><p>Sign up for our daily newsletter and get the news "
                  "in your inbox every morning.</p></div>")
    cookie = "<div id='cookie-consent'><p>We use cookies to improve your experience. Accept all cookies.</p></div>"
    figure = ("<figure><img src='a.jpg'><figcaption>The town hall on Tuesday. Photo: Jane Doe/Getty Images"
              "</figcaption></figure>")
    ex = extract(page("", body_html(extra_before=share + figure, extra_after=newsletter + cookie)))
    for phrase in ("Share on Facebook", "daily newsletter", "We use cookies", "Getty Images"):
        assert phrase not in ex.text
    assert LEAD in ex.text


def test_drops_comments_and_paywall_prompt() -> None:
    comments = ("<section id='comments' class='comments'><h3>3 comments</h3>"
                "<div class='comment'><p>Great article, I totally disagree with the mayor though!</p></div></section>")
    paywall = "<div class='subscribe-box'><p>Subscribe now to continue reading. Already a subscriber? Log in.</p></div>"
    ex = extract(page("", body_html(extra_after=paywall + comments)))
    assert "totally disagree" not in ex.text and "Subscribe now" not in ex.text
    assert "road repair fund" in ex.text


def test_paragraphs_are_a_list_and_text_joins_them() -> None:
    ex = extract(page("", article([P1, P2, P3])))
    assert len(ex.paragraphs) >= 3 and ex.text == "\n\n".join(ex.paragraphs)



def test_cut_off_excerpts_of_other_posts_are_dropped_from_the_fallback() -> None:
    precise = ["The council approved the new budget on Tuesday … after a long debate."]
    fallback = precise + ["Another post about optimism and courage, cut off by the listing …",
                          "A third post ends in a bracket [...]", "A closing paragraph of the article."]
    assert drop_new_excerpts(fallback, precise) == [precise[0], "A closing paragraph of the article."]


def test_fallback_paragraphs_from_other_posts_articles_are_dropped() -> None:
    # A blog page: the story in one <article>, the next posts in their own <article>s. The
    # whole-page fallback returned them all; only what lies in the story's <article> stays.
    from lxml.html import document_fromstring

    story = [P1, P2]
    others = ["What unites a family is love, care and wanting the best for each other in every season.",
              "Strength to win and faith to believe that every obstacle can be overcome in the end."]
    html = page("", "<div id='primary'><article class='post'><h1>Budget</h1>"
                + "".join(f"<p>{t}</p>" for t in story) + f"<p>{REPEAT}</p></article>"
                + "".join(f"<article class='post'><p>{t}</p></article>" for t in others) + "</div>")
    root = document_fromstring(html)
    fallback = [*story, REPEAT, *others]
    assert keep_inside_article(root, fallback, [P1]) == [*story, REPEAT]
    # A fallback made only of the other posts gives the precise pass's story back.
    assert keep_inside_article(root, others, [P1]) == [P1]
    # Without <article> wrappers nothing is dropped.
    flat = document_fromstring(page("", "<div>" + "".join(f"<p>{t}</p>" for t in fallback) + "</div>"))
    assert keep_inside_article(flat, fallback, [P1]) == fallback


def test_a_readers_comment_in_a_list_item_article_is_no_story_article() -> None:
    # WordPress prints comments as <ol><li><article>: a precise pass that took one comment (class names
    # it did not know) must not confine the fallback's story to that comment's <article>.
    from lxml.html import document_fromstring

    story = [P1, P2, P3]
    comment = ("When I started out, making my website live was the scary level. Fortunately I had been "
               "blogging for six months before that, so writing posts was easy, and once my website was up I "
               "enjoyed looking at my analytics every single morning before breakfast.")
    html = page("", "<div><h1>Budget</h1>" + "".join(f"<div><p>{t}</p></div>" for t in story) + "</div>"
                f"<ol><li><article><footer>Vatsala, August 22</footer><p>{comment}</p></article></li>"
                f"<li><article><p>{P1[:60]} indeed.</p></article></li></ol>")
    root = document_fromstring(html)
    assert keep_inside_article(root, story, [comment]) == story
    # The same comment in a story's own <article> (not a list item) still confines the fallback.
    boxed = document_fromstring(page("", f"<article><p>{comment}</p></article>"
                                         + "".join(f"<p>{t}</p>" for t in story)))
    assert keep_inside_article(boxed, story, [comment]) == [comment]


def test_the_pages_menus_give_way_to_the_other_methods_story() -> None:
    # A catastrophe guard that reads no class name: our text was a network footer of sister-paper links
    # and shared nothing with readability's, which was the story.
    from lxml.html import document_fromstring

    from newsdedup.clean.body import menus_beside_story

    papers = [f"Paper {name} Daily News" for name in ("Amherst", "Truro", "Halifax", "Pictou", "Kentville", "Yarmouth")]
    menus = ["This site is part of the Example Media Network",
             "Nova Scotia: " + "; ".join(papers[:3]) + ".", "New Brunswick: " + "; ".join(papers[3:]) + "."]
    services = ["Weather forecast for the whole region", "Classified ads from our readers",
                "Obituaries and notices from local homes"]
    service_menu = "; ".join(services) + "; and every one of them is updated each morning."
    story = [P1, P2, P3]
    html = page("", f"<table><tr><td>{''.join(f'<p>{t}</p>' for t in story)}</td></tr></table>"
                "<div><p>This site is part of the Example Media Network</p><p>Nova Scotia: "
                + "; ".join(f"<a href='/{i}'>{n}</a>" for i, n in enumerate(papers[:3])) + ".</p><p>New Brunswick: "
                + "; ".join(f"<a href='/{i}'>{n}</a>" for i, n in enumerate(papers[3:])) + ".</p></div>"
                "<p>" + "; ".join(f"<a href='/s/{i}'>{n}</a>" for i, n in enumerate(services))
                + "; and every one of them is updated each morning.</p>")
    root = document_fromstring(html)
    assert menus_beside_story(menus, story, root)
    assert not menus_beside_story(menus, [*story, menus[1]], root)  # they share a paragraph: the vote decides
    assert not menus_beside_story(story[:1], story[1:], root)  # our text is prose, not link text
    assert not menus_beside_story(menus, [service_menu], root)  # the other is the page's links too


def test_a_teaser_table_gives_way_to_the_other_methods_longer_story() -> None:
    # myfoxhouston.com 2008 (its story in <div>s): the precise pass took a photo caption row and a
    # "Top National News" table of teasers, rows trafilatura prints as "| a | b |".
    from lxml.html import document_fromstring

    from newsdedup.clean.body import menus_beside_story

    rows = ["| | |", "| The president speaks at a joint news conference in Jerusalem on Wednesday. |", "|---|",
            "| Top National News | |",
            *[f"| | Teaser {i}: a bridge design flaw was found, officials said on Monday in a report. |"
              for i in range(4)]]
    story = [P1, P2, P3, REPEAT]
    root = document_fromstring(page("", "".join(f"<div>{p}</div>" for p in story)))
    assert menus_beside_story(rows, story, root)
    # A story glued into one row stays when the other's prose is shorter (an e-mail form's notice).
    glued = ["| Experience more news: Video | Photos " + " ".join(story) + " |"]
    notice = ["You can send this story to several e-mail addresses at once by separating them with a semicolon.",
              "This station will not store your e-mail address or your recipient's address in any way."]
    assert not menus_beside_story(glued, notice, root)
    assert not menus_beside_story(rows, [f"| {p} |" for p in story], root)  # the other is table rows too


def test_menu_words_the_story_also_uses_are_no_shared_text() -> None:
    # sport.independent.co.uk 2008 without its class names: 185 menu lines, two of them ("Sport",
    # "Cricket") words of the story; the guard read them as shared paragraphs and the page came back
    # empty. Only a run of four words or more is evidence.
    from lxml.html import document_fromstring

    from newsdedup.clean.body import menus_beside_story

    story = [P1, P2, P3]
    items = ["Home Page", "Local News", "Councillors", "Sport", "Cricket", "UK Politics", "Business News",
             "Science & Tech", "Education News", "Weather Forecast"]
    root = document_fromstring(page("", "<ul>" + "".join(f"<li><a href='/{i}'>{t}</a></li>" for i, t in enumerate(items))
                                    + "</ul>" + "".join(f"<div>{p}</div>" for p in story)))
    assert menus_beside_story(items, story, root)
    assert not menus_beside_story([*items, "Councillors met for nine hours"], story, root)  # four words: shared


def test_a_teaser_table_holding_the_storys_own_teaser_still_gives_way() -> None:
    # myfoxtoledo.com 2008 without its class names: a "Top Golf News" table whose last row is this
    # story's teaser; that one row shared, the guard kept the table for the article.
    from lxml.html import document_fromstring

    from newsdedup.clean.body import menus_beside_story

    story = [P1, P2, P3, REPEAT]
    root = document_fromstring(page("", "".join(f"<div>{p}</div>" for p in story)))
    rows = ["| Top Golf News | |",
            *[f"| | Teaser {i}: a bridge design flaw was found, officials said on Monday in a report. |" for i in range(4)],
            f"| | Budget approved {P1[:90]} |", "| >>View More News |"]
    assert menus_beside_story(rows, story, root)
    # A row that is most of our text and shared is the story glued into a row: it stays.
    assert not menus_beside_story(["| Video | Photos |", f"| {P1} {P2} |"], [*story, P1], root)


def test_a_stub_among_menu_items_gives_way_to_the_story_that_holds_it() -> None:
    # sun-sentinel.com 2008 without its class names: the vote left the story's first line and the
    # "Article tools" menu under it; the menu items are no part of the story, nor evidence against it.
    from lxml.html import document_fromstring

    from newsdedup.clean.body import story_around_stub

    lead = "Councillors approved the budget on Tuesday after a nine-hour debate."
    root = document_fromstring(page("", "".join(f"<p>{t}</p>" for t in [lead, P1, P2, P3])))
    tools = ["Article tools", "E-mail", "Digg", "Reprints"]
    assert story_around_stub([lead, *tools], [lead, P1, P2, P3], root) == [lead, P1, P2, P3]
    assert story_around_stub(tools, [lead, P1, P2, P3], root) is None  # nothing of the story: no stub
    # A stub of table rows (a layout table's publisher notes) may stand anywhere in the story's text.
    notes = ["| A publication by the Example Publishing Group. |", "| Come see us again. |"]
    other = [lead, P1, P2, P3, "A publication by the Example Publishing Group.", "Come see us again."]
    assert story_around_stub(notes, other, root) == other
    assert story_around_stub([lead], [P1, P2, P3, lead], root) is None  # prose stub: still the start only


def test_a_stub_the_vote_left_gives_way_to_the_story_that_holds_it() -> None:
    # The precise pass took the lead and the readers' comments under it; the comment cut left the lead.
    # Readability has the lead inside the whole story: the stub was that story's start.
    from lxml.html import document_fromstring

    from newsdedup.clean.body import story_around_stub

    lead = "Councillors approved the budget on Tuesday after a nine-hour debate."
    comments = ["Posted by: Pam of Adelaide 7:57am today", "Who cares about the library anyway, honestly."]
    root = document_fromstring(page("", "".join(f"<p>{t}</p>" for t in [lead, P1, P2, P3, *comments])))
    assert story_around_stub([lead], [lead, P1, P2, P3, *comments], root) == [lead, P1, P2, P3]
    assert story_around_stub([lead + " " + LOREM * 4], [lead, P1, P2, P3], root) is None  # no stub
    assert story_around_stub(["Another sentence nobody else printed."], [lead, P1, P2, P3], root) is None
    assert story_around_stub([lead], [lead, P1], root) is None  # two prose paragraphs are no story
    # A brief among other briefs that the other method took together is no stub of them.
    assert story_around_stub([lead], [P1, P2, P3, lead], root) is None
    assert story_around_stub([lead], ["LONDON", lead, P1, P2, P3], root) == ["LONDON", lead, P1, P2, P3]
    assert story_around_stub([], [lead, P1, P2, P3], root) is None


def test_vote_trims_navigation_outside_the_article_but_keeps_prose() -> None:
    from newsdedup.clean.body import trim_to_vote

    ours = ["| Home | News | Sport |", "Top Classifieds", P1, "| Poll | Weather |", "Short subhead", P2,
            "An aside sentence of prose that the other method left out, but it is a sentence.",
            "| Related links |", "Save & Share this Article"]
    other = [P1, "Short subhead", P2]
    # Inside the agreed stretch only a table row (layout-table navigation) the other lacks goes.
    assert trim_to_vote(ours, other) == [P1, "Short subhead", P2, ours[6]]
    # No common paragraph, or an other candidate without an article: ours unchanged.
    elsewhere = "A different story about the harbour, the ferries and the summer timetable of the port. " * 3
    assert trim_to_vote(ours, [elsewhere]) == ours
    assert trim_to_vote(ours, ["Cookies"]) == ours


def test_prose_past_a_dropped_line_after_the_story_goes_only_when_smaller_than_the_story() -> None:
    """Prose after the agreed stretch, past a line the vote drops, is a site's promo when it is smaller than
    the story; a longer run is the story's continuation the other method missed (its later sections)."""
    from newsdedup.clean.body import trim_to_vote

    promo = "Sign up for our free alerts service and get the headlines you choose by email every day."
    ours = [P1, P2, "More from the newsroom", promo]
    assert trim_to_vote(ours, [P1, P2]) == [P1, P2]
    # Right after the story (no line between) prose stays: a last paragraph the other method missed.
    assert trim_to_vote([P1, P2, promo], [P1, P2]) == [P1, P2, promo]
    later = ["Work on the new fund will begin in spring, when the first of twelve bridges along the river road is "
             "closed for a month of repairs to its deck and railings.",
             "Residents of the eastern villages, whose only road to the market town crosses three of those bridges, "
             "asked for a bus to run while they are closed, and the transport committee will decide in March.",
             "The treasurer warned that the fund would not cover every bridge if prices of steel and concrete rose "
             "again this year, as they did in each of the last three years."]
    assert trim_to_vote([P1, P2, "What happens next", *later], [P1, P2]) == [P1, P2, *later]
    # A last section smaller than the story stays when its paragraphs are a story's, not a promo's sentence.
    section = " ".join(later[1:])
    assert trim_to_vote([P1, P2, P3, "What happens next", section], [P1, P2, P3]) == [P1, P2, P3, section]


def test_the_vote_counts_the_characters_of_a_script_written_without_spaces() -> None:
    from newsdedup.clean.body import trim_to_vote

    # mainichi.jp with its class names hashed: the precise pass took 381 menu lines around the story,
    # readability the story alone. Counted in \w+ runs, the story was some 40 "words" (Japanese splits
    # only at 、 and 「), the menus as many: the vote saw one block of a long text and trimmed nothing.
    story = ["パレスチナ自治区ガザ地区のイスラム組織ハマスとイスラエルの停戦交渉を仲介しているカタールの外務省報道官は"
             "14日、「これまでで最も合意に近づいている」と語った。",
             "米ニュースサイトによると、イスラエルと仲介国は最終草案に合意。ハマスも14日の声明で、指導部が交渉内容に"
             "満足していると明らかにした。",
             "イスラエル軍は13日もガザ地区への攻撃を続け、中東メディアによると、45人が死亡した。"]
    menus = ["速報", "国際", "社会", "経済", "スポーツ", "天気", "ログイン", "新規登録", "ランキング", "社説"] * 4
    ours = [*menus, *story, *menus]
    assert trim_to_vote(ours, story) == story


def test_an_other_candidate_of_one_block_of_a_long_text_trims_nothing() -> None:
    from newsdedup.clean.body import trim_to_vote

    # nationalpost.com live blog: readability took one paragraph of 3,900 words, and the vote cut every
    # subheading of the blog outside that "stretch" (fundus 0.918 -> 0.999 without it).
    entries = [line for i in range(12) for line in (f"Update {i}: officials react", f"Entry {i}. {P1}", P2)]
    assert trim_to_vote(entries, [P2]) == entries
    # The readers' comments still end the article.
    comments = ["Posted by reader1 on 12 January 2008", "I disagree with the mayor. " + P3]
    assert trim_to_vote([*entries, *comments], [P2]) == entries
    # An other candidate of a fair share of the text still votes.
    assert trim_to_vote([*entries[:3], "Home | News | Sport"], entries[1:3]) == entries[1:3]


def test_a_comment_link_before_the_story_does_not_end_it() -> None:
    from newsdedup.clean.body import trim_to_vote

    # telegraph.co.uk 2008: "Have your say | Read comments" are links under the headline; the comment
    # cut took them for the comment section and dropped the whole story after them.
    menus = [f"Section {i}" for i in range(30)]
    head = ["Derby County stung by late sucker punch again", "By Martin Smith", "Have your say", "Read comments"]
    story = [P1, P2, P3]
    comments = ["Posted by reader1 on 12 January 2008", "I disagree with the mayor. " + P3]
    root = lxml_html.fromstring(page("", "".join(f"<a href='/s{i}'>{m}</a>" for i, m in enumerate(menus))
                                     + f"<h1>{head[0]}</h1><p>{head[1]}</p><a href='#c'>{head[2]}</a> | "
                                     f"<a href='#c'>{head[3]}</a>" + "".join(f"<p>{p}</p>" for p in story)
                                     + "".join(f"<p>{c}</p>" for c in comments)))
    ours = [*menus, *head, *story, *comments]
    kept = trim_to_vote(ours, [head[0], head[1], *story], root)
    assert kept[-3:] == story and "Section 1" not in kept
    # The same lines as text, not links, do start a comment section (a comment policy under the
    # headline, nwherald.com): the cut stays where it was.
    plain = lxml_html.fromstring(page("", "".join(f"<p>{p}</p>" for p in ours)))
    assert P1 not in trim_to_vote(ours, [head[0], head[1], *story], plain)
    # A site menu's "Have Your Say" does not end a whole page either when the other method found
    # only one small box of it (BBC 2008: readability took a sidebar fact box).
    box = ("Who are the Baathists? The party was the political instrument of Saddam Hussein's rule, and an "
           "estimated 2.5 million Iraqis were members before it was banned in May 2003.")
    page_text = ["Home", "News", "Have Your Say", "Bush praises Iraqi Baathist law", P1, box, P2,
                 *[f"Entry {i}. {P3}" for i in range(8)], *comments]
    bbc = lxml_html.fromstring(page("", "<a href='/'>Home</a> <a href='/news'>News</a> <a href='/hys'>Have Your Say</a>"
                                    + "".join(f"<p>{p}</p>" for p in page_text[3:])))
    kept = trim_to_vote(page_text, [box], bbc)
    assert P1 in kept and P2 in kept and comments[0] not in kept


def test_a_menu_word_the_story_also_uses_does_not_stretch_the_vote_over_the_menus() -> None:
    from newsdedup.clean.body import trim_to_vote

    story = [P1, P2, "With wires"]
    # "Budget" and "Council" are menu items far below the story, and words the story uses too.
    menus = ["Top headlines", "Sensex ends down", "Budget", "Markets", "Most read", "Council", "More"]
    other = [P1, P2, "With wires", "Budget Council"]
    # The short line right after the story is agreed and stays; the menus go.
    assert trim_to_vote([*story, *menus], other) == story
    # A text whose agreed lines are all short keeps the plain rule: they mark the stretch.
    assert trim_to_vote(["Ticketing", "VIP : 60,000", "Home"], [f"Ticketing VIP 60,000 {P1}"]) \
        == ["Ticketing", "VIP : 60,000"]


def test_page_with_table_layout_navigation_loses_its_menus() -> None:
    menu = "".join(f"<tr><td><a href='/s{i}'>Section {i}</a></td></tr>" for i in range(10))
    html = page("", f"<table><tr><td><table>{menu}</table></td><td><h1>Budget approved</h1><p>{P1}</p>"
                    f"<p>{P2}</p><p>{P3}</p></td></tr></table><table>{menu}</table>")
    ex = extract(html)
    assert "nine hours" in ex.text and "road repair fund" in ex.text
    assert "Section 3" not in ex.text


def test_layout_tables_become_blocks_and_data_tables_stay() -> None:
    from lxml.html import document_fromstring

    from newsdedup.clean.body import unwrap_layout_tables

    data = "<table id='scores'><tr><th>Team</th><th>Points</th></tr><tr><td>Rovers</td><td>12</td></tr></table>"
    layout = (f"<table id='frame'><tr><td><table id='menu'><tr><td><a href='/'>Home</a></td></tr></table></td>"
              f"<td><p>{P1}</p>{data}</td></tr></table>")
    root = document_fromstring(page("", layout + "<table id='shell' role='presentation'><tr><td>x</td></tr></table>"))
    unwrap_layout_tables(root)
    tags = {node.get("id"): node.tag for node in root.iter() if node.get("id")}
    # the outer frame and the presentation table are layout; the menu table and the scores are data
    assert tags == {"frame": "div", "shell": "div", "menu": "table", "scores": "table"}


def test_vote_ends_the_article_at_the_readers_comments() -> None:
    from newsdedup.clean.body import trim_to_vote

    quote = "I really do not know anything about this, and I have not spoken to anyone from the club."
    ours = [P1, quote, "Posted by Idealist on January 10, 2008 5:58 PM",
            "What a marvellous opportunity for him, he can now develop his career abroad for a while.",
            "Report this comment", f"Classic. {quote}"]
    # The last comment quotes the story, so the other method "agrees" with it: the comment byline
    # still ends the article.
    assert trim_to_vote(ours, [P1, quote]) == [P1, quote]


def test_long_comment_section_goes_even_when_the_other_method_agrees_with_all_of_it() -> None:
    from newsdedup.clean.body import trim_to_vote

    comments = []
    for i in range(30):
        comments += [f"Posted by reader{i} on January 10, 2008 5:{i:02d} PM",
                     f"Comment number {i} says the manager should stay, and many readers agree with that view."]
    ours = [P1, P2, *comments]
    # The other method took the whole page: the stretch covers everything, the comments still go.
    assert trim_to_vote(ours, ours) == [P1, P2]


def test_a_long_select_list_in_a_layout_table_is_not_the_article() -> None:
    # A 2008 table layout (ndtvprofit.com): the story as <br>-separated text in one cell, a stock
    # picker (<select> of company names) beside it. Its options were most of the page's text, so the
    # story looked like a small share of the page and trafilatura's recall retry took the whole page.
    options = "".join(f"<option value='c{i}'>Company number {i} Ltd</option>" for i in range(300))
    picker = f"<table><tr><td><select name='stk'>{options}</select></td></tr></table>"
    story = f"<span class='hd'>Rupee steady against the dollar</span><br>{P1}<br><br>{P2}<br><br>{P3}"
    html = page("", f"<form><table><tr><td><table><tr><td>{story}</td></tr></table></td><td>{picker}</td></tr>"
                    "</table></form>")
    ex = extract(html)
    assert "nine hours" in ex.text and "road repair fund" in ex.text
    assert "Company number" not in ex.text


def test_whole_page_take_is_voted_down_when_readability_finds_no_article() -> None:
    # computerandvideogames.com, 2008: the story is bare text in a <span> (no <p>), the page is
    # mostly a headline ticker, menus and listings. trafilatura's precise pass escalated to the whole
    # page; readability picked a teaser cell of the top table (no article to vote with). trafilatura's
    # default pass finds the story and votes instead: the navigation outside it goes.
    teasers = "".join(f"<tr><td><a href='/s{i}'><img src='t{i}.jpg'></a></td><td><div><a href='/s{i}'>"
                      f"<b>Upcoming game number {i}</b></a></div><div><span>Preview: a first look at game {i}"
                      "</span></div></td></tr>" for i in range(4))
    ticker = "".join(f"<span><a href='/n{i}'>Ticker headline number {i} about games</a></span><span>|</span>"
                     for i in range(25))
    menu = "".join(f"<span><h1><a href='/c{i}'>Channel{i}</a></h1></span><span>|</span>" for i in range(6))
    side = "".join(f"<li><span><h3><a href='/x{i}'>Section {i}</a></h3></span></li>" for i in range(14))
    listing = "".join(f"<div><span><a href='/r{i}'>Popular story headline number {i} of the week</a></span></div>"
                      for i in range(20))
    story = ("<div><h2>News</h2><div><h1>Port canned</h1><span>Saturday 12-Jan-2008 11:48 AM</span>"
             "<span>Was in development for months, but not any more...</span><span><div><b><a href='#c'>53 Comments"
             f"</a></b></div><div></div>{P1}<br><br>{P2}<br><br>{P3}</span></div></div>")
    html = page("", f"<div><div><table>{teasers}</table><marquee>{ticker}</marquee><div>{menu}</div></div>"
                    f"<div><ul>{side}</ul></div>{listing}<div><h1>Xbox News</h1>{story}</div></div>")
    ex = extract(html)
    assert "nine hours" in ex.text and "road repair fund" in ex.text
    assert "Ticker headline" not in ex.text and "Upcoming game" not in ex.text


REMOVED_NAV = "".join(f"<li><a href='/{s.lower()}'>{s}</a></li>"
                      for s in ("Home", "News", "Politics", "Business", "Sport", "Culture", "Weather", "Opinion"))


def story_page(story: str, lang: str = "en") -> str:
    """A news site's article template around `story` (the article body's inner HTML)."""
    head = ("<meta property='og:title' content='Council approves new budget after nine-hour session'>"
            "<meta property='article:published_time' content='2024-05-03T15:47:42+02:00'>")
    return page(head, f"<header><a href='/'>The Daily Example</a><nav><ul>{REMOVED_NAV}</ul></nav></header>"
                "<main><article><h1>Council approves new budget after nine-hour session</h1>"
                "<div class='byline'><span>By Jane Doe</span> <span>Updated 12 minutes ago</span></div>"
                f"<div class='share'><a>Share</a> <a>Tweet</a></div><div class='article-body'>{story}</div>"
                "</article></main><footer><ul><li><a href='/about'>About us</a></li><li><a href='/contact'>Contact"
                "</a></li><li><a href='/privacy'>Privacy policy</a></li></ul><p>© 2024 The Daily Example</p></footer>",
                lang)


def test_removed_story_served_with_its_template_is_no_article() -> None:
    # The story was taken down; the site still answers 200 with its template: menus, the headline,
    # the byline and "Updated 12 minutes ago". Before: that came back as the article's text.
    ex = extract(story_page(""), "https://example.com/news/2024/05/03/budget")
    assert ex.error == "no_main_text" and ex.paragraphs == []
    assert ex.title == "Council approves new budget after nine-hour session"  # the record still says what it was


def test_short_real_stories_are_kept() -> None:
    brief = "<p>The bridge on Mill Road reopens on Monday after three weeks of repairs, the council said.</p>"
    japanese = "<p>気象庁は13日、午後9時19分ごろ、日向灘で地震があったと発表した。</p>"
    thai = "<p>กรมอุตุนิยมวิทยาประกาศเตือนฝนตกหนักในภาคเหนือตั้งแต่วันนี้ถึงวันศุกร์ ประชาชนควรติดตามข่าวสาร</p>"
    for story, lang, phrase in ((brief, "en", "three weeks"), (japanese, "ja", "日向灘"), (thai, "th", "ภาคเหนือ")):
        ex = extract(story_page(story, lang))
        assert ex.error is None and phrase in ex.text, lang


HOCKEY = ["Geoff Walker and Lucas McKinley each scored in the final five minutes of regulation as the Rocket "
          "defeated the host Screaming Eagles 4-3 in junior hockey action last night before 3,502 fans.",
          "Dean Ouellet, with two, and Robert Slaney scored for Cape Breton.",
          "At Saint John, Ryan Sparling scored twice as the Sea Dogs knocked off the Maineiacs 6-4. With the win, "
          "Saint John is tied for first place in the East Division."]
FOOTER_TAKEN = ["The Daily Example", "A division of Example Media Inc.", "1601 Lower Water Street - P.O. Box 8330",
                "Contents of this website are copyright", "Contact US | Archives | RSS | Subscriptions | Privacy Policy"]


def test_story_between_brs_that_starts_with_the_description_replaces_a_footer_taken_for_it() -> None:
    # A 2008 table layout: the story is bare text between <br>s in a cell; every method took the footer.
    cell = ("<td><table><tr><td><b class='Section'>SPORTS</b></td></tr></table><br><b class='Headline'>Rocket down "
            "Eagles</b> <a href='javascript:window.print()'>print</a><br>" + "<br><br>\n".join(HOCKEY)
            + " - <em>Staff</em><div align='right'>30/12/07</div></td>")
    root = lxml_html.document_fromstring(f"<html><body><table><tr>{cell}</tr></table></body></html>")
    description = HOCKEY[0] + " Dean Ouelle"  # the CMS cuts it at 250 characters
    assert described_story(root, FOOTER_TAKEN, description) == [*HOCKEY[:2], HOCKEY[2] + " - Staff"]
    # our text already holds the description: nothing to rescue
    assert described_story(root, HOCKEY, description) is None


def test_a_standfirst_that_repeats_the_description_rescues_nothing() -> None:
    # Modern pages show the description as a standfirst outside the body: one block about its length.
    lead = ("Three people have died during protests in Bolivia as supporters of the former president clashed with "
            "police near the capital on Monday.")
    root = lxml_html.document_fromstring(f"<html><body><p class='standfirst'>{lead}</p><div class='body'>"
                                         + "".join(f"<p>{p}</p>" for p in HOCKEY) + "</div></body></html>")
    assert described_story(root, HOCKEY, lead) is None


def test_a_comment_section_headed_in_another_language_ends_the_article() -> None:
    from newsdedup.clean.body import trim_to_vote

    rules = "- El contenido de los comentarios es la opinión de los usuarios y no de este periódico."
    reader = "Vaya comportamiento tan poco ejemplar del fiscal, defiende lo indefendible, como para creerle."
    for heading in ("Comentar", "Kommentare (12)", "Commentaires", "Комментарии"):
        ours = [P1, P2, heading, rules, "Hace 28 minutos", reader]
        assert trim_to_vote(ours, [P1, P2]) == [P1, P2], heading


def test_paywall_notices_and_contact_lines_are_no_article_text() -> None:
    from newsdedup.clean.body import filter_paragraphs

    notices = ["To read this article in full you must be registered with the site.",
               "To read the full story, you must log in or subscribe.",
               "John Harris can be reached at jharris@example.com or 412-481-5432."]
    assert filter_paragraphs([P1, *notices, P2], None) == [P1, P2]


def test_read_also_teasers_and_members_only_notices_in_other_languages_go() -> None:
    from newsdedup.clean.body import filter_paragraphs

    teasers = ["Les også: Tone Damli ofret musikkarrieren for barna", "À lire aussi La natalité russe menacée",
               "Läs även: Regeringen backar om skatten", "この記事は会員限定です。",
               "READ MORE: China plague outbreak confirmed", "Related: The 15 Weirdest Galaxies", "DON'T MISS"]
    # the phrase alone is a heading that some publishers' own article text keeps
    assert filter_paragraphs([P1, *teasers, "Leggi anche", P2], None) == [P1, "Leggi anche", P2]


def _next_js_page(story_html: str, title: str) -> str:
    """A page whose HTML holds only the site's frame; the story travels in the Next.js stream."""
    payload = json.dumps("5:" + json.dumps({"article": {"content": story_html}}))  # a JSON string of JSON
    menu = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(8))
    return (f"<html><head><title>{title} | Example Daily</title>"
            f"<meta name='description' content='{title}: the council and the budget.'></head>"
            f"<body><header><ul>{menu}</ul></header><main><h1>{title}</h1><div id='story'></div></main>"
            f"<script>self.__next_f.push([1,{payload}])</script></body></html>")


def test_a_story_rendered_only_from_script_state_is_read_from_it() -> None:
    story = f"<p class='editor-p'>{P1}</p>$$ARTICLEAD$$<p>{P2}</p><figure><p>A photo caption here.</p></figure>"
    ex = extract(_next_js_page(story, "Council approves the budget for road repairs"))
    assert ex.error is None
    assert ex.paragraphs == [P1.strip(), P2.strip()]


def test_another_story_in_the_script_state_is_not_taken() -> None:
    other = "<p>" + "The harbour ferries run on the summer timetable from June, the port said. " * 4 + "</p>" * 2
    ex = extract(_next_js_page(other, "Council approves the budget for road repairs"))
    assert ex.error == "no_main_text" and ex.paragraphs == []


def _bundle_rendered_page(title: str, *objects: dict) -> str:
    """A page the browser renders from a bundle: an empty root element, the site's menus, and the story
    only in the JSON-LD search engines read."""
    menu = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(8))
    ld = "".join(f"<script type='application/ld+json'>{json.dumps(o)}</script>" for o in objects)
    return (f"<html><head><title>{title} | Example Daily</title>{ld}</head><body><header><ul>{menu}</ul></header>"
            "<div id='root'></div><script src='/static/app.js'></script>"
            "<footer><a href='/about'>About us</a> <a href='/contact'>Contact</a></footer></body></html>")


@pytest.mark.parametrize("body", [
    f"{P1}\n\n{P2}",  # plain text, paragraphs at line breaks
    f"{P1}\r\n{P2}".replace("'", "&#39;"),  # entities escaped twice by the CMS
    f"<p>{P1}</p><p>{P2}</p><figure><figcaption>A photo caption here.</figcaption></figure>",  # markup
])
def test_a_story_only_in_its_json_ld_article_body_is_read_from_it(body: str) -> None:
    """Such a page came out as `no_main_text` (and its record without text, never deduplicated)."""
    title = "Council approves the budget for road repairs"
    teasers = {"@type": "ItemList", "itemListElement": [{"@type": "NewsArticle", "headline": "Ferry timetable",
               "articleBody": "The harbour ferries run on the summer timetable from June, the port said. " * 3}]}
    ex = extract(_bundle_rendered_page(title, teasers, {"@context": "https://schema.org", "@type": "NewsArticle",
                                                        "headline": title, "articleBody": body}))
    assert ex.error is None and ex.title == title
    assert ex.paragraphs == [P1.strip(), P2.strip()]


def test_an_article_body_about_another_story_or_a_page_with_its_own_text_is_not_taken() -> None:
    other = {"@type": "NewsArticle", "headline": "Ferry timetable",
             "articleBody": "The harbour ferries run on the summer timetable from June, the port said. " * 4}
    ex = extract(_bundle_rendered_page("Council approves the budget for road repairs", other))
    assert ex.error == "no_main_text" and ex.paragraphs == []
    # a page whose HTML has the story keeps its own text: the structured data is only the fallback
    title = "Council approves the budget for road repairs"
    summary = {"@type": "NewsArticle", "headline": title,
               "articleBody": f"{title}. A short summary sentence the CMS wrote for search engines here."}
    own = page(f"<title>{title}</title>", article([P1, P2, P3], h1=title))
    with_ld = page(f"<title>{title}</title><script type='application/ld+json'>{json.dumps(summary)}</script>",
                   article([P1, P2, P3], h1=title))
    assert extract(with_ld).paragraphs == extract(own).paragraphs == [P1.strip(), P2.strip(), P3.strip()]


def test_a_linked_teaser_after_the_story_goes_though_it_reads_as_prose() -> None:
    from newsdedup.clean.body import trim_to_vote

    teaser = "Discuss the News: Talk about the latest news, weather and entertainment in our online forums."
    aside = "An aside sentence of prose that the other method left out, but it is a sentence."
    root = lxml_html.document_fromstring(
        f"<html><body><p>{P1}</p><p>{P2}</p><p>{aside}</p><p>Discuss the News: <a href='/forums'>Talk about the "
        f"latest news, weather and entertainment in our online forums</a>.</p><a href='/s3'>Section 3 news</a></body></html>")
    assert trim_to_vote([P1, P2, aside, teaser], [P1, P2], root) == [P1, P2, aside]
    assert trim_to_vote([P1, P2, aside, teaser], [P1, P2]) == [P1, P2, aside, teaser]


def test_a_promo_sentence_among_the_menus_goes_when_the_third_method_drops_it_too() -> None:
    from newsdedup.clean.body import justext_paragraphs, trim_to_vote

    # The story ends in a short sentence with an inline link that readability left out; after it, a
    # box of menus holds two promo sentences. Both candidates' disagreement is the same kind (prose
    # outside the agreed stretch); jusText, which judges a short block by its neighbours, keeps the
    # story's last sentence and drops the promos.
    ending = "The council publishes the full budget on its website on Monday, the mayor's office said."
    promo1 = "Type any number of key words. We email you the related headlines as soon as they go online."
    promo2 = "Our newsletter brings the region's news to your inbox every morning: sign up today, it is free."

    def menu(n: int) -> str:
        return "<ul>" + "".join(f"<li><a href='/s{n}{i}'>Section {n}{i} news</a></li>" for i in range(8)) + "</ul>"

    root = lxml_html.document_fromstring(
        f"<html><body>{menu(1)}<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
        f"<p>{ending.replace('website', '<a href=/budget>website</a>')}</p></div>"
        f"<div class='side'>{menu(2)}<p>{promo1}</p>{menu(3)}<p>{promo2}</p>{menu(4)}</div></body></html>")
    ours = [P1, P2, P3, ending, promo1, promo2]
    assert trim_to_vote(ours, [P1, P2, P3], root) == [P1, P2, P3, ending]
    # Without the page there is no third method: prose outside the stretch stays.
    assert trim_to_vote(ours, [P1, P2, P3]) == ours
    # jusText only reads the page: the tree is the same after it.
    before = lxml_html.tostring(root)
    assert ending in justext_paragraphs(root) and promo1 not in justext_paragraphs(root)
    assert lxml_html.tostring(root) == before


def test_a_lead_sentence_loose_before_the_first_paragraph_is_kept() -> None:
    # 2008 layouts put the story's first sentence as bare text in the story's container, before its
    # first <p> (star-ecentral.com, pittsburghlive.com, news.bbc.co.uk); in a layout table trafilatura
    # dropped it.
    lead = "The town council approved its budget for the coming year on Tuesday night after a long debate."
    menu = "".join(f"<tr><td><a href='/s{i}'>Section {i}</a></td></tr>" for i in range(10))
    html = page("", f"<table><tr><td><table>{menu}</table></td><td><b>Budget approved at last</b><br>By Ann Reporter<br>"
                    f"<div class='Story'> {lead} <p>{P1}</p><p>{P2}</p><p>{P3}</p></div></td></tr></table>")
    assert extract(html).paragraphs[:2] == [lead, P1.strip()]


def test_of_a_loose_run_before_the_story_only_its_closing_prose_lines_are_the_lead() -> None:
    from newsdedup.clean.body import with_loose_lead

    title = "Sarkozy Ex-Wife Loses Bid to Bar Book's Distribution (Update4)"
    lead = ("Jan. 11 (Bloomberg) -- French President Nicolas Sarkozy's ex-wife lost a legal bid to block "
            "publication of a book that quotes her.")
    root = lxml_html.document_fromstring(
        f"<html><body><div><b>{title}</b><br>By Heather Smith<br><br>{lead}<p>{P1}</p><p>{P2}</p></div></body></html>")
    # The headline and the byline line before it are no lead; the dateline sentence is.
    assert with_loose_lead(root, [P1, P2], title) == [lead, P1, P2]
    assert with_loose_lead(root, [lead, P1, P2], title) == [lead, P1, P2]  # already there
    # A caption or credit line before the first paragraph is no sentence of the story.
    root = lxml_html.document_fromstring(f"<html><body><div>Photo: Ann Reporter<p>{P1}</p><p>{P2}</p></div></body></html>")
    assert with_loose_lead(root, [P1, P2]) == [P1, P2]


def _br_story_page(lines: list[str]) -> str:
    """A 2008 games-site page (palgn.com.au): the story is bare text between <br>s after an icon block,
    and a list of related stories, each a linked headline, a date and a one-line blurb, follows."""
    related = "".join(f"<div class='relatedArticleRow'><b><a href='/a{i}'>Store updated {i}</a></b> - "
                      f"<i>0{i} Nov, 2007</i> <br />Tekken it online {i}. </div>" for i in range(1, 8))
    return page("", "<div class='articleContentTable'><div style='float:right'>Luke Van Leuveren<br />29 Dec, 2007"
                    "</div><div class='readArticleTitle'>PlayStation Store updated</div><div class='readArticleBlurb'>"
                    "<b>Welcome to The Club.</b></div><div style='font-size: 9pt'><div class='readArticleIcon'>"
                    f"<img src='p.jpg'></div> {' <br /> <br /> '.join(lines)} </div></div>"
                    f"<div class='articleContentTable'><div class='content'>{related}</div></div>")


def test_a_story_printed_as_bare_text_between_brs_is_found_when_no_method_finds_one() -> None:
    # palgn.com.au, wvva.com (2008): trafilatura took the related list, readability the byline box,
    # and the page came out with no text; the page's longest run of text between <br>s is the story.
    story = ["While American regions will have to go without a store update this week, Sony has updated the "
             "Australian <i>PlayStation Store</i> and it is a decent update.",
             "However, the highlight of the update has to be a demo for <i>The Club</i>, an action adventure "
             "title that is looking rather promising.",
             "The demo is a 700 megabyte download and runs for about twenty minutes of play in two of the arenas.",
             "Bizarre Creations, the studio behind the Project Gotham series, releases the full game in February, "
             "with online play for up to eight players."]
    ex = extract(_br_story_page(story))
    assert ex.error is None
    assert ex.paragraphs == [line.replace("<i>", "").replace("</i>", "") for line in story]


def test_a_short_run_between_brs_is_no_story() -> None:
    # A removed story's template: two short lines between <br>s are not a story's length.
    ex = extract(_br_story_page(["The page you asked for has moved.", "Search our archive for older stories."]))
    assert ex.error == "no_main_text" and ex.paragraphs == []


def test_a_line_that_is_only_a_timestamp_is_no_article_text() -> None:
    stamps = ["2008-01-12 11:31:01 -", "10/01/2008", "1/10/2008 4:09:14 PM", "28.04.2023 |"]
    story = ["On 10/01/2008 the council met for nine hours.", "10/01/2008 - The council met today."]
    assert filter_paragraphs([P1, *stamps, *story, P2], None) == [P1, *story, P2]


def test_a_lead_that_follows_a_block_in_the_story_container_is_kept() -> None:
    from newsdedup.clean.body import with_loose_lead

    # supersport.co.za, sportbox.tv (2008): the lead is the tail of the photo block before the first <p>.
    lead = "Three SuperSport United players will be off-loaded during the January transfer window period."
    root = lxml_html.document_fromstring(
        f"<html><body><div class='story'><div class='photo'><img src='p.jpg'></div> {lead} "
        f"<p>{P1}</p><p>{P2}</p></div></body></html>")
    assert with_loose_lead(root, [P1, P2]) == [lead, P1, P2]


def test_a_hard_wrapped_lead_is_one_paragraph() -> None:
    from newsdedup.clean.body import with_loose_lead

    # oursportscentral.com (2008): the page's source wraps the lead every 80 characters; a newline in
    # the source is a space, so the lead is one sentence, not four line fragments that are no prose.
    lead = ("Ottawa, ON - The Majors finished off their three-game road\ntrip with a visit to Ottawa, and fell "
            "behind in the scoring early in\nthe play to end up losing 5-3 this afternoon.")
    root = lxml_html.document_fromstring(
        f"<html><body><div class='KonaBody'><table><tr><td>ad</td></tr></table>{lead}<p>{P1}</p><p>{P2}</p>"
        "</div></body></html>")
    assert with_loose_lead(root, [P1, P2]) == [" ".join(lead.split()), P1, P2]


def test_a_lead_before_empty_blocks_and_an_ad_slot_is_kept() -> None:
    from newsdedup.clean.body import with_loose_lead

    # dailymail.co.uk (2008): the lead is the tail of the comments link's <p>, and an empty <p> stands
    # between it and the first paragraph.
    lead = "Nicolas Anelka made his debut for Chelsea yesterday and insisted that it would be his last club."
    root = lxml_html.document_fromstring(
        f"<html><body><div id='ArtContent'><h1>Anelka's last stop</h1><p><a href='#c'>Comments</a></p> {lead} "
        f"<p></p><p>{P1}</p><p>{P2}</p></div></body></html>")
    assert with_loose_lead(root, [P1, P2]) == [lead, P1, P2]
    # guardian.co.uk (2008): the lead is the story container's own text; an ad slot ("Article
    # continues") follows it, and the story goes on as the slot's tail, in no <p>.
    rest = "Another interested party returning from holiday today is Alan Shearer, who flies in from Barbados."
    root = lxml_html.document_fromstring(
        f"<html><body><div id='GuardianArticleBody'>{lead}<p></p><div class='mpu'><a href='#go'>Article continues"
        f"</a><hr></div> {rest} <p>{P1}</p><p>{P2}</p></div></body></html>")
    assert with_loose_lead(root, [rest, P1, P2]) == [lead, rest, P1, P2]
    # A block with text of its own ends the run: what stands before it is not the story's.
    root = lxml_html.document_fromstring(
        f"<html><body><div>{lead}<div class='promo'>Subscribe today and save.</div> {rest} <p>{P1}</p></div>"
        "</body></html>")
    assert with_loose_lead(root, [rest, P1]) == [rest, P1]


def test_a_lead_the_text_already_has_further_down_is_not_added_again() -> None:
    from newsdedup.clean.body import with_loose_lead

    # myfoxtoledo.com (2008): the first sentence is also the blurb of a video box under the story.
    lead = "HONOLULU -- A different week, a different island and a much different view for K.J. Choi."
    root = lxml_html.document_fromstring(
        f"<html><body><div>{lead}<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{lead}</p></div></body></html>")
    assert with_loose_lead(root, [P1, P2, P3, lead]) == [P1, P2, P3, lead]


def test_an_iframes_fallback_markup_is_no_text() -> None:
    from newsdedup.clean.body import drop_scripts, with_loose_lead

    # A browser shows the frame's page, never the markup inside <iframe>; libxml2 keeps that markup as
    # text ("<a href=http://ads..."), and the Guardian's ad slot looked like a block with text of its own.
    lead = "Mike Ashley, Newcastle United's owner, today returns from a business trip to Hong Kong."
    rest = "Another interested party returning from holiday today is Alan Shearer, who flies in from Barbados."
    root = lxml_html.document_fromstring(
        f"<html><body><div id='GuardianArticleBody'>{lead}<p></p><div class='mpu'><a href='#go'>Article continues"
        f"</a><iframe src='/ad'><a href='http://ads.example/'><img src='ad.gif'></a></iframe> </div> {rest} "
        f"<p>{P1}</p><p>{P2}</p></div></body></html>")
    drop_scripts(root)
    assert "ads.example" not in root.text_content() and rest in root.text_content()
    assert with_loose_lead(root, [rest, P1, P2]) == [lead, rest, P1, P2]


def test_a_deck_printed_as_a_div_of_text_before_the_story_is_kept() -> None:
    from newsdedup.clean.body import prose_divs

    # belfasttelegraph.co.uk (2008): the story's first sentence is `<div class="deck">` right before its
    # first <p>; trafilatura 2.3 drops a <div> that holds only text.
    deck = "Chelsea are hoping to complete the signing of Nicolas Anelka in time for this weekend's clash."
    html = page("", f"<div class='article'><h2>Chelsea hoping to sign Anelka</h2><div class='deck'>{deck}</div>"
                    f"<p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    assert extract(html).paragraphs[:2] == [deck, P1.strip()]
    # Only a sentence of text right before a <p>: a line of links, a block that holds blocks, and story
    # text printed as <div>s with a <div> after it stay <div>s.
    root = lxml_html.document_fromstring(
        f"<html><body><div><div class='nav'><a href='/a'>All the news that matters.</a></div><p>{P1}</p>"
        f"<div class='box'><div>{deck}</div></div><p>{P2}</p><div class='para'>{deck}</div><div class='para'>{deck}</div>"
        f"<div class='short'>Photo: Ann Reporter</div><p>{P3}</p></div></body></html>")
    prose_divs(root)
    assert [d.get("class") for d in root.iter("div")] == [None, "nav", "box", None, "para", "para", "short"]
    root = lxml_html.document_fromstring(f"<html><body><div><div class='deck'>{deck}</div> <p>{P1}</p></div></body></html>")
    prose_divs(root)
    assert root.find(".//p").get("class") == "deck"


def test_the_vote_finds_short_paragraphs_the_same_way_past_its_scan_budget() -> None:
    # The first SUPPORT_SCANS short paragraphs are found by a scan of the other text, the rest by a
    # set of its word runs (a page of 40,000 short paragraphs was quadratic); the answers are the same.
    from newsdedup.clean import settings
    from newsdedup.clean.body import _Support

    other = ["Home | News | Sport", "The council approved the budget on Monday.", "Read more: Weather"]
    asked = ["News Sport", "approved the budget", "the budget on Monday", "Monday Read", "budget the",
             "Weather", "Sport News", "council", "·", "Home News"] * 3
    support = _Support(other)
    first = [support(p) for p in asked]
    assert first[:10] == [True, True, True, True, False, True, False, True, False, True]
    support._scans = settings.SUPPORT_SCANS  # the budget spent: every answer now comes from the sets
    assert [support(p) for p in asked] == first


_BUS_STORY = ["The regional council voted on Tuesday to extend the bus service to three outlying villages.",
              "Residents had campaigned for two years, saying the lack of transport cut them off from jobs.",
              "The new route will start in March and run every hour on weekdays, officials said.",
              "Opposition members questioned the cost, estimated at 1.2 million euros a year."]


# A site's list of 400 football leagues, one link per item.
_LEAGUES = "".join(f"<li><a href='/league/{i}'>League number {i} of the world, division {i % 7}</a></li>"
                   for i in range(400))


def _under_league_list(title: str) -> str:
    """The bus story in a div under its <h1> headline, with the league list above both."""
    return (f"<html><head><title>{title}</title></head><body><ul class='menu'>{_LEAGUES}</ul>"
            f"<h1>Bus service extended to villages</h1><div class='text'>{' '.join(_BUS_STORY)}</div></body></html>")


def test_a_short_story_under_a_long_link_list_is_not_the_list() -> None:
    # A held-back failure class: a site's list of 400 football leagues came back as the article of a
    # 60-word report (trafilatura's precise pass takes the list; readability and jusText do not).
    ex = extract(_under_league_list("Bus route | Site"), "https://example.com/news/bus")
    assert "League number" not in ex.text and all(s in ex.text for s in _BUS_STORY)


def test_a_list_article_the_other_method_cuts_short_stays_whole() -> None:
    # The keep-share guard still holds where what the vote would drop is no link text: the steps of a
    # list article that readability leaves out.
    steps = "".join(f"<li>Step {i}: stir the sauce gently and add a pinch of salt</li>" for i in range(60))
    html = (f"<html><body><h1>How to make the sauce</h1><p>{_BUS_STORY[0]}</p><ul>{steps}</ul>"
            f"<p>{_BUS_STORY[3]}</p></body></html>")
    text = extract(html, "https://example.com/food/sauce").text
    assert "Step 59: stir the sauce" in text and _BUS_STORY[0] in text


def test_a_list_of_town_links_before_a_short_story_is_not_the_story() -> None:
    # A held-back failure class: 290 town names before a regional story. Printed one link to a line,
    # every method keeps them (they share the story's block): a run of one-to-three-word lines before
    # the story's prose goes.
    towns = " ".join(f"<a href='/town/{i}'>Town{i}</a>," for i in range(290))
    html = (f"<html><body><div>{towns}</div><h1>Bus service extended to villages</h1>"
            f"<div>{'<br><br>'.join(_BUS_STORY)}</div></body></html>")
    ex = extract(html, "https://example.com/news/bus")
    assert "Town1" not in ex.text and all(s in ex.text for s in _BUS_STORY)
    # ... and written as one comma-separated line
    html = (f"<html><body><h1>Bus service extended to villages</h1><div class='story'>"
            f"<p>{', '.join(f'Town{i}' for i in range(290))}</p>{''.join(f'<p>{s}</p>' for s in _BUS_STORY)}"
            f"</div></body></html>")
    ex = extract(html, "https://example.com/news/bus")
    assert "Town1" not in ex.text and all(s in ex.text for s in _BUS_STORY)


def test_short_lines_inside_the_story_and_short_lists_stay() -> None:
    from newsdedup.clean.body import _is_item_list, drop_item_runs

    results = [f"Team {i} 2-1" for i in range(40)]
    assert drop_item_runs([_BUS_STORY[0], *results, _BUS_STORY[1]]) == [_BUS_STORY[0], *results, _BUS_STORY[1]]
    names = [f"Name {i}" for i in range(12)]
    assert drop_item_runs([*names, _BUS_STORY[0]]) == [*names, _BUS_STORY[0]]
    assert drop_item_runs([*results, _BUS_STORY[0]]) == [_BUS_STORY[0]]
    assert not _is_item_list("Anna, Bernd, Carla and the others met in Berlin, Paris, Rome and Madrid on Monday.")
    assert not _is_item_list(", ".join(f"Name {i}" for i in range(10)))
    # A sentence that lists foods, in a paragraph without a final full stop (a copyright line ends it).
    foods = ", ".join(["beer", "cured meats", "spices", "pepper", "spirits", "coffee", "chocolate", "fatty cheese",
                       "oily fish (eel", "tuna", "mackerel)", "molluscs", "seafood", "crustaceans (prawns",
                       "lobster)", "wine", "sweets", "fried food", "salt", "sugar"])
    assert not _is_item_list(f"Doctors advise to avoid {foods}. They all irritate the bladder. © ALL RIGHTS RESERVED")
    assert _is_item_list(" | ".join(f"Section {i}" for i in range(25)))


def test_sentences_printed_only_above_the_headline_are_not_the_article() -> None:
    # A held-back failure class: menus, a login box and weather came back with a 167-word story. Here
    # 60 weather sentences in a sidebar above the headline: trafilatura keeps them (they are prose),
    # and our text starts and ends with prose, so no vote looks at it.
    weather = "".join(f"<p>Weather in Town{i}: sunny, 20 degrees, light wind from the west.</p>" for i in range(60))
    login = ("<form><p>Login: enter your username and password. Forgot your password? Register now for free.</p>"
             "</form>")
    story = "".join(f"<p>{s}</p>" for s in _BUS_STORY)
    for above in (f"<div class='sidebar'>{weather}</div>", f"{login}<div class='weather'>{weather}</div>"):
        html = f"<html><body>{above}<h1>Bus service extended to villages</h1>{story}</body></html>"
        text = extract(html, "https://example.com/news/bus").text
        assert "Weather in" not in text and "Login" not in text and all(s in text for s in _BUS_STORY)
    # A league list in the same table row as the story: every method keeps it, but it stands above
    # the headline.
    html = (f"<html><body><table><tr><td>{_LEAGUES}</td><td><h1>Bus service extended to villages</h1>"
            f"<font>{'<br>'.join(_BUS_STORY)}</font></td></tr></table></body></html>")
    text = extract(html, "https://example.com/news/bus").text
    assert "League number" not in text and all(s in text for s in _BUS_STORY)


def test_a_lead_also_printed_above_the_headline_stays() -> None:
    # A top box that repeats the story's lead above the headline: the lead is printed below it too.
    from lxml import html as lxml_html

    from newsdedup.clean.body import drop_before_headline

    root = lxml_html.document_fromstring(
        f"<html><body><div class='top'><p>{_BUS_STORY[0]}</p></div><h1>Bus service extended to villages</h1>"
        + "".join(f"<p>{s}</p>" for s in _BUS_STORY) + "</body></html>")
    title = "Bus service extended to villages"
    assert drop_before_headline(root, list(_BUS_STORY), title) == _BUS_STORY
    # ... and nothing goes when the whole text stands above the headline (a heading at the foot) ...
    root = lxml_html.document_fromstring(
        "<html><body>" + "".join(f"<p>{s}</p>" for s in _BUS_STORY) + f"<h1>{title}</h1></body></html>")
    assert drop_before_headline(root, list(_BUS_STORY), title) == _BUS_STORY
    # ... nor before an <h1> that is not the article's title (a site that uses <h1> for subheadings).
    root = lxml_html.document_fromstring(
        f"<html><body><p>{_BUS_STORY[0]}</p><h1>What the route will cost</h1>"
        + "".join(f"<p>{s}</p>" for s in _BUS_STORY[1:]) + "</body></html>")
    assert drop_before_headline(root, list(_BUS_STORY), title) == _BUS_STORY
    assert drop_before_headline(root, list(_BUS_STORY), "What the route will cost") == _BUS_STORY[1:]
    # ... and a heading that shares no word with the page's <title> gives way to the element that prints
    # the <title> (efluxmedia.com 2008: the page's first <h1>, "Other News in Science", heads a related
    # list below the story; the headline is a <span>).
    menu = "Home, Science, Technology, World and Business sections of the site, all in one menu line."
    related = ["Telescope will begin operation shortly", "Probe nears the planet for its flyby"]
    html = ("<html><head><title>{}</title></head><body><p>" + menu + "</p><span>" + title + "</span>"
            + "".join(f"<p>{s}</p>" for s in _BUS_STORY) + "<h1>Other News in Science</h1>"
            + "".join(f"<p><a href='/{i}'>{s}</a></p>" for i, s in enumerate(related)) + "</body></html>")
    paragraphs = [menu, *_BUS_STORY, "Other News in Science", *related]
    root = lxml_html.document_fromstring(html.format(title))
    assert drop_before_headline(root, list(paragraphs), "Other News in Science") == paragraphs[1:]
    # A <title> that names the site, printed in the footer, is no headline (tios.co.za 2008).
    root = lxml_html.document_fromstring(
        f"<html><head><title>The Evening Paper</title></head><body><p>{menu}</p><h1>{title}</h1>"
        + "".join(f"<p>{s}</p>" for s in _BUS_STORY) + "<div>The Evening Paper</div></body></html>")
    assert drop_before_headline(root, [menu, *_BUS_STORY], title) == _BUS_STORY


def test_the_headline_left_on_top_once_the_menus_above_it_go_is_dropped() -> None:
    # The headline is dropped among the first four lines when the text is filtered; under 400 menu
    # lines it was line 401 then, and the vote that removed the menus left it as the first line
    # (8 of 305 l3s pages).
    ex = extract(_under_league_list("Bus service extended to villages"), "https://example.com/news/bus")
    assert ex.title == "Bus service extended to villages"
    assert ex.paragraphs == [" ".join(_BUS_STORY)]


_ICE = [f"Part {n} of the story: the team coated the ice of a pond with glass bubbles in the winter of {2010 + n}, "
        f"and it melted {n + 2} weeks later than the bare ice beside it, as the {n}th set of instruments on the "
        f"shore showed them."
        for n in range(15)]


def _chunked_page(chunks: list[str], extra: str = "") -> str:
    """A story printed in chunks (newyorker.com): each chunk a grid block with its own paragraph container,
    whose class trafilatura takes for the article's body; an ad row between the chunks."""
    def block(inner: str) -> str:
        return ("<div class='GridWrapper grid'><div class='GridItem'><div class='BodyWrapper body article__body'>"
                f"<div class='body__inner-container'>{inner}</div></div></div>"
                "<div class='GridItem aside'><div class='ad'>Advertisement</div></div></div>")
    ad = "<div class='RowWrapper'><div class='ad-slot'>Advertisement</div></div>"
    return page("<meta property='og:title' content='A heat shield for the ice'>",
                "<main><article><header><h1>A heat shield for the ice</h1><p>By Ann Writer</p></header>"
                f"<div class='ArticlePageChunks'>{ad.join(block(c) for c in chunks)}{extra}</div></article></main>")


def test_a_story_printed_in_chunks_comes_back_whole() -> None:
    # newyorker.com prints a long story in three grid blocks with ads between them; trafilatura takes
    # the first block with the body class, and a 4,700-word story came back with 2,200 words.
    paras = ["".join(f"<p>{p}</p>" for p in _ICE[i:i + 5]) for i in (0, 5, 10)]
    assert extract(_chunked_page(paras)).paragraphs == _ICE


def test_comments_and_a_next_story_in_the_chunks_template_are_not_the_story() -> None:
    story = "".join(f"<p>{p}</p>" for p in _ICE[:5])
    # Readers' comments in the same template: prose, but no chunk of a story has only short paragraphs.
    comments = "".join(f"<p>Great read, comment number {i}. I learned a lot.</p>" for i in range(8))
    # A next story printed below in the same template: it has a headline of its own.
    other = "<h1>Another story</h1>" + "".join(f"<p>Another story. {p}</p>" for p in _ICE[5:10])
    assert extract(_chunked_page([story, comments])).paragraphs == _ICE[:5]
    assert extract(_chunked_page([story, other])).paragraphs == _ICE[:5]
    # A chunk of the story that repeats what we have adds nothing twice.
    assert extract(_chunked_page([story, story])).paragraphs == _ICE[:5]


def test_a_comment_sections_rules_after_the_story_are_not_the_story() -> None:
    # nwherald.com, news.com.au (2008): no "Comments" heading, only the section's rules, in sentences, then
    # the site's promos; every method kept them as prose after the story.
    rules = ["NOTE: Comments will generally stay active for a week. Users will not be able to comment on older "
             "stories.", "Comment entries are limited to 100 words.",
             "Comment posters are responsible for the opinions they express and the accuracy of what they write."]
    welcome = ["We welcome your comments on this story. Comments are submitted for possible publication on the "
               "condition that they may be edited.", "Low fee and a credit bonus: get a credit card with us today."]
    for tail in (rules, welcome):
        html = page("", article([P1, P2, P3], extra_after="".join(f"<p>{line}</p>" for line in tail)))
        assert extract(html).paragraphs == [P1.strip(), P2.strip(), P3.strip()]


def test_a_table_row_holding_the_menu_and_the_story_is_read_as_blocks() -> None:
    # komotv.com, cars.about.com (2008): one table, no table inside it, one row: the menu cell and the story
    # cell. Read as a data row, the menu, the headline and every paragraph came out as one "| ... |" line.
    menu = "".join(f"<a href='/s{i}'>Section {i}</a><br>" for i in range(8))
    lines = [p.strip() for p in (P1, P2, P3, "The vote was 7 to 4. " + LOREM, "The budget takes effect in May. " + LOREM)]
    html = page("<title>Budget approved at last</title>", f"<table><tr><td>{menu}</td><td><b>Budget approved at "
                f"last</b><br><br>{'<br><br>'.join(lines)}</td></tr></table>")
    assert extract(html).paragraphs == lines
    # A data table keeps its rows.
    rows = "".join(f"<tr><td>Team {i}</td><td>{i} points</td></tr>" for i in range(5))
    html = page("", article([P1, P2], extra_after=f"<table>{rows}</table>"))
    assert "| Team 1 | 1 points |" in extract(html).text


def test_sentences_above_a_headline_that_is_no_h1_are_not_the_article() -> None:
    # 2008 layouts print the headline in an <h2> or <b>: the weather sidebar above it goes all the same.
    weather = "".join(f"<p>Weather in Town{i}: sunny, 20 degrees, light wind from the west.</p>" for i in range(60))
    story = "".join(f"<p>{s}</p>" for s in _BUS_STORY)
    for heading in ("<h2 class='storyheadline'>Bus service extended to villages</h2>",
                    "<b><font size='4'>Bus service extended to villages</font></b>"):
        html = (f"<html><head><title>Bus service extended to villages</title></head><body>"
                f"<div class='sidebar'>{weather}</div>{heading}{story}</body></html>")
        text = extract(html, "https://example.com/news/bus").text
        assert "Weather in" not in text and all(s in text for s in _BUS_STORY)


def test_a_placeholder_for_external_content_is_no_article_text_in_any_inflection() -> None:
    # tagesspiegel.de: the consent placeholder of an embed says "externen Inhalt", not "externer Inhalt".
    placeholder = ("An dieser Stelle finden Sie einen von unseren Redakteuren ausgewählten, externen Inhalt, der "
                   "den Artikel für Sie mit zusätzlichen Informationen anreichert.")
    assert filter_paragraphs([P1, placeholder, "Ein externer Inhalt wird geladen.", P2], None) == [P1, P2]


def test_a_wrapper_with_an_ad_class_keeps_a_story_printed_in_divs() -> None:
    # "div soup": the story's paragraphs are <div>s, inside a page wrapper whose class names an ad slot
    # (dealbreaker.com's "m-advertisement-off-canvas--pusher"). Counting only <p>s, the wrapper held no
    # long paragraph and was pruned with the story in it.
    story = "".join(f"<div>{p}</div>" for p in (P1, P2, P3))
    html = page("", f"<div class='m-advertisement-off-canvas--pusher'><nav><a href='/'>Home</a> "
                    f"<a href='/banks'>Banks</a></nav><h1>Budget approved</h1>{story}</div>")
    ex = extract(html)
    for phrase in ("nine hours", "library would stay open", "road repair fund"):
        assert phrase in ex.text
    # The same story as runs of text between <br><br> in one block beside a figure (older layouts).
    runs = "<br><br>".join((P1, P2, P3))
    html = page("", f"<div class='m-advertisement-off-canvas--pusher'><h1>Budget approved</h1>"
                    f"<div class='body'><figure><img src='a.jpg'></figure>{runs}</div></div>")
    assert "road repair fund" in extract(html).text
    # A consent notice of long runs, beside the story and without its headline, still goes.
    notice = "<br><br>".join(f"Notice {i}: we and our partners store and access information on your device "
                             "for personalised ads and content, ad and content measurement and audience "
                             "insights, as you may read in our policy." for i in range(3))
    root = lxml_html.document_fromstring(
        page("", article([P1, P2, P3], extra_after=f"<div class='cookie-consent'>{notice}</div>")))
    prune(root)
    assert "road repair fund" in root.text_content() and "our partners" not in root.text_content()
    # A hostile page nests hundreds of such wrappers around the headline: their runs are read once (for
    # the outermost), and the wrappers inside it stay with it.
    nested = page("", "<div class='related'>" * 200 + "<h1>Budget approved</h1>" + story + "</div>" * 200)
    assert "road repair fund" in extract(nested).text


def test_a_gap_of_menu_lines_inside_the_agreed_stretch_is_outside_the_story() -> None:
    # Without class names the precise pass keeps a share bar and a paywall notice between a lead and
    # the story, and a site's menus and footer between the story and a promo box the story's text
    # also has (morebikes.co.uk): one stretch ran from the lead to the promo over all of them.
    from newsdedup.clean.body import trim_to_vote

    lead = "Councillors approved the budget on Tuesday after a nine-hour debate in the town hall."
    bar = ["Add to my articles", "Bookmark", "Share", "Subscriber-only article", "Log in", "Sign up for free",
           "Follow us", "Print", "E-mail"]
    footer = [f"Footer menu item {i}" for i in range(40)]
    promo = "Get the Town Monthly delivered through your door every month"
    ours = [lead, *bar, P1, P2, P3, *footer, promo]
    other = [lead, P1, P2, P3, promo + " for a year."]
    assert trim_to_vote(ours, other) == [lead, P1, P2, P3]
    # Fewer than settings.VOTE_GAP_MIN lines, or a gap of prose the other method missed, stays inside.
    assert trim_to_vote([lead, *bar[:5], P1, P2, P3], other) == [lead, *bar[:5], P1, P2, P3]
    missed = [f"Sentence {i} of the story that the other method did not take, told at some length." for i in range(9)]
    assert trim_to_vote([lead, *missed, P1, P2, P3], other) == [lead, *missed, P1, P2, P3]


def test_a_menu_of_one_word_links_is_link_text_for_the_votes_keep_share_guard() -> None:
    # news.com.au 2008 without its class names: 265 menu lines ("News", "Entertainment", "Sport") over
    # a 130-word story. The vote kept the story alone, but that was under a fifth of our text, and the
    # guard kept everything: a one-word link counted as no link text. A line that is one link's text is.
    from lxml.html import document_fromstring

    from newsdedup.clean.body import trim_to_vote

    sections = ["News", "Entertainment", "Sport", "Business", "Technology", "Lifestyle", "Travel", "Motoring",
                "Classifieds", "Weather"]
    menu = [f"{name}{i}" for i in range(12) for name in sections]
    story = ["Nine people were arrested overnight after a brawl broke out among patrons at a city bar.",
             "Police said a senior constable was kicked in the head and taken to hospital with cuts."]
    root = document_fromstring(page("", "<ul>" + "".join(f"<li><a href='/{m}'>{m}</a></li>" for m in menu)
                                    + "</ul>" + "".join(f"<p>{s}</p>" for s in story)))
    assert trim_to_vote([*menu, *story], [*story, *story], root) == story
    # A line of the same words that no link prints stays protected (a list the other method cut short).
    plain = document_fromstring(page("", "".join(f"<p>{s}</p>" for s in [*menu, *story])))
    assert trim_to_vote([*menu, *story], [*story, *story], plain) == [*menu, *story]


def test_a_lone_comment_button_over_the_story_does_not_end_it() -> None:
    # lesechos.fr without its class names: a live blog's share bar ("Ajouter à mes articles |
    # Commenter | Partager") under its standfirst ended the article before its entries (0.03).
    from newsdedup.clean.body import trim_to_vote

    lead = "Councillors approved the budget on Tuesday after a nine-hour debate in the town hall."
    ours = [lead, "Add to my articles", "Comment", "Share", P1, P2, P3]
    assert trim_to_vote(ours, [lead, P1, P2, P3]) == [lead, "Add to my articles", "Comment", "Share", P1, P2, P3]
    # A comment heading after the story, over comments the other method does not have, still ends it ...
    comments = ["I was there and the debate was a farce from start to finish, honestly.",
                "The library should have been closed years ago, if you ask me."]
    assert trim_to_vote([lead, P1, P2, "Comments", *comments], [lead, P1, P2]) == [lead, P1, P2]
    # ... and so does one with less of the agreed text after it than before it.
    assert trim_to_vote([lead, P1, P2, "Comments", P3], [lead, P1, P2, P3]) == [lead, P1, P2]


def test_json_ld_article_body_never_yields_scripts_escaped_markup_controls_or_a_listed_story() -> None:
    """A plain-text articleBody holding a <script>, <style> or comment gave them as paragraphs; one whose
    markup was escaped ("&lt;p&gt;") gave "<p>..." as text; a JSON "\\u0000" or ESC stayed in the text;
    a related story listed in an ItemList (sharing the headline's words) was read as the page's own."""
    title = "Council approves the budget for road repairs"
    want = [P1.strip(), P2.strip()]
    for body in (f"{P1}\n<script>var tracker = {{id: 42}};</script>\n<style>.x{{color:red}}</style>\n"
                 f"<!-- cms comment -->\n{P2}",
                 f"&lt;p&gt;{P1}&lt;/p&gt;&lt;p&gt;{P2}&lt;/p&gt;",
                 f"{P1}\u0000\x1b\n{P2}"):
        # "</" escaped as JSON may write it ("<\\/script>"), or the block would end there
        page_html = _bundle_rendered_page(title, {"@type": "NewsArticle", "headline": title, "articleBody": body})
        ex = extract(page_html.replace("</script>\\n", "<\\/script>\\n").replace("</style>", "<\\/style>"))
        assert ex.paragraphs == want, body
    related = {"@type": "ItemList", "itemListElement": [
        {"@type": "NewsArticle", "headline": "Council budget: what the road repairs mean for you",
         "articleBody": "The council approves the budget for road repairs, and drivers will see work start in May. " * 3}]}
    ex = extract(_bundle_rendered_page(title, {"@type": "NewsArticle", "headline": title}, related))
    assert ex.error == "no_main_text" and ex.paragraphs == []


def test_a_noscript_block_holding_another_story_is_not_the_article() -> None:
    """An app shell's <noscript> fallback of its "more stories" widget: another story's headline and text.
    The block was read as the page's article (the other fallbacks ask for the page's headline words)."""
    other = ("<h2>Cup final won on penalties</h2><p>The football team won the cup final "
             "on Saturday after a dramatic penalty shootout in front of a crowd of fifty thousand fans at the national "
             "stadium, its manager said.</p><p>The captain scored the decisive penalty after the goalkeeper saved two "
             "shots, and the players lifted the trophy for the first time in twenty years.</p><p>Thousands of "
             "supporters gathered in the town square on Sunday to welcome the team home with an open-top bus parade, "
             "and the mayor invited the squad to a reception at the town hall next week.</p>")
    html = ("<html><head><title>Council approves the budget for road repairs</title></head><body>"
            f"<div id='root'></div><noscript>{other}</noscript></body></html>")
    ex = extract(html)
    assert ex.error == "no_main_text" and ex.paragraphs == []
    own = html.replace(other, f"<h1>Council approves the budget for road repairs</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p>")
    assert extract(own).paragraphs == [P1.strip(), P2.strip(), P3.strip()]


def test_a_credit_line_of_the_authors_before_the_story_is_no_story_text() -> None:
    # The reporters' names printed alone as the story's first paragraph, after the deck's short lines, are
    # the byline; the same names told in the story stay.
    head = ld({"@type": "NewsArticle", "headline": "Budget approved",
               "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}]})
    story = ["<em>Villagers say the blasts crack their walls</em>", "<strong>Jane Doe/John Roe</strong>",
             "Last week Jane Doe and John Roe visited the quarry. " + LOREM,
             "The quarry opened in 2019. " + LOREM * 2, "Residents want to be paid for the damage. " + LOREM * 2]
    ex = extract(page(head, article(story)))
    assert ex.authors == ["Jane Doe", "John Roe"]
    assert "Jane Doe/John Roe" not in ex.text and "visited the quarry" in ex.text
