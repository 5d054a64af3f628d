"""A tiny news site whose titles and URLs try to inject markup, served like the sample site.

Its two first stories are one syndicated story (a cluster) titled with a `<script>` tag, so the
dashboard must escape a cluster title and a member title; `add_story` publishes a third one later
(the lock test's second run has something new to load).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

SOURCE = "hostile-herald"
SCRIPT_TITLE = '<script>alert("pwned")</script> Harbour ferry returns after storm repairs'

PARAGRAPHS = [
    "The harbour ferry between Calder Point and the island of Westholm returned to service on Tuesday "
    "morning, three weeks after a winter storm tore a loading ramp from its moorings and left the island's "
    "eight hundred residents relying on a single water taxi.",
    "Engineers worked through the weekend to fit a replacement ramp shipped from the mainland yard, and the "
    "first crossing left on time at seven o'clock with a full deck of delivery vans and school buses.",
    "The operator said the timetable would run at reduced frequency until the end of the month while crews "
    "finish strengthening the pier supports, with the last evening sailing moved forty minutes earlier.",
    "Island councillor Marta Lindgren said residents had coped with patience and good humour, but that the "
    "outage showed how exposed the community was to a single point of failure in bad weather.",
    "The regional transport authority has promised a review of the ferry's backup arrangements, including a "
    "second ramp kept in reserve and a standing agreement with a charter vessel for future emergencies.",
    "Passengers on the first crossing applauded as the ferry docked, and several shopkeepers said deliveries "
    "of fresh produce would return to normal by the end of the week.",
]

THIRD_PARAGRAPHS = [
    "A community orchard planted on the old quarry terraces above Westholm village produced its first "
    "harvest this autumn, ten years after volunteers began clearing the ground by hand.",
    "More than two hundred apple and pear trees, many of them grafted from old island varieties, now grow on "
    "the sheltered south-facing terraces, and the orchard group pressed its first batch of juice last week.",
    "The group's chair said the project had drawn families who had never met each other into a shared "
    "weekend routine of pruning, mowing and picking, and that the juice would be sold at the harbour market.",
    "Botanists from the mainland university have catalogued several varieties that were thought lost, and "
    "plan to send cuttings to a national fruit collection so that they survive beyond the island.",
]


def _page(base: str, path: str, title: str, published: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    t = escape(title)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{t}</title>
<link rel="canonical" href="{base}{path}">
<meta property="og:title" content="{t}">
<meta property="article:published_time" content="{published}">
</head><body><header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{t}</h1><p class="byline">By Staff Reporter</p>
{body}
</article></main><footer><p>Hostile Herald, Westholm.</p></footer></body></html>
"""


def _item(base: str, path: str, title: str, pubdate: str) -> str:
    return (f"<item><title>{xml_escape(title)}</title><link>{base}{path}</link>"
            f"<guid isPermaLink=\"true\">{base}{path}</guid><pubDate>{pubdate}</pubDate></item>")


STORIES = [
    ("/hostile/2026/11/24/ferry-returns.html", SCRIPT_TITLE, "2026-11-24T08:00:00+00:00",
     "Tue, 24 Nov 2026 08:00:00 +0000", PARAGRAPHS),
    # The same story carried again an hour later with one sentence changed: a near duplicate.
    ("/hostile/2026/11/24/ferry-returns-update.html", SCRIPT_TITLE + " (update)", "2026-11-24T09:00:00+00:00",
     "Tue, 24 Nov 2026 09:00:00 +0000",
     PARAGRAPHS[:-1] + ["Passengers on the first crossing cheered as the ferry docked, and several shopkeepers "
                        "said deliveries of fresh produce would return to normal by the end of the week."]),
]
THIRD = ("/hostile/2026/11/25/quarry-orchard-harvest.html", "Quarry orchard's first harvest & <b>juice</b>",
         "2026-11-25T07:00:00+00:00", "Wed, 25 Nov 2026 07:00:00 +0000", THIRD_PARAGRAPHS)


def build(root: Path, stories: list[tuple] | None = None) -> Path:
    """Write the site under root (feed at /hostile/rss.xml); return root."""
    stories = STORIES if stories is None else stories
    base = "{{BASE_URL}}"
    for path, title, published, _pub, paragraphs in stories:
        f = root / path.lstrip("/")
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(_page(base, path, title, published, paragraphs), encoding="utf-8")
    items = "\n".join(_item(base, p, t, pub) for p, t, _pd, pub, _ in reversed(stories))
    feed = root / "hostile" / "rss.xml"
    feed.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile Herald</title><link>{base}/hostile/</link>
<description>Titles that try to break dashboards.</description>
{items}
</channel></rss>
""", encoding="utf-8")
    return root


def add_story(root: Path) -> None:
    """Publish the third story (the feed now lists three)."""
    build(root, [*STORIES, THIRD])


# A revision of the first story that tries its luck in the "Recently revised" panel: the new headline
# and an appended paragraph carry markup and a javascript: link.
REVISED_TITLE = '<script>alert("revised")</script> Harbour ferry timetable & <b>fares</b> restored'
REVISED_LINE = ('Update: <script>document.location="http://evil.example/"</script> the operator says '
                '<a href="javascript:steal()">fares</a> return to the winter rates on Monday.')


def revise_story(root: Path, revised: bool = True) -> None:
    """Publish a revised version of the first story's page (its feed entry stays), or the original again."""
    path, title, published, _pubdate, paragraphs = STORIES[0]
    page = _page("{{BASE_URL}}", path, REVISED_TITLE, published, [*paragraphs, REVISED_LINE]) if revised else \
        _page("{{BASE_URL}}", path, title, published, paragraphs)
    (root / path.lstrip("/")).write_text(page, encoding="utf-8")
