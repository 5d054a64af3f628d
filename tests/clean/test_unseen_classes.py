"""Lines of a site's furniture that our text kept once the site's class names were unknown (session 41:
the class-blind copies' worst pages, grouped by class): photo captions printed as plain blocks."""

from __future__ import annotations

from lxml.html import fromstring

from newsdedup.clean import body, extract

from .test_long_stories import MENU, STORY, TITLE, _story, page

CAPTIONS = [
    # a picture and its caption in a wrapper of hashed names, the caption a <p>
    "<div class='q81c'><img src='/p/pier.jpg' alt='Pier'><p>Workers inspect the rusted ironwork under the "
    "far end of the stone pier, Tuesday, March 4, 2025. (AP Photo/Jane Marsh, File)</p></div>",
    # a script-filled media slot and a caption <div> after it
    "<div class='c0f1'><div data-key='media-placeholder'></div><div class='cd03'>Anglers fish from the end of "
    "the pier before it was closed to the public in 2014. (Tom Reed/Reuters)</div></div>",
    # a gallery's caption with the credit as a "Photo:" clause in parentheses
    "<div class='g7'><img src='/p/storm.jpg'><div>Storm damage to the pier's deck after the winter of "
    "2013, seen from the inner basin. (Photo: Coast Post archive)</div></div>",
    # German: the credit as "Foto: ... / dpa"
    "<div class='h2'><img src='/p/rat.jpg'><div>Der Gemeinderat stimmte mit sieben zu fünf Stimmen für den "
    "Wiederaufbau der alten Mole. (Foto: Hans Berg/dpa)</div></div>",
]


def test_photo_captions_with_a_credit_in_parentheses_are_no_text() -> None:
    """A caption outside <figcaption> whose classes name nothing: its credit at the end, in parentheses,
    names a photo or an agency after a photographer's name."""
    for caption in CAPTIONS:
        html = _story({2: caption})
        assert extract(html, "https://coast.example/news/pier").paragraphs == STORY, caption


def test_a_story_sentence_that_cites_an_agency_or_a_photo_stays() -> None:
    """Prose that ends with an agency in parentheses, or mentions a photo, is the story's."""
    lines = [
        "The harbour master confirmed the closure of the far end on Monday evening. (Reuters)",
        "Residents can see the designs (photos of the three options are in the library) until the end of the month.",
        "The council published an image of the pier as it will look in 2027 (its third draft) on its website.",
        "The mayor thanked the anglers who had kept the question alive for a decade. (Story continues below the photo.)",
    ]
    html = _story({2: "".join(f"<p>{line}</p>" for line in lines)})
    assert extract(html, "https://coast.example/news/pier").paragraphs == [*STORY[:3], *lines, *STORY[3:]]


OPINIONS = [
    "About time too, the pier has been falling apart since the winter storms and nobody seemed to care at all.",
    "The anglers will lose a whole season on the inner basin, somebody should compensate them for that loss.",
    "A decade of arguing about money while the sea did the damage, typical of how this town is run these days.",
    "My grandfather fished from that pier in 1952 and it lasted seventy years, I hope the new one lasts as long.",
]


def _thread(heading: str, n: int, paragraphs: int) -> str:
    """`n` readers' comments of `paragraphs` prose paragraphs each, a name and a time line and a rating
    each, in hash-named blocks under `heading`."""
    entries = "".join(
        f"<div class='m{i % 3}'><div class='u7'><a href='/members/{i}'>reader{i}</a></div>"
        f"<div class='t2'>{i + 1} days ago at 7:{10 + i} am</div>"
        + "".join(f"<p>{OPINIONS[(i + k) % 4]}</p>" for k in range(paragraphs))
        + f"<div class='r5'>Rating: {i + 3} Votes</div></div>" for i in range(n))
    return f"<div class='w9'><h2>{heading}</h2>{entries}</div>"


def _short_story(after: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in STORY[:4])
    return page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>{paras}</div>{after}</div>"
                "<footer><p>Coast Post, 2025</p></footer>")


def test_a_thread_of_comments_of_several_paragraphs_each_is_no_text() -> None:
    """A comment of two or three paragraphs under one name and one time line: the thread's furniture stood once
    a comment, not once a paragraph, so it was no thread, and its prose came with the story."""
    for heading in ("Top Rated Comments", "6 comments so far...", "Comments"):
        for paragraphs in (2, 3):
            html = _short_story(_thread(heading, 6, paragraphs))
            assert extract(html, "https://coast.example/news/pier").paragraphs == STORY[:4], (heading, paragraphs)


def test_a_heading_of_no_comments_marks_no_thread() -> None:
    """"0 Comments" or "No comments yet" over a block that repeats a line three times among prose paragraphs
    (a blog's footer of teasers and a theme's spam links, indiapost.com's class-blind copy) is no thread: once
    the furniture no longer had to stand once a paragraph, the block was taken for one, and the short story
    printed in it went (0.611 -> 0.128)."""
    teasers = "".join(f"<p>{OPINIONS[i]}</p><div>Download free themes</div>" for i in range(4))
    for heading, thread in (("0 Comments", False), ("No comments yet", False), ("4 Comments", True)):
        block = fromstring(f"<div><h3>{heading}</h3>{teasers}</div>")
        assert body._is_thread(block, heading) is thread, heading


PLACEHOLDERS = [
    # a plug-in prompt where the video player was (2008 layouts)
    "<div class='v1'><p>You need the latest Flash player to view video content.</p><p>Click here to download.</p>"
    "<p>Click here to bypass this detection if you already have the latest Flash Player.</p></div>",
    "<div class='v2'>This content requires the latest Adobe Flash Player and a browser with JavaScript enabled."
    "<br>Click here for a free download of the latest Adobe Flash Player.</div>",
    # an embed's consent placeholder, German and English, each line its own element
    "<div class='e7' data-embed-type='youtube'><div>Empfohlener redaktioneller Inhalt</div>"
    "<p>Du kannst ihn dir mit einem Klick anzeigen lassen und wieder ausblenden.</p>"
    "<p>Ich bin damit einverstanden, dass mir Inhalte von YouTube angezeigt werden.</p>"
    "<p>Personenbezogene Daten können an Drittplattformen übermittelt werden. Mehr dazu in unserer "
    "Datenschutzerklärung.</p></div>",
    "<div class='e8'><p>I agree to be shown external content from a third-party platform in this place. Personal "
    "data may be passed to that platform.</p></div>",
    # a picture slot a script fills
    "<div class='p4' data-id='pier-2014'>Placeholder image-3</div>",
]


def test_text_printed_in_place_of_an_embed_or_a_picture_is_no_text() -> None:
    """What a page shows where a player, an embed or a picture goes while scripts are off or consent is not
    given, in blocks whose names say nothing: a plug-in prompt, a consent placeholder, a picture slot's label."""
    for placeholder in PLACEHOLDERS:
        html = _story({2: placeholder})
        assert extract(html, "https://coast.example/news/pier").paragraphs == STORY, placeholder


def test_a_story_about_a_plug_in_or_a_download_keeps_its_sentences() -> None:
    lines = [
        "The council urged residents to download the latest Flash Player update to fix the flaw in its old site.",
        "Click here to get more information or download the exhibition's plans for the pier.",
    ]
    html = _story({2: "".join(f"<p>{line}</p>" for line in lines)})
    assert extract(html, "https://coast.example/news/pier").paragraphs == [*STORY[:3], *lines, *STORY[3:]]
