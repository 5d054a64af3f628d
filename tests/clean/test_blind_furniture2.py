"""A site's furniture that our text kept once the site's class names and sectioning tags were unknown, continued
(session 44: the class- and section-blind copies' worst pages, grouped by class): an ad slot's numbered label and
its "your article continues below" note, a registration wall's and a sign-up box's lines, readers' comments each
signed with a name and a place."""

from __future__ import annotations

import pytest

from newsdedup.clean import body, extract

from .test_long_stories import MENU, STORY, TITLE, page

URL = "https://coast.example/news/pier"


def _story(between: dict[int, str], after: str = "", paragraphs: list[str] = STORY) -> str:
    """The story in hash-named <div>s (no <article>, <main> or <footer>), markup after paragraph k and `after`
    at the end of the page's body."""
    paras = "".join(f"<p>{p}</p>{between.get(k, '')}" for k, p in enumerate(paragraphs))
    return page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>{paras}</div></div>{after}")


# An ad slot between the story's paragraphs, as Postmedia's pages print it (its classes hashed, so nothing named
# it an ad): the slot's numbered label and the note under it.
AD_SLOTS = [
    "<div class='c3a1'><p>Advertisement 2</p><p>This advertisement has not loaded yet, but your article continues "
    "below.</p></div>",
    "<div class='c3a1'><span>ADVERTISEMENT 14</span></div>",
    "<div class='c3a1'><p>Story continues below advertisement</p></div>",
    "<div class='c3a1'><p>Anzeige 3</p></div>",
    "<div class='c3a1'><p>Article continues after this advertisement</p></div>",
]


@pytest.mark.parametrize("slot", AD_SLOTS)
def test_an_ad_slots_label_and_note_are_no_text(slot: str) -> None:
    """A numbered "Advertisement 2" and "This advertisement has not loaded yet, but your article continues below."
    stood between a long story's paragraphs once the slot's class was hashed: the line rules knew only a bare
    "Advertisement"."""
    html = _story({2: slot, 5: slot.replace("2", "3"), 8: slot})
    assert extract(html, URL).paragraphs == STORY


# A registration wall and a newsletter box inside the story (Postmedia, Reach: their texts, the site's name
# changed), each line as the page prints it.
WALL = [
    "<div class='w1'><p>THIS CONTENT IS RESERVED FOR SUBSCRIBERS</p></div>",
    "<div class='w2'><h3>REGISTER / SIGN IN TO UNLOCK MORE ARTICLES</h3>"
    "<p>Create an account or sign in to continue with your reading experience.</p>"
    "<p>Don't have an account? <a href='/register'>Create Account</a></p></div>",
    "<div class='w3'><p>THIS ARTICLE IS FREE TO READ REGISTER TO UNLOCK.</p></div>",
    "<div class='w4'><p>By signing up you consent to receive the above newsletter from Coast Media Inc.</p></div>",
    "<div class='w5'><p>We use your sign-up to provide content in ways you've consented to and to improve our "
    "understanding of you. This may include adverts from us and 3rd parties based on our understanding.</p></div>",
]


@pytest.mark.parametrize("box", WALL)
def test_a_registration_walls_and_sign_up_boxs_lines_are_no_text(box: str) -> None:
    """A subscription wall's heading, its "sign in to continue" prompt and a sign-up box's fine print stood between
    the story's paragraphs with their classes hashed: the line rules knew "subscribe now" and "to continue
    reading", not these wordings."""
    html = _story({3: box, 7: box})
    assert extract(html, URL).paragraphs == STORY


def test_a_storys_sentences_about_registering_and_signing_up_stay() -> None:
    """A story's own sentences that speak of registering, signing in and signing up are the story's."""
    story = [*STORY[:5],
             "Residents who want a berth must register to unlock the new gates, and by signing up they agree to "
             "the harbour's rules, the council said.",
             "Those who do not have an account with the harbour office can sign in to continue their application "
             "at the library, where staff will help them.",
             *STORY[5:]]
    html = _story({}, paragraphs=story)
    assert extract(html, URL).paragraphs == story


# Readers' comments under a story, each signed with the reader's name and town (the Times and the Telegraph
# printed them so in 2008); with their classes hashed no heading or control said "comments".
COMMENTS = [
    ("I sailed on the old steamers as a boy and I am glad the pier will be saved for my grandchildren to enjoy.",
     "Jane Roe, Leeds, UK"),
    ("The money would be better spent on the flood wall. The pier is a relic and the town should let it go.",
     "tom, Southampton,"),
    ("Seven to five is hardly a mandate. The council should have put this to a referendum of all residents.",
     "Andrew Milner, Yokohama, Japan"),
    ("Wonderful news for the anglers, who have waited years for this. Well done to everyone who signed.",
     "Frances McErlane, Mallorca, Spain"),
]


def _comments(count: int) -> str:
    """The comments in a block after the story's last paragraph, in the story's container (as the Times'
    pages put them), each comment's text and signature a <p>, an empty <div> after each."""
    return "<div class='r7'>" + "".join(f"<p class='r8'>{text}</p><div class='r9'></div><p class='r8 r6'>{name} </p>"
                                         "<div class='r5'></div>" for text, name in COMMENTS[:count]) + "</div>"


@pytest.mark.parametrize("count", [2, 4])
def test_readers_comments_signed_with_name_and_place_are_no_text(count: int) -> None:
    """Readers' comments after the story, each followed by a "Name, Town, Country" line: prose that the vote and
    the prose guard kept. Three or more signed comments, or two that end the text, end the story at the first."""
    html = _story({len(STORY) - 1: _comments(count)})
    assert extract(html, URL).paragraphs == STORY


def test_a_story_that_lists_names_and_places_stays() -> None:
    """Lines of "Name, Town, State" that follow one another (a list of firms and their seats) or a press release's
    "About Coast Media, Inc." notes are no signed comments: no comment's prose stands before each."""
    firms = ["Blue Origin, Kent, Washington", "Ceres Robotics, Palo Alto, California",
             "Masten Space Systems, Mojave, California", "Sierra Nevada Corporation, Louisville, Colorado"]
    notes = ["About Coast Media, Inc.",
             "Coast Media publishes three weekly papers along the coast and the harbour's own monthly magazine.",
             "About Coast Holdings, Inc.",
             "Coast Holdings owns the harbour's ferry company and two of the hotels along the front of the bay.",
             "SOURCE Coast Media, Inc."]
    story = [*STORY[:6], "The firms that bid for the survey work were:", *firms, *STORY[6:], *notes]
    assert body.drop_signed_comments(story) == story


def test_signed_comments_never_empty_a_text() -> None:
    """A text that is nothing but signed comments is left as it is: the rule ends a story, it never takes one."""
    text = [line for pair in COMMENTS for line in pair]
    assert body.drop_signed_comments(text) == text


# A credit line under the story: its source or its editors, a label and a short value (a broadcaster's
# "Redaktion:" and "Sendung:", an agency's "Quelle:", a fact box's "Kilde:").
CREDITS = ["Quelle: AFP", "Redaktion: Roman Warschauer und Marcel Sommer", "Sendung: hr-INFO, 25.04.2024, 10.45 Uhr",
           "Kilde: Helsenorge.no", "Source: Times database", "Quelle: ntv.de, ino/dpa"]


@pytest.mark.parametrize("credit", CREDITS)
def test_a_credit_line_of_label_and_short_value_is_no_text(credit: str) -> None:
    """"Quelle: AFP" under a chart, "Redaktion: ..." and "Sendung: ..." under a broadcaster's story: with their
    classes hashed the lines stood in the text (the line rules knew "Topics:" and "Image:", not these labels)."""
    html = _story({4: f"<div class='q7'><p>{credit}</p></div>",
                   len(STORY) - 1: f"<div class='q8'><p>{credit}</p></div>"})
    assert extract(html, URL).paragraphs == STORY


def test_a_sources_heading_and_a_sourced_sentence_stay() -> None:
    """A bare "Sources:" over a list of sources (a gold body keeps it) and a sentence that starts with a label
    are the story's."""
    story = [*STORY[:6], "Source: a council official, who spoke on condition of anonymity, said the vote was "
             "never in doubt.", *STORY[6:], "Sources:", "Harbour council minutes, March 2025"]
    assert body.drop_credit_lines(story) == story


def test_credit_lines_never_empty_a_text() -> None:
    """A text of nothing but credit lines is left as it is."""
    assert body.drop_credit_lines(CREDITS) == CREDITS


# What an empty comment section prints in place of comments (its words; the sites' classes hashed).
EMPTY_THREADS = ["There are currently no comments for this entry.",
                 "No comments have so far been submitted. Why not be the first to send us your thoughts?",
                 "No comments have been posted", "Zu diesem Artikel wurden noch keine Kommentare verfasst.",
                 "Share your thoughts and join the conversation in the comments."]


@pytest.mark.parametrize("notice", EMPTY_THREADS)
def test_an_empty_comment_sections_notice_is_no_text(notice: str) -> None:
    """"There are currently no comments for this entry." under a story: a sentence, so the prose guard kept it
    once its class names were hashed."""
    html = _story({len(STORY) - 1: f"<div class='e1'><h3 class='e2'></h3><p class='e3'>{notice}</p></div>"})
    assert extract(html, URL).paragraphs == STORY


def test_a_storys_sentence_about_comments_stays() -> None:
    """A story's sentence that says nobody commented, or invites readers to a public conversation, is the story's."""
    story = [*STORY[:5], "The council received no comments from the port authority, which has been asked to join "
             "the conversation about the berths before the work starts.", *STORY[5:]]
    html = _story({}, paragraphs=story)
    assert extract(html, URL).paragraphs == story
