"""Navigation shapes the held-back failures suggest and no other probe page shows, through three extractors.

`navigation_pages.py` holds five pages built like the held-back catastrophes (league links, town links,
weather lines, a login box). These pages (session 32) are further shapes of a site's furniture around a
short story, each with invented wording and a gold body (the story's paragraphs, without its headline):
a mega-menu of `<div>` links with no `<nav>`, a sitemap footer longer than the story, a tag cloud, a
numbered "most read" bar, a consent wall's prose, a breadcrumb and section index, stock and weather tables,
a regional-edition picker of `<div>` buttons, a league selector of 400 plain `<li>`s, an author bio longer
than the story, a comment thread ten times the story, an `<article>` that wraps the whole page, hashed
class names on bare `<div>`s, a 60-word story among link lists, and German, French, Spanish and Japanese
variants. Session 33 adds eleven pages of four shapes: readers' comments with no marker line (English,
German) or printed before the headline, a live blog with a "Comment" button on every entry (English,
French), a publisher's notice after the story (rights, "originally published", a sign-up box and company
note, German), and an author bio that starts in the text's first half (English, German).

    .venv/bin/python benchmarks/navigation_shapes.py [--scorer ../shared/eval/score_extraction.py] [--show NAME]

Prints page F1, precision and recall of the AEB metric (`score_extraction.py`'s functions) for ours,
trafilatura (`bare_extraction(html, url=url, with_metadata=True, include_comments=False)`) and
readability-lxml (`Document(html).summary()` as text blocks), as `extract_bench.py` runs them; a page
marked `<` is one where ours is under 0.5 or more than 0.05 below the best anchor.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import DEFAULT_SCORER, EXTRACTORS, load_scorer, score_pages  # noqa: E402

Page = tuple[str, list[str], str]  # html, gold paragraphs, url


def _h(seed: str) -> str:
    """A hashed class name as CSS modules print them ("css-1a2b3c4", "_3f9e1")."""
    digest = hashlib.sha1(seed.encode()).hexdigest()
    return f"css-{digest[:7]}" if digest[0] < "8" else f"_{digest[1:6]}"


def _p(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _doc(title: str, body: str, *, lang: str = "en", site: str = "The Valley Courier") -> str:
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"<meta property='og:title' content='{title}'><meta name='author' content='Ruth Calder'>"
            f"<meta property='article:published_time' content='2025-05-06T07:10:00+01:00'></head>"
            f"<body>{body}</body></html>")


def _slug(text: str) -> str:
    return "-".join(text.lower().split())[:40]


# ------------------------------------------------------------------------------------------ stories
LIBRARY = [
    "The district council approved on Monday a plan to reopen the branch library in Kirkby Marsh, which has "
    "been closed since part of its roof collapsed in the storms of 2022.",
    "Repairs will cost 840,000 pounds, two thirds of it paid by a national heritage grant, and should take "
    "about eight months once a contractor is chosen in the summer.",
    "Librarians said the branch lent more than 30,000 books a year before it shut, many of them to pupils of "
    "the two primary schools nearby.",
    "A mobile library will keep visiting the village hall every Thursday until the building reopens.",
]
LIBRARY_TITLE = "Kirkby Marsh library to reopen after roof repairs"

MATCH = [
    "Harlow Rovers came from two goals down to draw 2-2 with Eastbridge on Saturday and stay top of the "
    "northern division on goal difference.",
    "Eastbridge led through a header from Tom Baines after ten minutes and a penalty before half-time, but "
    "substitute Kofi Mensah scored twice in the last quarter of an hour.",
    "Rovers' manager said his side had been too slow in the first half and praised the 1,900 travelling "
    "supporters for their patience.",
]
MATCH_TITLE = "Mensah double rescues a point for Harlow Rovers"

MARKETS = [
    "European shares edged higher on Tuesday as investors weighed better-than-expected factory orders in "
    "Germany against fresh worries about shipping costs.",
    "Carmakers led the gains after two large manufacturers said supply problems with chips had eased, while "
    "utilities fell for a third day.",
    "Traders said attention was turning to the central bank's meeting next week, where most economists "
    "expect interest rates to stay on hold.",
    "The euro was little changed against the dollar and oil prices slipped by about one percent.",
]
MARKETS_TITLE = "European shares edge up as factory orders surprise"

FROST = [
    "Gardeners across the valley have been warned to protect seedlings tonight as temperatures are forecast "
    "to fall to minus three degrees after a week of mild weather.",
    "The late frost is expected to be sharpest in sheltered hollows away from the river, the regional weather "
    "service said in a statement on Tuesday afternoon.",
    "Fruit growers plan to run frost fans through the night to save blossom in the orchards near Calder Bridge.",
]
FROST_TITLE = "Late frost warning for valley gardeners"

BRIDGE = [
    "Engineers have closed the old footbridge over the Wren canal after an inspection found corrosion in two "
    "of its steel supports, the city council said on Wednesday.",
    "Pedestrians and cyclists will be diverted over the road bridge at Mill Lane, adding about ten minutes to "
    "a walk into the centre from the northern estates.",
    "The council said it would decide within a month whether to repair the 1960s structure or replace it, "
    "and apologised to residents for the short notice.",
    "A petition asking for a temporary crossing had gathered more than 2,000 signatures by Wednesday evening.",
]
BRIDGE_TITLE = "Canal footbridge closed after corrosion found"

BAKERY = [
    "A bakery in Thornby has won the national sourdough prize, beating more than 400 entries with a loaf made "
    "from flour milled three miles away.",
    "Owner Priya Natarajan, who opened the shop in a former bank four years ago, said she started baking "
    "during the pandemic to keep her children busy.",
    "The judges praised the loaf's crust and its slightly sweet taste, which she puts down to a starter she "
    "has fed every day since 2020.",
]
BAKERY_TITLE = "Thornby bakery wins national sourdough prize"

SHORT = [
    "A fire at a recycling depot on the Lowfield industrial estate sent smoke across the town on Sunday "
    "morning, but nobody was hurt.",
    "Six crews fought the blaze for three hours, and residents were told to keep windows closed until the "
    "afternoon. The cause is being investigated.",
]
SHORT_TITLE = "Fire at Lowfield recycling depot"

CONCERT = [
    "The city orchestra will play a free concert in Riverside Park on the first Saturday of July, its first "
    "outdoor performance since the hall's renovation began.",
    "The programme mixes film music with Dvořák's New World Symphony, and the conductor said she hoped to "
    "reach families who had never been to a classical concert.",
    "Organisers expect about 5,000 people and ask visitors to bring blankets rather than chairs.",
]
CONCERT_TITLE = "Free orchestra concert planned for Riverside Park"

TOWNS = ("Abbots Ford", "Ashby Dale", "Barrow End", "Benfield", "Birch Hill", "Bramley", "Calder Bridge", "Carnford",
         "Chapel Moor", "Clifton Vale", "Cressing", "Dunmore", "Eastbridge", "Elmstead", "Fairholme", "Fenwick",
         "Foxley", "Glenrow", "Greyhaven", "Hadley Cross", "Harlow", "Hatherley", "Holme Green", "Ivybridge",
         "Kelford", "Kirkby Marsh", "Langdon", "Lowfield", "Marston", "Millbrook", "Netherby", "Northwold",
         "Oakhurst", "Pelham", "Quarry Bank", "Redcliffe", "Rowton", "Saltmarsh", "Sandford", "Shelby",
         "Stanway", "Thornby", "Upton Lea", "Walden", "Westmoor", "Whitby Cross", "Wickham", "Yarrow")
SECTIONS = ("News", "Local", "Politics", "Business", "Money", "Sport", "Football", "Cricket", "Rugby", "Motoring",
            "Property", "Jobs", "Travel", "Food", "Health", "Education", "Environment", "Opinion", "Letters",
            "Obituaries", "Family notices", "Weather", "Traffic", "What's on", "Puzzles", "Newsletters")
HEADLINES = ("Council tax to rise by 4.9 per cent from April after budget vote",
             "Police appeal for witnesses after late-night crash on the bypass",
             "New owners promise to save the town's last department store",
             "Hospital car park charges to be scrapped for night-shift staff",
             "Teenager's invention wins a place at the national science fair",
             "Plans for 300 homes on former quarry site go on public display",
             "Rail services disrupted for a week while the tunnel is repaired",
             "Pub that served its first pint in 1642 is up for sale again",
             "School inspectors praise the turnaround at Westmoor Academy",
             "Charity shop volunteer celebrates forty years behind the till")


# ------------------------------------------------------------------------------------------ the pages
def mega_menu_divs() -> Page:
    """Hundreds of links in nested <div> columns above the story, no <nav>, <ul> or menu class."""
    cols = []
    for s in SECTIONS:
        links = "".join(f"<div class='{_h('item')}'><a href='/{_slug(s)}/{_slug(t)}'>{t}</a></div>" for t in TOWNS[:12])
        cols.append(f"<div class='{_h('col')}'><div class='{_h('head')}'><a href='/{_slug(s)}'>{s}</a></div>{links}</div>")
    body = (f"<div class='{_h('top')}'><a href='/'>The Valley Courier</a></div><div class='{_h('mega')}'>{''.join(cols)}</div>"
            f"<div class='{_h('main')}'><h1>{LIBRARY_TITLE}</h1><div class='{_h('by')}'>By Ruth Calder, 6 May 2025</div>"
            f"<div class='{_h('text')}'>{_p(LIBRARY)}</div></div>")
    return _doc(LIBRARY_TITLE, body), LIBRARY, "https://www.valleycourier.example/news/kirkby-marsh-library"


def sitemap_footer() -> Page:
    """A footer of a dozen headed link columns and the publisher's notes, longer than the story."""
    cols = "".join(f"<div><h4>{s}</h4>" + "".join(f"<a href='/{_slug(s)}/{i}'>{t}</a><br>" for i, t in enumerate(TOWNS[:14]))
                   + "</div>" for s in SECTIONS[:12])
    notes = ("<p>The Valley Courier is part of Northern Ledger Media Ltd, registered in England and Wales with "
             "company number 04512345. Registered office: 1 Mill Street, Calder Bridge.</p>"
             "<p>We are regulated by the Independent Press Standards Organisation. If you have a complaint about "
             "editorial content, please contact the editor or visit our complaints page.</p>")
    body = (f"<div class='{_h('hdr')}'><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></div>"
            f"<div class='{_h('story')}'><h1>{FROST_TITLE}</h1>{_p(FROST)}</div>"
            f"<div class='{_h('foot')}'>{cols}{notes}</div>")
    return _doc(FROST_TITLE, body), FROST, "https://www.valleycourier.example/weather/late-frost-warning"


def tag_cloud() -> Page:
    """A cloud of 90 topic links after the story, only spaces between them."""
    tags = " ".join(f"<a href='/topic/{_slug(t)}' style='font-size:{10 + i % 9}px'>{t}</a>"
                    for i, t in enumerate((*TOWNS, *SECTIONS, *(f"{s} {t}" for s, t in zip(SECTIONS, TOWNS, strict=False)))[:90]))
    body = (f"<div class='page'><h1>{BRIDGE_TITLE}</h1><div class='content'>{_p(BRIDGE)}</div>"
            f"<div class='{_h('cloud')}'><span>Topics</span> {tags}</div></div>")
    return _doc(BRIDGE_TITLE, body), BRIDGE, "https://www.valleycourier.example/news/canal-footbridge-closed"


def most_read_numbered() -> Page:
    """A numbered bar of ten long headlines (no sentence ends) between the menu and the story."""
    items = "".join(f"<div class='{_h('row')}'><span class='{_h('num')}'>{i + 1}</span><a href='/news/{i}'>{h}</a></div>"
                    for i, h in enumerate(HEADLINES))
    body = (f"<div class='{_h('menu')}'>" + " ".join(f"<a href='/{_slug(s)}'>{s}</a>" for s in SECTIONS[:10]) + "</div>"
            f"<div class='{_h('bar')}'><div class='{_h('label')}'>Most read</div>{items}</div>"
            f"<div class='{_h('art')}'><h1>{BAKERY_TITLE}</h1><div class='{_h('body')}'>{_p(BAKERY)}</div></div>")
    return _doc(BAKERY_TITLE, body), BAKERY, "https://www.valleycourier.example/food/thornby-sourdough"


CONSENT_EN = [
    "We value your privacy. We and our 847 partners store and/or access information on a device, such as cookies, "
    "and process personal data, such as unique identifiers and standard information sent by a device for "
    "personalised advertising and content, advertising and content measurement, audience research and services "
    "development.",
    "With your permission we and our partners may use precise geolocation data and identification through device "
    "scanning. You may click to consent to our and our partners' processing as described above. Alternatively you "
    "may access more detailed information and change your preferences before consenting or to refuse consenting.",
    "Please note that some processing of your personal data may not require your consent, but you have a right to "
    "object to such processing. Your preferences will apply to this website only. You can change your preferences "
    "at any time by returning to this site or visiting our privacy policy.",
]


def consent_wall() -> Page:
    """A consent platform's three paragraphs of prose printed in the page above the story (hashed ids)."""
    wall = (f"<div id='{_h('cmp')}' class='{_h('cmp2')}'><div class='{_h('cmp3')}'><h2>We value your privacy</h2>"
            f"{_p(CONSENT_EN)}<div><button>I accept</button> <button>More options</button></div></div></div>")
    body = (f"{wall}<div class='{_h('nav')}'>" + " ".join(f"<a href='/{_slug(s)}'>{s}</a>" for s in SECTIONS[:12])
            + f"</div><div class='{_h('story')}'><h1>{CONCERT_TITLE}</h1>{_p(CONCERT)}</div>")
    return _doc(CONCERT_TITLE, body), CONCERT, "https://www.valleycourier.example/whats-on/riverside-concert"


def breadcrumb_index() -> Page:
    """A seven-step breadcrumb and an index of 40 subsections as spans of links, above the story."""
    crumbs = " <span>›</span> ".join(f"<a href='/{_slug(c)}'>{c}</a>" for c in
                                     ("Home", "News", "UK", "England", "North West", "Cumbria", "Calder Bridge"))
    index = "".join(f"<span class='{_h('ix')}'><a href='/news/{_slug(t)}'>{t} news</a></span>" for t in TOWNS[:40])
    body = (f"<div class='{_h('crumbs')}'>{crumbs}</div><div class='{_h('index')}'><b>In this section</b>{index}</div>"
            f"<div class='{_h('art')}'><h1>{BRIDGE_TITLE}</h1>{_p(BRIDGE)}</div>")
    return _doc(BRIDGE_TITLE, body), BRIDGE, "https://www.valleycourier.example/news/calder-bridge/footbridge"


def stock_table() -> Page:
    """A sidebar table of 30 stock quotes beside a markets report."""
    names = ("DAX", "CAC 40", "FTSE 100", "IBEX 35", "FTSE MIB", "AEX", "SMI", "Stoxx 600", "Euro Stoxx 50", "OMX 30")
    rows = "".join(f"<tr><td><a href='/quote/{i}'>{n}{' ' + str(i // 10) if i >= 10 else ''}</a></td><td>{18000 - i * 377:,}.{i:02d}</td>"
                   f"<td>{'+' if i % 3 else '-'}{(i % 7) / 10 + 0.12:.2f}%</td></tr>" for i, n in enumerate(names * 3))
    body = (f"<div class='{_h('wrap')}'><div class='{_h('side')}'><h3>Markets</h3><table>{rows}</table></div>"
            f"<div class='{_h('art')}'><h1>{MARKETS_TITLE}</h1>{_p(MARKETS)}</div></div>")
    return _doc(MARKETS_TITLE, body), MARKETS, "https://www.valleycourier.example/business/markets-factory-orders"


def weather_table() -> Page:
    """A seven-day forecast table of twelve towns beside a weather story."""
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    head = "<tr><th>Town</th>" + "".join(f"<th>{d}</th>" for d in days) + "</tr>"
    rows = "".join(f"<tr><td>{t}</td>" + "".join(f"<td>{(j * 3 + k) % 14 - 2}° {('sun', 'cloud', 'rain', 'frost')[(j + k) % 4]}</td>"
                                                 for k in range(7)) + "</tr>" for j, t in enumerate(TOWNS[:12]))
    body = (f"<div class='{_h('w1')}'><h1>{FROST_TITLE}</h1>{_p(FROST)}</div>"
            f"<div class='{_h('w2')}'><h3>Seven-day forecast</h3><table>{head}{rows}</table></div>")
    return _doc(FROST_TITLE, body), FROST, "https://www.valleycourier.example/weather/frost"


def edition_picker() -> Page:
    """A regional-edition picker: 48 towns as <div> buttons (no links) and a short story."""
    towns = "".join(f"<div class='{_h('btn')}' role='button' data-edition='{_slug(t)}'>{t}</div>" for t in TOWNS)
    body = (f"<div class='{_h('ed')}'><div>Choose your edition</div><div class='{_h('grid')}'>{towns}</div></div>"
            f"<div class='{_h('art')}'><h1>{LIBRARY_TITLE}</h1>{_p(LIBRARY)}</div>")
    return _doc(LIBRARY_TITLE, body), LIBRARY, "https://www.valleycourier.example/kirkby-marsh/library"


def _leagues() -> list[str]:
    countries = ("England", "Spain", "Germany", "Italy", "France", "Portugal", "Netherlands", "Belgium", "Scotland",
                 "Turkey", "Greece", "Austria", "Switzerland", "Denmark", "Sweden", "Norway", "Poland", "Brazil",
                 "Argentina", "Mexico")
    tiers = ("Premier Division", "First Division", "Second Division", "Third Division North", "Third Division South",
             "Cup", "Women's League", "Youth League U19", "Reserve League", "Regional League East",
             "Regional League West", "Amateur Cup", "Super Cup", "League Cup", "Play-offs", "Futsal League",
             "Women's Cup", "U17 League", "U21 League", "Veterans League")
    return [f"{c}: {t}" for c in countries for t in tiers]


def league_list_plain() -> Page:
    """A league selector of 400 plain <li> items (no links: a script opens them) above a match report."""
    items = "".join(f"<li data-id='{i}'><span>{name}</span></li>" for i, name in enumerate(_leagues()))
    body = (f"<div class='{_h('sel')}'><div>All competitions</div><ul class='{_h('list')}'>{items}</ul></div>"
            f"<div class='{_h('rep')}'><h1>{MATCH_TITLE}</h1>{_p(MATCH)}</div>")
    return _doc(MATCH_TITLE, body), MATCH, "https://www.valleycourier.example/sport/football/harlow-eastbridge"


BIO = [
    "Ruth Calder is the Courier's local democracy reporter, covering the district council, the county's health "
    "services and planning across the valley. She joined the paper in 2016 after six years at the Northern Echo.",
    "Before becoming a journalist she worked as a librarian in Leeds and Sheffield, and she still volunteers at "
    "the reading group of her village library every other Thursday evening.",
    "Her investigation into the sale of council land at Quarry Bank was shortlisted for the regional press awards "
    "in 2021, and her reporting on hospital waiting times won the community journalism prize in 2023.",
    "She lives in Calder Bridge with her partner and two children and can be contacted with story ideas by email "
    "or through the newsroom switchboard during office hours.",
]


def author_bio() -> Page:
    """An author box of four prose paragraphs after a three-paragraph story, and the author's other stories."""
    more = "".join(f"<div><a href='/news/{i}'>{h}</a></div>" for i, h in enumerate(HEADLINES[:5]))
    body = (f"<div class='{_h('art')}'><h1>{BAKERY_TITLE}</h1><div>By Ruth Calder</div>{_p(BAKERY)}</div>"
            f"<div class='{_h('author')}'><h3>About Ruth Calder</h3>{_p(BIO)}<div>More from Ruth Calder</div>{more}</div>")
    return _doc(BAKERY_TITLE, body), BAKERY, "https://www.valleycourier.example/food/bakery-prize"


COMMENTS = [
    "I grew up near there and the depot has had problems for years, the council never listens to anyone about it.",
    "Thank you to the fire crews, they were out there in the cold for hours while most of us were still asleep.",
    "Does anyone know whether the smoke was toxic? My kids were playing in the garden before we heard the news.",
    "This is the third fire at a recycling site in the county this year, someone needs to look at how they store batteries.",
    "Lived on that estate for twenty years and the smell this morning was the worst I can remember, windows shut all day.",
]


def comment_thread() -> Page:
    """A comment thread ten times as long as a two-paragraph story, comments in hashed-class <div>s."""
    comments = "".join(
        f"<div class='{_h('c')}'><div class='{_h('cu')}'>reader{i:03d}</div><div class='{_h('ct')}'>{i % 9 + 1} hours ago</div>"
        f"<p>{COMMENTS[i % 5]} {COMMENTS[(i + 2) % 5]}</p><div class='{_h('ca')}'><span>Reply</span> <span>Like</span> "
        f"<span>{i % 7}</span></div></div>" for i in range(24))
    body = (f"<div class='{_h('art')}'><h1>{SHORT_TITLE}</h1>{_p(SHORT)}</div>"
            f"<div class='{_h('cs')}'><h3>24 comments</h3><div>Sort by: Newest</div>{comments}</div>")
    return _doc(SHORT_TITLE, body), SHORT, "https://www.valleycourier.example/news/lowfield-fire"


POSTED = [
    "Every summer the same thing happens and every summer we are told the bridge will be looked at next year.",
    "Good to see the council finally acting, although a temporary crossing should have been ready years ago.",
    "My daughter cycles over that bridge to school, the diversion along Mill Lane is not safe for children.",
    "The steelwork has been rusting for as long as I can remember, anyone walking underneath could see it.",
    "Replace it with something that will last another sixty years rather than patching it up yet again.",
    "Ten minutes more on foot is not the end of the world, it is better than the bridge coming down.",
]


def posted_by_comments() -> Page:
    """'Posted by X on <date>' comments, ten times the story, in plain <div>s after it."""
    comments = "".join(
        f"<div><div>Posted by reader{i:02d} on 7 May 2025 at {8 + i % 12}:{i * 7 % 60:02d}</div>"
        f"<p>{POSTED[i % 6]} {POSTED[(i + 3) % 6]}</p><div><a href='#r{i}'>Reply</a> | <a href='#a{i}'>Report abuse</a>"
        f"</div></div>" for i in range(22))
    body = (f"<div class='{_h('pa')}'><h1>{BRIDGE_TITLE}</h1>{_p(BRIDGE)}</div>"
            f"<div class='{_h('pc')}'><h3>Leave a comment</h3>{comments}</div>")
    return _doc(BRIDGE_TITLE, body), BRIDGE, "https://www.valleycourier.example/news/footbridge-comments"


KOMMENTARE = [
    "Endlich passiert etwas, wir warten in Wachtberg seit Jahren auf eine vernünftige Verbindung zum Bahnhof.",
    "Stundentakt ist schön und gut, aber am Wochenende alle zwei Stunden reicht für niemanden wirklich aus.",
    "Wer bezahlt das am Ende? Natürlich wieder die Bürger über die Grundsteuer, wie immer in dieser Stadt.",
    "Meine Mutter ist 84 und kommt ohne Auto nicht mehr zum Arzt, für sie ist das eine große Erleichterung.",
    "Die alte Linie wurde vor zehn Jahren gestrichen, weil sie angeblich niemand genutzt hat, wie passt das?",
]


def de_comment_list() -> Page:
    """German: a 'Kommentare (20)' list of <li> comments with 'Antworten' links, ten times the story."""
    items = "".join(f"<li><div><b>Leser{i:02d}</b> <span>vor {i + 1} Stunden</span></div>"
                    f"<p>{KOMMENTARE[i % 5]} {KOMMENTARE[(i + 2) % 5]}</p><a href='#c{i}'>Antworten</a></li>"
                    for i in range(20))
    body = (f"<div class='{_h('dka')}'><h1>{DE_TITLE}</h1>{_p(DE)}</div>"
            f"<div class='{_h('dkc')}'><h2>Kommentare (20)</h2><ul>{items}</ul></div>")
    return _doc(DE_TITLE, body, lang="de", site="Rhein-Anzeiger"), DE, "https://www.rhein-anzeiger.example/region/buslinie-kommentare"


def article_wraps_page() -> Page:
    """An <article> that holds the whole page: the site's menu, a most-read list, the story and the footer."""
    menu = "".join(f"<li><a href='/{_slug(s)}'>{s}</a></li>" for s in SECTIONS)
    towns = "".join(f"<li><a href='/local/{_slug(t)}'>{t}</a></li>" for t in TOWNS[:30])
    read = "".join(f"<li><a href='/news/{i}'>{h}</a></li>" for i, h in enumerate(HEADLINES))
    body = (f"<article><div class='{_h('h')}'><ul>{menu}</ul><ul>{towns}</ul></div>"
            f"<div class='{_h('r')}'><h3>Most read</h3><ol>{read}</ol></div>"
            f"<h1>{BRIDGE_TITLE}</h1>{_p(BRIDGE)}"
            f"<div class='{_h('f')}'><ul>{menu}</ul><p>© 2025 The Valley Courier</p></div></article>")
    return _doc(BRIDGE_TITLE, body), BRIDGE, "https://www.valleycourier.example/news/footbridge-closed"


def hashed_divs() -> Page:
    """No semantic tags, no <p>s, hashed class names: menu, story, teasers and footer are all <div>s."""
    menu = "".join(f"<div class='{_h('m')}'><a href='/{_slug(s)}'>{s}</a></div>" for s in SECTIONS)
    teasers = "".join(f"<div class='{_h('t')}'><a href='/news/{i}'><div class='{_h('tt')}'>{h}</div></a>"
                      f"<div class='{_h('td')}'>{i + 2} hours ago</div></div>" for i, h in enumerate(HEADLINES))
    story = "".join(f"<div class='{_h('para')}'>{p}</div>" for p in MARKETS)
    body = (f"<div id='root'><div class='{_h('a')}'>{menu}</div><div class='{_h('b')}'>"
            f"<div class='{_h('hl')}'>{MARKETS_TITLE}</div><div class='{_h('by')}'>Ruth Calder · 6 May 2025</div>"
            f"<div class='{_h('st')}'>{story}</div></div><div class='{_h('c')}'>{teasers}</div>"
            f"<div class='{_h('d')}'>{menu}</div></div>")
    return _doc(MARKETS_TITLE, body), MARKETS, "https://www.valleycourier.example/business/markets-edge-up"


def short_among_lists() -> Page:
    """A 50-word story with link lists above, beside and below it, all in hashed-class <div>s."""
    def block(items: tuple[str, ...], key: str) -> str:
        return f"<div class='{_h(key)}'>" + "".join(f"<div><a href='/{key}/{_slug(t)}'>{t}</a></div>" for t in items) + "</div>"

    body = (block(SECTIONS, "top") + block(TOWNS[:24], "left")
            + f"<div class='{_h('s')}'><h1>{SHORT_TITLE}</h1>{_p(SHORT)}</div>"
            + block(HEADLINES, "right") + block(TOWNS[24:], "bottom") + block(SECTIONS, "foot"))
    return _doc(SHORT_TITLE, body), SHORT, "https://www.valleycourier.example/news/lowfield-depot-fire"


# ------------------------------------------------------------------------------------------ other languages
ORTE = ("Aachen", "Bad Honnef", "Bergheim", "Bonn", "Brühl", "Düren", "Erftstadt", "Euskirchen", "Frechen", "Hennef",
        "Hürth", "Kerpen", "Königswinter", "Leverkusen", "Meckenheim", "Niederkassel", "Pulheim", "Rheinbach",
        "Siegburg", "Sankt Augustin", "Troisdorf", "Wesseling", "Zülpich", "Lohmar", "Much", "Neunkirchen",
        "Ruppichteroth", "Windeck", "Eitorf", "Swisttal", "Alfter", "Bornheim", "Wachtberg", "Overath")
DE_TITLE = "Stadtrat beschließt neue Buslinie nach Wachtberg"
DE = [
    "Der Stadtrat hat am Dienstagabend mit großer Mehrheit eine neue Buslinie zwischen dem Bahnhof und den "
    "Ortsteilen von Wachtberg beschlossen.",
    "Die Busse sollen ab dem Fahrplanwechsel im Dezember werktags im Stundentakt fahren, am Wochenende alle zwei "
    "Stunden. Die Kosten von rund 600.000 Euro im Jahr teilen sich Stadt und Kreis.",
    "Anwohner hatten seit Jahren eine bessere Anbindung gefordert, vor allem für ältere Menschen ohne Auto.",
]


def de_edition_picker() -> Page:
    """German: a picker of 34 local editions as <div>s with links, and a short story."""
    orte = "".join(f"<div class='{_h('o')}'><a href='/region/{_slug(o)}'>{o}</a></div>" for o in ORTE)
    body = (f"<div class='{_h('kopf')}'><a href='/'>Rhein-Anzeiger</a></div>"
            f"<div class='{_h('wahl')}'><div>Wählen Sie Ihre Region</div>{orte}</div>"
            f"<div class='{_h('artikel')}'><h1>{DE_TITLE}</h1><div>Von Ruth Calder</div>{_p(DE)}</div>")
    return _doc(DE_TITLE, body, lang="de", site="Rhein-Anzeiger"), DE, "https://www.rhein-anzeiger.example/region/wachtberg/buslinie"


FR_TITLE = "La médiathèque de Saint-Aubin rouvre ses portes après deux ans de travaux"
FR = [
    "Fermée depuis deux ans pour des travaux de rénovation, la médiathèque de Saint-Aubin a rouvert samedi en "
    "présence du maire et de plusieurs centaines d'habitants.",
    "Le bâtiment dispose désormais d'une salle de lecture agrandie, d'un espace pour les jeux vidéo et d'un jardin "
    "ouvert au public les après-midi d'été.",
    "Le chantier a coûté 3,2 millions d'euros, financés en partie par la région et l'État, a précisé la mairie.",
]
FR_CONSENT = [
    "Avec votre accord, nos partenaires et nous utilisons des cookies ou technologies similaires pour stocker et "
    "accéder à des informations personnelles comme votre visite sur ce site.",
    "Vous pouvez retirer votre consentement ou vous opposer aux traitements basés sur l'intérêt légitime à tout "
    "moment en cliquant sur « En savoir plus » ou dans notre politique de confidentialité sur ce site.",
]
FR_HEADLINES = ("Les prix de l'immobilier reculent pour la première fois depuis dix ans",
                "Un nouveau pont sur la Loire ouvrira à la circulation au printemps prochain",
                "Grève des transports : les lignes perturbées ce jeudi dans la métropole",
                "Le marché de Noël accueillera cette année plus de cent exposants",
                "Une boulangerie du centre-ville élue meilleure baguette du département",
                "Les vendanges commencent avec deux semaines d'avance dans le vignoble")


def fr_consent_most_read() -> Page:
    """French: a consent box of prose and a numbered "Les plus lus" bar above the story."""
    wall = f"<div class='{_h('fr-cmp')}'><div>{_p(FR_CONSENT)}<button>Accepter</button><button>Refuser</button></div></div>"
    items = "".join(f"<div><span>{i + 1}</span><a href='/actu/{i}'>{h}</a></div>" for i, h in enumerate(FR_HEADLINES))
    body = (f"{wall}<div class='{_h('frm')}'><div>Les plus lus</div>{items}</div>"
            f"<div class='{_h('fra')}'><h1>{FR_TITLE}</h1>{_p(FR)}</div>")
    return _doc(FR_TITLE, body, lang="fr", site="L'Écho de la Loire"), FR, "https://www.echo-loire.example/actu/mediatheque-saint-aubin"


ES_TITLE = "El Atlético Rioja remonta y se mantiene líder de la categoría"
ES = [
    "El Atlético Rioja remontó un 0-2 en la segunda parte y empató 2-2 ante el Deportivo Ebro, un resultado que "
    "le permite seguir en lo más alto de la clasificación.",
    "El delantero Javier Lozano, que salió desde el banquillo, marcó los dos goles en los últimos veinte minutos "
    "ante cerca de 4.000 aficionados.",
    "El entrenador lamentó la mala primera parte de su equipo, pero destacó la reacción de los jugadores.",
]


def es_league_list() -> Page:
    """Spanish: a competition list of 400 <li> links of three to five words above a match report."""
    ligas = "".join(f"<li><a href='/futbol/{i}'>{name}</a></li>" for i, name in
                    enumerate(f"{c}: {t}" for c in ("España", "Inglaterra", "Alemania", "Italia", "Francia", "Portugal",
                                                     "Argentina", "México", "Brasil", "Chile", "Colombia", "Uruguay",
                                                     "Perú", "Ecuador", "Paraguay", "Bolivia", "Venezuela", "Estados Unidos",
                                                     "Países Bajos", "Bélgica")
                              for t in ("Primera División", "Segunda División", "Copa del Rey", "Liga Femenina",
                                        "Primera RFEF Grupo 1", "Primera RFEF Grupo 2", "Segunda RFEF", "Tercera RFEF",
                                        "Liga Juvenil", "Copa de la Liga", "Supercopa", "Liga Sub 21", "Copa Femenina",
                                        "Liga Regional Norte", "Liga Regional Sur", "Fútbol Sala", "Playoffs",
                                        "Liga Sub 17", "Liga Amateur", "Copa Amateur")))
    body = (f"<div class='{_h('es-nav')}'><ul>{ligas}</ul></div>"
            f"<div class='{_h('es-art')}'><h1>{ES_TITLE}</h1>{_p(ES)}</div>")
    return _doc(ES_TITLE, body, lang="es", site="Diario del Ebro"), ES, "https://www.diarioebro.example/deportes/atletico-rioja-remonta"


JA_TITLE = "市立図書館、改修終え再開　閲覧席を倍増"
JA = [
    "老朽化に伴う改修工事で約二年間休館していた市立中央図書館が六日、再開した。",
    "閲覧席は従来の二倍の約三百席に増え、子ども向けの読み聞かせスペースや自習室も新たに設けられた。",
    "開館前から約二百人が列を作り、市長は「市民の学びの拠点として活用してほしい」と話した。",
]
JA_SECTIONS = ("ニュース", "政治", "経済", "国際", "社会", "スポーツ", "文化", "科学", "地域", "天気", "生活", "教育")
JA_AREAS = ("札幌", "仙台", "東京", "横浜", "名古屋", "京都", "大阪", "神戸", "広島", "福岡", "那覇", "新潟", "金沢",
            "静岡", "岡山", "熊本")


def ja_mega_menu() -> Page:
    """Japanese: a mega-menu of 12 sections x 16 areas as <div> links, above a three-sentence story."""
    cols = "".join(f"<div class='{_h('jc')}'><div>{s}</div>" + "".join(
        f"<div><a href='/{i}/{j}'>{a}の{s}</a></div>" for j, a in enumerate(JA_AREAS)) + "</div>"
        for i, s in enumerate(JA_SECTIONS))
    body = (f"<div class='{_h('jm')}'>{cols}</div><div class='{_h('ja')}'><h1>{JA_TITLE}</h1>{_p(JA)}</div>"
            f"<div class='{_h('jf')}'><a href='/privacy'>個人情報保護方針</a></div>")
    return _doc(JA_TITLE, body, lang="ja", site="中央日報"), JA, "https://www.chuo-nippo.example/articles/20250506/library"


# ------------------------------------------------------------------------------------------ session 33
# Four shapes the held-back failures still show: readers' comments with no marker line (or printed above
# the headline), a live blog whose every entry has its own "Comment" / "Share" line, a publisher's notice
# after the story (copyright, "originally published", newsletter box), an author bio that starts in the
# text's first half. Invented publishers and wording, as above.
FERRY = [
    "The ferry between Saltmarsh and the island of Holm will stop running for six weeks from Monday while its "
    "only vessel goes into dry dock for repairs to a propeller shaft.",
    "Islanders will be carried by a chartered fishing boat twice a day, but cars and lorries cannot cross, and "
    "the shop on Holm has asked the county for help with deliveries.",
    "The operator said the repair could not wait until the winter after divers found a crack during a routine "
    "inspection last week.",
]
FERRY_TITLE = "Island ferry out of service for six weeks"

OPINIONS_NO_MARKER = [
    "Six weeks without a car ferry in the middle of summer, the island's guest houses will lose half their season.",
    "The boat is thirty years old, everyone on Holm knew this would happen sooner or later and nothing was done.",
    "My mother lives on the island and depends on the weekly pharmacy van, who is going to bring her medicine now?",
    "Credit to the crew of the fishing boat for stepping in, they have been doing the crossing for free all week.",
    "Build the causeway that was promised in 1998 and this would never be a problem again for anybody.",
]


def comments_no_marker() -> Page:
    """Readers' comments under the story with no heading nor count: handle, age, text, "Reply · N likes"."""
    comments = "".join(
        f"<div class='{_h('k')}'><div class='{_h('kh')}'><b>{('islander', 'Holm_Mum', 'saltydog', 'ferrywatch')[i % 4]}{i}</b>"
        f" <span>{i % 11 + 1} hours ago</span></div><p>{OPINIONS_NO_MARKER[i % 5]} {OPINIONS_NO_MARKER[(i + 2) % 5]}</p>"
        f"<div class='{_h('kf')}'><a href='#r{i}'>Reply</a> · <span>{i % 6} likes</span></div></div>" for i in range(18))
    body = (f"<div class='{_h('hd')}'><a href='/'>Harbour Gazette</a></div>"
            f"<div class='{_h('story')}'><h1>{FERRY_TITLE}</h1><div>By Tom Okafor</div>{_p(FERRY)}</div>"
            f"<div class='{_h('thread')}'>{comments}</div>")
    return (_doc(FERRY_TITLE, body, site="Harbour Gazette"), FERRY,
            "https://www.harbourgazette.example/news/island-ferry-dry-dock")


def comments_above_headline() -> Page:
    """A two-column page whose source order puts the readers' thread (under "12 comments") before the story."""
    comments = "".join(
        f"<li><span>{('Marsh walker', 'Ann P', 'D. Hughes')[i % 3]}</span> <time>{i + 1}h</time>"
        f"<p>{COMMENTS[i % 5]} {COMMENTS[(i + 3) % 5]}</p><span>Reply</span> <span>Report</span></li>" for i in range(12))
    body = (f"<div class='{_h('cols')}'><aside class='{_h('left')}'><h3>12 comments</h3><ul>{comments}</ul></aside>"
            f"<div class='{_h('main')}'><h1>{SHORT_TITLE}</h1>{_p(SHORT)}</div></div>")
    return _doc(SHORT_TITLE, body, site="Fenwick Post"), SHORT, "https://www.fenwickpost.example/news/lowfield-fire-smoke"


DE_LESER = [
    "Sechs Wochen ohne Fähre im Sommer, das ist für die Gastronomie auf der Insel eine echte Katastrophe.",
    "Das Schiff ist über dreißig Jahre alt, jeder wusste, dass so etwas irgendwann passieren würde.",
    "Meine Eltern wohnen dort und sind auf den Arzt in der Stadt angewiesen, wie sollen sie jetzt hinkommen?",
    "Danke an die Fischer, die jetzt zweimal am Tag übersetzen, das ist nicht selbstverständlich.",
]
DE_FAEHRE_TITLE = "Inselfähre fällt sechs Wochen aus"
DE_FAEHRE = [
    "Die Fähre zwischen Neuharlingen und der Insel Wangerholm fällt ab Montag für sechs Wochen aus, weil das "
    "einzige Schiff der Reederei in die Werft muss.",
    "Taucher hatten bei einer Routinekontrolle einen Riss an der Propellerwelle entdeckt. Die Reparatur könne "
    "nicht bis zum Winter warten, teilte die Reederei mit.",
    "Ein gechartertes Fischerboot bringt Fahrgäste zweimal täglich hinüber, Autos können die Insel in dieser Zeit "
    "nicht erreichen.",
]


def de_comments_no_marker() -> Page:
    """German: readers' posts under the story, no heading: "Nutzer schrieb am <Datum>", text, "Antworten | Melden"."""
    posts = "".join(
        f"<div class='{_h('dp')}'><div>{('Inselkind', 'Nordlicht', 'K. Peters')[i % 3]}{i} schrieb am 7.5.2025, "
        f"{9 + i % 10}:{i * 7 % 60:02d} Uhr</div><p>{DE_LESER[i % 4]} {DE_LESER[(i + 1) % 4]}</p>"
        f"<div><a href='#a{i}'>Antworten</a> | <a href='#m{i}'>Melden</a></div></div>" for i in range(16))
    body = (f"<div class='{_h('dk')}'><a href='/'>Nordsee-Kurier</a></div>"
            f"<div class='{_h('da')}'><h1>{DE_FAEHRE_TITLE}</h1>{_p(DE_FAEHRE)}</div><div class='{_h('dl')}'>{posts}</div>")
    return (_doc(DE_FAEHRE_TITLE, body, lang="de", site="Nordsee-Kurier"), DE_FAEHRE,
            "https://www.nordsee-kurier.example/region/inselfaehre-faellt-aus")


LIVE_TITLE = "Live: Flood warnings as the river Wren rises"
LIVE_STAND = ("The river Wren is expected to peak tonight after two days of heavy rain, with flood warnings in force "
              "from Millbrook to the estuary and several roads already closed.")
LIVE = [
    "The Environment Agency says the river at Millbrook is now 1.9 metres above its normal level and still rising "
    "by about ten centimetres an hour.",
    "Sandbags are being handed out at the fire station on Mill Lane until eight o'clock tonight, the council says, "
    "with a limit of six bags per household.",
    "Police have closed the B6412 between Upton Lea and Walden, where water is now more than half a metre deep "
    "across both lanes near the old mill.",
    "Residents of the riverside flats in Calder Bridge have been advised to move valuables upstairs and to keep "
    "phones charged in case they are asked to leave.",
    "Trains between Calder Bridge and the coast are replaced by buses for the rest of the day because the line is "
    "flooded at two places near Saltmarsh.",
    "A rest centre has opened in the sports hall at Westmoor Academy for anyone who has to leave their home "
    "tonight, with beds for about 150 people.",
]


def live_blog_comment_buttons() -> Page:
    """A live blog: a standfirst, then entries each with a time, a text and its own "Comment | Share" line."""
    entries = "".join(
        f"<div class='{_h('le')}'><div class='{_h('lt')}'>{17 - i // 2}:{(50 - 9 * i) % 60:02d}</div><p>{p}</p>"
        f"<div class='{_h('lb')}'><button>Comment</button> <button>Share</button></div></div>"
        for i, p in enumerate(LIVE))
    body = (f"<div class='{_h('lh')}'><h1>{LIVE_TITLE}</h1><p>{LIVE_STAND}</p></div><div class='{_h('lf')}'>{entries}</div>")
    return (_doc(LIVE_TITLE, body, site="Westmoor Herald"), [LIVE_STAND, *LIVE],
            "https://www.westmoorherald.example/news/live-river-wren-floods")


FR_LIVE_TITLE = "En direct : la tempête Aline balaie la côte atlantique"
FR_LIVE_STAND = ("La tempête Aline a atteint la côte atlantique dans la nuit, avec des rafales de plus de 130 km/h, "
                 "des coupures d'électricité et des routes fermées dans trois départements.")
FR_LIVE = [
    "Près de 60 000 foyers sont privés d'électricité en Loire-Atlantique et en Vendée, selon le gestionnaire du "
    "réseau, qui a mobilisé 800 techniciens.",
    "Le pont de Saint-Nazaire est fermé à la circulation jusqu'à nouvel ordre, les rafales dépassant les limites "
    "autorisées pour les poids lourds comme pour les voitures.",
    "Les trains entre Nantes et Les Sables-d'Olonne sont supprimés pour la journée après la chute d'arbres sur la "
    "voie près de La Roche-sur-Yon.",
    "La préfecture demande aux habitants du littoral de ne pas se promener sur les plages et les digues tant que "
    "l'alerte orange reste en vigueur.",
    "Les écoles de l'île de Noirmoutier resteront fermées vendredi, a annoncé le rectorat en fin de matinée.",
]


def fr_live_blog_buttons() -> Page:
    """French: a live blog whose every entry carries "Commenter · Partager" buttons, as lists of links."""
    entries = "".join(
        f"<article class='{_h('fe')}'><time>{11 - i}h{(45 - 8 * i) % 60:02d}</time><p>{p}</p>"
        f"<ul class='{_h('fb')}'><li><a href='#c{i}'>Commenter</a></li><li><a href='#s{i}'>Partager</a></li></ul></article>"
        for i, p in enumerate(FR_LIVE))
    body = (f"<div class='{_h('fh')}'><h1>{FR_LIVE_TITLE}</h1><p>{FR_LIVE_STAND}</p>{entries}</div>")
    return (_doc(FR_LIVE_TITLE, body, lang="fr", site="L'Écho de la Loire"), [FR_LIVE_STAND, *FR_LIVE],
            "https://www.echo-loire.example/actu/direct-tempete-aline")


def copyright_notice() -> Page:
    """A wire copyright and rights notice in its own block after the story, then a short footer."""
    notice = ("<p>© 2026 Northern Wire Services. All rights reserved. This material may not be published, "
              "broadcast, rewritten or redistributed without permission.</p>")
    body = (f"<div class='{_h('nh')}'><a href='/'>Fenwick Post</a> <a href='/news'>News</a></div>"
            f"<div class='{_h('na')}'><h1>{MARKETS_TITLE}</h1><div>By Ruth Calder</div>{_p(MARKETS)}</div>"
            f"<div class='{_h('nn')}'>{notice}</div><div class='{_h('nf')}'><a href='/terms'>Terms</a> "
            f"<a href='/privacy'>Privacy</a></div>")
    return _doc(MARKETS_TITLE, body, site="Fenwick Post"), MARKETS, "https://www.fenwickpost.example/business/shares-edge-up"


def republished_notice() -> Page:
    """A republished story: "This article was originally published on ..." and a disclosure after it."""
    notes = ("<p>This article is republished from The Campus Review under a Creative Commons licence. Read the "
             "original article on its website.</p><p><em>Disclosure statement: the author receives funding from "
             "the Heritage Lottery Fund and works with the district council on its library strategy.</em></p>")
    body = (f"<div class='{_h('ra')}'><h1>{LIBRARY_TITLE}</h1>{_p(LIBRARY)}</div><div class='{_h('rn')}'>{notes}</div>")
    return _doc(LIBRARY_TITLE, body, site="Westmoor Herald"), LIBRARY, "https://www.westmoorherald.example/news/library-reopens"


def newsletter_box() -> Page:
    """A newsletter sign-up box of prose after the story, then the publisher's company note."""
    box = ("<div><h3>The Morning Brief</h3><p>Start every weekday with the stories that matter in the valley: our "
           "editors pick the news, sport and what's on, straight to your inbox at seven o'clock.</p>"
           "<form><input type='email' placeholder='Your email address'><button>Sign me up</button></form>"
           "<p>By signing up you agree to our terms and conditions and privacy notice. You can unsubscribe at any "
           "time using the link in each email.</p></div>")
    note = ("<p>The Harbour Gazette is published by Coastline Media Limited, a company registered in England and "
            "Wales, number 08123456. Registered office: 4 Quay Street, Saltmarsh.</p>")
    body = (f"<div class='{_h('ga')}'><h1>{CONCERT_TITLE}</h1>{_p(CONCERT)}</div><div class='{_h('gb')}'>{box}</div>"
            f"<div class='{_h('gc')}'>{note}</div>")
    return _doc(CONCERT_TITLE, body, site="Harbour Gazette"), CONCERT, "https://www.harbourgazette.example/whats-on/concert"


def de_agency_notice() -> Page:
    """German: an agency rights line and an editorial note in their own block after the story."""
    notes = ("<p>© Nordsee-Kurier 2026. Alle Rechte vorbehalten. Vervielfältigung nur mit Genehmigung der "
             "Nordsee-Kurier Mediengruppe.</p><p>Dieser Artikel erschien zuerst in der gedruckten Ausgabe des "
             "Nordsee-Kuriers vom 7. Mai 2026.</p>")
    body = (f"<div class='{_h('dn1')}'><h1>{DE_FAEHRE_TITLE}</h1>{_p(DE_FAEHRE)}</div><div class='{_h('dn2')}'>{notes}</div>")
    return (_doc(DE_FAEHRE_TITLE, body, lang="de", site="Nordsee-Kurier"), DE_FAEHRE,
            "https://www.nordsee-kurier.example/region/faehre-werft")


BIO_EARLY = [
    "Tom Okafor is the Gazette's transport correspondent and has covered the island ferries, the coast railway "
    "and the county's buses since he joined the paper in 2018 from the Fishing Gazette.",
    "He grew up on Holm, where his parents ran the island shop for twenty years, and still crosses on the ferry "
    "most weekends to visit his family and help out at the lifeboat station.",
    "His reporting on the state of the island's pier was shortlisted for the regional press awards in 2023 and "
    "led to a county inquiry into harbour maintenance the following spring.",
    "He can be contacted with story ideas by email or through the newsroom switchboard during office hours, and "
    "he reads every letter readers send about the island services.",
]


def author_bio_first_half() -> Page:
    """A two-paragraph brief and a four-paragraph author box under it: the bio starts in the text's first half."""
    body = (f"<div class='{_h('ba')}'><h1>{FERRY_TITLE}</h1><div>By Tom Okafor</div>{_p(FERRY[:2])}</div>"
            f"<div class='{_h('bb')}'>{_p(BIO_EARLY)}</div>")
    html = _doc(FERRY_TITLE, body, site="Harbour Gazette").replace("Ruth Calder", "Tom Okafor")
    return html, FERRY[:2], "https://www.harbourgazette.example/news/ferry-brief"


DE_BIO = [
    "Katrin Behrens ist Redakteurin im Lokalressort des Nordsee-Kuriers und berichtet seit 2015 über die Inseln, "
    "die Häfen und die Verkehrspolitik im Landkreis.",
    "Sie hat in Hamburg Politik studiert und beim Norddeutschen Rundfunk volontiert, bevor sie an die Küste "
    "zurückkehrte, wo sie aufgewachsen ist.",
    "Für ihre Serie über das Leben auf den Halligen wurde sie 2022 mit dem Regionalpreis für Lokaljournalismus "
    "ausgezeichnet.",
]


def de_author_bio_first_half() -> Page:
    """German: a two-paragraph report and a three-paragraph 'Über die Autorin' box that starts with her name."""
    body = (f"<div class='{_h('db1')}'><h1>{DE_FAEHRE_TITLE}</h1><div>Von Katrin Behrens</div>{_p(DE_FAEHRE[:2])}</div>"
            f"<div class='{_h('db2')}'><div>Über die Autorin</div>{_p(DE_BIO)}</div>")
    html = _doc(DE_FAEHRE_TITLE, body, lang="de", site="Nordsee-Kurier").replace("Ruth Calder", "Katrin Behrens")
    return html, DE_FAEHRE[:2], "https://www.nordsee-kurier.example/region/faehre-kurz"


PAGES: dict[str, Callable[[], Page]] = {
    "mega-menu of <div> links, no <nav>": mega_menu_divs,
    "sitemap footer longer than the story": sitemap_footer,
    "tag cloud after the story": tag_cloud,
    "numbered 'most read' bar above": most_read_numbered,
    "consent wall prose above": consent_wall,
    "breadcrumb + section index": breadcrumb_index,
    "stock quotes table beside": stock_table,
    "weather forecast table below": weather_table,
    "edition picker of <div> buttons": edition_picker,
    "400 plain <li> leagues above": league_list_plain,
    "author bio longer than the story": author_bio,
    "comment thread 10x the story": comment_thread,
    "'Posted by' comments 10x the story": posted_by_comments,
    "<article> wrapping the whole page": article_wraps_page,
    "hashed classes, no <p>, no sections": hashed_divs,
    "50-word story among link lists": short_among_lists,
    "de: edition picker of links": de_edition_picker,
    "de: 'Kommentare (20)' list 10x the story": de_comment_list,
    "fr: consent box + 'Les plus lus'": fr_consent_most_read,
    "es: 400 league links above": es_league_list,
    "ja: mega-menu of <div> links": ja_mega_menu,
    "comments with no marker line": comments_no_marker,
    "comment thread above the headline": comments_above_headline,
    "de: readers' posts, no marker line": de_comments_no_marker,
    "live blog, 'Comment' button per entry": live_blog_comment_buttons,
    "fr: live blog, 'Commenter' per entry": fr_live_blog_buttons,
    "copyright notice after the story": copyright_notice,
    "'originally published' + disclosure": republished_notice,
    "newsletter box + company note after": newsletter_box,
    "de: rights line + 'erschien zuerst'": de_agency_notice,
    "author bio from the first half": author_bio_first_half,
    "de: author bio from the first half": de_author_bio_first_half,
}


def main() -> None:
    import logging

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--show", help="print the texts of the pages whose name holds this")
    args = ap.parse_args()
    scorer = load_scorer(args.scorer)
    logging.disable(logging.WARNING)
    names = EXTRACTORS
    print(f"{'navigation shape':38s} " + "  ".join(f"{n:>20s}" for n in names))
    print(f"{'':38s} " + "  ".join(f"{'F1    P    R':>20s}" for _ in names))
    rows = score_pages(scorer, PAGES, args.show)
    for name in PAGES:
        cells = [f"{f:.3f} {p:.2f} {r:.2f}" for p, r, f in (rows[name][w] for w in names)]
        best = max(rows[name][w][2] for w in names)
        flag = " <" if rows[name]["ours"][2] < 0.5 or rows[name]["ours"][2] < best - 0.05 else ""
        print(f"{name:38s} " + "  ".join(f"{c:>20s}" for c in cells) + flag)
    means = [sum(rows[n][w][2] for n in rows) / len(rows) for w in names]
    print(f"{'mean page F1 (' + str(len(rows)) + ' pages)':38s} " + "  ".join(f"{m:>20.3f}" for m in means))
    below = {w: sum(rows[n][w][2] < 0.5 for n in rows) for w in names}
    print(f"{'pages under F1 0.5':38s} " + "  ".join(f"{below[w]:>20d}" for w in names))


if __name__ == "__main__":
    main()
