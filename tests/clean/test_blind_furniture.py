"""A site's furniture that our text kept once the site's class names and sectioning tags were unknown (session 43:
the class- and section-blind copies' worst pages, grouped by class): a consent window of long paragraphs, a
related-stories list of dated headlines, the next story an endless-scroll page appends."""

from __future__ import annotations

import pytest

from newsdedup.clean import body, extract

from .test_long_stories import MENU, STORY, TITLE, page

URL = "https://coast.example/news/pier"

# A consent platform's preference centre: a short intro and one long description per cookie category, each
# a <p> of prose (the texts every site using the platform prints, whatever its own words).
CATEGORIES = [
    "These cookies are necessary for the website to function and cannot be switched off in our systems. They "
    "are usually only set in response to actions made by you which amount to a request for services, such as "
    "setting your privacy preferences, logging in or filling in forms.",
    "These cookies enable the website to provide enhanced functionality and personalisation. They may be set by "
    "us or by third party providers whose services we have added to our pages, and some of them may not work.",
    "These cookies allow us to count visits and traffic sources so we can measure and improve the performance of "
    "our site. They help us to know which pages are the most and least popular and how visitors move around.",
    "These cookies may be set through our site by our advertising partners. They may be used by those companies "
    "to build a profile of your interests and show you relevant adverts on other sites across the web.",
]
PREFERENCES = ("<div class='c5e0'><h3>Manage Consent Preferences</h3>"
               + "".join(f"<div class='c91b'><h4>Category {k}</h4><p>{text}</p></div>" for k, text in enumerate(CATEGORIES))
               + "<button>Confirm my choices</button></div>")


def _short_story(after: str) -> str:
    """A story of about 800 characters in hash-named <div>s (no <article>, <main> or <footer>), then `after`
    at the end of the page's body."""
    paras = "".join(f"<p>{p}</p>" for p in STORY[:4])
    return page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>{paras}</div></div>{after}")


WINDOWS = [
    "<div class='a11f' role='dialog' aria-label='Preference center'>{}</div>",
    "<div class='a11f' aria-modal='true' role='region'>{}</div>",
    "<div class='a11f' role='alertdialog'><div class='b2'>{}</div></div>",
    "<dialog class='a11f'>{}</dialog>",
]


@pytest.mark.parametrize("window", WINDOWS)
def test_a_consent_window_of_long_paragraphs_is_no_text(window: str) -> None:
    """A preference centre the page opens over itself (a dialog, a modal, an alert dialog) holds prose of
    several long paragraphs: with its classes hashed nothing named it consent, it stood after the story, the
    vote kept its prose beside a short story, and the story-wrapper guard kept it from the pruning."""
    html = _short_story(window.format(PREFERENCES))
    assert extract(html, URL).paragraphs == STORY[:4]


def test_a_story_shown_in_a_window_stays() -> None:
    """A site that shows the article itself in a modal window (its headline inside it) keeps its story."""
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='m1' role='dialog' aria-modal='true'><div class='x9f2'><h1>{TITLE}</h1>"
                f"<div class='k27a'>{paras}</div></div></div>")
    assert extract(html, URL).paragraphs == STORY


def test_a_story_shown_in_a_window_over_a_listing_stays() -> None:
    """The article opened in a modal window over the listing it was clicked from, the listing's own <h1> first on
    the page: the window holds the story's headline (an <h1> of its own), so it is the story, not a window
    over it (a consent centre's titles are <h2>s and below)."""
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    listing = "".join(f"<li><a href='/n{i}'>Harbour news item number {i} of the week</a></li>" for i in range(8))
    html = page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='q1'><h1>Latest news</h1><ul class='q2'>{listing}</ul></div>"
                f"<div class='m1' role='dialog' aria-modal='true'><div class='x9f2'><h1>{TITLE}</h1>"
                f"<div class='k27a'>{paras}</div></div></div>")
    assert extract(html, URL).paragraphs == STORY


RELATED = [
    ("Harbour Council Delays Pier Vote Again", "1/18/2008"),
    ("Anglers Protest Closure Of Stone Pier", "1/16/2008"),
    ("Storm Damage: Pier Deck Declared Unsafe", "(Jan. 11, 2008)"),
    ("Engineers Question Cost Of Pier Repairs", "2008-01-03"),
]


def test_a_list_of_other_stories_headlines_with_their_dates_is_no_text() -> None:
    """Linked headlines of earlier stories, each with its date in parentheses (a 2008 "Related Stories" box that
    every method kept beside a story printed as runs between <br>s, class-blind l3s): the closing parenthesis
    read as a sentence's end, so each line was prose and no rule dropped it."""
    lines = [f"- {head} {day if day.startswith('(') else f'({day})'}" for head, day in RELATED]
    assert body.filter_paragraphs([*STORY, *lines], TITLE) == STORY


def test_a_sentence_that_ends_with_a_date_in_parentheses_stays() -> None:
    """A story's sentence may end with a date in parentheses after its own full stop, and a line of a story
    that is no headline has too many words for one."""
    lines = [
        "The council first voted on the pier in a meeting that ran late into the night. (1/18/2008)",
        "The full decision of the council, with the report of the engineers on the state of the foundations and "
        "the costs of each of the three designs, is on the website of the council (1/18/2008)",
    ]
    assert body.filter_paragraphs([*STORY[:3], *lines, *STORY[3:]], TITLE) == [*STORY[:3], *lines, *STORY[3:]]


NEXT_TITLE = "Anglers win a reprieve for the inner basin moorings"
NEXT_STORY = [
    "The anglers' association won a reprieve on Thursday for the moorings in the inner basin, which the council "
    "had planned to clear for the contractors' barges during the rebuilding of the pier.",
    "Its chairman said members had collected more than two thousand signatures in a week, and that the council "
    "had listened to the people who use the harbour every day of the year.",
    "The contractors will now bring their barges in from the outer harbour each morning, a change the council's "
    "engineers said would add a few weeks to the work but nothing to its cost.",
    "The moorings will be reviewed again in the spring, when the first stones of the new pier are lifted and the "
    "basin is needed for the cranes that will set them in place.",
]


def _scrolled(story: list[str], head: str = "h1") -> str:
    """The story, then the next story as an endless-scroll page appends it: its own headline (`head`), a summary
    box and its paragraphs, in blocks of hashed names like the first story's."""
    paras = "".join(f"<p>{p}</p>" for p in story)
    nxt = "".join(f"<p>{p}</p>" for p in NEXT_STORY)
    return page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><div class='a1'><h1>{TITLE}</h1><div class='k27a'>{paras}</div></div>"
                f"<div class='a1'><{head}>{NEXT_TITLE}</{head}><div class='b5'><h2>In short</h2><ul>"
                "<li>The moorings stay where they are for now.</li><li>The barges come in each morning.</li></ul>"
                f"</div><div class='k27a'>{nxt}</div></div></div>")


def test_the_next_story_an_endless_scroll_page_appends_is_no_text() -> None:
    """A page that appends the next story below the first, under its own <h1>: with <article> read as a <div>
    both stories shared one block, every method took both, and the vote agreed."""
    assert extract(_scrolled(STORY), URL).paragraphs == STORY
    assert extract(_scrolled(STORY[:4]), URL).paragraphs == STORY[:4]


def test_an_h1_in_the_storys_own_block_keeps_the_text_after_it() -> None:
    """A 2008 page may print a subheading as an <h1> between the story's paragraphs: the paragraphs after it
    stand in the story's own block, so they are the story's."""
    paras = "".join(f"<p>{p}</p>" for p in STORY[:4]) + f"<h1>{NEXT_TITLE}</h1>" + "".join(
        f"<p>{p}</p>" for p in STORY[4:])
    html = page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>{paras}</div></div>")
    assert extract(html, URL).paragraphs == STORY
