"""Page classes real news CMSs produce that the dev sets under-represent (benchmarks/page_classes.py)."""

from __future__ import annotations

from newsdedup.clean import extract

from .pages import page

MENU = "<header><ul>" + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(8)) + "</ul></header>"
FOOTER = "<footer><a href='/about'>About us</a> <a href='/privacy'>Privacy policy</a></footer>"
TITLE = "Volunteers count a record number of swifts over the old town"
STORY = [
    "Volunteers counting birds from the cathedral tower recorded more than 1,400 swifts over the old town on a "
    "single evening in June, the highest number since the survey began in 1998.",
    "The birds, which spend almost their whole lives in the air, return each spring from Africa to nest under the "
    "roof tiles of the town's oldest buildings.",
    "Conservationists credit a programme that fitted 300 nest boxes to churches, schools and the town hall after "
    "renovations had sealed many of the old gaps.",
    "The survey team said the count would be repeated next week and asked residents to report any nests they see.",
]


def _paras(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def test_a_story_printed_only_in_a_noscript_block_is_read_from_it() -> None:
    """A lazy-hydrating app: an empty root element, and the story in the <noscript> copy for readers
    without JavaScript. It came out as `no_main_text` (trafilatura reads it)."""
    pixel = "<noscript><img src='/pixel.gif'></noscript>"
    html = page(f"<title>{TITLE} | The Ledger</title>",
                f"{pixel}{MENU}<div id='app'></div><noscript><div class='article'><h1>{TITLE}</h1>{_paras(STORY)}"
                f"<script>track()</script></div></noscript><script src='/bundle.js'></script>{FOOTER}")
    ex = extract(html, "https://example.com/nature/swifts")
    assert ex.error is None
    assert ex.paragraphs == STORY


def test_a_noscript_block_beside_a_story_in_the_page_changes_nothing() -> None:
    """The page's own text stays: the <noscript> copy is read only when the page shows no prose."""
    other = "A different text printed for readers without JavaScript, long enough to be a story. " * 8
    html = page(f"<title>{TITLE} | The Ledger</title>",
                f"{MENU}<article><h1>{TITLE}</h1>{_paras(STORY)}</article><noscript><p>{other}</p></noscript>{FOOTER}")
    assert extract(html, "https://example.com/nature/swifts").paragraphs == STORY
