"""The vote on long texts that start and end with prose (body._mixed_long_text): a text holding several
non-prose lines between its prose goes to the readability vote, the rest keep skipping it for its cost."""

from __future__ import annotations

import json

from newsdedup.clean import extract

from .pages import page
from .test_story_parts import LONG, STORY, TITLE

BLOGS = [
    ("Harbour Lights by Anna Reid", "Life on the quays, the boats and the people who work them, every week."),
    ("Island Kitchen by Tom Baird", "Recipes from the islands' cooks, and the stories of the dishes they make."),
    ("The Long Crossing by Sue Moir", "Notes from the ferry, the weather and the sea between the islands."),
    ("Field Notes by Ian Muir", "Birds, seals and the wild flowers of the machair through the seasons."),
    ("Council Watch by Ruth Gray", "What the council decided this week and what it will cost you."),
    ("Pier Head by Alan Craig", "Fishing, fish prices and the fleet's news from the harbour office."),
]


def _story_and_sidebar(head: str = "") -> str:
    story = "".join(f"<p>{p}</p>" for p in STORY + LONG[:3])
    blogs = "".join(f"<div class='r4'><p>{name}</p><p>{about}</p></div>"
                    for name, about in BLOGS)
    return page(f"<title>{TITLE} - Island Times</title>{head}",
                "<div class='m1'><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></div>"
                f"<div class='c7'><div class='c8'><h1>{TITLE}</h1><div class='c9'>{story}</div></div>"
                f"<div class='s2'><div class='s3'>Our blogs</div>{blogs}</div></div>")


def test_a_sidebar_of_blogs_after_a_long_story_goes() -> None:
    """A long story whose blocks no class names, followed by a sidebar of the site's blogs (a name line and
    a one-line description each, the blind copies' news.com page): the text starts and ends with prose, so
    it skipped the vote and the sidebar came with the story."""
    got = extract(_story_and_sidebar(), "https://islands.example/news/ferry").paragraphs
    assert got == [*STORY, *LONG[:3]]


def _count_votes(monkeypatch) -> list[int]:
    """How often readability's candidate is made (a counting wrapper around the real function)."""
    from newsdedup.clean import body

    calls: list[int] = []
    real = body.readability_paragraphs

    def counted(root):
        calls.append(1)
        return real(root)

    monkeypatch.setattr(body, "readability_paragraphs", counted)
    return calls


def test_a_long_story_of_prose_with_few_other_lines_skips_the_vote(monkeypatch) -> None:
    """The gate stays for the rest: a long story with two subheads is not read by readability at all."""
    calls = _count_votes(monkeypatch)
    paras = "".join(f"<p>{p}</p>" for p in STORY) + "<h2>What the papers said</h2>" \
        + "".join(f"<p>{p}</p>" for p in LONG[:2]) + "<h2>Next steps</h2>" + f"<p>{LONG[2]}</p>"
    html = page(f"<title>{TITLE} - Island Times</title>", f"<article><h1>{TITLE}</h1>{paras}</article>")
    got = extract(html, "https://islands.example/news/ferry").paragraphs
    assert got == [*STORY, "What the papers said", *LONG[:2], "Next steps", LONG[2]]
    assert calls == []


def test_a_sidebar_of_blogs_goes_to_the_vote(monkeypatch) -> None:
    calls = _count_votes(monkeypatch)
    extract(_story_and_sidebar(), "https://islands.example/news/ferry")
    assert calls


ENTRIES = [
    ("09:12", "The first ferry of the morning left the mainland pier on time, with about forty passengers and "
     "a van of post on board for the islands."),
    ("09:40", "The harbour master said the sea was calm and the forecast good for the whole day, so all six "
     "crossings should run as planned."),
    ("10:05", "A piper played on the quay as the ferry came in, and the harbour cafe gave out coffee and cake "
     "to the passengers coming off."),
    ("10:31", "The council leader thanked the yard that fitted the new shaft and said the islands had waited "
     "far too long for their service."),
    ("11:02", "The school's older pupils will take the afternoon crossing back to their classrooms for the "
     "first time since the spring."),
    ("11:45", "The operator said bookings for the summer were already ahead of last year, and that fares would "
     "stay at last year's level."),
    ("12:20", "That is all from us today: the ferry runs to its normal timetable from tomorrow, and we will "
     "report on the first week next Monday."),
]


def test_a_live_blogs_entries_under_their_time_lines_stay_whole() -> None:
    """A live blog (JSON-LD LiveBlogPosting) prints a time line above each entry: many non-prose lines, but
    readability takes one entry and the vote would drop the others, so a live blog keeps skipping it."""
    ld = json.dumps({"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": TITLE})
    entries = "".join(f"<div class='e1'><p>{time}</p><p>{text}</p></div>" for time, text in ENTRIES)
    html = page(f"<title>{TITLE} - Island Times</title><script type='application/ld+json'>{ld}</script>",
                f"<div class='c7'><h1>{TITLE}</h1><div class='c9'>{entries}</div></div>")
    got = extract(html, "https://islands.example/news/ferry-live").paragraphs
    assert got == [line for entry in ENTRIES for line in entry]
