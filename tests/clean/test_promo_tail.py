"""The site's promo lines after the story's end ("Join our forums ...", "Follow us on ...", "Like this story?
Share it with your friends!"), kept once the site's class names were hashed (session 46, class-blind copies)."""

from __future__ import annotations

import pytest

from newsdedup.clean import body, extract

from .test_long_stories import MENU, STORY, TITLE, page

URL = "https://coast.example/news/pier"

PROMOS = [
    "Join our Coast Forums to keep talking about the latest news! And if you have a news tip, let us know.",
    "Follow Coast Post on Instagram, Facebook and X for more of your local news.",
    "Like this story? Share it with your friends!",
    "Get our morning newsletter delivered to your inbox.",
]


def _page(after: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    return page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>{paras}{after}</div></div>")


@pytest.mark.parametrize("promo", PROMOS)
def test_a_promo_line_after_the_story_goes(promo: str) -> None:
    """The promo stood in the story's own hashed <div> after its last paragraph."""
    text = extract(_page(f"<p>{promo}</p>"), URL).text
    assert promo[:25] not in text
    assert STORY[-1][:40] in text and STORY[0][:40] in text


def test_a_run_of_promo_lines_goes_whole() -> None:
    paragraphs = [*STORY, *PROMOS]
    assert body.drop_promo_tail(paragraphs) == STORY


def test_a_promo_shaped_line_inside_the_story_stays() -> None:
    """Only the text's last lines are looked at: a line that opens so between the story's paragraphs is the
    story's."""
    paragraphs = [*STORY[:3], PROMOS[0], *STORY[3:]]
    assert body.drop_promo_tail(paragraphs) == paragraphs


def test_a_last_line_that_does_not_speak_to_the_reader_stays() -> None:
    """A story may end on such a verb ("Join the march ..."), but it does not address the reader."""
    paragraphs = [*STORY, "Join the march on Saturday, the organisers said, as the pier's friends did in 1987."]
    assert body.drop_promo_tail(paragraphs) == paragraphs


def test_nothing_but_promos_stays() -> None:
    """A text that is only promo lines is left as it is: no prose would be left."""
    assert body.drop_promo_tail(PROMOS) == PROMOS
