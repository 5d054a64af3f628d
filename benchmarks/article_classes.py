"""Synthetic article pages outside news, the kinds readability handles, through three extractors, scored against a known body.

One held-back body set is Readability.js's test pages: blogs, technical posts, documentation-like posts,
encyclopedia pages, magazine features, pages in many languages, where readability-lxml scored above us.
Our rules came from news pages (`page_classes.py`, `navigation_shapes.py`). These pages (session 36) are
built like article classes outside news: a technical post with `<pre><code>` blocks and inline `<code>`, a
how-to and release notes that are mostly lists, a data `<table>` in a benchmark write-up, definition lists,
block quotes and a pull-quote, figures with captions, an encyclopedia page (infobox, contents, footnotes,
references), a long-form feature of many `<h2>` sections and one-line paragraphs, `<div>` sections of
`<br><br>` text, a multi-page article with a pager, a personal blog whose sidebar outweighs the post, a
comment thread longer than the post, a forum-like Q&A, and German, French and Spanish variants. Each has
invented wording and a gold body following the dev sets' conventions: the article's text without its
headline; subheadings, list items, table rows, definition terms, block quotes and code blocks are body;
figure captions are not (no `<figcaption>` of aeb, fundus or l3s is in its gold: 0 of 376), nor are a
table of contents, a pager, share bars, sidebars, an infobox, references and readers' comments. A
pull-quote repeats one sentence of the body: by the project's repeated-sentence rules (a quote printed twice
is kept and flagged as a repeat within the article by the dedup stage; only a repeated run of 3+ paragraphs
goes) the gold keeps it where it is printed.

    .venv/bin/python benchmarks/article_classes.py [--scorer ../shared/eval/score_extraction.py] [--show NAME] [--blind]

`--blind` scores the same pages with every class and id hashed and the sectioning tags printed as
`<div>` (`class_blind.py`'s `classes` and `sections`): a site whose names no extractor knows, as most of a
held-back set's sites are to trafilatura's container rules.

Prints page F1, precision and recall of the AEB metric (`score_extraction.py`'s functions) for ours,
trafilatura (`bare_extraction(html, url=url, with_metadata=True, include_comments=False)`) and
readability-lxml (`Document(html).summary()` as text blocks), as `extract_bench.py` runs them; a page
marked `<` is one where ours is under 0.5 or more than 0.05 below the best anchor, `?` one whose gold the
conventions leave open (an encyclopedia's infobox and references, a Q&A's answers, a pull-quote).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from class_blind import blind, unsectioned  # noqa: E402
from extract_bench import DEFAULT_SCORER, EXTRACTORS, load_scorer, score_pages  # noqa: E402

Page = tuple[str, list[str], str]  # html, gold paragraphs, url


def _p(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _doc(title: str, body: str, *, lang: str = "en", site: str = "Field Notes", author: str = "Iris Vane",
         date: str = "2025-04-02T09:00:00+00:00", kind: str = "article") -> str:
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title} - {site}</title>"
            f"<meta property='og:title' content=\"{title}\"><meta property='og:type' content='{kind}'>"
            f"<meta name='author' content='{author}'><meta property='article:published_time' content='{date}'>"
            f"</head><body>{body}</body></html>")


def _blog_nav(site: str, items: tuple[str, ...] = ("Home", "Archive", "About", "Projects", "Talks", "RSS")) -> str:
    links = "".join(f"<li><a href='/{w.lower()}'>{w}</a></li>" for w in items)
    return f"<header class='site-header'><a class='site-title' href='/'>{site}</a><nav><ul>{links}</ul></nav></header>"


def _footer(owner: str) -> str:
    return (f"<footer class='site-footer'><p>© 2025 {owner}. Content licensed CC BY-SA 4.0.</p><p><a href='/feed.xml'>"
            "RSS</a> · <a href='/privacy'>Privacy</a> · <a href='/colophon'>Colophon</a></p></footer>")


def _related(titles: tuple[str, ...], label: str = "Related posts") -> str:
    items = "".join(f"<li><a href='/p/{i}'>{t}</a></li>" for i, t in enumerate(titles))
    return f"<section class='related'><h3>{label}</h3><ul>{items}</ul></section>"


RELATED = ("Profiling a slow test suite with nothing but the standard library",
           "What I learned maintaining a parser for ten years", "Notes on incremental builds",
           "A small guide to reading flame graphs")


# ------------------------------------------------------------------------------------------ the pages
def code_post() -> Page:
    title = "Debouncing file-system events without losing the last one"
    p1 = ["Most file watchers fire several events for a single save. An editor writes a temporary file, renames it over the original and touches the metadata, and each step arrives as its own notification.",
          "The usual fix is a debounce: wait until the events stop for a short while, then act once. The naive version, though, drops the final event whenever a new burst starts during the callback."]
    code1 = ("import asyncio\n\nclass Debouncer:\n    def __init__(self, delay: float) -> None:\n        self.delay = delay\n"
             "        self._task: asyncio.Task | None = None\n\n    def trigger(self, callback) -> None:\n"
             "        if self._task is not None:\n            self._task.cancel()\n"
             "        self._task = asyncio.create_task(self._run(callback))")
    p2 = ["The problem is the call to <code>cancel()</code>. If the callback is already running when the next event arrives, cancelling the task interrupts the work half-way, and nothing schedules it again.",
          "A safer design keeps a dirty flag. The watcher only sets <code>self._dirty = True</code>, and a single long-lived task loops while the flag is set:"]
    code2 = ("async def _loop(self, callback) -> None:\n    while True:\n        await self._event.wait()\n"
             "        await asyncio.sleep(self.delay)\n        self._event.clear()\n        await callback()")
    p3 = ["Because the event is cleared before the callback runs, a save that lands during the callback sets it again and the loop goes round once more. No event is lost, and the callback never runs twice at the same time.",
          "In our build tool this cut spurious rebuilds from about six per save to exactly one, and the last edit of a quick series of saves is always the one that gets built.",
          "The full module, with tests, is about sixty lines. The only dependency is <code>asyncio</code> from the standard library."]
    def plain(s: str) -> str:
        return s.replace("<code>", "").replace("</code>", "")
    gold = [*map(plain, p1), code1, *map(plain, p2), code2, *map(plain, p3)]
    esc = {"<": "&lt;", ">": "&gt;"}
    def pre(code: str) -> str:
        return "<pre class='highlight'><code class='language-python'>" + "".join(esc.get(c, c) for c in code) + "</code></pre>"
    post = (f"{_p(p1)}{pre(code1)}{_p(p2)}{pre(code2)}{_p(p3)}")
    body = (f"{_blog_nav('Iris Vane')}<main><article class='post'><header><h1 class='post-title'>{title}</h1>"
            f"<p class='post-meta'><time datetime='2025-04-02'>2 April 2025</time> · 6 min read · "
            f"<a href='/tags/python'>#python</a> <a href='/tags/async'>#async</a></p></header>"
            f"<div class='post-content'>{post}</div></article>{_related(RELATED)}</main>{_footer('Iris Vane')}")
    return _doc(title, body, site="Iris Vane"), gold, "https://irisvane.example/2025/04/debounce-file-events/"


def howto_lists() -> Page:
    title = "How to replace a bicycle chain at home"
    intro = "A worn chain wears out your cassette and chainrings too, so replacing it on time saves money. The job takes about twenty minutes with the right tool."
    need = "You will need:"
    tools = ["A chain tool that matches your drivetrain's speed count", "A new chain and a quick link",
             "A chain checker or a ruler", "Degreaser and a rag"]
    steps_h = "Steps"
    steps = ["Shift onto the smallest cog at the back and the smallest ring at the front to take tension off the chain.",
             "Find the quick link, squeeze it with link pliers and lift the old chain off the bike.",
             "Lay the old chain next to the new one and count the links, so the new chain ends up the same length.",
             "Shorten the new chain with the chain tool, pushing the pin out only from the side you remove.",
             "Thread the chain through the rear derailleur, around the cassette and over the front ring.",
             "Join the ends with the quick link and pedal hard once to snap it shut.",
             "Shift through every gear to check that the chain runs smoothly and does not skip."]
    tip_h = "Tips"
    tips = ["Measure chain wear every 1,000 kilometres.", "Replace the chain when it has stretched by 0.5 per cent on an 11-speed drivetrain.",
            "Keep the old quick link as a spare in your saddle bag."]
    gold = [intro, need, *tools, steps_h, *steps, tip_h, *tips]
    howto = (f"<p>{intro}</p><p><strong>{need}</strong></p><ul>" + "".join(f"<li>{t}</li>" for t in tools)
             + f"</ul><h2>{steps_h}</h2><ol class='steps'>" + "".join(f"<li>{s}</li>" for s in steps)
             + f"</ol><h2>{tip_h}</h2><ul>" + "".join(f"<li>{t}</li>" for t in tips) + "</ul>")
    body = (f"{_blog_nav('Workshop Notes', ('Guides', 'Reviews', 'Tools', 'Shop', 'About'))}<div class='container'>"
            f"<div class='content'><h1>{title}</h1><div class='meta'>Updated 2 April 2025 · Difficulty: easy</div>"
            f"<div class='entry'>{howto}</div><div class='share'><a href='#'>Pin it</a> <a href='#'>Share</a></div>"
            f"</div><aside class='sidebar'><h3>Popular guides</h3><ul><li><a href='/g/1'>Bleeding hydraulic brakes</a></li>"
            f"<li><a href='/g/2'>Truing a wheel</a></li><li><a href='/g/3'>Setting tyre pressure</a></li></ul></aside>"
            f"</div>{_footer('Workshop Notes')}")
    return _doc(title, body, site="Workshop Notes"), gold, "https://workshopnotes.example/guides/replace-bicycle-chain"


def release_notes() -> Page:
    title = "Tidewater 4.2 released"
    intro = "Tidewater 4.2 is out. This release focuses on start-up time and on the new plugin interface, and it drops support for Python 3.9."
    sections = [("New features", ["Plugins can now register their own command-line sub-commands.",
                                  "A new --profile flag prints where start-up time is spent.",
                                  "Configuration files may include other files with an include key."]),
                ("Changes", ["Start-up is about 40 per cent faster on large projects, because modules are loaded lazily.",
                             "The default log level is now warning instead of info.",
                             "Python 3.9 is no longer supported; the minimum version is 3.10."]),
                ("Bug fixes", ["Fixed a crash when a configuration file was empty.",
                               "Fixed wrong line numbers in error messages for files with Windows line endings.",
                               "The watch mode no longer rebuilds twice after a single save.",
                               "Fixed a race condition when two workers wrote the same cache entry."])]
    outro = "Thanks to the 23 people who contributed to this release. Upgrade with pip install --upgrade tidewater."
    gold = [intro]
    notes = f"<p>{intro}</p>"
    for head, items in sections:
        gold += [head, *items]
        notes += f"<h2 id='{head.lower().replace(' ', '-')}'>{head}</h2><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    gold.append(outro)
    notes += f"<p>{outro}</p>"
    side = ("<nav class='docs-sidebar'><h4>Documentation</h4><ul>" + "".join(
        f"<li><a href='/docs/{w}'>{w.title()}</a></li>" for w in ("install", "tutorial", "configuration", "plugins",
                                                                  "cli", "api", "faq", "changelog")) + "</ul></nav>")
    body = (f"{_blog_nav('Tidewater', ('Docs', 'Blog', 'Download', 'Community', 'GitHub'))}<div class='layout'>{side}"
            f"<main><article class='blog-post'><h1>{title}</h1><p class='byline'>Posted by the Tidewater team on "
            f"2 April 2025</p>{notes}</article><div class='prev-next'><a href='/blog/4-1'>« Tidewater 4.1 released</a>"
            f"</div></main></div>{_footer('The Tidewater project')}")
    return _doc(title, body, site="Tidewater"), gold, "https://tidewater.example/blog/tidewater-4-2-released/"


def benchmark_table() -> Page:
    title = "Comparing four JSON parsers on a million small documents"
    before = ["I needed a faster way to load the event logs our service writes, one small JSON object per line, so I timed four parsers on the same file of one million documents.",
              "Each run was repeated five times on an idle laptop and the fastest kept. Memory is the peak resident size of the process."]
    rows = [("Parser", "Time (s)", "Peak memory (MB)", "Notes"), ("stdlib json", "4.81", "212", "baseline"),
            ("ujson", "2.37", "209", "drop-in"), ("orjson", "1.12", "205", "returns bytes when dumping"),
            ("simdjson", "0.94", "388", "lazy objects")]
    after = ["The fastest parser is not always the best choice. simdjson was quickest, but its lazy objects kept whole documents alive and nearly doubled the memory use.",
             "For our logs orjson was the sweet spot: more than four times faster than the standard library with no extra memory.",
             "The script and the test file generator are in the repository linked below, if you want to repeat the measurement on your own data."]
    table = ("<table><caption>Parsing one million documents</caption><thead><tr>" + "".join(f"<th>{c}</th>" for c in rows[0])
             + "</tr></thead><tbody>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows[1:])
             + "</tbody></table>")
    gold = [*before, *(" ".join(r) for r in rows), *after]
    body = (f"{_blog_nav('Iris Vane')}<main><article class='post h-entry'><h1 class='p-name'>{title}</h1>"
            f"<div class='e-content'>{_p(before)}<div class='table-wrapper'>{table}</div>{_p(after)}"
            f"<p class='post-tags'>Tags: <a href='/t/python'>python</a>, <a href='/t/performance'>performance</a></p>"
            f"</div></article>{_related(RELATED)}</main>{_footer('Iris Vane')}")
    return _doc(title, body, site="Iris Vane"), gold, "https://irisvane.example/2025/03/json-parsers/"


def definition_list() -> Page:
    title = "A glossary of sourdough baking terms"
    intro = "New bakers are often put off by the jargon in recipes. Here are the words you will meet most often, with what they mean in practice."
    terms = [("Starter", "A culture of flour and water that holds wild yeast and lactic acid bacteria, fed regularly to keep it active."),
             ("Levain", "A portion of starter mixed with fresh flour and water a few hours before the dough, so that it peaks when you need it."),
             ("Autolyse", "A rest of flour and water alone before the salt and starter go in, which lets the gluten begin to form on its own."),
             ("Bulk fermentation", "The first rise of the whole dough, usually four to six hours at room temperature, with folds in the first half."),
             ("Crumb", "The inside structure of the baked loaf: an open crumb has large irregular holes, a tight crumb small even ones."),
             ("Oven spring", "The final burst of rising in the first minutes of baking, when the gas in the dough expands in the heat.")]
    outro = "If a recipe uses a word that is not on this list, leave a note on our contact page and we will add it."
    gold = [intro, *(x for t in terms for x in t), outro]
    dl = "<dl class='glossary'>" + "".join(f"<dt>{t}</dt><dd>{d}</dd>" for t, d in terms) + "</dl>"
    body = (f"{_blog_nav('The Crumb Diaries', ('Recipes', 'Glossary', 'Equipment', 'About'))}<main><article>"
            f"<h1>{title}</h1><p class='meta'>By Tomas Lind</p><p>{intro}</p>{dl}<p>{outro}</p></article>"
            f"<aside><h3>Newsletter</h3><p>One recipe a week, no spam.</p><form><input type='email'><button>Subscribe"
            f"</button></form></aside></main>{_footer('The Crumb Diaries')}")
    return _doc(title, body, site="The Crumb Diaries", author="Tomas Lind"), gold, \
        "https://crumbdiaries.example/glossary-of-sourdough-terms/"


def quotes_pullquote() -> Page:
    title = "The last lighthouse keepers of the northern isles"
    paras = ["For almost two centuries the lights along the northern isles were kept by families who lived beside them, trimming wicks and winding clockwork through every winter night.",
             "The last of them left in 1998, when the final station was automated. A handful of former keepers still live on the islands, and they remember the work with a mixture of pride and relief.",
             "Alasdair Munro was nineteen when he took his first posting on a rock with no trees and a single supply boat a fortnight.",
             "\"You learned the sea's moods the way you learn a person's,\" he says. \"Some weeks it would not let the boat in, and you ate what was in the tins.\"",
             "The keepers kept a log of every ship that passed and every change in the weather. Those logs, now in the county archive, are one of the longest records of the climate on this coast.",
             "Munro kept his own diary too. In one entry, from a storm in January 1974, he wrote:"]
    quote = ["The wind took the door off the oil store at three this morning. We have lashed it with rope and the light has not failed. Mary has made soup. There is nothing else to do but wait."]
    more = ["His wife Mary, who raised two children on three different stations, says the hardest part was not the isolation but the noise of the fog signal, which sounded every ninety seconds for days on end.",
            "Today the lights are checked once a year by engineers who arrive by helicopter. The keepers' cottages have become holiday lets and a small museum.",
            "\"People ask if I miss it,\" Munro says. \"I miss the people. I do not miss the fog horn.\""]
    pull = "“You learned the sea's moods the way you learn a person's.”"
    gold = [*paras[:4], pull, *paras[4:], *quote, *more]
    story = (_p(paras[:4]) + f"<aside class='pullquote'><p>{pull}</p></aside>" + _p(paras[4:])
             + "<blockquote><p>" + quote[0] + "</p></blockquote>" + _p(more))
    body = (f"<header class='masthead'><a href='/'>Tideline Magazine</a><nav><a href='/features'>Features</a> "
            f"<a href='/travel'>Travel</a> <a href='/history'>History</a> <a href='/subscribe'>Subscribe</a></nav></header>"
            f"<main><article class='feature'><h1>{title}</h1><p class='byline'>Words by Catriona Bell · Photographs by "
            f"Euan Ross</p><div class='feature-body'>{story}</div><p class='issue'>This article appears in the spring "
            f"issue of Tideline. <a href='/subscribe'>Subscribe</a></p></article></main>"
            f"<footer><p>© 2025 Tideline Magazine</p></footer>")
    return _doc(title, body, site="Tideline Magazine", author="Catriona Bell"), gold, \
        "https://tideline.example/features/last-lighthouse-keepers"


def figures_captions() -> Page:
    title = "Restoring a 1960s radio, valve by valve"
    paras = ["The radio came from a house clearance: a walnut cabinet, a cracked dial glass and a smell of dust that filled the room when the back came off.",
             "Before switching anything on, I replaced every paper capacitor. They dry out over sixty years and can short the power supply the moment the set warms up.",
             "The valves themselves were in better shape than I expected. Only the rectifier tested weak, and a new old stock replacement cost less than a cinema ticket.",
             "The dial cord had snapped, which is the most frustrating job on any old set. It took three attempts and a diagram from a collectors' forum to get the pointer moving across the whole band.",
             "After a gentle first power-up through a lamp limiter, the radio found a station within seconds. The sound is warm and surprisingly loud for a speaker the size of a saucer.",
             "All told the restoration took four weekends and about forty pounds in parts."]
    caps = ["The chassis as it came out of the cabinet, before cleaning. Photo: the author",
            "New capacitors, the yellow ones, beside the originals they replaced.",
            "The finished radio back in its walnut cabinet, tuned to a local station."]
    fig = [f"<figure class='wp-block-image'><img src='/img/radio{i}.jpg' alt=''><figcaption>{c}</figcaption></figure>"
           for i, c in enumerate(caps)]
    story = (fig[0] + _p(paras[:2]) + fig[1] + _p(paras[2:5]) + fig[2] + _p(paras[5:]))
    body = (f"{_blog_nav('Valve and Solder', ('Projects', 'Repairs', 'Parts', 'About'))}<main><article class='post'>"
            f"<h1 class='entry-title'>{title}</h1><div class='entry-meta'>April 2, 2025 by Nick Arden</div>"
            f"<div class='entry-content'>{story}</div></article>{_related(('Rebuilding a reel-to-reel deck', 'My first valve amplifier'))}"
            f"</main>{_footer('Valve and Solder')}")
    return _doc(title, body, site="Valve and Solder", author="Nick Arden"), paras, \
        "https://valveandsolder.example/2025/04/02/restoring-1960s-radio/"


def encyclopedia() -> Page:
    title = "Harrowgate Viaduct"
    lead = ["The Harrowgate Viaduct is a disused railway viaduct spanning the valley of the River Lune near Kettlesing. Completed in 1849, it carried the Kettlesing branch line for 117 years.[1]",
            "It is 312 metres long and has 21 arches, the tallest of which rises 34 metres above the river. The viaduct has been a listed structure since 1967.[2]"]
    secs = [("History", ["Construction began in 1846 under the engineer Samuel Prowse, who had worked on several viaducts in the north of England. Around 600 men were employed at the height of the work.[3]",
                         "The viaduct opened to goods traffic in March 1849 and to passengers in July of the same year. Passenger services ended in 1962 and the line closed completely in 1966."]),
            ("Design", ["The arches are built of local sandstone with brick soffits. Each pier stands on timber piles driven into the river gravel, an unusual choice for a structure of its height.[4]",
                        "Iron ties were added across four of the piers in 1890 after cracks appeared following a flood."]),
            ("Present day", ["Since 2004 the viaduct has carried a footpath and cycle route. A restoration of the parapets was completed in 2019 with funding from a heritage lottery grant.[5]"])]
    gold = [*(s.split("[")[0] for s in lead)]
    for head, ps in secs:
        gold += [head, *(s.split("[")[0] for s in ps)]
    def cite(s: str) -> str:
        if "[" not in s:
            return s
        text, n = s.split("[")
        return f"{text}<sup class='reference'><a href='#cite-{n[:-1]}'>[{n}</a></sup>"
    infobox = ("<table class='infobox'><caption>Harrowgate Viaduct</caption><tbody><tr><th>Carries</th><td>Footpath and "
               "cycle route</td></tr><tr><th>Crosses</th><td>River Lune</td></tr><tr><th>Total length</th><td>312 m</td>"
               "</tr><tr><th>Height</th><td>34 m</td></tr><tr><th>Number of spans</th><td>21</td></tr><tr><th>Opened</th>"
               "<td>1849</td></tr><tr><th>Closed</th><td>1966</td></tr></tbody></table>")
    toc = ("<div id='toc' class='toc'><div class='toctitle'><h2>Contents</h2></div><ul>" + "".join(
        f"<li><a href='#{h.replace(' ', '_')}'><span class='tocnumber'>{i}</span> <span class='toctext'>{h}</span></a></li>"
        for i, h in enumerate(["History", "Design", "Present day", "References", "External links"], 1)) + "</ul></div>")
    sections = "".join(f"<h2><span class='mw-headline' id='{h.replace(' ', '_')}'>{h}</span><span class='mw-editsection'>"
                       f"[<a href='?action=edit'>edit</a>]</span></h2>" + "".join(f"<p>{cite(s)}</p>" for s in ps)
                       for h, ps in secs)
    refs = ("<h2><span class='mw-headline' id='References'>References</span></h2><ol class='references'>" + "".join(
        f"<li id='cite-{i}'><a href='#'>^</a> <cite>{r}</cite></li>" for i, r in enumerate([
            "Pelham, J. (1988). Railways of the Lune Valley. Northern Press. p. 44.",
            "\"Harrowgate Viaduct\". National Heritage List. Retrieved 3 March 2024.",
            "Prowse, S. (1851). \"On the construction of the Harrowgate Viaduct\". Minutes of the Institution of Civil Engineers. 10: 112-130.",
            "Ashworth, M. (2002). Stone Bridges of the North. Fell Books. pp. 201-205.",
            "\"Viaduct parapets restored\". Lune Valley Gazette. 12 September 2019."], 1)) + "</ol>"
        "<h2><span class='mw-headline' id='External_links'>External links</span></h2><ul><li><a href='#'>Harrowgate "
        "Viaduct Trust</a></li></ul>")
    side = ("<div id='mw-panel'><div class='portal'><h3>Navigation</h3><ul><li><a href='/'>Main page</a></li><li>"
            "<a href='/contents'>Contents</a></li><li><a href='/random'>Random article</a></li><li><a href='/about'>About"
            "</a></li></ul></div><div class='portal'><h3>Tools</h3><ul><li><a href='#'>What links here</a></li><li>"
            "<a href='#'>Related changes</a></li><li><a href='#'>Cite this page</a></li></ul></div></div>")
    content = (f"<div id='content' class='mw-body'><h1 id='firstHeading'>{title}</h1><div id='siteSub'>From Wikiland, "
               f"the free encyclopedia</div><div id='mw-content-text'><div class='mw-parser-output'>{infobox}"
               + "".join(f"<p>{cite(s)}</p>" for s in lead) + f"{toc}{sections}{refs}</div></div>"
               "<div id='catlinks'>Categories: <a href='#'>Railway viaducts</a> | <a href='#'>Listed bridges</a> | "
               "<a href='#'>Bridges completed in 1849</a></div></div>")
    body = (f"{side}{content}<div id='footer'><ul><li>This page was last edited on 1 March 2025.</li><li>Text is "
            "available under the Creative Commons Attribution-ShareAlike License.</li></ul></div>")
    return _doc(title, body, site="Wikiland", author="Wikiland contributors", kind="website"), gold, \
        "https://en.wikiland.example/wiki/Harrowgate_Viaduct"


def longform_sections() -> Page:
    title = "Twelve months on a night train"
    blocks = [(None, ["I did not plan to spend a year on sleeper trains.", "It started with a cancelled flight and a ticket to Vienna.", "By the second week I had stopped looking at planes."]),
              ("The first night", ["The compartment had six bunks and one window.", "A retired teacher from Graz offered me half an apple.", "We talked until the border guards came through at two."]),
              ("Learning the timetable", ["Night trains run on their own logic.", "They wait in sidings for hours so that they arrive at a civilised time.", "Nobody minds, because everyone is asleep."]),
              ("The people", ["Conductors remember regular passengers.", "One kept a spare blanket for me on the Zagreb line all winter.", "Another taught me to play a card game I have never seen since."]),
              ("The cost", ["A year of sleepers cost less than my old rent.", "I worked from dining cars and station cafés.", "The hardest part was finding a shower."]),
              ("Coming home", ["I moved back into a flat in March.", "For weeks I could not sleep without the rocking.", "I still keep a timetable by the bed."])]
    gold: list[str] = []
    html = ""
    for head, ps in blocks:
        if head:
            gold.append(head)
            html += f"<h2>{head}</h2>"
        gold += ps
        html += _p(ps)
    body = (f"<div class='top-bar'><a href='/'>Longreads Weekly</a> <a href='/issues'>Issues</a> <a href='/essays'>"
            f"Essays</a> <a href='/shop'>Shop</a></div><div class='essay-wrapper'><div class='essay-head'><h1>{title}</h1>"
            f"<div class='dek'>A year without an address</div><div class='author'>By Lena Maric</div></div>"
            f"<div class='essay-body'>{html}</div><div class='end-mark'>■</div><div class='more-essays'><h4>More essays"
            f"</h4><a href='/e/1'>The art of the long walk</a> <a href='/e/2'>Letters from a lighthouse</a></div></div>")
    return _doc(title, body, site="Longreads Weekly", author="Lena Maric"), gold, \
        "https://longreadsweekly.example/essays/twelve-months-night-train"


def div_br_sections() -> Page:
    title = "Walking the old drove road from Dalmore to Kinloch"
    parts = [["The drove road once carried cattle from the western glens to the markets in the south, and much of it can still be walked in three easy days.",
              "We started at the old inn at Dalmore, where the drovers used to rest their herds in the walled field behind the stables."],
             ["The first day follows the river through birch woods. The path is wide and well drained, with only one stream crossing that may need care after rain.",
              "At the ruined shieling above the loch there is a good place to camp, sheltered from the west wind by a bank of old turf walls."],
             ["The second day climbs to the pass, the highest point of the route at just over 500 metres. On a clear day you can see the islands from the cairn.",
              "The descent is steep and rocky for the first kilometre, then eases into a green track that leads all the way to the bothy at Corrie Dubh."],
             ["The last day is the shortest, a gentle walk along the shore of Loch Kinloch to the village, where the bus to the station runs twice a day."]]
    gold = [p for part in parts for p in part]
    html = "".join(f"<div class='section'>{'<br><br>'.join(part)}</div>" for part in parts)
    body = (f"<table width='100%'><tr><td class='topnav'><a href='/'>Hill Walks</a> | <a href='/routes'>Routes</a> | "
            f"<a href='/maps'>Maps</a> | <a href='/links'>Links</a></td></tr></table><div id='main'><div class='title'>"
            f"<font size='5'><b>{title}</b></font></div><div class='info'>Distance 52 km · 3 days · Grade: moderate</div>"
            f"{html}<div class='nav'><a href='/routes/prev'>&lt;&lt; Previous route</a> | <a href='/routes'>All routes</a> | "
            f"<a href='/routes/next'>Next route &gt;&gt;</a></div></div><div id='foot'>Hill Walks, maintained by "
            f"Alan Reid since 2001.</div>")
    return _doc(title, body, site="Hill Walks", author="Alan Reid"), gold, "http://hillwalks.example/routes/dalmore-kinloch.html"


def multipage() -> Page:
    title = "The long decline of the high-street cinema (page 2 of 3)"
    paras = ["By the 1980s most towns had lost at least one of their picture houses. Home video arrived just as the buildings needed expensive repairs, and owners chose to sell the land.",
             "The multiplexes that followed were built on ring roads, with car parks instead of bus stops. Audiences grew again, but they no longer walked to the pictures.",
             "Some of the old halls survived as bingo clubs, churches or furniture shops. A few kept their projection boxes, unused but intact, behind false ceilings.",
             "In Harlow Cross the Regal stood empty for eleven years before a group of volunteers bought it for one pound from the council, on condition that they reopened it within five years."]
    pager = ("<nav class='pagination'><span>Page</span> <a href='?page=1'>1</a> <span class='current'>2</span> "
             "<a href='?page=3'>3</a> <a class='next' href='?page=3'>Next ›</a></nav>")
    body = (f"<header><a href='/'>Screen &amp; Town</a><nav><a href='/history'>History</a> <a href='/reviews'>Reviews</a> "
            f"<a href='/venues'>Venues</a></nav></header><main><article><h1>The long decline of the high-street cinema</h1>"
            f"<div class='byline'>By Owen Pryce</div>{pager}<div class='article-text'>{_p(paras)}</div>{pager}"
            f"<p class='continue'><a href='?page=3'>Continue reading: the volunteers who saved the Regal »</a></p>"
            f"</article></main><footer><p>© Screen &amp; Town 2025</p></footer>")
    return _doc(title, body, site="Screen & Town", author="Owen Pryce"), paras, \
        "https://screenandtown.example/history/high-street-cinema?page=2"


def blog_big_sidebar() -> Page:
    title = "Why I still write my notes by hand"
    paras = ["Every few years I try a new notes app, and every few years I come back to a paper notebook and a cheap pen.",
             "Writing by hand is slow, and that is the point. I cannot copy a whole paragraph, so I have to decide what it means before I write it down.",
             "The notebooks are also the only notes I have kept for more than a decade. Two of the apps I used have closed, and one export file no longer opens.",
             "I do photograph the pages at the end of each month, so that I can search them, but the paper is what I read."]
    months = [f"{m} {y}" for y in (2025, 2024, 2023) for m in ("December", "November", "October", "September", "August", "July", "June", "May", "April", "March", "February", "January")][11:]
    archives = "<div class='widget'><h3>Archives</h3><ul>" + "".join(f"<li><a href='/{i}'>{m}</a> ({(i * 7) % 5 + 1})</li>" for i, m in enumerate(months)) + "</ul></div>"
    tags = "<div class='widget'><h3>Tags</h3><div class='tagcloud'>" + " ".join(
        f"<a href='/tag/{t}'>{t}</a>" for t in ("analog", "books", "cycling", "drawing", "fountain pens", "gardening", "habits", "journaling", "linux", "music", "notebooks", "photography", "productivity", "reading", "slow living", "tools", "travel", "writing")) + "</div></div>"
    roll = "<div class='widget'><h3>Blogroll</h3><ul>" + "".join(
        f"<li><a href='https://{n.lower().replace(' ', '')}.example/'>{n}</a></li>" for n in ("Paper and Ink", "The Slow Desk", "Margins", "Notes from the Shed", "Quiet Tools", "A Pencil Life", "Morning Pages Club", "The Index Card", "Analog Office", "Ink Stains")) + "</ul></div>"
    recent = "<div class='widget'><h3>Recent posts</h3><ul>" + "".join(
        f"<li><a href='/p/{i}'>{t}</a></li>" for i, t in enumerate(("A year of morning pages", "The pen I keep losing", "Indexing a notebook", "On re-reading old diaries", "Five notebooks compared"))) + "</ul></div>"
    about = "<div class='widget'><h3>About</h3><p>I am a librarian in a small town, writing about paper, pens and paying attention since 2009.</p></div>"
    body = (f"<div id='page'><div id='header'><h2 class='blog-title'><a href='/'>Margins and Lines</a></h2><p class='desc'>"
            f"A notebook about notebooks</p></div><div id='content'><div class='post'><h1 class='post-title'>{title}</h1>"
            f"<div class='post-date'>Wednesday, April 2, 2025</div><div class='post-body'>{_p(paras)}</div>"
            f"<div class='post-footer'>Posted by Agnes at 9:14 PM | <a href='#comments'>3 comments</a> | Labels: "
            f"<a href='/tag/notebooks'>notebooks</a>, <a href='/tag/habits'>habits</a></div></div>"
            f"<div class='blog-pager'><a href='/newer'>Newer Post</a> <a href='/'>Home</a> <a href='/older'>Older Post</a>"
            f"</div></div><div id='sidebar'>{about}{recent}{archives}{tags}{roll}</div></div>")
    return _doc(title, body, site="Margins and Lines", author="Agnes"), paras, \
        "https://marginsandlines.example/2025/04/why-i-still-write-by-hand.html"


def blog_long_comments() -> Page:
    title = "Our first year with a heat pump"
    paras = ["We replaced our gas boiler with an air-source heat pump last April. A year on, here are the numbers.",
             "Our electricity use went up by 3,900 kWh, and we no longer pay for gas at all. Overall the bills fell by about a fifth.",
             "The house is warmer than before, because the pump runs gently all day instead of blasting heat in the morning and evening.",
             "The one thing I would do differently is fit larger radiators in the two bedrooms at the start, not after the first cold snap."]
    names = ["Gareth", "Priya S", "oldhouseowner", "Marek", "Jenny from Leeds", "Tom B", "Ruth", "heatgeek42"]
    texts = ["Thanks for sharing real numbers. Did you need to change any pipework, or just the radiators?",
             "We are about to do the same. How loud is the outdoor unit at night? Our neighbours are very close.",
             "Our house is Victorian with solid walls and no cavity. I worry a heat pump would never keep up in January.",
             "Interesting that the bills fell. Ours went up slightly in the first year until we lowered the flow temperature.",
             "What flow temperature do you run at? The installer set ours to 50 and it was far too high.",
             "Great write-up. Did you get the government grant, and how long did the paperwork take?",
             "We have had one for three years now and would never go back. The trick is to leave it alone.",
             "Good post. One tip for readers: check the weather compensation curve, it makes a huge difference."]
    comments = "".join(
        f"<li class='comment'><div class='comment-author vcard'><img src='/av/{i}.png'><cite class='fn'>{n}</cite> "
        f"<span class='says'>says:</span></div><div class='comment-meta'><a href='#c{i}'>April {3 + i}, 2025 at {i + 8}:15 am</a>"
        f"</div><p>{t}</p><div class='reply'><a class='comment-reply-link' href='#'>Reply</a></div>"
        + (f"<ul class='children'><li class='comment'><div class='comment-author vcard'><cite class='fn'>Dan</cite> "
           f"<span class='says'>says:</span></div><div class='comment-meta'><a href='#r{i}'>April {4 + i}, 2025 at 7:02 pm</a></div>"
           f"<p>Good question. Ours runs at 42 degrees on the coldest days, and nearer 35 most of the winter. The installer "
           f"changed two radiators and none of the pipes.</p><div class='reply'><a class='comment-reply-link' href='#'>Reply</a>"
           f"</div></li></ul>" if i % 2 == 0 else "") + "</li>" for i, (n, t) in enumerate(zip(names, texts, strict=True)))
    body = (f"{_blog_nav('Dan Hughes')}<main><article class='post'><h1 class='entry-title'>{title}</h1><div class='entry-meta'>"
            f"April 2, 2025</div><div class='entry-content'>{_p(paras)}</div></article><div id='comments'>"
            f"<h3 id='comments-title'>12 Responses to “{title}”</h3><ol class='commentlist'>{comments}</ol>"
            f"<div id='respond'><h3>Leave a Reply</h3><form><textarea></textarea><input type='submit' value='Post Comment'>"
            f"</form></div></div></main>{_footer('Dan Hughes')}")
    return _doc(title, body, site="Dan Hughes", author="Dan Hughes"), paras, \
        "https://danhughes.example/2025/04/02/first-year-heat-pump/"


def forum_qa() -> Page:
    title = "How do I stop my sourdough from spreading flat in the oven?"
    question = ["My loaves rise well in the banneton but spread out like a pancake as soon as I turn them out onto the baking stone.",
                "I use 75 per cent hydration with a mix of bread flour and 10 per cent whole wheat, bulk ferment for about five hours at 24 degrees, then shape and proof in the fridge overnight.",
                "What am I doing wrong?"]
    answers = [["Five hours at 24 degrees is quite long for a dough with whole wheat in it. I suspect it is over-fermented by the time you shape it, so the gluten has started to break down.",
                "Try ending the bulk when the dough has risen by about half rather than doubled, and see if the loaf holds its shape better."],
               ["Shaping matters as much as timing. You need enough surface tension that the dough holds itself up. A pre-shape, a twenty-minute rest and a tight final shape made the biggest difference for me.",
                "Also try dropping the hydration to 70 per cent until you are happy with your shaping, then raise it again."]]
    def user(name: str, rep: str) -> str:
        return (f"<div class='user-info'><div class='user-action-time'>asked Mar 30, 2025 at 14:02</div><a href='/u/{name}'>{name}</a>"
                f" <span class='reputation'>{rep}</span></div>")
    votes = "<div class='votecell'><button>Up vote</button><div class='vote-count'>14</div><button>Down vote</button></div>"
    qhtml = (f"<div id='question' class='question'>{votes}<div class='postcell'><div class='s-prose'>{_p(question)}</div>"
             f"<div class='post-taglist'><a href='/t/sourdough'>sourdough</a> <a href='/t/shaping'>shaping</a></div>"
             f"<div class='post-menu'><a href='#'>Share</a> <a href='#'>Improve this question</a> <a href='#'>Follow</a></div>"
             f"{user('crustyloaf', '215')}</div><div class='comments'><ul><li>What flour brand? Some absorb much less water. – "
             f"<a href='/u/millie'>millie</a> Mar 30, 2025 at 15:10</li></ul></div></div>")
    ahtml = "".join(f"<div class='answer'>{votes}<div class='answercell'><div class='s-prose'>{_p(a)}</div>"
                    f"<div class='post-menu'><a href='#'>Share</a> <a href='#'>Improve this answer</a></div>"
                    f"{user(n, r)}</div></div>" for a, (n, r) in zip(answers, (("breadnerd", "3,411"), ("hannah_b", "872")),
                                                                      strict=True))
    gold = [*question, *(p for a in answers for p in a)]
    body = (f"<header class='top-bar'><a href='/'>Seasoned Advice Forum</a><form><input placeholder='Search…'></form>"
            f"<a href='/login'>Log in</a> <a href='/signup'>Sign up</a></header><div id='content'><div id='question-header'>"
            f"<h1>{title}</h1></div><div class='question-stats'>Asked 3 days ago · Viewed 1k times</div>{qhtml}"
            f"<div id='answers'><h2>2 Answers</h2><div class='sort'>Sorted by: Highest score</div>{ahtml}</div>"
            f"<div class='your-answer'><h2>Your Answer</h2><form><textarea></textarea><button>Post Your Answer</button></form>"
            f"</div></div><div id='sidebar'><div class='module'><h4>Related</h4><ul><li><a href='/q/1'>Why is my crumb gummy?</a>"
            f"</li><li><a href='/q/2'>Can I proof dough in the fridge for 48 hours?</a></li><li><a href='/q/3'>Stone or "
            f"Dutch oven?</a></li></ul></div><div class='module'><h4>Hot Network Questions</h4><ul><li><a href='/h/1'>Is it "
            f"safe to eat raw flour?</a></li><li><a href='/h/2'>Why do onions make you cry?</a></li></ul></div></div>")
    return _doc(title, body, site="Seasoned Advice Forum", author="crustyloaf", kind="website"), gold, \
        "https://forum.seasoned.example/questions/4411/sourdough-spreading-flat"


def de_code_post() -> Page:
    title = "Backups mit rsync und systemd-Timern automatisieren"
    p1 = ["Wer seinen Heimserver regelmäßig sichern möchte, braucht dafür keine große Software. Ein Shell-Skript mit rsync und ein systemd-Timer reichen völlig aus.",
          "Das Skript kopiert das Verzeichnis /srv auf eine externe Platte und behält dank Hardlinks ältere Stände, ohne sie doppelt zu speichern:"]
    code1 = "#!/bin/sh\nZIEL=/mnt/backup/$(date +%F)\nrsync -a --delete --link-dest=/mnt/backup/latest /srv/ \"$ZIEL\"\nln -sfn \"$ZIEL\" /mnt/backup/latest"
    p2 = ["Der Timer startet das Skript jede Nacht um drei Uhr. Die Option Persistent=true sorgt dafür, dass ein verpasster Lauf nach dem Einschalten nachgeholt wird:"]
    code2 = "[Timer]\nOnCalendar=*-*-* 03:00:00\nPersistent=true\n\n[Install]\nWantedBy=timers.target"
    p3 = ["Nach systemctl enable --now backup.timer zeigt systemctl list-timers den nächsten Lauf an. Ob das Backup geklappt hat, verrät journalctl -u backup.service.",
          "Wichtig ist, die Sicherung ab und zu testweise zurückzuspielen. Ein Backup, das sich nicht wiederherstellen lässt, ist keines."]
    gold = [*p1, code1, *p2, code2, *p3]
    def pre(code: str) -> str:
        return f"<pre><code>{code}</code></pre>"
    post = _p(p1) + pre(code1) + _p(p2) + pre(code2) + _p(p3)
    body = (f"{_blog_nav('Kellerkind IT', ('Start', 'Artikel', 'Über mich', 'Impressum'))}<main><article><h1>{title}</h1>"
            f"<p class='meta'>2. April 2025 · Lesezeit 4 Minuten</p><div class='inhalt'>{post}</div></article>"
            f"{_related(('Proxmox im Keller', 'WireGuard in zehn Minuten'), 'Das könnte dich auch interessieren')}</main>"
            f"<footer><a href='/impressum'>Impressum</a> · <a href='/datenschutz'>Datenschutz</a></footer>")
    return _doc(title, body, lang="de", site="Kellerkind IT", author="Jonas Berger"), gold, \
        "https://kellerkind-it.example/2025/04/backups-rsync-systemd/"


def fr_encyclopedia() -> Page:
    title = "Moulin de Saint-Aubert"
    lead = ["Le moulin de Saint-Aubert est un moulin à eau situé sur la Sèvre, dans la commune de Saint-Aubert-sur-Sèvre. Construit au XVIe siècle, il a produit de la farine jusqu'en 1952."]
    secs = [("Histoire", ["Le moulin est mentionné pour la première fois dans un acte de 1543. Il appartient alors à l'abbaye voisine, qui le loue à des meuniers de la commune.",
                          "Vendu comme bien national en 1791, il reste dans la même famille pendant près de cent cinquante ans."]),
            ("Architecture", ["Le bâtiment principal, en pierre calcaire, abrite deux paires de meules. La roue à aubes actuelle, en fer, date de 1887."]),
            ("Aujourd'hui", ["Restauré par une association depuis 2008, le moulin se visite d'avril à octobre. Des démonstrations de mouture ont lieu le premier dimanche de chaque mois."])]
    gold = list(lead)
    for h, ps in secs:
        gold += [h, *ps]
    infobox = ("<table class='infobox_v2'><tr><th colspan='2'>Moulin de Saint-Aubert</th></tr><tr><th>Type</th><td>Moulin à eau"
               "</td></tr><tr><th>Construction</th><td>XVIe siècle</td></tr><tr><th>Cours d'eau</th><td>Sèvre</td></tr><tr><th>"
               "Protection</th><td>Inscrit MH (1994)</td></tr></table>")
    toc = ("<div class='toc'><h2>Sommaire</h2><ul>" + "".join(f"<li><a href='#{h}'>{i} {h}</a></li>" for i, (h, _) in enumerate(secs, 1))
           + "<li><a href='#Notes'>4 Notes et références</a></li></ul></div>")
    html = (f"<div id='content'><h1>{title}</h1><div class='mw-parser-output'>{infobox}{_p(lead)}{toc}"
            + "".join(f"<h2 id='{h}'>{h}</h2>" + _p(ps) for h, ps in secs)
            + "<h2 id='Notes'>Notes et références</h2><ol class='references'><li>Archives départementales, série H, liasse 12."
            "</li><li>Base Mérimée, notice PA00000000.</li></ol></div><div class='catlinks'>Catégories : <a href='#'>Moulin"
            " à eau</a> | <a href='#'>Monument historique inscrit</a></div></div>")
    side = ("<div id='mw-panel'><ul><li><a href='/'>Accueil</a></li><li><a href='/portails'>Portails thématiques</a></li>"
            "<li><a href='/hasard'>Article au hasard</a></li><li><a href='/contact'>Contact</a></li></ul></div>")
    body = f"{side}{html}<div id='footer'>Dernière modification de cette page le 1 mars 2025.</div>"
    return _doc(title, body, lang="fr", site="Wikiland", author="Contributeurs", kind="website"), gold, \
        "https://fr.wikiland.example/wiki/Moulin_de_Saint-Aubert"


def es_howto() -> Page:
    title = "Cómo preparar un huerto en el balcón"
    intro = "No hace falta un jardín para cultivar verduras. Con unas cuantas macetas y seis horas de sol al día, un balcón puede dar tomates, lechugas y hierbas durante todo el verano."
    steps = ["Elige macetas de al menos veinte litros para tomates y pimientos, y jardineras más bajas para lechugas y rábanos.",
             "Usa un sustrato para huerto mezclado con compost, nunca tierra del parque, que se compacta y drena mal.",
             "Coloca las plantas más altas en la parte que menos sombra proyecte sobre las demás.",
             "Riega por la mañana temprano y comprueba la humedad metiendo un dedo en la tierra antes de volver a regar.",
             "Abona cada dos semanas a partir de la floración con un fertilizante rico en potasio."]
    outro = "Con estos pasos, en pocas semanas podrás cosechar tus primeras lechugas."
    gold = [intro, *steps, outro]
    body = (f"{_blog_nav('Verde en Casa', ('Inicio', 'Huerto', 'Plantas', 'Contacto'))}<main><article><h1>{title}</h1>"
            f"<p class='autor'>Por Lucía Ferrer · 2 de abril de 2025</p><p>{intro}</p><ol>"
            + "".join(f"<li>{s}</li>" for s in steps) + f"</ol><p>{outro}</p><div class='compartir'><a href='#'>Compartir"
            f"</a></div></article>{_related(('Tomates en maceta', 'Plagas comunes del huerto urbano'), 'Te puede interesar')}"
            f"</main><footer><p>© 2025 Verde en Casa</p></footer>")
    return _doc(title, body, lang="es", site="Verde en Casa", author="Lucía Ferrer"), gold, \
        "https://verdeencasa.example/huerto-en-el-balcon/"


def long_feature_subheads() -> Page:
    """A magazine feature over 1,500 characters (the length at which a text that starts and ends with prose
    skips the readability vote) with short <h3> subheads between its <p>s (session 37)."""
    title = "The last ferry keeper of the northern lakes"
    blocks = [(None, ["Every morning at six, Tomas Hult walks down to the jetty, checks the ropes and starts the engine of a ferry older than he is.",
                      "For thirty-one years he has carried cars, cattle and schoolchildren across the narrow water between the two villages."]),
              ("Winter", ["When the lake freezes, the ferry stops, and the villages are joined by an ice road that the council marks with spruce branches.",
                          "Hult spends those months repairing the hull in a shed that smells of tar and coffee, and he says he misses the water every day.",
                          "In the worst winters the ice has been a metre thick, and lorries loaded with timber have driven across where the ferry runs in summer."]),
              ("Money", ["The county pays for the crossing, but its budget shrinks every year, and twice the ferry has nearly been replaced by a bridge.",
                         "Both times the villagers filled the council chamber, and both times the bridge plans went back into a drawer.",
                         "A bridge would cost eleven times as much as forty years of the ferry, the villagers' own study found, and it would cut the lake in two for the boats."]),
              ("Summer", ["In July the ferry runs until midnight, and the last crossing carries campers, anglers and the baker's van back to the east shore.",
                          "Hult keeps a logbook of every crossing, and the busiest day in thirty-one years was the midsummer fair of 2004, with ninety-two trips."]),
              ("What comes next", ["Hult turns sixty-seven in the spring, and nobody has yet applied to take over the wheel when he retires.",
                                   "He has started teaching his niece, who already knows the currents better than he did at her age.",
                                   "If she takes the job, the ferry will have had the same family at its helm for three generations."])]
    gold: list[str] = []
    html = ""
    for head, ps in blocks:
        if head:
            gold.append(head)
            html += f"<h3>{head}</h3>"
        gold += ps
        html += _p(ps)
    body = (f"{_blog_nav('Lake Country Magazine', ('Home', 'Features', 'Travel', 'Food', 'Subscribe'))}<div class='feature'>"
            f"<h1>{title}</h1><div class='byline'>By Karin Stolt</div><div class='feature-text'>{html}</div></div>"
            f"{_related(('Ice roads of the north', 'A summer on the island ferries'), 'More features')}"
            f"{_footer('Lake Country Magazine')}")
    return _doc(title, body, site="Lake Country Magazine", author="Karin Stolt"), gold, \
        "https://lakecountry.example/features/last-ferry-keeper"


def hover_cards() -> Page:
    """A story whose names open a hover card: the card is an ARIA tooltip, or an element with the hidden
    attribute that a script shows on hover (session 37). A reader sees the sentence without the cards."""
    title = "Council approves new cycle lanes"
    card = ("<span class='person'>{name}<span {attr} class='card'>{bio}<a href='/people/{slug}'>Follow</a>"
            "</span></span>")
    mayor = card.format(name="Rosa Vell", attr="role='tooltip'", slug="rosa-vell",
                        bio="Rosa Vell has been the mayor since 2019 and chairs the finance committee.")
    planner = card.format(name="Omar Quist", attr="hidden", slug="omar-quist",
                          bio="Omar Quist leads the city's transport department and wrote its cycling plan.")
    paras = ["The city council approved four new cycle lanes on Tuesday, after a debate that lasted most of the evening.",
             "{mayor} said the lanes would make the centre safer for children riding to school.",
             "The transport director, {planner}, said work on the first lane would begin in May.",
             "Shop owners on the high street asked for more loading bays, and the council agreed to study the request."]
    html = "".join(f"<p>{p.format(mayor=mayor, planner=planner)}</p>" for p in paras)
    gold = [p.format(mayor="Rosa Vell", planner="Omar Quist") for p in paras]
    body = (f"{_blog_nav('City Post', ('Home', 'News', 'Sport', 'Opinion'))}<main><article><h1>{title}</h1>"
            f"<div class='story'>{html}</div></article></main>{_footer('City Post')}")
    return _doc(title, body, site="City Post", author="Dana Brix"), gold, "https://citypost.example/news/cycle-lanes"


PAGES: dict[str, Callable[[], Page]] = {
    "tech post, <pre><code> + inline <code>": code_post,
    "how-to: <ul> tools, <ol> steps": howto_lists,
    "release notes: <h2> + <ul>s": release_notes,
    "benchmark post, data <table>": benchmark_table,
    "glossary <dl>": definition_list,
    "feature: <blockquote> + pull-quote": quotes_pullquote,
    "blog: <figure>s with captions": figures_captions,
    "encyclopedia: infobox, contents, refs": encyclopedia,
    "long-form: <h2>s, one-line paragraphs": longform_sections,
    "<div> sections of <br><br> text": div_br_sections,
    "multi-page article, pager": multipage,
    "blog: sidebar longer than the post": blog_big_sidebar,
    "blog: comment thread 3x the post": blog_long_comments,
    "forum Q&A, question + answers": forum_qa,
    "de: tech post, <pre><code>": de_code_post,
    "fr: encyclopedia, infobox, sommaire": fr_encyclopedia,
    "es: how-to, <ol> steps": es_howto,
    "long feature, short <h3> subheads": long_feature_subheads,
    "names with hover cards": hover_cards,
}

# Pages whose gold the dev sets' conventions leave open: an encyclopedia's infobox and references (table
# cells are body in a news story; no dev page is an encyclopedia's), a forum page's answers (the question
# alone, or the thread), a pull-quote's copy (no dev page prints one; the gold keeps it, as the dedup
# stage's repeated-sentence rules keep a quote printed twice, and all three extractors drop its <aside>).
DEBATABLE = frozenset({"encyclopedia: infobox, contents, refs", "forum Q&A, question + answers",
                       "fr: encyclopedia, infobox, sommaire", "feature: <blockquote> + pull-quote"})


def main() -> None:
    import logging

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    ap.add_argument("--show", help="print the texts of the pages whose name holds this")
    ap.add_argument("--json", type=Path, help="also write the page figures to this file")
    ap.add_argument("--blind", action="store_true", help="class and id names hashed, sectioning tags as <div>")
    args = ap.parse_args()
    scorer = load_scorer(args.scorer)
    logging.disable(logging.WARNING)
    names = EXTRACTORS
    print(f"{'article class':40s} " + "  ".join(f"{n:>20s}" for n in names))
    print(f"{'':40s} " + "  ".join(f"{'F1    P    R':>20s}" for _ in names))
    pages = PAGES
    if args.blind:
        def blinded(build: Callable[[], Page]) -> Callable[[], Page]:
            def page() -> Page:
                html, gold, url = build()
                return unsectioned(blind(html.encode())).decode(), gold, url
            return page
        pages = {name: blinded(build) for name, build in PAGES.items()}
    rows = score_pages(scorer, pages, args.show)
    for name in PAGES:
        cells = []
        for who in names:
            p, r, f = rows[name][who]
            cells.append(f"{f:.3f} {p:.2f} {r:.2f}")
        best = max(rows[name][w][2] for w in names if w != "ours")
        flag = " <" if rows[name]["ours"][2] < 0.5 or rows[name]["ours"][2] < best - 0.05 else ""
        print(f"{name + (' ?' if name in DEBATABLE else ''):40s} " + "  ".join(f"{c:>20s}" for c in cells) + flag)
    means = [sum(rows[n][w][2] for n in rows) / len(rows) for w in names]
    print(f"{'mean page F1 (' + str(len(rows)) + ' pages)':40s} " + "  ".join(f"{m:>20.3f}" for m in means))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
