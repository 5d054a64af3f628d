"""Parts of a story the text lost: a paragraph printed loose between two others (body.with_loose_between),
headings printed as blocks in capitals or bold (body.with_subheads)."""

from __future__ import annotations

from newsdedup.clean import extract

from .pages import page

TITLE = "Ferry service to the islands resumes after repairs"
STORY = [
    "The ferry to the outer islands sailed again on Monday morning after six weeks in dry dock, carrying "
    "the first passengers since a cracked propeller shaft stopped the service in early spring.",
    "Islanders had relied on a small chartered boat for food and post during the repairs, and the school "
    "on the largest island taught its older pupils by video link from the mainland.",
    "The operator said the new shaft had been made in a yard on the east coast and fitted in nine days, "
    "faster than the engineers had first expected when they lifted the vessel out.",
    "Passengers on the first crossing were greeted with coffee and a cake baked by the harbour cafe, and a "
    "piper played on the quay as the ferry pulled away from the mainland pier.",
    "The council said it would ask the government for money to build a second vessel, so that one ferry "
    "could keep sailing whenever the other is taken out of the water for repairs.",
]
LOOSE = ("Fares will stay at last year's level until the end of the summer, the operator said, to make up "
         "for the weeks without a service.")
AD_BOX = "<div class='r7'>story continues below</div><br><div class='a2'></div><br>"
PHOTO = "<div class='q1'><img src='/f.jpg'><div class='q2'>The ferry leaves the mainland pier on Monday</div></div>"


def _page(story: str, sidebar: str = "") -> str:
    return page(f"<title>{TITLE} - Island Times</title>",
                "<div class='m1'><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></div>"
                f"<div class='s3'>{sidebar}</div><div class='c8'><h1>{TITLE}</h1>{story}</div>"
                "<p class='f0'>Island Times, Harbour Road</p>")


def test_a_paragraph_printed_loose_after_an_ad_box_inside_the_story_is_kept() -> None:
    """An ad slot's box between two <p>s, and the next paragraph printed as bare text after it: trafilatura
    drops the tail text as it drops a loose lead."""
    story = "".join(f"<p>{p}</p>" for p in STORY[:3]) + AD_BOX + LOOSE + "".join(f"<p>{p}</p>" for p in STORY[3:])
    assert extract(_page(story), "https://islands.example/news/ferry").paragraphs == [*STORY[:3], LOOSE, *STORY[3:]]


def test_a_paragraph_printed_loose_after_a_photo_block_is_kept() -> None:
    """A photo and its caption in a block between two <p>s, the next paragraph bare text after it: the
    paragraph comes back, the caption (no sentence) stays out."""
    story = ("".join(f"<p>{p}</p>" for p in STORY[:3]) + PHOTO + LOOSE
             + "".join(f"<p>{p}</p>" for p in STORY[3:]))
    got = extract(_page(story), "https://islands.example/news/ferry").paragraphs
    assert got == [*STORY[:3], LOOSE, *STORY[3:]]


def test_loose_prose_outside_the_story_container_stays_out() -> None:
    """Bare prose in another cell (a sidebar's note) is not between two of the story's paragraphs."""
    note = ("Subscribers can read every issue of the paper online from seven in the morning, the publisher "
            "said in a note to readers.")
    story = "".join(f"<p>{p}</p>" for p in STORY)
    got = extract(_page(story, sidebar=f"<div class='w1'>Notes</div>{note}"), "https://islands.example/news/ferry")
    assert got.paragraphs == STORY


LONG = [
    "The regional papers gave the summit a cool welcome on Wednesday, and most of their commentators "
    "doubted that the two leaders would agree on more than a date for their next meeting in the spring.",
    "One columnist wrote that both governments were too weak at home to make the concessions a deal "
    "would need, and that the talks would end with a photograph and a short statement.",
    "Another said the summit was a chance that might not come again for years, and that the leaders "
    "should be judged by what they sign rather than by what they say to the cameras afterwards.",
    "A third paper's editorial asked why the talks had been called at all, given that the last round "
    "ended in bitter recriminations and that neither side had changed its position since then.",
    "The paper said readers had grown tired of summits that raise hopes and then dash them, and called "
    "on both governments to publish the drafts they had exchanged before the meeting began.",
    "A business daily was more hopeful, arguing that the ports and the railway would gain most from an "
    "agreement and that the traders who depend on them were pressing both sides to settle.",
]


def _long_story(between: dict[int, str]) -> str:
    """A story in unclosed <p>s as 2008 pages print them: a block between two paragraphs follows an empty <p>."""
    paras = "".join(f"<p>{p}\n<p>\n{between.get(k, '')}" for k, p in enumerate(LONG))
    return page(f"<title>{TITLE} - Island Times</title>",
                "<div class='m1'><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></div>"
                f"<div class='c8'><h1>{TITLE}</h1>{paras}</div><p class='f0'>Island Times, Harbour Road</p>")


def test_headings_printed_as_blocks_in_capitals_or_bold_between_paragraphs_are_kept() -> None:
    """A press review's source lines in capitals, and a subhead in bold, printed as <div>s (no heading
    tag) between the story's paragraphs."""
    html = _long_story({0: "<div class='h7'>EDITORIAL IN THE <b>MORNING HERALD</b></div>",
                        3: "<div class='h7'><b>Trade</b></div>"})
    got = extract(html, "https://islands.example/news/review").paragraphs
    assert got == [LONG[0], "EDITORIAL IN THE MORNING HERALD", *LONG[1:4], "Trade", *LONG[4:]]


def test_a_plain_or_linked_block_between_paragraphs_is_no_heading() -> None:
    """An ad slot's label in plain text and a teaser's headline in capitals as a link stay out."""
    html = _long_story({1: "<div class='a3'>story continues below</div>",
                        3: "<div class='t5'><a href='/news/other'>FLOOD WALL PLANS DELAYED AGAIN</a></div>"})
    assert extract(html, "https://islands.example/news/review").paragraphs == LONG


def test_loose_paragraphs_put_back_are_bounded_a_page(monkeypatch) -> None:
    """Each loose run put back was looked for in the whole text, and each paragraph's <p> among the page's:
    a page of thousands of paragraphs each with a loose line after it cost time in the square of their number.
    At most LOOSE_BETWEEN_RUNS runs come back, the first ones, in their places."""
    from newsdedup.clean import settings

    monkeypatch.setattr(settings, "LOOSE_BETWEEN_RUNS", 2)
    loose = [f"Loose line number {i} of the ferry story follows the box and reads as a sentence here." for i in range(4)]
    story = "".join(f"<p>{p}</p>{AD_BOX}{line}" for p, line in zip(STORY, [*loose, ""], strict=True))
    got = extract(_page(story), "https://islands.example/news/ferry").paragraphs
    assert got == [STORY[0], loose[0], STORY[1], loose[1], STORY[2], *STORY[3:]]


def test_a_paragraph_ending_in_a_low_high_or_reversed_guillemet_quote_is_prose() -> None:
    """German, Czech or Icelandic quotes close with “ („…“), Danish and some German ones with « (»…«): a
    paragraph that ends a quotation so was no prose, and the vote dropped it outside the agreed stretch
    (a bank chairman's praise between two paragraphs of a markets report, BoersenZeitung on the blind copy)."""
    from newsdedup.clean.body import is_prose

    for para in ("Der Vorstandschef freut sich auf die weitere Arbeit. „Er hat die Bank in den vergangenen "
                 "Jahren stark geprägt und uns im Vorstand stets gefördert.“",
                 "Borgmesteren sagde i går: »Færgen sejler igen fra mandag, og billetterne koster det samme som "
                 "sidste år.«"):
        assert is_prose(para)
    assert not is_prose("„Zum Thema“")  # a short quoted label is still none
