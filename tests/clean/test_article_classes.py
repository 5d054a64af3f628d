"""Article classes outside news that readability handles (benchmarks/article_classes.py)."""

from __future__ import annotations

from newsdedup.clean import extract

from .pages import page

TITLE = "Harbourline 3.1 released"
MENU = "<div class='q8f2'>" + "".join(f"<a href='/d{i}'>Docs section {i}</a> " for i in range(8)) + "</div>"
INTRO = ("Harbourline 3.1 is out. This release makes start-up faster and adds a plugin interface, and it "
         "drops support for the oldest supported interpreter.")
OUTRO = "Thanks to everyone who sent patches and reports for this release. Upgrade with your package manager."
SECTIONS = [("New features", ["Plugins can add their own sub-commands to the command line.",
                              "A profile flag prints where start-up time goes."]),
            ("Bug fixes", ["Fixed a crash when the settings file was empty.",
                           "Fixed wrong line numbers for files with Windows line endings.",
                           "Watch mode no longer rebuilds twice after one save."])]


def _notes(between: str) -> str:
    """Release notes in bare, hash-named <div>s: no container trafilatura knows by tag or class."""
    return (f"{MENU}<div class='a91c'><h1>{TITLE}</h1><div class='f03d'><p>{INTRO}</p>{between}<p>{OUTRO}</p></div>"
            "</div><div class='z7k1'>Harbourline project, 2025</div>")


def test_headings_and_list_items_between_two_paragraphs_are_the_posts() -> None:
    """A post that is mostly lists: the precise pass read only its <p>s (intro and last line) and the
    headings and items between them were lost, where readability kept them."""
    between = "".join(f"<h2>{h}</h2><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" for h, items in SECTIONS)
    html = page(f"<title>{TITLE}</title>", _notes(between))
    want = [INTRO, *(x for h, items in SECTIONS for x in (h, *items)), OUTRO]
    assert extract(html, "https://harbourline.example/blog/3-1").paragraphs == want


def test_a_definition_list_between_two_paragraphs_is_the_posts() -> None:
    terms = [("Starter", "A culture of flour and water that keeps wild yeast alive between bakes."),
             ("Crumb", "The inside of a baked loaf, open or tight depending on the dough.")]
    dl = "<dl>" + "".join(f"<dt>{t}</dt><dd>{d}</dd>" for t, d in terms) + "</dl>"
    html = page(f"<title>{TITLE}</title>", _notes(dl))
    assert extract(html, "https://harbourline.example/blog/3-1").paragraphs == \
        [INTRO, *(x for t in terms for x in t), OUTRO]


def test_a_list_in_a_box_of_its_own_between_two_paragraphs_stays_out() -> None:
    """A subscription box's list between the story's paragraphs is no part of the post: only items whose
    list is a sibling of both paragraphs come back."""
    box = ("<div class='k2p0'><h3>Subscribe to our newsletter today</h3><ul><li>Unlimited online access to every "
           "guide and archive</li><li>Daily puzzles and a weekly digest by email</li></ul></div>")
    html = page(f"<title>{TITLE}</title>", _notes(box))
    paragraphs = extract(html, "https://harbourline.example/blog/3-1").paragraphs
    assert not any("Unlimited online access" in p or "Subscribe" in p for p in paragraphs)



def test_a_heading_between_two_lists_is_the_posts() -> None:
    """A how-to whose tools, steps and tips are lists: the precise pass kept the items and lost the
    headings between the lists, which readability keeps."""
    intro = ("A worn chain wears out the cassette and the chainrings too, so changing it in time saves money. "
             "The job takes about twenty minutes with the right tool.")
    tools = ["A chain tool that fits your drivetrain", "A new chain and a quick link", "A chain checker or a ruler"]
    steps = ["Shift onto the smallest cog at the back and the smallest ring at the front.",
             "Open the quick link with link pliers and lift the old chain off the bike.",
             "Lay the old chain beside the new one and count the links to match the length.",
             "Thread the new chain through the derailleur and join it with the quick link."]
    tips = ["Measure chain wear every thousand kilometres.", "Keep the old quick link as a spare in your bag."]

    def items(tag: str, lines: list[str]) -> str:
        return f"<{tag}>" + "".join(f"<li>{line}</li>" for line in lines) + f"</{tag}>"

    body = (f"{MENU}<div class='a91c'><h1>How to change a bicycle chain</h1><div class='m5e2'>Updated 2 April 2025 · "
            f"Difficulty: easy</div><div class='f03d'><p>{intro}</p><p><strong>You will need:</strong></p>"
            f"{items('ul', tools)}<h2>Steps</h2>{items('ol', steps)}<h2>Tips</h2>{items('ul', tips)}</div></div>"
            "<div class='z7k1'>Workshop notes</div>")
    html = page("<title>How to change a bicycle chain</title>", body)
    paragraphs = [p.removeprefix("- ") for p in extract(html, "https://workshop.example/guides/chain").paragraphs]
    assert paragraphs[paragraphs.index(intro):] == [intro, "You will need:", *tools, "Steps", *steps, "Tips", *tips]
