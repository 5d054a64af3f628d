"""Lines inside a story that a long text kept or lost without the readability vote: subheads (body.with_subheads), a promo's lone label, hidden text and tooltips."""

from __future__ import annotations

from newsdedup.clean import extract

from .pages import page

TITLE = "Council votes to rebuild the stone pier"
STORY = [
    "The harbour council voted on Tuesday to rebuild the old stone pier, ending a dispute that has split the "
    "town for more than a decade and delayed two summer seasons of repairs.",
    "Supporters said the pier draws visitors who fill the cafes along the front, while opponents argued the "
    "money would be better spent on the flood wall further east along the bay.",
    "The vote was close, seven to five, and came after a four-hour debate in which residents queued at the "
    "microphone to speak for two minutes each about the plans.",
    "Engineers will begin surveying the foundations in the spring, and the first stones are expected to be "
    "lifted before the autumn storms arrive on the coast.",
    "The council's treasurer said the cost would be met from reserves and a grant from the regional fund, "
    "without any rise in local taxes this year or the next.",
    "Fishermen who moor beside the pier will be moved to temporary berths in the inner basin while the work "
    "goes on, a move their association accepted at its last meeting.",
    "The mayor said she hoped the rebuilt pier would stand for another hundred years and thanked residents "
    "for their patience during the long argument over its future.",
    "A public exhibition of the designs opens at the library next week, and residents can leave comments "
    "there or on the council's website until the end of the month.",
    "The pier was built in 1887 to land coal for the gasworks and later served the steamers that carried "
    "day trippers along the coast until the last of them was sold for scrap.",
    "Storms in the winter of 2013 tore away a third of its deck, and the council closed the far end to the "
    "public after an inspection found the ironwork beneath it badly rusted.",
    "Anglers, who had used the end of the pier for generations, started a petition that gathered four "
    "thousand names in a month and kept the question on the council's agenda.",
    "Work on the flood wall, which opponents of the pier had wanted to come first, will go ahead next year "
    "with money from the national coastal fund, the council said.",
]
MENU = "<div class='n4e1'>" + "".join(f"<a href='/s{i}'>Section {i}</a> " for i in range(6)) + "</div>"


def _story(between: dict[int, str]) -> str:
    """A long story in hash-named <div>s (no container trafilatura knows), with markup after paragraph k."""
    paras = "".join(f"<p>{p}</p>{between.get(k, '')}" for k, p in enumerate(STORY))
    return page(f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>{paras}</div></div>"
                "<footer><p>Coast Post, 2025</p></footer>")


def test_subheads_between_a_long_storys_paragraphs_are_kept() -> None:
    """Over 1,500 characters starting and ending with prose, the text skips the vote, and the precise
    pass dropped every <h3> of a container it does not know."""
    html = _story({1: "<h3>Money</h3>", 4: "<h3>Close vote in the chamber</h3>"})
    want = [*STORY[:2], "Money", *STORY[2:5], "Close vote in the chamber", *STORY[5:]]
    assert extract(html, "https://coast.example/news/pier").paragraphs == want


def test_a_linked_heading_between_two_paragraphs_is_a_teaser_not_a_subhead() -> None:
    html = _story({3: "<h3><a href='/news/other'>Flood wall plans delayed again</a></h3>"})
    assert extract(html, "https://coast.example/news/pier").paragraphs == STORY


def test_a_heading_in_a_box_of_its_own_between_two_paragraphs_stays_out() -> None:
    box = "<div class='r5t1'><h3>Most read this week</h3></div>"
    assert extract(_story({3: box}), "https://coast.example/news/pier").paragraphs == STORY


def test_a_promo_label_left_alone_inside_the_story_goes() -> None:
    """'More:' / 'READ MORE:' over a list of other stories' links: the links go as a link list, and the
    label, a line of its own, stayed in the text (only 'Read more' without its colon was boilerplate)."""
    links = "<ul>" + "".join(f"<li><a href='/news/{i}'>Other story number {i} from the coast</a></li>"
                              for i in range(3)) + "</ul>"
    for label in ("More:", "READ MORE:", "Related stories:"):
        html = _story({3: f"<p><strong>{label}</strong></p>{links}"})
        assert extract(html, "https://coast.example/news/pier").paragraphs == STORY, label


BIO = "Rosa Vell has led the council since 2019 and chairs its finance committee."


def test_hidden_text_and_tooltips_inside_a_paragraph_stay_out() -> None:
    """A name's hover card inside a story paragraph: a browser shows neither an element with the `hidden`
    attribute nor an ARIA tooltip until the reader acts, and both were read as part of the sentence."""
    said = ("The mayor, Rosa Vell, said the vote showed the town could still agree on big questions after "
            "years of argument.")
    for popup in (f"<span hidden>{BIO}</span>", f"<span class='q1z' role='tooltip'>{BIO}</span>"):
        marked = said.replace("Rosa Vell", f"<span class='n'>Rosa Vell{popup}</span>")
        for story in (STORY, STORY[:4]):  # a long text that skips the vote, a short one that does not
            html = _story({2: f"<p>{marked}</p>"}) if story is STORY else page(
                f"<title>{TITLE} - Coast Post</title>",
                f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>"
                + "".join(f"<p>{p}</p>" for p in story[:2]) + f"<p>{marked}</p>"
                + "".join(f"<p>{p}</p>" for p in story[2:]) + "</div></div><footer><p>Coast Post</p></footer>")
            text = extract(html, "https://coast.example/news/pier").text
            assert said in text and "finance committee" not in text, popup


def test_text_hidden_until_found_is_read() -> None:
    """hidden='until-found' is a collapsed section a browser's find-in-page opens: shown text."""
    html = _story({3: f"<p hidden='until-found'>{BIO}</p>"})
    assert BIO in extract(html, "https://coast.example/news/pier").text


POST = ["Every few years I try a new notes app, and every few years I come back to a paper notebook and a cheap pen.",
        "Writing by hand is slow, and that is the point. I cannot copy a whole paragraph, so I have to decide what "
        "it means before I write it down.",
        "The notebooks are also the only notes I have kept for more than a decade. Two of the apps I used have "
        "closed, and one export file no longer opens.",
        "I do photograph the pages at the end of each month, so that I can search them, but the paper is what I read."]
ABOUT = "I am a librarian in a small town, writing about paper, pens and paying attention since 2009."


def test_a_sidebars_about_sentence_after_the_post_stays_out() -> None:
    """A blog's "About" widget right after the post, no line dropped between them: the prose guard kept
    its sentence. The post's paragraphs sit in post > body, the widget's in sidebar > widget: printed
    apart from the story, at another depth under the block that holds both."""
    links = "".join(f"<li><a href='/p/{i}'>A post about notebooks, part {i}</a></li>" for i in range(6))
    html = page("<title>Why I still write by hand - Margins</title>",
                "<div class='a1'><div class='b2'><div class='c3'><h1>Why I still write by hand</h1><div class='d4'>"
                + "".join(f"<p>{p}</p>" for p in POST) + "</div></div></div>"
                f"<div class='e5'><div class='f6'><h3>About</h3><p>{ABOUT}</p></div>"
                f"<div class='f6'><h3>Recent posts</h3><ul>{links}</ul></div></div></div>")
    assert extract(html, "https://margins.example/2025/04/by-hand.html").paragraphs == POST


def test_a_storys_last_paragraphs_in_a_wrapper_like_its_first_stay() -> None:
    """The same depth: a story continued in a second wrapper like the first (a paywall's later part)."""
    html = page("<title>Why I still write by hand - Margins</title>",
                "<div class='a1'><h1>Why I still write by hand</h1><div class='d4'>"
                + "".join(f"<p>{p}</p>" for p in POST) + f"</div><div class='d5'><p>{ABOUT}</p></div></div>")
    assert extract(html, "https://margins.example/2025/04/by-hand.html").paragraphs == [*POST, ABOUT]


def test_a_promo_of_a_label_in_capitals_and_a_headline_link_goes() -> None:
    """A site's own label ('TRENDING:', 'MUST READ:', 'WATCH |') or one in another language before a link
    to another story, inside a long story and a short one: only a few labels' words were boilerplate."""
    link = "<a href='/news/storm'>Storm closes the coast road for a second night</a>"
    for label in ("TRENDING:", "MUST READ:", "WATCH |", "PHOTOS:", "FUNDA OLUNYE UDABA LAPHA |"):
        for story in (STORY, STORY[:6]):
            paras = [f"<p>{p}</p>" for p in story]
            paras.insert(3, f"<p><strong>{label}</strong> {link}</p>")
            html = page(f"<title>{TITLE} - Coast Post</title>",
                        f"{MENU}<div class='x9f2'><h1>{TITLE}</h1><div class='k27a'>{''.join(paras)}</div></div>"
                        "<footer><p>Coast Post, 2025</p></footer>")
            assert extract(html, "https://coast.example/news/pier").paragraphs == story, label


def test_a_dateline_in_capitals_and_a_linked_sentence_stay() -> None:
    """A dateline's capitals before prose, and a label before a sentence that links its source, are story."""
    dateline = "NORTH BAY: The harbour council voted on Tuesday to rebuild the old stone pier after a decade."
    update = ("UPDATE: <a href='/docs/report'>The council has published the engineers' full report on the "
              "pier</a>.")
    html = _story({2: f"<p>{dateline}</p><p>{update}</p>"})
    paragraphs = extract(html, "https://coast.example/news/pier").paragraphs
    assert dateline in paragraphs
    assert "UPDATE: The council has published the engineers' full report on the pier." in paragraphs


def test_a_subhead_after_an_emptied_ad_slot_is_kept() -> None:
    """An ad slot whose only content was its script stands between a paragraph and the subhead: empty for a
    reader, it does not part them."""
    slot = "<div class='w3'><div data-slot='42'><script>renderAd(42)</script></div></div>"
    html = _story({1: f"{slot}<h3>Money</h3>", 4: f"<h3>Close vote in the chamber</h3>{slot}"})
    want = [*STORY[:2], "Money", *STORY[2:5], "Close vote in the chamber", *STORY[5:]]
    assert extract(html, "https://coast.example/news/pier").paragraphs == want


def test_a_story_below_the_headline_after_consent_prose_above_it_stays() -> None:
    """A consent platform's prose over the headline that readability takes for the article: the story
    below the headline, at another depth than that prose, is the story, not a tail printed apart."""
    consent = ["We value your privacy. We and our partners store and access information on a device, such as "
               "cookies, and process personal data for personalised advertising and content measurement.",
               "With your permission we and our partners may use precise geolocation data. You may click to "
               "consent to our processing as described above, or change your preferences before consenting.",
               "You can change your choices at any time by returning to this site and opening the privacy "
               "settings at the bottom of every page, where you can also withdraw your consent."]
    wall = ("<div id='q7'><div class='q8'><h2>We value your privacy</h2>" + "".join(f"<p>{p}</p>" for p in consent)
            + "<div><button>I accept</button></div></div></div>")
    html = page(f"<title>{TITLE} - Coast Post</title>",
                f"{wall}{MENU}<div class='x9f2'><h1>{TITLE}</h1>" + "".join(f"<p>{p}</p>" for p in STORY[:3])
                + "</div>")
    assert extract(html, "https://coast.example/news/pier").paragraphs == STORY[:3]
