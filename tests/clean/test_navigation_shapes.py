"""Navigation shapes around a short story (benchmarks/navigation_shapes.py): readers' comment sections."""

from __future__ import annotations

import pytest

from newsdedup.clean import extract

from .pages import page

TITLE = "Harbour wall repairs to start in the autumn"
STORY = [
    "Work to repair the storm-damaged harbour wall at Saltmarsh will start in October, the port authority "
    "said on Friday, after a year of arguments about who should pay.",
    "The 1.4 million pound bill will be shared between the authority and the county, and the fishing fleet "
    "will move to the outer quay while the work goes on.",
]
OPINIONS = [
    "About time too, the wall has been falling apart since the winter storms and nobody seemed to care at all.",
    "The fishermen will lose months of trade on the outer quay, somebody should compensate them for that loss.",
    "A year of arguing about money while the sea did the damage, typical of how this county is run these days.",
    "My grandfather helped build that wall in 1952 and it lasted seventy years, I hope this repair lasts as long.",
]


def _comments(n: int, byline: str, controls: str) -> str:
    return "".join(f"<div class='x{i % 3}'><div>{byline.format(i=i)}</div>"
                   f"<p>{OPINIONS[i % 4]} {OPINIONS[(i + 1) % 4]}</p><div>{controls.format(i=i)}</div></div>" for i in range(n))


def _page(comments: str, heading: str, lang: str = "en") -> str:
    return page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                "<div class='a1'><a href='/'>Home</a> <a href='/news'>News</a></div>"
                f"<div class='a2'><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</div>"
                f"<div class='a3'><h3>{heading}</h3>{comments}</div>", lang)


def test_a_comment_thread_longer_than_the_story_is_not_the_article() -> None:
    """Twenty comments in blocks with class names no method knows under a two-paragraph story came back
    with it, bylines and "Reply Like" lines too (on the probe page the recall fallback even swapped the
    thread in for the story: page F1 0.002)."""
    html = _page(_comments(20, "reader{i}", "<span>Reply</span> <span>Like</span> <span>{i}</span>"), "20 comments")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == STORY


def test_posted_by_comments_after_the_story_go() -> None:
    """The precise pass took the comments' text with the story but not their bylines: no marker was left
    in the text to cut at; the page's "Posted by X on <date>" lines show the section."""
    html = _page(_comments(20, "Posted by reader{i} on 7 May 2025 at 10:{i:02d}",
                           "<a href='#r'>Reply</a> | <a href='#a'>Report abuse</a>"), "Leave a comment")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == STORY


def test_a_comments_button_over_the_story_body_keeps_the_story() -> None:
    """A share bar's "Comments (3)" at the top of the story's body container, the lead above it in its
    own block: the body holds no repeated comment furniture, so it is no comment section."""
    body = [*STORY, "Engineers said the new wall would be built with granite blocks from the old quarry at "
            "Redcliffe, which reopened last year.", "The harbour master said boats would be able to use the "
            "inner harbour again by the spring, if the weather allowed the work to go on through the winter."]
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                f"<div class='b1'><h1>{TITLE}</h1><p>{body[0]}</p></div><div class='b2'><div><a href='#c'>Comments "
                f"(3)</a></div>{''.join(f'<p>{p}</p>' for p in body[1:])}</div>")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == body


def test_an_author_box_longer_than_the_story_goes_with_its_first_line() -> None:
    """A bio of three long paragraphs after a three-paragraph story: its first paragraph starts with the
    credited name and went as an author note, the two after it stayed as prose outside the agreed stretch."""
    story = [*STORY, "Boats will be able to use the inner harbour again by the spring, the harbour master said."]
    bio = ["Tom Okafor covers the coast and its industries for Coast News, which he joined in 2019 after five "
           "years as a reporter on the Fishing Gazette, and before that he worked on trawlers out of Saltmarsh.",
           "His series on the decline of the inshore fleet was shortlisted for a regional press award in 2022, "
           "and his reporting on harbour finances won the local journalism prize in 2024, the first for the paper.",
           "He lives in Saltmarsh with his family, sails his own boat along the estuary most weekends in summer, "
           "and can be contacted with story ideas by email or through the newsroom switchboard during office hours."]
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>"
                "<meta name='author' content='Tom Okafor'>",
                f"<div class='c1'><h1>{TITLE}</h1><div>By Tom Okafor</div>{''.join(f'<p>{p}</p>' for p in story)}</div>"
                f"<div class='c2'><h3>About Tom Okafor</h3>{''.join(f'<p>{p}</p>' for p in bio)}"
                "<div><a href='/authors/tom-okafor'>More from Tom Okafor</a></div></div>")
    ex = extract(html, "https://coast.example/news/harbour-wall")
    assert ex.authors == ["Tom Okafor"]
    assert ex.paragraphs == story


LIVE_ENTRIES = [
    "Police have closed the coast road between Saltmarsh and Redcliffe after a tree came down near the lifeboat "
    "station, blocking both lanes.",
    "The Met Office has raised its warning to amber for the whole county, with gusts of up to 80 miles an hour "
    "expected this afternoon.",
    "Ferries from the harbour have been cancelled for the rest of the day, the operator said, and passengers are "
    "being offered refunds.",
    "About 4,000 homes are without power across the county, the electricity network said, and engineers are "
    "waiting for the wind to drop.",
    "Schools in the coastal villages will close at lunchtime so that children can get home before the worst of "
    "the storm arrives, the council said.",
]


@pytest.mark.parametrize("layout", ["standfirst_apart", "one_block"])
def test_a_live_blogs_posted_by_entries_are_the_story_not_comments(layout: str) -> None:
    """A live blog: a standfirst under the headline, then entries each under a "Posted by <reporter> at
    10:32" line. The bylines repeat once an entry, like a comment thread's, and the entries' block holds no
    headline nor the standfirst (the precise pass's lead): every entry was taken for a reader's comment and
    only the standfirst was left. A byline alone marks no comment section."""
    title = "Live: Storm Ellen hits the west coast"
    stand = ("Storm Ellen is bringing gusts of up to 80mph to the west coast, with power cuts, road closures and "
             "cancelled ferries across the county.")
    entries = "".join(f"<div class='e'><div class='m'>Posted by Jane Doe at {10 - i // 3}:{59 - 13 * i:02d}</div>"
                      f"<p>{p}</p></div>" for i, p in enumerate(LIVE_ENTRIES))
    head = f"<h1>{title}</h1><p>{stand}</p>"
    body = (f"<div class='h'>{head}</div><div class='feed'>{entries}</div>" if layout == "standfirst_apart"
            else f"<div class='h'>{head}<div class='feed'>{entries}</div></div>")
    html = page(f"<title>{title}</title><meta property='og:title' content='{title}'>", body)
    assert extract(html, "https://coast.example/news/live-storm").paragraphs == [stand, *LIVE_ENTRIES]


# ------------------------------------------------------------------------------------------ session 33
def _thread(controls: str, byline: str, n: int = 15) -> str:
    return "".join(f"<div class='t{i % 2}'><div>{byline.format(i=i)}</div><p>{OPINIONS[i % 4]} {OPINIONS[(i + 2) % 4]}</p>"
                   f"<div>{controls.format(i=i)}</div></div>" for i in range(n))


@pytest.mark.parametrize(("controls", "byline", "lang"), [
    ("<a href='#r{i}'>Reply</a> · <span>{i} likes</span>", "<b>quayside{i}</b> <span>{i} days ago</span>", "en"),
    ("<button>Reply</button> <button>Report</button>", "<span>Saltmarsh resident</span> <time>{i}h</time>", "en"),
    ("<a href='#a{i}'>Antworten</a> | <a href='#m{i}'>Melden</a>", "Leser{i} schrieb am 3.4.2026, 10:{i:02d} Uhr", "de"),
    ("<a href='#r{i}'>Répondre</a>", "<b>marin{i}</b> il y a {i} heures", "fr"),
])
def test_a_thread_with_no_heading_nor_count_goes_by_its_reply_controls(controls: str, byline: str, lang: str) -> None:
    """Readers' comments under the story with no "Comments" heading, no count and no "Posted by": nothing
    marked the section, so every comment came back with the story. A reply control repeated once a comment
    ("Reply · 3 likes", "Antworten | Melden") is a thread's furniture; no story block carries it."""
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                "<div class='a1'><a href='/'>Home</a> <a href='/news'>News</a></div>"
                f"<div class='a2'><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</div>"
                f"<div class='a3'>{_thread(controls, byline)}</div>", lang)
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == STORY


@pytest.mark.parametrize(("buttons", "lang"), [
    ("<div class='btns'><button>Comment</button> <button>Share</button></div>", "en"),
    ("<div><a href='#c'>Comments ({i})</a> <a href='#s'>Share</a></div>", "en"),
])
def test_a_comment_button_on_every_live_entry_marks_no_comment_section(buttons: str, lang: str) -> None:
    """A live blog whose every entry ends with its own "Comment | Share" line: the first button's "Comment"
    was taken for the heading of a comment section holding all the entries, and only the standfirst was
    left. A thread has one heading; a comment word that starts a line of every entry is a button."""
    title = "Live: Storm Ellen hits the west coast"
    stand = ("Storm Ellen is bringing gusts of up to 80mph to the west coast, with power cuts, road closures and "
             "cancelled ferries across the county.")
    entries = "".join(f"<div class='e'><div class='m'>{10 - i // 3}:{59 - 13 * i:02d}</div><p>{p}</p>"
                      f"{buttons.format(i=i)}</div>"
                      for i, p in enumerate(LIVE_ENTRIES))
    html = page(f"<title>{title}</title><meta property='og:title' content='{title}'>",
                f"<div class='h'><h1>{title}</h1><p>{stand}</p></div><div class='feed'>{entries}</div>", lang)
    assert extract(html, "https://coast.example/news/live-storm").paragraphs == [stand, *LIVE_ENTRIES]


@pytest.mark.parametrize(("bio", "lang"), [
    (["Tom Okafor is Coast News's harbour correspondent and has written about the fleet since 2019, after five "
      "years at the Fishing Gazette.",
      "He grew up in Saltmarsh, where his father skippered a trawler, and still sails his own boat on the estuary.",
      "His reporting on harbour finances won the regional journalism prize in 2024."], "en"),
    (["Tom Okafor, 38, has covered the coast for Coast News since 2019 and writes its weekly column on the "
      "fishing industry.",
      "Before that he spent five years at the Fishing Gazette and two on trawlers out of Saltmarsh.",
      "His book on the county's harbours, Salt and Stone, was published last year."], "en"),
    (["Tom Okafor ist Korrespondent für die Küste und berichtet seit 2019 über Häfen und Fischerei im Landkreis.",
      "Er hat in Kiel Politik studiert und beim Rundfunk volontiert, bevor er an die Küste zurückkehrte.",
      "Seine Serie über die Kutterflotte wurde 2024 mit dem Regionalpreis ausgezeichnet."], "de"),
])
def test_an_author_bio_that_starts_in_the_first_half_goes(bio: list[str], lang: str) -> None:
    """A one-paragraph brief with an author box of three paragraphs under it: the bio's first paragraph
    starts in the text's first half, where a paragraph starting with the author's name stayed
    (a byline, a contact line there is the story's). A bio says so, "<name> is / has / ist ...", and the
    paragraphs after it go on about the same person ("He grew up ...", "Er hat ...")."""
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>"
                "<meta name='author' content='Tom Okafor'>",
                f"<div class='c1'><h1>{TITLE}</h1><div>By Tom Okafor</div><p>{STORY[0]}</p></div>"
                f"<div class='c2'>{''.join(f'<p>{p}</p>' for p in bio)}</div>", lang)
    ex = extract(html, "https://coast.example/news/harbour-wall")
    assert ex.authors == ["Tom Okafor"]
    assert ex.paragraphs == STORY[:1]


def test_a_bio_between_the_lead_and_the_story_goes_alone() -> None:
    """An author box printed between the story's first and second paragraphs: the bio goes, the story after
    it (which does not go on about the author) stays."""
    story = [*STORY, "Boats will be able to use the inner harbour again by the spring, the harbour master said.",
             "The county has also promised a study of the outer breakwater, which was last repaired in 1987."]
    bio = "Tom Okafor is Coast News's harbour correspondent and has covered the fleet and the port since 2019."
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>"
                "<meta name='author' content='Tom Okafor'>",
                f"<div class='c1'><h1>{TITLE}</h1><p>{story[0]}</p><div class='bio'><p>{bio}</p></div>"
                f"{''.join(f'<p>{p}</p>' for p in story[1:])}</div>")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == story


NOTICES = {
    "republished": ["This article was originally published on The Estuary Review, an independent magazine, and is "
                    "republished here under a Creative Commons licence.",
                    "Disclosure statement: the author has received funding from the county's harbour trust for "
                    "research on the fleet."],
    "sign-up box": ["Get the day's coast news straight to your inbox every morning: our editors pick the stories "
                    "you need from the harbour, the council and the courts.",
                    "By signing up you agree to our terms and conditions and privacy notice. You can unsubscribe at "
                    "any time with the link in each email."],
    "company note": ["Coast News is published by Estuary Media Limited, a company registered in England and Wales "
                     "with company number 07654321, whose registered office is at 2 Quay Street, Saltmarsh."],
    "de rights": ["Alle Rechte vorbehalten. Vervielfältigung und Weitergabe nur mit schriftlicher Genehmigung der "
                  "Küstenpost Mediengruppe.",
                  "Dieser Beitrag erschien zuerst in der gedruckten Ausgabe der Küstenpost vom 4. April 2026."],
}


@pytest.mark.parametrize("kind", list(NOTICES))
def test_a_publishers_notice_after_the_story_goes(kind: str) -> None:
    """A notice block beside the story's block (no class name marks it): both candidates took it and no vote
    dropped it. Prose that ends the text in a publisher's words (its rights, where the story first ran, a
    sign-up box, its company note) is the page's, not the story's."""
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                f"<div class='s1'><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</div>"
                f"<div class='s2'><div><b>Coast News</b></div>{''.join(f'<p>{p}</p>' for p in NOTICES[kind])}</div>"
                "<div class='s3'><a href='/terms'>Terms</a> <a href='/privacy'>Privacy</a></div>",
                "de" if kind.startswith("de") else "en")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == STORY


def test_the_storys_own_last_lines_about_publishing_stay() -> None:
    """What a notice rule must leave: the story's last paragraph about a publication ("published in the
    journal"), a podcast the story names, a short "Originally published on ..." credit line, and a photo
    credit with "©" inside the story."""
    story = [*STORY, "Photographs of the damage © Saltmarsh Heritage Trust were shown at the meeting on Friday, "
             "where the plans were first presented to the fishing families.",
             "The engineers' survey of the wall was published in the journal Coastal Engineering last month, and "
             "you can hear its authors on this week's episode of our harbour podcast.",
             "Originally published on Coast News Weekly."]
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                f"<div class='s1'><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in story)}</div>")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == story


@pytest.mark.parametrize("last", [
    "The lawsuit alleges copyright infringement by the shipping company and seeks damages of ten million pounds.",
    "Residents can sign up at the town hall for the repair scheme until the end of March, the council said.",
    "The harbour trust said it would change its privacy policy next year after the regulator's ruling on Tuesday.",
    "The harbour's history, first published in 1962, has sold more than ten thousand copies around the county.",
    "Ports are regulated by the Marine Management Organisation, which said it would look at the case next week.",
    "The contract's terms and conditions were not disclosed, and neither the council nor the builder would comment.",
])
def test_a_storys_last_paragraph_about_rights_or_sign_ups_is_no_notice(last: str) -> None:
    """A story may end on copyright, a privacy policy, a sign-up or a first edition: only a notice's wording
    (a rights line with its year or holder, "originally published on <Name>", the reader's own sign-up, the
    site's own terms) ends the text early."""
    story = [*STORY, last]
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                f"<div class='s1'><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in story)}</div>")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == story


@pytest.mark.parametrize(("heading", "controls", "lang"), [
    ("<h3>12 comments</h3>", "<span>Reply</span> <span>Report</span>", "en"),
    ("", "<a href='#r{i}'>Reply</a> · <span>{i} likes</span>", "en"),
    ("<h3>Leserkommentare</h3>", "<a href='#a{i}'>Antworten</a>", "de"),
])
def test_a_thread_printed_before_the_headline_is_not_the_article(heading: str, controls: str, lang: str) -> None:
    """A two-column page whose source order puts the readers' thread (a left column) before the story: every
    method took the thread for the article and the story under the headline was lost. A block above the
    headline with a thread's furniture is the readers', whatever the methods say."""
    thread = "".join(f"<li><span>quayside{i}</span> <time>{i + 1}h</time><p>{OPINIONS[i % 4]} {OPINIONS[(i + 1) % 4]}</p>"
                     f"{controls.format(i=i)}</li>" for i in range(12))
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                f"<div class='cols'><aside class='left'>{heading}<ul>{thread}</ul></aside>"
                f"<div class='right'><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</div></div>", lang)
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == STORY


def test_a_most_commented_box_above_the_headline_stays_out_of_the_way() -> None:
    """A "Most commented" box of headlines with their comment counts above the story is no thread (no prose):
    the story is found as before."""
    box = "".join(f"<div><a href='/n/{i}'>Harbour story number {i} that readers discussed</a> "
                  f"<span>{i + 3} comments</span></div>" for i in range(6))
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                f"<div class='top'><h3>Most commented</h3>{box}</div>"
                f"<div class='story'><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in STORY)}</div>")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == STORY


PROMOS = {
    "news alerts": ("<p>Start receiving Coast News alerts</p>",
                    ["Coast News announces the start of its free news alerts service. Keep informed and get the latest "
                     "news of any category up to five times daily or as soon as it breaks.",
                     "Type any number of key words and we email you the related headlines."]),
    "programme notes": ("<p><b>Also on Coast Radio</b></p>",
                        ["Coast Radio will carry live coverage of the harbour festival from the quay on Saturday, with "
                         "music and interviews from ten in the morning.",
                         "You will be able to listen via the live stream, on demand and as a podcast."]),
}


@pytest.mark.parametrize("kind", list(PROMOS))
def test_a_sites_prose_promo_after_the_storys_end_goes(kind: str) -> None:
    """A site's promo written as prose in a block after the story's (a news-alert sign-up, a station's
    programme notes), under a line of its own: the precise pass took it, readability did not, and the prose
    guard kept it. Prose past a line that went after the story's end, and smaller than the story, is no
    part of it."""
    line, promo = PROMOS[kind]
    story = [*STORY, "Harbour master Ellen Price said the outer quay had room for forty boats and that the "
             "fleet's catch would be landed there until the spring."]
    html = page(f"<title>{TITLE} | Coast News</title><meta property='og:title' content='{TITLE}'>",
                "<div class='a1'><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></div>"
                f"<div class='a0'><div class='a2'><h1>{TITLE}</h1>{''.join(f'<p>{p}</p>' for p in story)}</div></div>"
                f"<div class='a4'>{line}{''.join(f'<p>{p}</p>' for p in promo)}</div>"
                "<div class='a3'><a href='/terms'>Terms</a> <a href='/privacy'>Privacy</a></div>")
    assert extract(html, "https://coast.example/news/harbour-wall").paragraphs == story
