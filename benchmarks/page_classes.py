"""Synthetic pages of the classes real news CMSs produce, through three extractors, scored against a known body.

On held-back pages (sites never seen in development) our body text scored only at trafilatura's level:
rules fitted to the dev pages did not carry over. These pages are built like page classes the dev sets
may under-represent (bullet-point "smart brevity" stories, Q&A interviews, listicles, data tables, live
blogs, WordPress / Substack / Ghost / AMP templates, paywalls, comments in the story's container,
<br>-separated text, galleries, standfirsts, an embedded tweet, a <noscript> copy, five other
languages), each with invented wording and a gold body following the dev sets' conventions: the
article's body text without its headline; a standfirst, subheadings, list items and table cells are
body; captions, share bars, subscribe boxes, "read more" teasers, related posts and readers' comments
are not (fundus' attribute guidelines, aeb's `articleBody`).

    .venv/bin/python benchmarks/page_classes.py [--scorer ../shared/eval/score_extraction.py] [--show NAME]

Prints page F1, precision and recall of the AEB metric (`score_extraction.py`'s functions) for ours,
trafilatura (`bare_extraction(html, url=url, with_metadata=True, include_comments=False)`) and
readability-lxml (`Document(html).summary()` as text blocks), as `extract_bench.py` runs them, and the
means. `--show NAME` prints each extractor's text of the pages whose name holds NAME.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_bench import DEFAULT_SCORER, EXTRACTORS, load_scorer, score_pages  # noqa: E402

Page = tuple[str, list[str], str]  # html, gold paragraphs, url


# ------------------------------------------------------------------------------------------ page chrome
def _nav(words: tuple[str, ...]) -> str:
    items = "".join(f"<li><a href='/{w.lower().replace(' ', '-')}'>{w}</a></li>" for w in words)
    return f"<header class='site-header'><a class='logo' href='/'>Home</a><nav><ul class='menu'>{items}</ul></nav></header>"


NAV_EN = _nav(("News", "Politics", "Business", "Tech", "Science", "Sport", "Culture", "Opinion", "Podcasts",
               "Newsletters"))
TEASERS_EN = ("Harbour authority delays the dredging contract again", "Five things to know before the budget vote",
              "Why the price of coffee beans keeps climbing", "Local bakery wins national sourdough prize",
              "Rail strike talks resume after a week of silence")
FOOTER_EN = ("<footer class='site-footer'><ul><li><a href='/about'>About us</a></li><li><a href='/privacy'>Privacy "
             "policy</a></li><li><a href='/terms'>Terms of use</a></li><li><a href='/contact'>Contact</a></li></ul>"
             "<p>© 2025 Northern Ledger Media Ltd. All rights reserved.</p></footer>")


def _most_read(teasers: tuple[str, ...] = TEASERS_EN, label: str = "Most read") -> str:
    items = "".join(f"<li><a href='/story/{i}'>{t}</a></li>" for i, t in enumerate(teasers))
    return f"<aside class='sidebar'><h3>{label}</h3><ol>{items}</ol></aside>"


def _p(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _doc(title: str, body: str, *, lang: str = "en", head: str = "", site: str = "Northern Ledger",
         author: str = "Maren Holt", date: str = "2025-03-14T08:30:00+00:00", description: str = "") -> str:
    meta = (f"<meta property='og:title' content='{title}'><meta name='author' content='{author}'>"
            f"<meta property='article:published_time' content='{date}'>")
    if description:
        meta += f"<meta name='description' content='{description}'>"
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"{meta}{head}</head><body>{body}</body></html>")


def _byline(author: str = "Maren Holt", when: str = "March 14, 2025") -> str:
    return f"<div class='byline'>By <a href='/authors/x'>{author}</a> <time>{when}</time></div>"


# ------------------------------------------------------------------------------------------ the pages
def smart_brevity() -> Page:
    title = "Cities race to replace lead water pipes before federal deadline"
    lead = "Hundreds of US cities have less than a decade to dig up and replace every lead service line, and most still do not know where all of theirs are."
    why = "Why it matters: Lead exposure harms children's brain development, and there is no safe level of it in drinking water."
    bullets1 = ["An estimated nine million lead pipes still carry water to homes nationwide.",
                "The new rule gives most utilities ten years to replace them all, at no cost to homeowners in many cases.",
                "Cities with the oldest housing stock face the largest bills and the tightest schedules."]
    driving = "Driving the news: The Environmental Protection Agency finalized the replacement rule on Tuesday after two years of public comment."
    numbers = "By the numbers:"
    bullets2 = ["Replacing a single line costs between 5,000 and 12,000 dollars, utilities say.",
                "Congress set aside 15 billion dollars for the work in the 2021 infrastructure law.",
                "Fewer than a third of large utilities have finished their inventories of buried pipes."]
    other = "The other side: Utility associations warn that the timeline is unrealistic for small towns with few engineers and even fewer contractors."
    watch = "What to watch: Several states plan to ask for extensions, and legal challenges from industry groups are expected within weeks."
    gold = [lead, why, *bullets1, driving, numbers, *bullets2, other, watch]

    def ul(items: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{b}</li>" for b in items) + "</ul>"

    story = (f"<p>{lead}</p><p><strong>Why it matters:</strong> {why[16:]}</p>{ul(bullets1)}"
             f"<p><strong>Driving the news:</strong> {driving[18:]}</p><p><strong>By the numbers:</strong></p>"
             f"{ul(bullets2)}<p><strong>The other side:</strong> {other[16:]}</p>"
             f"<p><strong>What to watch:</strong> {watch[15:]}</p>")
    body = (f"{NAV_EN}<main><article class='story'><h1>{title}</h1>{_byline()}<div class='story-text'>{story}</div>"
            "<div class='newsletter-signup'><p>Get more local news delivered to your inbox every morning.</p>"
            "<a href='/signup'>Sign up for free</a></div></article>"
            f"{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-axios.com/2025/03/14/lead-pipes-deadline"


def tabloid() -> Page:
    title = "Lottery winner gives away half his fortune to neighbours"
    gold = [
        "A retired lorry driver who scooped 4.2 million pounds on the lottery has handed half of it to the people on his street.",
        "Derek Ambler, 67, said he simply could not enjoy the money while his neighbours struggled with bills.",
        "He knocked on every door of Pottery Lane with an envelope in his hand.",
        "Each of the 23 households received a cheque for more than 90,000 pounds.",
        "\"I've had a good life and I don't need a yacht,\" he told us from his modest terrace.",
        "\"These people fed my cat for years when I was on the road. It was the least I could do.\"",
        "Neighbour Sheila Brandt, 58, burst into tears when she opened her envelope.",
        "She said: \"I thought it was a joke. Then I saw the bank's name on the cheque and had to sit down.\"",
        "Another resident plans to pay off his mortgage and take his grandchildren to the seaside.",
        "Derek bought his winning ticket at the corner shop on a rainy Saturday in February.",
        "He used the same numbers he has played every week since 1994: the birthdays of his late wife and two sons.",
        "The shopkeeper, who received a bonus from the lottery operator, said the whole street was celebrating.",
        "Derek says he will keep the rest for his family and a new greenhouse.",
        "And he has no plans to move.",
    ]
    ads = "<div class='ad-slot'><span>Advertisement</span></div>"
    story = "".join(f"<p>{p}</p>" + (ads if i % 5 == 4 else "") for i, p in enumerate(gold))
    share = ("<div class='social-share'><a href='#'>Share on Facebook</a><a href='#'>Share on Twitter</a>"
             "<a href='#'>Share by email</a></div>")
    body = (f"{NAV_EN}<div class='article-page'><h1>{title}</h1>{_byline('Kelly Stroud')}{share}"
            f"<div class='article-body'>{story}</div>{share}<div class='more-stories'><h2>More stories</h2>"
            + "".join(f"<div class='card'><a href='/s/{i}'><h3>{t}</h3></a></div>" for i, t in enumerate(TEASERS_EN))
            + f"</div></div>{FOOTER_EN}")
    return _doc(title, body, site="The Daily Blare"), gold, "https://www.dailyblare.example/news/lottery-winner-street"


def qa_interview() -> Page:
    title = "'The sea is rising faster than our maps': a coastal engineer on planning for 2100"
    intro = ["Ingrid Solberg has spent twenty years designing sea walls, dunes and tidal barriers from Norway to Bangladesh. We spoke to her about what coastal towns should be building now.",
             "This interview has been edited for length and clarity."]
    qa = [("What has changed most in your field since you started?",
           "The numbers. When I began, we planned for thirty centimetres of rise by the end of the century. Now the middle estimates are twice that, and the upper ones are frightening. Every project we design today has to be adaptable, because we do not know which future we will get."),
          ("Are sea walls still the answer?",
           "Sometimes. A wall protects what is behind it, but it moves the problem along the coast and it gives people a false sense of safety. We increasingly combine walls with salt marshes, oyster reefs and dunes, which grow with the sea instead of being overtopped by it."),
          ("What do town councils get wrong?",
           "They plan for the next storm instead of the next fifty years. A council will spend its whole budget rebuilding a promenade exactly as it was, in the same place, and five years later it is gone again."),
          ("Is retreat from the coast politically possible?",
           "It is happening already, just without a plan. Insurers leave, mortgages become impossible, and families sell at a loss. A managed retreat, with buyouts and new land offered early, is fairer than waiting for the market to decide."),
          ("What gives you hope?",
           "Young engineers. They no longer ask whether the climate is changing. They ask how to design for it, and they are far better at working with ecologists than my generation ever was.")]
    story = _p(intro) + "".join(f"<p><strong>{q}</strong></p><p>{a}</p>" for q, a in qa)
    gold = [*intro, *(x for pair in qa for x in pair)]
    body = (f"{NAV_EN}<main><article><header><h1>{title}</h1>{_byline('Tomas Reyes')}</header>"
            f"<figure><img src='/img/solberg.jpg'><figcaption>Ingrid Solberg at the storm barrier near Rotterdam. "
            f"Photo: Tomas Reyes</figcaption></figure><section class='article-content'>{story}</section>"
            f"<div class='tags'><a href='/t/climate'>Climate</a> <a href='/t/coasts'>Coasts</a></div></article>"
            f"{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/science/interview-coastal-engineer"


def listicle() -> Page:
    title = "Seven tricks to make your phone battery last a whole weekend"
    intro = "Nothing ruins a weekend away like a dead phone at the bottom of your bag. These habits, tested over a month of hiking trips, added hours to every charge."
    items = [("1. Turn down the screen brightness", "The display is the hungriest part of any phone. Automatic brightness helps, but setting it a notch lower by hand saves even more, especially outdoors in the evening."),
             ("2. Switch off background refresh", "Apps that fetch new content while you are not using them wake the radio again and again. Limit the feature to messaging and maps."),
             ("3. Use airplane mode where there is no signal", "A phone searching for a weak mast burns through its battery surprisingly fast. In valleys and on trains, flight mode is your friend."),
             ("4. Download maps before you leave", "Offline maps mean the GPS can work without streaming map tiles over mobile data for hours."),
             ("5. Keep it warm, not hot", "Cold drains lithium batteries quickly, and heat damages them for good. An inside pocket is the ideal place on a chilly day."),
             ("6. Carry a small power bank", "A pocket-sized pack of 5,000 milliamp hours weighs little more than a chocolate bar and refills most phones once."),
             ("7. Check which apps use the most power", "Your settings menu lists the worst offenders. You may find a game or a shopping app you rarely open sitting at the top.")]
    outro = "None of these tips requires new hardware, and together they doubled the time between charges on our test phone."
    story = f"<p>{intro}</p>" + "".join(
        f"<h2>{h}</h2><p>{t}</p><div class='inline-ad ad'></div>" for h, t in items) + f"<p>{outro}</p>"
    gold = [intro, *(x for pair in items for x in pair), outro]
    affiliate = ("<div class='affiliate-disclosure'><p>We may earn a commission when you buy through links on "
                 "our site.</p></div>")
    body = (f"{NAV_EN}<div id='content'><h1 class='entry-title'>{title}</h1>{_byline('Priya Nand')}{affiliate}"
            f"<div class='post-body'>{story}</div><div class='related-articles'><h3>Related</h3><ul>"
            + "".join(f"<li><a href='/r/{i}'>{t}</a></li>" for i, t in enumerate(TEASERS_EN[:3]))
            + f"</ul></div></div>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-techlife.com/phone-battery-weekend-tips"


def data_table() -> Page:
    title = "Rents rose fastest in smaller cities last year, new figures show"
    before = ["Tenants in mid-sized cities saw their rents climb faster than those in the capital last year, according to figures published by the national statistics office on Thursday.",
              "Average advertised rents rose by 6.8 per cent across the country, but the increase was well above that in several regional centres where new jobs have drawn younger workers.",
              "The table below shows the five cities with the largest annual increases."]
    rows = [("City", "Average monthly rent", "Change on a year"), ("Hartwell", "1,040", "+11.2%"),
            ("Eastmoor", "985", "+10.4%"), ("Kingsbridge", "1,120", "+9.7%"), ("Lowfield", "870", "+9.1%"),
            ("Capital", "1,890", "+4.3%")]
    after = ["Housing charities said the figures showed that affordability problems had spread well beyond the capital.",
             "\"Families who moved to escape high rents are now being priced out again,\" said Ruth Okafor, director of the tenants' union Shelter North.",
             "The government said 40,000 new rental homes would be completed this year and that its planning reforms would take time to show results.",
             "Landlord groups blamed higher mortgage rates and new licensing fees for the increases, and warned that more small landlords were leaving the market."]
    table = ("<table class='data'><thead><tr>" + "".join(f"<th>{c}</th>" for c in rows[0]) + "</tr></thead><tbody>"
             + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows[1:]) + "</tbody></table>")
    gold = [*before, *(" ".join(r) for r in rows), *after]
    body = (f"{NAV_EN}<main><article><h1>{title}</h1>{_byline('Sam Whitlock')}<div class='article__body'>{_p(before)}"
            f"{table}<p class='source'></p>{_p(after)}</div></article>{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/business/rents-smaller-cities"


def live_blog() -> Page:
    title = "Storm Elin live: trains cancelled and thousands without power"
    summary = "Heavy rain and gusts of up to 110 km/h are sweeping across the north. Follow the latest updates below."
    entries = [("14:52", "Power restored to 12,000 homes", "The grid operator says engineers have reconnected about 12,000 homes in the coastal districts, but 30,000 remain without electricity tonight."),
               ("14:20", "Ferry services suspended", "All ferry crossings to the islands have been suspended until tomorrow morning. Passengers are asked not to travel to the ports."),
               ("13:45", "School closures announced", "The regional education office has confirmed that 84 schools will stay closed on Friday because of flooded roads and fallen trees."),
               ("13:10", "Rail operator cancels evening trains", "Northern Rail has cancelled all services after six o'clock this evening. A spokesperson said a tree had fallen on the line near Hexley and several level crossings were flooded."),
               ("12:30", "Weather service raises warning level", "The weather service has raised its warning to red for the coastal counties, the highest level. It advises people to stay indoors and away from the seafront.")]
    gold = [summary]
    items = ""
    for t, h, x in entries:
        gold += [t, h, x]
        items += (f"<div class='live-entry'><div class='live-entry__time'><time>{t}</time></div><h3>{h}</h3>"
                  f"<p>{x}</p><div class='share-buttons'><a href='#'>Share</a></div></div>")
    body = (f"{NAV_EN}<main><h1>{title}</h1><p class='standfirst'>{summary}</p><div class='live-blog'>"
            f"<div class='live-blog__status'>Live</div>{items}</div>{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/live/storm-elin"


def sections_with_ads() -> Page:
    title = "The quiet return of the night train"
    parts = [["Ten years ago, Europe's sleeper trains seemed destined for the museum. Budget airlines had emptied their compartments, and one operator after another closed its routes.",
              "Today new carriages roll out of factories in Austria and Switzerland, and tickets for summer services sell out within hours of going on sale."],
             ["The revival owes something to climate concerns, but travellers also cite simpler reasons: no airport security, a bed instead of a cramped seat, and arrival in the city centre at breakfast time.",
              "Operators say the typical passenger is younger than they expected, and more likely to travel for leisure than for business."],
             ["The economics remain difficult. A sleeper carriage carries a fraction of the passengers of a day train, and track access charges are levied as if it were any other service.",
              "Several governments now subsidise the routes directly, arguing that each full train replaces dozens of short-haul flights."]]
    read_more = ["Read more: <a href='/travel/rail-passes'>Are rail passes still worth it in 2025?</a>",
                 "Read more: <a href='/travel/ferry'>The ferry routes that survived the pandemic</a>"]
    ad = "<div class='ad-container'><div id='div-gpt-ad-1' class='ad-slot'></div><span>Advertisement</span></div>"
    story = ""
    for i, part in enumerate(parts):
        story += f"<section class='article-section'>{_p(part)}</section>"
        if i < len(read_more):
            story += f"{ad}<p class='read-more'>{read_more[i]}</p>"
    gold = [p for part in parts for p in part]
    body = (f"{NAV_EN}<main><article><h1>{title}</h1><p class='kicker'>Travel</p>{_byline('Clara Venn')}"
            f"<div class='content'>{story}</div></article>{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/travel/night-train-return"


def wordpress() -> Page:
    title = "Community garden doubles its harvest with rainwater tanks"
    gold = ["When the volunteers of the Millbrook community garden installed four second-hand rainwater tanks last spring, they hoped to get through a dry summer without rationing.",
            "They ended the season with twice as many vegetables as the year before, and enough surplus to supply the food bank on Elm Street every week from July to October.",
            "The tanks collect water from the roof of the old bus depot next door. Together they hold about 8,000 litres, which a small solar pump moves to drip lines along every bed.",
            "\"We used to spend our evenings carrying watering cans,\" said coordinator Abdi Warsame. \"Now we spend them weeding and talking, which is much nicer.\"",
            "The project cost just under 2,000 dollars, most of it raised at a plant sale. The garden now runs workshops for other groups that want to copy the design."]
    share = ("<div class='sharedaddy sd-sharing-enabled'><h3 class='sd-title'>Share this:</h3><ul>"
             "<li><a class='share-facebook' href='#'>Facebook</a></li><li><a class='share-twitter' href='#'>X</a></li>"
             "<li><a class='share-email' href='#'>Email</a></li></ul></div>")
    related = ("<div id='jp-relatedposts' class='jp-relatedposts'><h3 class='jp-relatedposts-headline'>Related</h3>"
               "<div class='jp-relatedposts-items'><p><a href='/2024/seed-swap'>Seed swap draws record crowd</a> "
               "In \"Community\"</p><p><a href='/2024/compost'>How to start a compost heap in a small yard</a> In "
               "\"Gardening\"</p></div></div>")
    comments = ("<div id='comments' class='comments-area'><h2 class='comments-title'>2 thoughts on \"Community garden "
                "doubles its harvest\"</h2><ol class='comment-list'><li class='comment'><article class='comment-body'>"
                "<footer class='comment-meta'><b class='fn'>Linda</b> <time>March 15, 2025 at 9:12 am</time></footer>"
                "<div class='comment-content'><p>Wonderful project, we are trying the same at our school garden this "
                "year with two tanks.</p></div><div class='reply'><a href='#'>Reply</a></div></article></li></ol>"
                "<div id='respond'><h3>Leave a Reply</h3><form><p>Your email address will not be published.</p>"
                "<textarea></textarea></form></div></div>")
    body = (f"{NAV_EN}<div id='primary' class='content-area'><main id='main' class='site-main'>"
            f"<article class='post type-post hentry'><header class='entry-header'><h1 class='entry-title'>{title}</h1>"
            f"<div class='entry-meta'><span class='posted-on'>Posted on <time>March 14, 2025</time></span> "
            f"<span class='byline'>by <a href='/author/jo'>Jo Marsh</a></span></div></header>"
            f"<div class='entry-content'>{_p(gold)}{share}{related}</div><footer class='entry-footer'>"
            f"<span class='cat-links'>Posted in <a href='/c/news'>News</a></span></footer></article>"
            f"<nav class='post-navigation'><a href='/prev'>Previous post: Spring fair returns</a>"
            f"<a href='/next'>Next post: Library extends opening hours</a></nav>{comments}</main></div>"
            f"<aside id='secondary' class='widget-area'>{_most_read(label='Recent Posts')}</aside>{FOOTER_EN}")
    return _doc(title, body, site="Millbrook Voice", author="Jo Marsh"), gold, \
        "https://millbrookvoice.example/2025/03/14/community-garden-rainwater/"


def substack() -> Page:
    title = "Why I stopped checking the markets every morning"
    subtitle = "A year of looking at my portfolio once a month, and what it did to my returns and my sleep."
    first = ["For most of my thirties I opened a trading app before I opened my eyes properly. The numbers were green or red, and that colour decided my mood until lunch.",
             "Last January I deleted the app from my phone and promised myself to look at my accounts on the first Sunday of each month, and never on any other day."]
    second = ["The first weeks were uncomfortable. Every headline about interest rates felt like something I should act on, and I had to remind myself that I had no plan to act on it anyway.",
              "By spring the itch was gone. I noticed that I had stopped reading financial news altogether, and that I did not miss it.",
              "My returns over the year were almost exactly those of the index fund I hold, which is the point: I made fewer trades, paid fewer fees and sold nothing in a panic.",
              "If you try this, tell me how it goes. I read every reply, even the ones that disagree."]
    sub_box = ("<div class='subscription-widget-wrap'><div class='subscription-widget'><p class='cta-caption'>Thanks "
               "for reading Slow Money! Subscribe for free to receive new posts and support my work.</p><form "
               "class='subscription-widget-subscribe'><input type='email' placeholder='Type your email...'><input "
               "type='submit' value='Subscribe'></form></div></div>")
    share = "<p class='button-wrapper'><a class='button primary' href='#'><span>Share</span></a></p>"
    gold = [subtitle, *first, *second]
    body = ("<div class='topbar'><a href='/'>Slow Money</a><a href='/subscribe'>Subscribe</a><a href='/signin'>Sign "
            "in</a></div><article class='typography newsletter-post post'><div class='post-header'>"
            f"<h1 class='post-title'>{title}</h1><h3 class='subtitle'>{subtitle}</h3><div class='post-meta'>"
            "<a href='/@nora'>Nora Lindqvist</a> <div class='post-date'>Mar 14, 2025</div></div></div>"
            f"<div class='available-content'><div class='body markup'>{_p(first)}{sub_box}{_p(second)}{share}</div>"
            "</div></article><div class='post-footer'><p>Discussion about this post</p><a href='#'>Comments</a>"
            "<a href='#'>Restacks</a></div><div class='footer'><p>© 2025 Nora Lindqvist. Substack is the home for "
            "great culture.</p></div>")
    return _doc(title, body, site="Slow Money", author="Nora Lindqvist"), gold, \
        "https://slowmoney.substack.example/p/why-i-stopped-checking"


def ghost_medium() -> Page:
    title = "What a week without a car taught our family"
    paras = [["We live eleven kilometres from the nearest supermarket, on a road without a pavement. When our only car went in for a gearbox repair that was supposed to take two days and took eight, we had to learn to live without it.",
              "The first surprise was how many of our trips were not needed at all. We combined three shopping runs into one bus journey and discovered that the village shop stocks almost everything we buy."],
             ["The second surprise was the bus itself. It runs every ninety minutes, which sounds terrible until you plan around it. Our children, nine and twelve, loved reading the timetable and announcing the next departure.",
              "Cycling to school took twenty minutes each way. On the one day it rained hard, a neighbour gave the children a lift, and we returned the favour with a cake."],
             ["We have the car back now, but we use it less. We did not become car-free heroes. We simply learned which journeys were habits and which were needs."]]
    figs = ["<figure class='kg-card kg-image-card kg-card-hascaption'><img src='/img/bus.jpg' class='kg-image'>"
            "<figcaption>The village bus stop, our new favourite place.</figcaption></figure>",
            "<figure class='paragraph-image'><div><picture><img src='/img/bikes.jpg'></picture></div><figcaption "
            "class='image-caption'>Two bikes, one pump, no excuses.</figcaption></figure>", ""]
    story = "".join(f"<section>{_p(part)}{fig}</section>" for part, fig in zip(paras, figs, strict=True))
    gold = [p for part in paras for p in part]
    body = ("<header class='gh-head'><a class='gh-head-logo' href='/'>Field Notes</a><nav><ul class='nav'>"
            "<li><a href='/'>Home</a></li><li><a href='/about/'>About</a></li><li><a href='/tag/family/'>Family</a>"
            "</li></ul></nav><a class='gh-head-button' href='#/portal/signup'>Subscribe</a></header>"
            f"<main class='gh-main'><article class='gh-article post'><header class='gh-article-header'>"
            f"<h1 class='gh-article-title'>{title}</h1><div class='gh-article-meta'><span class='gh-article-author'>"
            "Ana Ferreira</span> <time>Mar 14, 2025</time> <span>4 min read</span></div></header>"
            f"<section class='gh-content gh-canvas'>{story}</section></article>"
            "<section class='gh-cta'><h2>Sign up for Field Notes</h2><p>Stories about slower living, delivered "
            "every Sunday.</p><a href='#/portal/'>Subscribe now</a></section></main><footer class='gh-foot'>"
            "<p>Field Notes © 2025. Powered by Ghost.</p></footer>")
    return _doc(title, body, site="Field Notes", author="Ana Ferreira"), gold, \
        "https://fieldnotes.example/a-week-without-a-car/"


def amp() -> Page:
    title = "Museum returns 40 bronze figures to their country of origin"
    gold = ["A national museum has returned 40 bronze figures taken during a colonial expedition in 1897, the largest single restitution in its history.",
            "The figures, some of them more than 500 years old, were packed in climate-controlled crates and flown home on Wednesday in the presence of both countries' culture ministers.",
            "Curators on both sides spent three years documenting every object. Several will go on display in a new museum in the capital next year, while others will be returned to the royal court.",
            "The museum's director said the decision had been discussed for decades and was long overdue. Critics say thousands of similar objects remain in European collections.",
            "Campaigners welcomed the return but called for a timetable for the rest, and for the museum to publish its full inventory online."]
    ad = "<amp-ad width='300' height='250' type='doubleclick' data-slot='/123/news'><div fallback>Advertisement</div></amp-ad>"
    img = ("<figure><amp-img src='/img/bronze.jpg' width='1200' height='800' layout='responsive' alt='Bronze figure'>"
           "</amp-img><figcaption>One of the returned figures before packing.</figcaption></figure>")
    story = f"<p>{gold[0]}</p>{img}<p>{gold[1]}</p>{ad}{_p(gold[2:4])}{ad}<p>{gold[4]}</p>"
    share = ("<amp-social-share type='twitter'></amp-social-share><amp-social-share type='facebook' "
             "data-param-app_id='1'></amp-social-share>")
    body = ("<amp-sidebar id='sidebar' layout='nodisplay'><ul><li><a href='/world'>World</a></li><li><a href='/arts'>"
            "Arts</a></li><li><a href='/science'>Science</a></li></ul></amp-sidebar><header class='amp-header'><a "
            f"href='/'>Northern Ledger</a></header><article class='amp-article'><h1>{title}</h1>{_byline('Jonah Pell')}"
            f"{share}<div class='amp-article-body'>{story}</div></article>"
            "<amp-list src='/api/related' layout='fixed-height' height='200'><template type='amp-mustache'>"
            "<a href='{{url}}'>{{title}}</a></template></amp-list>"
            f"{FOOTER_EN}")
    head = "<link rel='canonical' href='https://www.example-ledger.com/arts/bronzes-returned'><script async src='https://cdn.ampproject.org/v0.js'></script>"
    html = _doc(title, body, head=head).replace("<html lang='en'>", "<html ⚡ lang='en'>")
    return html, gold, "https://www.example-ledger.com/amp/arts/bronzes-returned"


def paywall() -> Page:
    title = "Inside the race to build the country's first hydrogen steelworks"
    gold = ["On a former coal yard at the edge of Redcastle, engineers are assembling a plant that its owners say will make steel without burning a single tonne of coking coal.",
            "If it works, the site could cut the country's industrial emissions by almost a tenth. If it fails, it will become the most expensive experiment in the history of British manufacturing.",
            "The plan depends on cheap, clean hydrogen, which does not yet exist in the quantities the furnace needs. The company has signed contracts with two wind farms that are still being built."]
    wall = ("<div class='paywall'><h2>Subscribe to read the full article</h2><p>This article is for subscribers "
            "only. Get unlimited access to our journalism for 1 pound a week for the first three months.</p>"
            "<a class='btn' href='/subscribe'>Subscribe now</a><p>Already a subscriber? <a href='/login'>Log in</a>"
            "</p></div>")
    body = (f"{NAV_EN}<main><article><h1>{title}</h1>{_byline('Owen Carrick')}<div class='article-body'>{_p(gold)}"
            f"</div>{wall}</article>{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/business/hydrogen-steelworks"


def comments_inside() -> Page:
    title = "Council approves twenty new cycle lanes despite objections"
    gold = ["The city council has approved a network of twenty new protected cycle lanes after a four-hour meeting that ran well past midnight on Tuesday.",
            "The lanes, which will be built over the next three years, will connect the university, the hospital and the main railway station with the residential districts to the south.",
            "Shop owners on Market Street had objected to the loss of 60 parking spaces. The council agreed to add a loading zone and to review the effect on trade after one year.",
            "Councillor Hannah Greer, who proposed the plan, said cycling trips in the city had tripled since the first lane opened in 2019.",
            "Work on the first section, along the river, is expected to begin in June."]
    comments = ("<div class='comments'><h3>Comments (3)</h3><div class='comment'><p class='comment-author'>"
                "<b>bikedad77</b> 2 hours ago</p><p>About time. My kids can finally ride to school without "
                "dodging buses on Station Road every morning.</p><a href='#'>Reply</a> <a href='#'>Report</a></div>"
                "<div class='comment'><p class='comment-author'><b>M. Lowe</b> 1 hour ago</p><p>Another waste of "
                "money while the potholes on my street have not been fixed for two years.</p><a href='#'>Reply</a> "
                "<a href='#'>Report</a></div><div class='comment'><p class='comment-author'><b>greta_s</b> 40 "
                "minutes ago</p><p>The river section will be lovely in summer, but who clears it of leaves in "
                "autumn?</p><a href='#'>Reply</a> <a href='#'>Report</a></div></div>")
    body = (f"{NAV_EN}<div class='main-col'><div class='article'><h1>{title}</h1>{_byline('Leah Forde')}{_p(gold)}"
            f"{comments}</div></div>{_most_read()}{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/local/cycle-lanes-approved"


def br_div() -> Page:
    title = "Fishermen report record herring catch off the northern coast"
    gold = ["Fishing crews returning to Kilmory on Monday reported the largest herring catches in more than twenty years, filling the harbour's cold stores for the first time since the season opened.",
            "Scientists at the marine institute said warmer water further south may have pushed the shoals north earlier than usual, and warned against reading too much into a single good week.",
            "The harbour master said more than forty boats had landed fish since Friday, some of them from ports as far away as Denmark and the Faroe Islands.",
            "Prices at the morning auction fell by almost a third as buyers struggled to take on the volume. Processors in the town have asked for extra seasonal workers.",
            "The fishing association called for the quota to be reviewed, saying the stock was clearly healthier than the official assessment suggested."]
    body = (f"<div id='top'><a href='/'>Coast News</a> | <a href='/news'>News</a> | <a href='/sport'>Sport</a> | "
            f"<a href='/weather'>Weather</a></div><div id='wrap'><div class='headline'><b>{title}</b></div>"
            f"<div class='date'>Monday 10 March 2025</div><div class='txt'>{'<br><br>'.join(gold)}</div>"
            "<div class='box'><a href='/print'>Print</a> | <a href='/mail'>E-mail this story</a></div></div>"
            "<div id='bottom'>Coast News, 4 Harbour Road, Kilmory. Tel 01234 567890</div>")
    return _doc(title, body, site="Coast News"), gold, "http://www.coastnews.example/news/2025/03/10/herring.html"


def gallery() -> Page:
    title = "In pictures: the city's oldest shops"
    intro = "Some have sold hats, hardware or sweets from the same counters for more than a century. Our photographer spent a month visiting the oldest family businesses in the city."
    slides = ["Hartley's Hardware has occupied the corner of Mill Street since 1889. Fourth-generation owner Peter Hartley still cuts keys by hand.",
              "At Bellini's sweet shop, the jars on the top shelf are filled from a ladder that dates from the 1920s.",
              "The Vogel hat shop made the bowler hats for the town band in 1911 and still repairs them today.",
              "Marta Kowalski took over her father's shoe repair shop in 1978. She says business has never been better.",
              "The oldest pharmacy in the city keeps its original oak drawers, though the medicines inside are modern.",
              "Regular customers at the Bridge Street barber have had their hair cut in the same chair for fifty years."]
    items = "".join(f"<figure class='gallery-item'><img src='/g/{i}.jpg'><figcaption>{s}</figcaption>"
                    f"<span class='credit'>Photo: Dan Rooke</span></figure>" for i, s in enumerate(slides))
    gold = [intro, *slides]
    body = (f"{NAV_EN}<main><article class='gallery'><h1>{title}</h1><p class='standfirst'>{intro}</p>"
            f"<div class='gallery-slides'>{items}</div></article>{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/in-pictures/oldest-shops"


def standfirst() -> Page:
    title = "Doctors trial a blood test that spots pancreatic cancer early"
    sf = "A simple blood test picked up nine in ten early pancreatic tumours in a trial of 2,000 patients, raising hopes for a disease that is usually found too late to treat."
    gold = [sf,
            "Pancreatic cancer kills more than 90 per cent of patients within five years of diagnosis, largely because symptoms appear only once the tumour has spread.",
            "The new test looks for a combination of eight proteins that tumour cells release into the blood. In the trial, it correctly identified 91 per cent of early-stage cancers and gave a false alarm in fewer than two per cent of healthy volunteers.",
            "\"This is the first time we have seen this level of accuracy at the stage where surgery can still cure people,\" said Professor Amal Haddad, who led the study at the university hospital.",
            "Larger trials are planned for next year before the test could be offered to people at high risk, such as those with a family history of the disease or newly diagnosed diabetes.",
            "Cancer charities welcomed the results but cautioned that screening tests often perform less well when they are used outside clinical trials."]
    body = (f"{NAV_EN}<main><article><header><h1>{title}</h1><div class='standfirst'><p>{sf}</p></div>"
            f"{_byline('Rhea Malik')}</header><figure><img src='/img/lab.jpg'><figcaption>Blood samples at the "
            "hospital laboratory. Photograph: Rhea Malik</figcaption></figure>"
            f"<div class='article-body'>{_p(gold[1:])}</div></article>{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body, description=sf), gold, "https://www.example-ledger.com/health/pancreatic-blood-test"


def h2_summary() -> Page:
    title = "Airline orders 60 electric planes for short island routes"
    summary = "The regional carrier wants to fly its shortest routes without fuel by 2030, but the aircraft have yet to be certified."
    gold = [summary,
            "A regional airline has ordered 60 battery-powered aircraft for its shortest routes between the mainland and the western islands, in what it called the largest order of its kind.",
            "The nineteen-seat planes have a range of about 200 kilometres, enough for most of the airline's island hops, which rarely last more than half an hour.",
            "The manufacturer has not yet received certification from aviation regulators and expects the first deliveries no earlier than 2028.",
            "Islanders have long complained about high fares and frequent cancellations. The airline said the electric planes would cost far less to run and could make some routes profitable for the first time."]
    body = (f"{NAV_EN}<div class='article'><h1>{title}</h1><h2 class='article-summary'>{summary}</h2>"
            f"{_byline('Iain MacLeod')}<div class='article-text'>{_p(gold[1:])}</div></div>{_most_read()}{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/business/electric-planes-order"


def tweet_embed() -> Page:
    title = "Footballer apologises after missing charity match"
    before = ["Striker Leon Achterberg has apologised to fans after failing to appear at a charity match he had promised to play in on Sunday.",
              "Organisers said 3,000 tickets had been sold on the strength of his name, and many supporters asked for refunds when he did not show up.",
              "The player posted a statement on social media on Monday morning."]
    tweet = "I let down people who came to support a good cause. That is on me and nobody else. I will play in the rescheduled match and pay for every ticket myself."
    after = ["His club said he had been given permission to attend and that it was not aware of any injury.",
             "The charity, which supports children's hospices, said it accepted the apology and would announce a new date for the match later this month."]
    embed = (f"<blockquote class='twitter-tweet'><p lang='en' dir='ltr'>{tweet}</p>— Leon Achterberg "
             "(@leon_achterberg) <a href='https://twitter.com/x/status/1'>March 10, 2025</a></blockquote>"
             "<script async src='https://platform.twitter.com/widgets.js'></script>")
    gold = [*before, tweet, *after]
    body = (f"{NAV_EN}<main><article><h1>{title}</h1>{_byline('Ben Osei')}<div class='article-body'>{_p(before)}"
            f"{embed}{_p(after)}</div></article>{_most_read()}</main>{FOOTER_EN}")
    return _doc(title, body), gold, "https://www.example-ledger.com/sport/achterberg-apology"


def noscript_copy() -> Page:
    title = "Volunteers count a record number of swifts over the old town"
    gold = ["Volunteers counting birds from the cathedral tower recorded more than 1,400 swifts over the old town on a single evening in June, the highest number since the survey began in 1998.",
            "The birds, which spend almost their whole lives in the air, return each spring from Africa to nest under the roof tiles of the town's oldest buildings.",
            "Conservationists credit a programme that fitted 300 nest boxes to churches, schools and the town hall after renovations had sealed many of the old gaps.",
            "The survey team said the count would be repeated next week and asked residents to report any nests they see."]
    app = "<div id='app' data-hydrate='article'><div class='skeleton'></div></div>"
    nos = f"<noscript><div class='article'><h1>{title}</h1>{_p(gold)}</div></noscript>"
    body = f"{NAV_EN}{app}{nos}<script src='/bundle.js'></script>{FOOTER_EN}"
    return _doc(title, body), gold, "https://www.example-ledger.com/nature/swift-count"


# ------------------------------------------------------------------------------------------ other languages
def german_standfirst() -> Page:
    title = "Bahn will Nachtzüge nach Skandinavien ausbauen"
    teaser = "Ab Dezember sollen täglich Schlafwagen von Berlin nach Stockholm fahren. Die Nachfrage sei größer als erwartet, sagt der Konzern."
    gold = [teaser,
            "Die Deutsche Bahn will ihr Angebot an Nachtzügen nach Nordeuropa deutlich erweitern. Wie ein Sprecher am Mittwoch in Berlin mitteilte, soll die Verbindung nach Stockholm vom Fahrplanwechsel im Dezember an täglich statt dreimal pro Woche verkehren.",
            "Im vergangenen Sommer seien die Züge an fast allen Tagen ausgebucht gewesen, hieß es. Viele Reisende hätten sich bewusst gegen das Flugzeug entschieden.",
            "Neue Wagen aus Österreich",
            "Für den Ausbau mietet die Bahn zusätzliche Schlaf- und Liegewagen bei einem österreichischen Partner. Die Fahrzeit soll bei rund sechzehn Stunden bleiben.",
            "Fahrgastverbände begrüßten die Pläne, kritisierten aber die Preise. Ein Bett im Schlafwagen koste oft mehr als ein Flug und ein Hotelzimmer zusammen, sagte ein Sprecher des Verbands Pro Bahn.",
            "Auch eine Verbindung nach Oslo werde geprüft, eine Entscheidung solle im Frühjahr fallen."]
    nav = _nav(("Politik", "Wirtschaft", "Panorama", "Sport", "Kultur", "Wissen", "Reise", "Meinung"))
    teasers = ("Streik im Nahverkehr: Was Pendler wissen müssen", "Wetter: Sturmtief zieht über Norddeutschland",
               "So teuer wird das Deutschlandticket", "Hafen Hamburg meldet Rückgang beim Umschlag")
    story = (f"<p>{gold[1]}</p><p>{gold[2]}</p><div class='inline-teaser'><span>Mehr zum Thema</span> <a href='/x'>"
             "Nachtzug nach Paris: Erste Bilanz fällt gemischt aus</a></div><h2>Neue Wagen aus Österreich</h2>"
             f"{_p(gold[4:])}")
    body = (f"{nav}<main><article><header><span class='kicker'>Verkehr</span><h1>{title}</h1>"
            f"<p class='article-teaser'><strong>{teaser}</strong></p><div class='author'>Von Jana Köhler</div>"
            f"</header><div class='article-content'>{story}</div><div class='social-bar'><a href='#'>Teilen</a> "
            f"<a href='#'>Drucken</a></div></article>{_most_read(teasers, 'Meistgelesen')}</main>"
            "<footer><a href='/impressum'>Impressum</a> <a href='/datenschutz'>Datenschutz</a> <a href='/agb'>AGB</a>"
            "</footer>")
    return _doc(title, body, lang="de", site="Nordkurier Online", author="Jana Köhler"), gold, \
        "https://www.nordkurier.example/verkehr/nachtzuege-skandinavien-123456.html"


def french_sections() -> Page:
    title = "À Lyon, les cantines scolaires passent au bio et au local"
    gold = ["Depuis la rentrée, les 130 cantines scolaires de la ville servent des repas composés à plus de moitié de produits biologiques, dont une grande partie vient de fermes situées à moins de cent kilomètres.",
            "La mairie affirme que le coût supplémentaire, environ quarante centimes par repas, est financé sans hausse des tarifs pour les familles, grâce à une baisse du gaspillage.",
            "Des menus plus simples",
            "Les cuisiniers ont dû revoir leurs habitudes. Les menus comptent moins de plats préparés et davantage de légumes de saison, cuisinés sur place.",
            "« Au début, les enfants boudaient les lentilles. Maintenant ils en redemandent », raconte une cuisinière d'une école du septième arrondissement.",
            "Des producteurs inquiets",
            "Certains agriculteurs craignent toutefois de ne pas pouvoir suivre la demande. La ville a promis des contrats sur trois ans pour leur donner de la visibilité."]
    lire = "<p class='lire-aussi'><span>Lire aussi</span> <a href='/x'>Le prix des repas à la cantine augmente dans de nombreuses communes</a></p>"
    story = (f"<section>{_p(gold[:2])}</section>{lire}<section><h2>{gold[2]}</h2>{_p(gold[3:5])}</section>"
             f"<div class='ad-slot'>Publicité</div><section><h2>{gold[5]}</h2><p>{gold[6]}</p></section>")
    nav = _nav(("International", "Politique", "Société", "Économie", "Culture", "Sport", "Planète", "Idées"))
    teasers = ("Grève des contrôleurs : le trafic perturbé ce week-end", "Les loyers continuent de grimper à Paris",
               "Le musée des Confluences bat son record de fréquentation")
    body = (f"{nav}<main><article><h1>{title}</h1><p class='article__desc'></p><div class='meta'>Par Camille Roux, "
            f"publié le 14 mars 2025</div><div class='article__content'>{story}</div>"
            "<div class='article__reactions'><a href='#'>Réagir</a> <a href='#'>Partager</a></div></article>"
            f"{_most_read(teasers, 'Les plus lus')}</main><footer><a href='/mentions'>Mentions légales</a> "
            "<a href='/cgv'>CGV</a> <a href='/contact'>Nous contacter</a></footer>")
    return _doc(title, body, lang="fr", site="Le Rhône Quotidien", author="Camille Roux"), gold, \
        "https://www.rhonequotidien.example/lyon/cantines-bio-local_123.html"


def spanish_interview() -> Page:
    title = "«El flamenco se aprende escuchando, no mirando»"
    intro = "La bailaora Lucía Arenas, que estrena esta semana su nuevo espectáculo en Sevilla, repasa con nosotros treinta años de carrera."
    qa = [("¿Cómo empezó a bailar?", "En casa de mi abuela, en Triana. Allí siempre había alguien cantando, y yo bailaba sin saber que aquello tenía nombre."),
          ("¿Qué ha cambiado desde entonces?", "Todo y nada. Hoy los jóvenes aprenden con vídeos, y eso está bien, pero el flamenco se aprende escuchando a los mayores, no mirando una pantalla."),
          ("¿De qué trata su nuevo espectáculo?", "De la memoria. Son historias de mujeres de mi familia que nunca subieron a un escenario, aunque bailaban mejor que yo."),
          ("¿Piensa en retirarse?", "Pienso en bailar de otra manera. El cuerpo cambia, pero la necesidad de contar algo con él no se va nunca.")]
    story = f"<p>{intro}</p>" + "".join(f"<p><b>{q}</b></p><p>{a}</p>" for q, a in qa)
    gold = [intro, *(x for pair in qa for x in pair)]
    nav = _nav(("España", "Internacional", "Economía", "Cultura", "Deportes", "Opinión"))
    body = (f"{nav}<main><article><h1>{title}</h1><div class='autor'>Por Javier Molina</div>"
            f"<div class='cuerpo-noticia'>{story}</div><div class='compartir'><a href='#'>Compartir en Facebook</a> "
            "<a href='#'>Compartir en X</a></div></article>"
            f"{_most_read(('El Betis gana el derbi', 'Sube el precio del aceite de oliva', 'Ola de calor en marzo'), 'Lo más leído')}"
            "</main><footer><a href='/aviso-legal'>Aviso legal</a> <a href='/privacidad'>Privacidad</a></footer>")
    return _doc(title, body, lang="es", site="Diario del Sur", author="Javier Molina"), gold, \
        "https://www.diariodelsur.example/cultura/lucia-arenas-entrevista.html"


def japanese_short() -> Page:
    title = "北海道で記録的な大雪、交通機関に乱れ"
    gold = ["北海道では１３日から１４日にかけて記録的な大雪となり、札幌市では２４時間の降雪量が観測史上最多の６０センチに達した。",
            "ＪＲ北海道は札幌と旭川を結ぶ特急など２００本以上の列車を運休とした。",
            "新千歳空港では滑走路の除雪のため、午前中の便の多くが欠航した。",
            "気象台によると、強い冬型の気圧配置は１５日にかけて続く見込みで、さらに３０センチの降雪が予想されている。",
            "札幌市は小中学校を臨時休校とし、市民に不要不急の外出を控えるよう呼びかけている。",
            "市内の主要道路では除雪車が夜通し作業を続けたが、住宅街の道路では車が立ち往生する場面も見られた。",
            "スーパーでは食料品や灯油を買い求める人の列ができた。"]
    nav = _nav(("ニュース", "政治", "経済", "国際", "社会", "スポーツ", "文化", "天気"))
    teasers = ("円相場、一時１５０円台に", "春闘、大手企業で満額回答相次ぐ", "桜の開花予想、平年より早く")
    body = (f"{nav}<main><article><h1>{title}</h1><div class='date'>2025年3月14日 12時05分</div>"
            f"<div class='article-body'>{_p(gold)}</div><div class='sns-share'><a href='#'>シェア</a> "
            f"<a href='#'>ポスト</a></div></article>{_most_read(teasers, 'アクセスランキング')}</main>"
            "<footer><a href='/privacy'>個人情報保護方針</a> <a href='/terms'>利用規約</a> <p>Copyright 2025 "
            "Hokkai Shimbun</p></footer>")
    return _doc(title, body, lang="ja", site="北海新聞", author="北海新聞"), gold, \
        "https://www.hokkai.example/news/20250314/k10014.html"


def arabic_standfirst() -> Page:
    title = "افتتاح أكبر محطة لتحلية المياه بالطاقة الشمسية في المنطقة"
    lead = "تنتج المحطة الجديدة ما يكفي من مياه الشرب لنحو نصف مليون شخص يومياً، وتعمل بالكامل بالطاقة الشمسية."
    gold = [lead,
            "افتتحت الحكومة يوم الخميس محطة لتحلية مياه البحر تعمل بالطاقة الشمسية على الساحل الشرقي، في مشروع استغرق بناؤه أربع سنوات.",
            "وقال وزير المياه في كلمة خلال حفل الافتتاح إن المحطة ستخفض تكلفة إنتاج المتر المكعب من المياه بنحو الثلث مقارنة بالمحطات التي تعمل بالوقود.",
            "وتغطي الألواح الشمسية مساحة تزيد على مئتي هكتار، فيما تخزن بطاريات ضخمة الطاقة لتشغيل المحطة خلال الليل.",
            "ويرى خبراء أن المشروع قد يصبح نموذجاً لدول أخرى في المنطقة تعاني من شح المياه وارتفاع استهلاك الطاقة.",
            "لكن منظمات بيئية حذرت من تأثير المياه شديدة الملوحة التي تعاد إلى البحر على الشعاب المرجانية القريبة."]
    nav = _nav(("الرئيسية", "أخبار", "اقتصاد", "رياضة", "ثقافة", "تكنولوجيا", "رأي"))
    teasers = ("ارتفاع أسعار الذهب في الأسواق المحلية", "منتخب الشباب يتأهل إلى النهائي", "افتتاح معرض الكتاب الدولي")
    body = (f"{nav}<main><article><h1>{title}</h1><div class='article-lead'><p>{lead}</p></div>"
            f"<div class='author'>كتب: سامي الحداد</div><div class='article-body'>{_p(gold[1:])}</div>"
            f"<div class='share'><a href='#'>شارك</a></div></article>{_most_read(teasers, 'الأكثر قراءة')}</main>"
            "<footer><a href='/about'>من نحن</a> <a href='/privacy'>سياسة الخصوصية</a></footer>")
    html = _doc(title, body, lang="ar", site="الخليج اليوم", author="سامي الحداد").replace(
        "<html lang='ar'>", "<html lang='ar' dir='rtl'>")
    return html, gold, "https://www.alkhaleej-today.example/news/2025/03/14/solar-desalination"


PAGES: dict[str, Callable[[], Page]] = {
    "smart brevity bullets (Axios)": smart_brevity,
    "one-sentence paragraphs (tabloid)": tabloid,
    "Q&A interview, bold questions": qa_interview,
    "listicle with <h2> items": listicle,
    "data table in the story": data_table,
    "live blog entries": live_blog,
    "<section>s, ad slots, read-more": sections_with_ads,
    "WordPress entry-content": wordpress,
    "Substack newsletter": substack,
    "Ghost/Medium sections, figures": ghost_medium,
    "AMP page": amp,
    "paywall after the lead": paywall,
    "comments in the story's container": comments_inside,
    "<br><br> text in a <div>": br_div,
    "photo gallery captions": gallery,
    "standfirst <div> lead": standfirst,
    "<h2> summary lead": h2_summary,
    "embedded tweet": tweet_embed,
    "<noscript> copy only": noscript_copy,
    "de: teaser, subheading, teaser box": german_standfirst,
    "fr: sections, 'Lire aussi'": french_sections,
    "es: Q&A interview": spanish_interview,
    "ja: one-sentence paragraphs": japanese_short,
    "ar: lead <div>, rtl": arabic_standfirst,
}


# Classes whose gold the dev sets' conventions disagree on (marked "?" in the table): aeb's articleBody
# leaves a standfirst or subtitle out (all 10 aeb pages where we added one scored lower), fundus' body
# has it; a gallery's captions are body here, image attributes in fundus' guidelines; a live blog's
# timestamps and a tweet's credit line are furniture or text depending on the annotator.
DEBATABLE = frozenset({"live blog entries", "Substack newsletter", "photo gallery captions", "standfirst <div> lead",
                       "<h2> summary lead", "embedded tweet", "de: teaser, subheading, teaser box",
                       "ar: lead <div>, rtl"})


def main() -> None:
    import logging

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--show", help="print the texts of the pages whose name holds this")
    ap.add_argument("--json", type=Path, help="also write the page figures to this file")
    args = ap.parse_args()
    scorer = load_scorer(args.scorer)
    logging.disable(logging.WARNING)
    names = EXTRACTORS
    print(f"{'page class':38s} " + "  ".join(f"{n:>20s}" for n in names))
    print(f"{'':38s} " + "  ".join(f"{'F1    P    R':>20s}" for _ in names))
    rows = score_pages(scorer, PAGES, args.show)
    for name in PAGES:
        cells = []
        for who in names:
            p, r, f = rows[name][who]
            cells.append(f"{f:.3f} {p:.2f} {r:.2f}")
        best = max(rows[name][w][2] for w in names)
        flag = " <" if rows[name]["ours"][2] < min(0.9, best - 0.02) or rows[name]["ours"][2] < best - 0.05 else ""
        print(f"{name + (' ?' if name in DEBATABLE else ''):38s} " + "  ".join(f"{c:>20s}" for c in cells) + flag)
    means = [sum(rows[n][w][2] for n in rows) / len(rows) for w in names]
    print(f"{'mean page F1 (' + str(len(rows)) + ' pages)':38s} " + "  ".join(f"{m:>20.3f}" for m in means))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
