"""Authors as people: persons kept in their real case, agencies and link texts dropped."""

from __future__ import annotations

import html as html_lib
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsdedup.clean import extract
from newsdedup.clean.authors import clean_name
from newsdedup.clean.settings import AGENCIES

from .pages import LOREM, article, page


def ld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


def test_json_ld_persons_only() -> None:
    # The newspaper itself listed beside its reporters is no author.
    head = "<meta property='og:site_name' content='Example Times'>" + ld({"@type": "NewsArticle", "headline": "H", "author": [
        {"@type": "Person", "name": "Anna Muster"}, {"@type": "Organization", "name": "Example Times"},
        {"@type": "Person", "name": "Bernd Beispiel"}]})
    assert extract(page(head, article([LOREM * 3]))).authors == ["Anna Muster", "Bernd Beispiel"]


def test_shouted_names_get_real_case() -> None:
    head = "<meta name='author' content='By ABBY GOODNOUGH and DONALD G. McNEIL Jr.'>"
    authors = extract(page(head, article([LOREM * 3]))).authors
    assert authors[0] == "Abby Goodnough"
    assert "Abgoodnough" not in authors


def test_email_the_author_and_links_are_not_names() -> None:
    assert clean_name("Email the author") is None
    assert clean_name("Follow on Twitter") is None
    assert clean_name("https://example.org/staff/anna") is None
    assert clean_name("anna@example.org") is None


def test_credits_in_parentheses_go_nested_ones_too() -> None:
    assert clean_name("Anna Muster (dpa)") == "Anna Muster"
    assert clean_name("Anna Muster (dpa (Berlin))") == "Anna Muster"  # the old regex left "Anna Muster )"
    assert clean_name("Anna (Berlin) Muster") == "Anna Muster"
    assert clean_name("Anna Muster (dpa") is None  # an unclosed "(" is no name character


def test_an_article_kind_before_by_and_a_credit_after_the_name_go() -> None:
    # "Analysis by Chris Cillizza" (cnn.com JSON-LD), "Kommentar von Nicole Opitz" (taz.de byline).
    assert clean_name("Analysis by Chris Cillizza") == "Chris Cillizza"
    assert clean_name("Kommentar von Nicole Opitz") == "Nicole Opitz"
    assert clean_name("Ein Kommentar von Nicole Opitz") == "Nicole Opitz"
    # Printed under the headline: the outlet or agency the reporter wrote for or with.
    assert clean_name("Dolores Chang For Dailymail.Com", visible=True) == "Dolores Chang"
    assert clean_name("Diana Resnik mit AP", visible=True) == "Diana Resnik"
    assert clean_name("Maria Con", visible=True) == "Maria Con"  # a surname, not the word "con"


def test_roles_in_compound_words_are_not_names() -> None:
    # German writes roles as compounds: "Leitender Wirtschaftsredakteur" beside "Holger Zschäpitz" (welt.de).
    for role in ("Leitender Wirtschaftsredakteur", "Auslandskorrespondentin", "Sportreporter", "Chefredakteurin"):
        assert clean_name(role) is None
    assert clean_name("Holger Zschäpitz") == "Holger Zschäpitz"
    # An agency's job title printed as a co-author (AP: "Greg Beacham", "AP Sports Writer").
    assert clean_name("AP Sports Writer") is None and clean_name("Freelance sports writer") is None


def test_agencies_are_not_persons() -> None:
    head = "<meta name='author' content='Anna Muster, dpa'>"
    assert extract(page(head, article([LOREM * 3]))).authors == ["Anna Muster"]
    for agency in ("Reuters", "AP", "The Associated Press", "AFP", "dpa"):
        assert clean_name(agency) is None


def test_only_an_organisation_credited() -> None:
    head = ld({"@type": "NewsArticle", "headline": "H", "author": {"@type": "Organization", "name": "dpa"}})
    assert extract(page(head, article([LOREM * 3]))).authors == ["dpa"]


def test_byline_in_related_teasers_is_ignored() -> None:
    byline = "<p class='byline'>By Carla Example</p>"
    related = "<aside><ul><li><span class='byline'>By Someone Else</span> Other story</li></ul></aside>"
    ex = extract(page("", article([LOREM * 3], extra_before=byline, extra_after=related)))
    assert ex.authors == ["Carla Example"]


def test_german_byline_with_und() -> None:
    head = "<meta name='author' content='Von Anna Muster und Bernd Beispiel'>"
    assert extract(page(head, article([LOREM * 3]))).authors == ["Anna Muster", "Bernd Beispiel"]


def test_agency_credited_beside_a_person_is_kept() -> None:
    head = ld({"@type": "NewsArticle", "headline": "H", "author": [
        {"@type": "Person", "name": "Carla Example"}, {"@type": "Person", "name": "AP"},
        {"@type": "Organization", "name": "Schweizerische Depeschenagentur"}]})
    assert extract(page(head, article([LOREM * 3]))).authors == [
        "Carla Example", "AP", "Schweizerische Depeschenagentur"]


def test_meta_person_when_json_ld_credits_only_the_newspaper() -> None:
    head = (ld({"@type": "NewsArticle", "headline": "H", "author": {"@type": "Organization", "name": "Example Shimbun"}})
            + "<meta name='cxenseparse:author' content='Carla Example'>")
    assert extract(page(head, article([LOREM * 3]))).authors == ["Carla Example"]


def test_several_organisations_credited_without_a_person() -> None:
    head = ld({"@type": "NewsArticle", "headline": "H", "author": [
        {"@type": "Organization", "name": "Deutsche Presse-Agentur"}, {"@type": "Person", "name": "Example Redaktion"}]})
    assert extract(page(head, article([LOREM * 3]))).authors == ["Deutsche Presse-Agentur", "Example Redaktion"]


def test_two_character_cjk_name_and_site_domain_in_byline() -> None:
    head = ld({"@type": "NewsArticle", "headline": "H", "author": {"@type": "Person", "name": "新間"}})
    assert extract(page(head, article([LOREM * 3]))).authors == ["新間"]
    assert clean_name("Example.at") is None
    assert clean_name("Agenturen") is None


def test_meta_person_when_json_ld_credits_an_organisation() -> None:
    # The path that raised UnboundLocalError on Python 3.12.1 (a comprehension variable `key`
    # shadowed the imported key() in choose_authors).
    head = (ld({"@type": "NewsArticle", "headline": "H", "author": {"@type": "Organization", "name": "Example News"}})
            + "<meta name='author' content='Jane Doe'>")
    assert extract(page(head, article([LOREM * 3]))).authors == ["Jane Doe"]


def test_no_comprehension_shadows_a_module_level_name() -> None:
    # On CPython 3.12.0/3.12.1 an inlined comprehension whose loop variable has the name of a
    # module-level function makes every later use of that function in the same body raise
    # UnboundLocalError. Checked over the whole clean package, on whatever Python runs the tests.
    import ast
    from pathlib import Path

    import newsdedup.clean

    clashes = []
    for path in sorted(Path(newsdedup.clean.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_names = set()
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                module_names |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                module_names.add(node.name)
        for node in ast.walk(tree):
            if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
                for gen in node.generators:
                    for target in ast.walk(gen.target):
                        if isinstance(target, ast.Name) and target.id in module_names:
                            clashes.append(f"{path.name}:{node.lineno} {target.id}")
    assert clashes == []


def test_byline_under_the_headline_not_a_related_storys() -> None:
    # No structured data: the name printed right under the headline is the author's, whatever its class;
    # a teaser's byline further down (class "byline") credits another story.
    html = page("<title>Budget approved</title>", article(
        [LOREM * 4] * 3,
        extra_before="<div class='meta'><span class='story-author__name'>Von Anna Muster</span></div>",
        extra_after="<div class='teaser'><h3>Another story</h3><div class='byline'>By Bernd Beispiel</div></div>",
        h1="Budget approved after a long night"))
    assert extract(html).authors == ["Anna Muster"]


def test_byline_under_the_headline_without_roles_dates_or_buttons() -> None:
    byline = ("<div class='author-box'><span class='author-box__name'>Jane Roe</span>"
              "<span class='author-box__role'>Korrespondent</span><span class='author-box__date'>April 25</span>"
              "<button class='author-box__follow'>Follow</button></div>")
    html = page("<title>Budget approved</title>", article([LOREM * 4] * 2, extra_before=byline,
                                                          h1="Budget approved after a long night"))
    assert extract(html).authors == ["Jane Roe"]


def test_byline_told_only_by_its_words() -> None:
    # No class, no structured data: "By <name> in <place>" under the headline; "By Tuesday, ..." in the
    # deck is a sentence, not a byline.
    html = page("<title>Budget approved</title>", article(
        [LOREM * 4] * 2, extra_before="<p>By Tuesday the council had a plan.</p><p>By <a href='/x'>Daniel Dombey</a>"
                                       " in Washington</p>", h1="Budget approved after a long night"))
    assert extract(html).authors == ["Daniel Dombey"]


def test_an_organisation_printed_as_the_byline_is_its_credit() -> None:
    # No structured data and no person under the headline: "By Associated Press", "Von dpa" are the
    # page's credit, as JSON-LD would give it. A person beside them still wins.
    def authors(byline: str) -> list[str]:
        return extract(page("<title>Budget approved</title>", article(
            [LOREM * 4] * 2, extra_before=byline, h1="Budget approved after a long night"))).authors

    assert authors("<p class='byline'>By Associated Press</p>") == ["Associated Press"]
    assert authors("<div>Von dpa</div>") == ["dpa"]
    assert authors("<p class='byline'>By Jane Roe and Associated Press</p>") == ["Jane Roe"]
    # A role or a button is no organisation.
    assert authors("<p class='byline'>By Staff Writer</p>") == []
    assert authors("<p class='byline'>By Tuesday the council had a plan.</p>") == []


def test_visible_byline_fragments_are_judged_harder() -> None:
    # Read from the page's text, a byline element also shows a role, a date or a footnote mark.
    assert clean_name("Rachel Brazil0", visible=True) == "Rachel Brazil"
    assert clean_name("Journalist", visible=True) is None
    assert clean_name("8 January", visible=True) is None
    assert clean_name("přihlaste se Sdílet", visible=True) is None
    assert clean_name("松岡大地", visible=True) == "松岡大地"


def test_thousands_of_byline_elements_under_the_headline() -> None:
    # A hostile page nests "author" elements without text after the headline, thousands of them: they are
    # read up to a bound (the ancestors of each one read are looked at).
    nested = ("<span class='author'>" * 150 + "</span>" * 150) * 40
    html = page("<title>Budget approved</title>", article([LOREM * 4] * 2, extra_before=nested,
                                                          h1="Budget approved after a long night"))
    record = extract(html)
    assert record.authors == [] and record.text.startswith(LOREM.strip())


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=120), cls=st.sampled_from(["author", "byline", "c-Byline__x", "writer", "meta"]))
@example(text="00A", cls="author")
@example(text="aAA", cls="author")
@example(text="Dec 6", cls="byline")
@example(text="aNI", cls="author")
def test_any_byline_text_gives_names_without_digits(text: str, cls: str) -> None:
    # Whatever a page prints in a byline element, under its headline or anywhere, the names that come
    # out hold no digit ("00A" from a class="author" element was once one) and start with no lower-case
    # letter but an agency's own ("dpa"), or there are none.
    byline = f"<div class='{cls}'>{html_lib.escape(text)}</div>"
    authors = extract(page("<title>Budget approved</title>", article(
        [LOREM * 4] * 2, extra_before=byline, h1="Budget approved after a long night"))).authors
    assert all(isinstance(a, str) and a and not any(c.isdigit() for c in a)
               and (not a[:1].islower() or a in AGENCIES) for a in authors)


_SHORT_STORY = "".join(
    f"<p>The city council voted on Tuesday to approve a new budget that raises spending on road repairs by a fifth,"
    f" part {i}. Opponents said the plan would force higher property taxes within two years, a claim the mayor"
    f" rejected.</p>" for i in range(2))
_TEASERS = ("<div><h3>More stories</h3><div><a href='/o1'>Other story one</a><span>By Bob Brown</span></div>"
            "<div><a href='/o2'>Other story two</a><span>By Carol White</span></div></div>")


def _visible_byline_page(byline: str) -> str:
    return (f"<html><head><title>Council approves new budget - Example Gazette</title></head><body><div>"
            f"<h1>Council approves new budget</h1>{byline}{_SHORT_STORY}</div>{_TEASERS}</body></html>")


def test_bylines_in_words_and_author_page_links_are_read_without_class_names() -> None:
    # No structured data and no class name: the byline under the headline in its own words, or a link to
    # the author's page. The teasers under this short story carry other bylines within the same 600
    # characters of text: once the story's prose has started they are not read.
    cases = {
        "<div>Written by Jane Doe</div>": ["Jane Doe"],
        "<div>Story by Jane Doe • 3 min read</div>": ["Jane Doe"],
        "<div><a href='/author/jane-doe'>Jane Doe</a> | Reporter</div>": ["Jane Doe"],
        "<div>By Jane Doe and John Smith</div>": ["Jane Doe", "John Smith"],
    }
    for byline, names in cases.items():
        assert extract(_visible_byline_page(byline)).authors == names, byline
    # A politician's topic page is no author page (thehill.com: "/people/kristi-noem").
    topic = "<div>Governor <a href='/people/kristi-noem'>Kristi Noem</a> spoke.</div>"
    assert extract(_visible_byline_page(topic).replace(_TEASERS, "")).authors == []


def test_byline_fields_on_their_own_lines_and_papers_and_days_are_no_names() -> None:
    cases = {
        # a line break parts the name from the role, which alone would have dropped the whole line
        "<div>By JESSICA MINTZ<br>AP Technology Writer</div>": ["Jessica Mintz"],
        "<div>By Jane Doe, The Boston Globe</div>": ["Jane Doe"],  # a paper, never a person
    }
    for byline, names in cases.items():
        assert extract(_visible_byline_page(byline).replace(_TEASERS, "")).authors == names, byline
    # A byline element below the story (read without the headline's window, where one-word names pass):
    # a label ends with a colon and a day is no name (l3s: "By Associated Press | Tuesday, January 8").
    story = "".join(f"<p>{LOREM}</p>" for _ in range(4))
    for byline, names in (("Редактор: <br> Елин Димитров", ["Елин Димитров"]),
                          ("By Jane Doe | Tuesday, January 8, 2008", ["Jane Doe"])):
        html = page("", f"<h1>Budget approved</h1>{story}<div class='byline'>{byline}</div>")
        assert extract(html).authors == names, byline


def test_a_json_ld_author_given_as_a_reference_by_id_is_read_from_the_referenced_person() -> None:
    """Yoast and other SEO plugins write the article's author as {"@id": ...}, the Person node elsewhere in
    the @graph; with no byline shown, no author came out (trafilatura resolves it)."""
    person = "https://example.com/#/schema/person/8c1f0e"
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": "https://example.com/a/", "name": "Plan approved - The Post"},
        {"@type": "NewsArticle", "headline": "Plan approved", "author": {"@id": person},
         "publisher": {"@id": "https://example.com/#organization"}},
        {"@type": "Organization", "@id": "https://example.com/#organization", "name": "The Post"},
        {"@type": "Person", "@id": person, "name": "Lena Hartmann"},
    ]}
    head = f"<script type='application/ld+json'>{json.dumps(graph)}</script>"
    ex = extract(page(head, article([LOREM * 3], h1="Plan approved")), "https://example.com/a/")
    assert ex.authors == ["Lena Hartmann"]


def test_a_news_agency_printed_after_the_name_without_a_separator_is_not_part_of_it() -> None:
    """Wire copy on member sites: "By JOSEFINA ALVAREZ Associated Press". The whole string was no person
    (an organisation's word), and the byline came out as the organisation "JOSEFINA ALVAREZ Associated
    Press"; a name that only ends like an agency ("Michael Bloomberg") stays."""
    byline = "<div class='byline'>By JOSEFINA ALVAREZ Associated Press</div>"
    head = "<meta name='author' content='JOSEFINA ALVAREZ Associated Press'>"
    assert extract(page(head, article([LOREM * 3], extra_before=byline))).authors == ["Josefina Alvarez"]
    assert extract(page("", article([LOREM * 3], extra_before=byline))).authors == ["Josefina Alvarez"]
    assert extract(page("<meta name='author' content='Jane Doe AP'>", article([LOREM * 3]))).authors == ["Jane Doe"]
    assert extract(page("<meta name='author' content='Michael Bloomberg'>",
                        article([LOREM * 3]))).authors == ["Michael Bloomberg"]


def test_a_name_ending_in_an_agency_s_word_printed_like_the_name_keeps_it() -> None:
    """Agencies' names are surnames and given names too: a one-word agency after a name printed the
    same way (title case after title case, capitals after capitals) is the name's last word.
    "Michael R. Bloomberg" came out as "Michael R.", "Wang Li Xinhua" as "Wang Li"."""
    for name, want in (("Michael R. Bloomberg", "Michael R. Bloomberg"), ("Mary Ann Bloomberg", "Mary Ann Bloomberg"),
                       ("Wang Li Xinhua", "Wang Li Xinhua"), ("JUAN CARLOS EFE", "Juan Carlos Efe"),
                       ("Jane Doe dpa", "Jane Doe"), ("JANE DOE Reuters", "Jane Doe")):
        head = f"<meta name='author' content='{name}'>"
        assert extract(page(head, article([LOREM * 3]))).authors == [want], name


def test_a_json_ld_author_reference_to_a_page_site_or_the_article_names_no_one() -> None:
    """An author {"@id"} naming the article itself, its WebPage or the WebSite (a careless @graph)
    was read from that node: its name, the headline or the site's, came out as the author."""
    for target in ({"@type": "NewsArticle", "@id": "#art", "headline": "Plan approved", "name": "Plan approved today"},
                   {"@type": "WebPage", "@id": "#art", "name": "Plan approved by the council"},
                   {"@type": "WebSite", "@id": "#art", "name": "Daily Post Online"}):
        article_ld = {"@type": "NewsArticle", "headline": "Plan approved", "author": {"@id": "#art"}}
        graph = [target, article_ld] if target["@type"] != "NewsArticle" else [{**target, "author": {"@id": "#art"}}]
        head = ld({"@context": "https://schema.org", "@graph": graph})
        assert extract(page(head, article([LOREM * 3], h1="Plan approved"))).authors == [], target["@type"]
    org = {"@graph": [{"@type": "NewsArticle", "headline": "Plan approved", "author": {"@id": "#o"}},
                      {"@type": "NewsMediaOrganization", "@id": "#o", "name": "The Daily Post"}]}
    assert extract(page(ld(org), article([LOREM * 3], h1="Plan approved"))).authors == ["The Daily Post"]


def test_thousands_of_author_references_are_looked_up_in_one_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reference scanned every JSON-LD object of the page: 4,000 references to 4,000 nodes took
    0.7 s, 16,000 about 12 s. The types of the page's objects are read once each (counted: a scan for
    each reference read them 4,000 x 8,001 times), not timed."""
    from newsdedup.clean import authors

    n = 4_000
    graph = [{"@type": "NewsArticle", "headline": "Plan approved", "author": [{"@id": f"#p{i}"} for i in range(n)]}]
    graph += [{"@type": "Thing", "@id": f"#q{i}"} for i in range(n)]
    html = page(ld({"@graph": graph}), article([LOREM * 3], h1="Plan approved"))
    reads = 0
    real = authors.ld_types

    def counted(obj: dict[str, object]) -> list[str]:
        nonlocal reads
        reads += 1
        return real(obj)

    monkeypatch.setattr(authors, "ld_types", counted)
    assert extract(html).authors == []  # references to no person or organisation name no one
    assert 0 < reads <= 4 * (2 * n + 1), reads


def test_the_sites_own_name_in_the_author_meta_tag_is_no_person() -> None:
    # Many CMSs fill the author meta tag with the publication's brand ("KVZ", "Nordkurier (nordkurier.de)")
    # while the reporter is printed under the headline: the brand was read as a one-word person ("Kvz").
    byline = "<p class='article-meta'>von Dr. Lena Hartwig</p>"
    for credit in ("KVZ", "Kreisblatt (www.kvz.example)"):
        head = f"<meta name='author' content='{credit}'><meta property='og:site_name' content='Kreisblatt'>"
        got = extract(page(head, article([LOREM * 3], extra_before=byline)), "https://www.kvz.example/a/1").authors
        assert got == ["Dr. Lena Hartwig"], credit
    # With no byline on the page the brand stays the page's credit, as before.
    head = "<meta name='author' content='KVZ'><meta property='og:site_name' content='Kreisblatt'>"
    assert extract(page(head, article([LOREM * 3])), "https://www.kvz.example/a/1").authors == ["KVZ"]


def test_a_publishers_credit_line_with_its_place_names_no_people() -> None:
    # "<site>, <city>, <country>" in the author meta tag is the publisher's address, not three names: the
    # city and the country came out as the authors while JSON-LD credited the newsroom.
    head = ("<meta name='author' content='kreisblatt.example, Frankfurt, Germany'>"
            + ld({"@type": "NewsArticle", "headline": "Budget approved",
                  "author": [{"@type": "NewsMediaOrganization", "name": "Redaktion kreisblatt.example"}]}))
    got = extract(page(head, article([LOREM * 3])), "https://www.kreisblatt.example/a/1").authors
    assert got == ["Redaktion kreisblatt.example"]


def _related_cards(bylines: tuple[str, ...]) -> str:
    cards = "".join(f"<div class='card'><h3><a href='/s/{i}'>Harbour story number {i} of the week</a></h3>"
                    f"<span class='byline'>By {name}</span></div>" for i, name in enumerate(bylines, 1))
    return f"<div class='related'><h2>More from the newsroom</h2>{cards}</div>"


def test_bylines_of_related_story_cards_are_not_the_articles_authors() -> None:
    # A story printing no byline of its own, with teaser cards of other stories (outside any aside or list)
    # that each carry a byline: the cards' reporters came out as the article's authors.
    cards = _related_cards(("Carla Mendes", "Tom Birch"))
    assert extract(page("", article([LOREM * 3], extra_after=cards))).authors == []
    assert extract(page("", article([LOREM * 3], extra_before=cards))).authors == []
    # The article's own byline beside them is still read, and only it.
    own = "<p class='byline'>By Maria Ruiz</p>"
    assert extract(page("", article([LOREM * 3], extra_before=own, extra_after=cards))).authors == ["Maria Ruiz"]
    # A card whose heading is the article's own headline is no other story's.
    self_card = ("<div class='card'><h1><a href='/this'>Budget approved</a></h1>"
                 "<span class='byline'>By Maria Ruiz</span></div>")
    assert extract(page("", f"<main>{self_card}<p>{LOREM * 3}</p>{cards}</main>")).authors == ["Maria Ruiz"]


def test_an_author_box_or_a_linked_headline_is_no_other_storys_card() -> None:
    # An author box whose heading is the reporter's linked name, and a headline printed as a link to the page
    # with a kicker before the title, hold linked headings only: they are the article's, not teaser cards.
    box = ("<div class='article-author'><h3><a href='/authors/maria-ruiz'>Maria Ruiz</a></h3>"
           "<p>Reporter</p></div>")
    assert extract(page("", article([LOREM * 3], extra_before=box))).authors == ["Maria Ruiz"]
    head = "<meta property='og:title' content='Budget approved'>"
    linked = ("<div><h1><a href='/this'>Kicker: Budget approved</a></h1>"
              "<p class='author-line'>Von Maria Ruiz</p></div>")
    assert extract(page(head, f"<main>{linked}<p>{LOREM * 3}</p>{_related_cards(('Tom Birch',))}</main>")
                   ).authors == ["Maria Ruiz"]


def test_middle_initials_are_not_the_word_and() -> None:
    # "y", "e" and "i" are "and" in Spanish, Portuguese/Italian and Catalan bylines; a capital E, I or Y is a
    # middle initial: "Robert E. Lee" was split into "Robert" and ". Lee".
    for head, expected in (("<meta name='author' content='Robert E. Lee'>", ["Robert E. Lee"]),
                           ("<meta name='author' content='Jennifer I. Smith and Carlos Y Tan'>",
                            ["Jennifer I. Smith", "Carlos Y Tan"]),
                           (ld({"@type": "NewsArticle", "headline": "H",
                                "author": {"@type": "Person", "name": "Mary I. Jones"}}), ["Mary I. Jones"]),
                           ("<meta name='author' content='María López y José García'>", ["María López", "José García"]),
                           ("<meta name='author' content='Anna Rossi e Marco Bianchi'>", ["Anna Rossi", "Marco Bianchi"]),
                           ("<meta name='author' content='MARÍA LÓPEZ Y JOSÉ GARCÍA'>", ["María López", "José García"])):
        assert extract(page(head, article([LOREM * 3]))).authors == expected, head
    byline = "<p class='byline'>By Robert E Lee and Ann Y Park</p>"
    assert extract(page("", article([LOREM * 3], extra_before=byline))).authors == ["Robert E Lee", "Ann Y Park"]


def test_a_social_handle_after_the_name_is_not_part_of_it() -> None:
    byline = "<p class='byline'>By Jane Doe @janedoe</p>"
    assert extract(page("", article([LOREM * 3], extra_before=byline))).authors == ["Jane Doe"]


def test_a_labelled_byline_under_the_headline_without_markup() -> None:
    # "Author: Jane Doe" printed right under the headline with no byline class (a CMS's plain field): only
    # "By ..."-style lines were read there.
    for line, expected in (("Author: Jane Doe", "Jane Doe"), ("Autor: Hans Meier", "Hans Meier"),
                           ("Auteur : Claire Martin", "Claire Martin"), ("Texto: Ana Pérez", "Ana Pérez"),
                           ("Tekst: Jan Jansen", "Jan Jansen"), ("Autorin: Anna Muster", "Anna Muster")):
        html = page("", article([LOREM * 3], extra_before=f"<p>{line}</p>"))
        assert extract(html).authors == [expected], line
    # A story sentence about an author is no byline.
    html = page("", article(["Author and historian Jane Doe said the plan was flawed. " + LOREM * 2]))
    assert extract(html).authors == []


def test_an_author_box_with_hashed_classes_is_no_teaser_card() -> None:
    # Class names gone (CSS modules), an author popover headed by the reporter's linked name is told from a
    # related story's card by its link to an author page.
    box = ("<div class='c1a2b3c'><p class='c9f8e7d'>By Maria Ruiz</p><h3><a href='/author/maria-ruiz/'>Maria Ruiz</a>"
           "</h3></div>")
    assert extract(page("", article([LOREM * 3], extra_before=box))).authors == ["Maria Ruiz"]


def _site_credited(body: str) -> str:
    """A page whose structured data credits only the site itself, around `body`."""
    head = ("<meta property='og:site_name' content='Example Times'>"
            + ld({"@type": "NewsArticle", "headline": "Budget approved",
                  "author": {"@type": "Organization", "name": "Example Times"}}))
    return page(head, body)


def test_a_name_in_bold_as_the_storys_last_paragraph_is_its_signature() -> None:
    # No byline, no author metadata (the site credits itself): the reporter signs the story with a
    # right-aligned bold name as its last paragraph.
    story = [LOREM * 2] * 4
    for sign in ("<p style='text-align:right'><strong>Nguyen Van An</strong></p>", "<p><b>Jane Doe</b></p>",
                 "<p><b>Larry Page</b></p>"):
        html = _site_credited(article(story, extra_after=sign))
        assert extract(html).authors == [sign.split(">")[2].split("<")[0]], sign
    # Bold lines that are no names stay the site's credit: a subheading among the paragraphs, a prompt, a
    # sentence, a bold line in a sidebar beside a story.
    for after in ("<p><strong>Read More Here</strong></p><p>x</p>", "<p><strong>The council will vote again in May.</strong></p>",
                  "<p><strong>Share This Story</strong></p>", "<p><b>Mehr Zum Thema</b></p>"):
        assert extract(_site_credited(article(story, extra_after=after))).authors == ["Example Times"], after
    # Nor is a bold heading at the story's edge, written in capitals as names are: a box's title before a
    # list, an author box's heading, a closing section's subhead with a short line under it.
    for edge in ("<p><b>Key Takeaways</b></p><ul><li>x</li></ul>", "<p><strong>About The Author</strong></p>",
                 "<p><b>Final Thoughts</b></p><p>Short.</p>", "<p><b>Bottom Line</b></p>", "<p><b>Fact Box</b></p>",
                 "<p><strong>Über den Autor</strong></p>", "<p><strong>En Bref</strong></p>", "<p><b>Sobre El Autor</b></p>"):
        assert extract(_site_credited(article(story, extra_after=edge))).authors == ["Example Times"], edge
    middle = article([LOREM * 2, "<strong>Jane Doe</strong>", LOREM * 2, LOREM * 2, LOREM * 2])
    assert extract(_site_credited(middle)).authors == ["Example Times"]
    aside = article(story, extra_after="<aside><p><b>Jane Doe</b></p><p>" + LOREM * 2 + "</p><p>" + LOREM * 2 + "</p></aside>")
    assert extract(_site_credited(aside)).authors == ["Example Times"]


def test_a_name_in_bold_as_the_storys_first_paragraph_is_its_credit() -> None:
    # The credit opens the story, after the deck's short lines; two reporters parted by a slash.
    story = ["<em>Villagers say the blasts crack their walls</em>", "<strong>Jane Doe/John Roe</strong>"] + [LOREM * 2] * 4
    assert extract(_site_credited(article(story))).authors == ["Jane Doe", "John Roe"]
    # An agency is never taken as a person there, bold or in a dateline: the site's credit stays.
    for first in ("<strong>Associated Press</strong>", "<b>Reuters</b>", "WASHINGTON (Reuters) - " + LOREM):
        assert extract(_site_credited(article([first] + [LOREM * 2] * 4))).authors == ["Example Times"], first


def test_an_author_field_in_a_labelled_field_list_below_the_story() -> None:
    story = [LOREM * 2] * 4
    for facts in ("<ul><li><strong>Date</strong> 28.04.2023</li><li><strong>Autorin/Autor</strong> Jane Doe</li>"
                  "<li><strong>Topics</strong> <a href='/t/1'>Budget</a>, <a href='/t/2'>Council</a></li></ul>",
                  "<dl><dt>Author</dt><dd>Jane Doe</dd><dt>Date</dt><dd>28.04.2023</dd></dl>",
                  "<div><p>Author: Jane Doe</p><p>Date: 28.04.2023</p><p>Keywords: budget, council</p></div>"):
        assert extract(_site_credited(article(story, extra_after=facts))).authors == ["Jane Doe"], facts
    # A label with no field list beside it (a reader's comment, a sentence) is no credit.
    alone = "<div class='comments'><p>Author: Jane Doe</p><p>" + LOREM + "</p></div>"
    assert extract(_site_credited(article(story, extra_after=alone))).authors == ["Example Times"]


def test_a_co_author_only_in_the_visible_byline_beside_json_ld_naming_one_person() -> None:
    head = ld({"@type": "NewsArticle", "headline": "Budget approved", "author": {"@type": "Person", "name": "Anna Muster"}})

    def authors(byline: str) -> list[str]:
        return extract(page(head, article([LOREM * 3] * 2, extra_before=byline))).authors

    assert authors("<p class='byline'>By Anna Muster and Bernd Beispiel</p>") == ["Anna Muster", "Bernd Beispiel"]
    assert authors("<div class='bylines'><a rel='author' href='mailto:a@x.example'>Bernd Beispiel</a> "
                   "<a rel='author' href='mailto:b@x.example'>Anna Muster</a></div>") == ["Bernd Beispiel", "Anna Muster"]
    # A byline that does not name the JSON-LD person credits another story; a share button or a photo
    # credit in the byline's block is no co-author.
    assert authors("<p class='byline'>By Carla Example and Dora Beispiel</p>") == ["Anna Muster"]
    assert authors("<div class='meta'><span class='author-name'>Anna Muster</span>"
                   "<button class='share-author'>Share This Article</button></div>") == ["Anna Muster"]


def test_thousands_of_author_field_labels_take_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each "Author" label read its parent's following siblings to the end: 20,000 labels in one <div>
    took five minutes (200 million sibling reads). The value is read to a name's length and at most a few
    dozen labels are tried: the sibling reads are counted, not timed."""
    from newsdedup.clean import authors

    reads = 0
    spaced_text = authors._spaced_text

    def counted(node):  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return spaced_text(node)

    monkeypatch.setattr(authors, "_spaced_text", counted)
    html = _site_credited(article([LOREM * 2] * 3, extra_after="<div>" + "<b>Author</b> x " * 20_000 + "</div>"))
    assert extract(html).authors == ["Example Times"]
    assert reads < 20_000


def test_a_bold_line_heading_a_list_after_the_story_is_no_signature() -> None:
    # No credit but the site's: a bold two-word line after the story's last paragraph that a list or table
    # follows is that list's heading, not the reporter signing.
    story = [LOREM * 2] * 4
    for after in ("<p><strong>Weekend Closures</strong></p><ul><li>Saturday: west wing shut</li></ul>",
                  "<p><b>Opening Hours</b></p><table><tr><td>Monday</td><td>9-17</td></tr></table>"):
        assert extract(_site_credited(article(story, extra_after=after))).authors == ["Example Times"], after
    # A signature followed by nothing it introduces is still read.
    assert extract(_site_credited(article(story, extra_after="<p><b>Jane Doe</b></p>"))).authors == ["Jane Doe"]


def test_a_bold_line_of_words_the_story_writes_in_lower_case_is_no_name() -> None:
    # "Road Repairs" over a story about road repairs: common nouns, capitalised as a heading; a name's words
    # are not written in lower case in the story.
    story = [LOREM * 2] * 4
    for first in ("<strong>Road Repairs</strong>", "<b>Public Library</b>"):
        assert extract(_site_credited(article([first] + story))).authors == ["Example Times"], first
    assert extract(_site_credited(article(["<strong>Jane Doe</strong>"] + story))).authors == ["Jane Doe"]


def test_a_korean_byline_counting_unnamed_co_authors_credits_the_named_reporter() -> None:
    # "김민수 기자 외 1명": reporter Kim Min-su and one other, who is not named; the count's digit kept the
    # name out, so the page credited no one.
    body = article([LOREM * 2] * 3, extra_before="<div class='byline'>김민수 기자 외 1명</div>")
    assert extract(page("", body, "ko")).authors == ["김민수"]
    assert clean_name("박준석 외 2명") == "박준석"


def test_a_name_in_capitals_with_its_papers_in_title_case_is_the_name_alone() -> None:
    # Wire-style bylines print the name in capitals and the papers after it in title case: neither the
    # paper glued to the name nor the second paper after the slash is a person.
    body = article([LOREM * 2] * 3, extra_before="<p class='byline'>By JANE DOE Daily Courier/Sunday Ledger</p>")
    assert extract(page("", body)).authors == ["Jane Doe"]
    # An agency opening the role after the name is no part of it.
    body = article([LOREM * 2] * 3, extra_before="<p class='byline'>By JANE DOE AP Technology Writer</p>")
    assert extract(page("", body)).authors == ["Jane Doe"]
    # Initials before a name are not a name in capitals.
    body = article([LOREM * 2] * 3, extra_before="<p class='byline'>By J. R. Okafor and Anne-Marie Dupont</p>")
    assert extract(page("", body)).authors == ["J. R. Okafor", "Anne-Marie Dupont"]
    # Names in capitals beside others in title case are all names.
    body = article([LOREM * 2] * 3, extra_before="<p class='byline'>By JANE DOE and John Roe</p>")
    assert extract(page("", body)).authors == ["Jane Doe", "John Roe"]


def test_a_line_starting_with_a_word_that_begins_like_by_is_no_byline() -> None:
    # "After all, ..." (Danish "af"), "Bypass ...", "Parents ..." (French "par"), "Average ..." (Swedish "av")
    # begin with the letters of a byline's "by" word but are no byline: a short line of the story under the
    # headline gave "After all" as an author.
    for line in ("After all, the team won eight games last season.", "Bypass Road, the council says, opens in May.",
                 "Parents Say, in short, that they were not asked."):
        body = article([LOREM * 2] * 3, extra_before=f"<p class='byline'>By Jane Doe</p><div>{line}</div>")
        assert extract(page("", body)).authors == ["Jane Doe"], line


def test_agencies_credited_in_the_plural_are_no_person() -> None:
    # "By Agencies on Friday, January 18, 2008": "agency" was an organisation's word, "agencies" not.
    assert clean_name("Agencies on Friday") is None
    assert clean_name("Agencies") is None


def _yoast(label: str, value: str) -> str:
    return (f"<meta name='twitter:label1' content='{label}'><meta name='twitter:data1' content='{value}'>"
            "<meta name='twitter:label2' content='Est. reading time'><meta name='twitter:data2' content='3 minutes'>")


def test_the_written_by_pair_of_twitter_card_metas_names_the_author() -> None:
    # Yoast SEO (WordPress) prints the post's author as "twitter:label1 Written by / twitter:data1 <name>"
    # (translated: "Verfasst von"); the author meta tag holds an e-mail and the byline a class no rule knows.
    byline = "<div class='c9f2a1'>Jane Doe</div>"
    for label in ("Written by", "Verfasst von", "Écrit par"):
        head = "<meta name='author' content='j.doe@example.com'>" + _yoast(label, "Jane Doe")
        assert extract(page(head, article([LOREM * 3], extra_before=byline))).authors == ["Jane Doe"], label


def test_a_written_by_pair_naming_an_account_or_another_field_is_no_author() -> None:
    # A site's one-word account ("Gastautor", the site's name) is no person; the reading-time pair is no
    # credit; the site's own name or an organisation is none either.
    for head in (_yoast("Written by", "Gastautor"), _yoast("Est. reading time", "Jane Doe"),
                 _yoast("Written by", "Kreisblatt Online") + "<meta property='og:site_name' content='Kreisblatt'>",
                 _yoast("Written by", "Example Newsroom")):
        assert extract(page(head, article([LOREM * 3])), "https://www.kreisblatt.example/a/1").authors == [], head


def test_a_name_and_role_line_under_the_headline_is_a_byline() -> None:
    # A byline with no markup naming it (its class a name no rule knows) and no "By": the name and the
    # person's role, apart ("Nadia Brooks | Reporter", "... / Senior Correspondent") or as a suffix ("기자").
    for line, want in (("Jane Doe | Reporter", ["Jane Doe"]), ("Jane Doe / Senior Correspondent", ["Jane Doe"]),
                       ("Jane Doe, Staff Writer", ["Jane Doe"]),
                       ("<a href='/p/jd'>Jane Doe</a> | Political Editor", ["Jane Doe"]),
                       ("김민수 기자", ["김민수"])):
        byline = f"<div class='c7d2e9'>{line}</div>"
        assert extract(page("", article([LOREM * 3], extra_before=byline))).authors == want, line


def test_a_line_under_the_headline_that_is_no_name_and_role_is_no_byline() -> None:
    # A kicker, a section's line, a photo credit, a place with a role word, a deck: no one is credited.
    for line in ("Politics | Editor's picks", "Local News / Education", "Photographer: Jane Doe",
                 "Reporter | Jane", "The reporter who broke the story | Jane Doe and the council",
                 "Lakeside | Correspondents"):
        byline = f"<div class='c7d2e9'>{line}</div>"
        assert extract(page("", article([LOREM * 3], extra_before=byline))).authors == [], line


def test_bylines_labelled_in_other_languages_name_the_author() -> None:
    # A label or "by" word of another language before the name, in a byline of a class no rule knows: the element
    # was no byline (no "By"), or the label stayed part of the name, or the whole line was refused.
    for line, want in (("بقلم: أحمد المنصوري", ["أحمد المنصوري"]), ("نویسنده: علی رضایی", ["علی رضایی"]),
                       ("Автор: Иван Петров", ["Иван Петров"]), ("Yazar: Ayşe Demir", ["Ayşe Demir"]),
                       ("Oleh: Budi Santoso", ["Budi Santoso"]), ("Tác giả: Nguyễn Văn An", ["Nguyễn Văn An"]),
                       ("作者：张伟", ["张伟"]), ("记者 张伟", ["张伟"]), ("記者：山田太郎", ["山田太郎"]),
                       ("Szerző: Nagy Péter", ["Nagy Péter"]), ("Teksti: Matti Virtanen", ["Matti Virtanen"]),
                       ("โดย สมชาย ใจดี", ["สมชาย ใจดี"])):
        byline = f"<div class='c7d2e9'>{line}</div>"
        assert extract(page("", article([LOREM * 3], extra_before=byline))).authors == want, line


def test_names_written_with_vowel_signs_are_names() -> None:
    # Devanagari, Bengali, Tamil and Thai vowel signs are combining marks, no word characters to `re`: every
    # such name was refused, in a byline and in JSON-LD alike.
    for name in ("राहुल शर्मा", "সৌমিত্র চট্টোপাধ্যায়", "சுரேஷ் குமார்", "สมชาย ใจดี"):
        head = ld({"@type": "NewsArticle", "headline": "Budget approved", "author": {"@type": "Person", "name": name}})
        assert extract(page(head, article([LOREM * 3]))).authors == [name], name
        assert clean_name(name, visible=True) == name
    assert clean_name("\u0941\u0947") is None  # marks alone are no name


def test_a_first_name_or_a_word_that_is_a_label_elsewhere_stays() -> None:
    # "Oleh" is Indonesian "by" and a Ukrainian first name; "記者会見" (a press conference) starts no byline.
    byline = "<div class='byline'>Oleh Petrenko</div>"
    assert extract(page("", article([LOREM * 3], extra_before=byline))).authors == ["Oleh Petrenko"]
    line = "<div class='c7d2e9'>記者会見で市長が発表</div>"
    assert extract(page("", article([LOREM * 3], extra_before=line), lang="ja")).authors == []


def test_a_label_and_a_dash_before_the_name_leave_the_name() -> None:
    # The byline's tail was cut at the dash first ("David A. Utter - Fri"), so the label before the dash was taken
    # for the name ("كتب", "wrote") or nothing was left ("By").
    for line, want in (("كتب - أحمد المنصوري", ["أحمد المنصوري"]), ("By - Jane Doe", ["Jane Doe"]),
                       ("By Jane Doe - Fri", ["Jane Doe"])):
        byline = f"<div class='byline'>{line}</div>"
        assert extract(page("", article([LOREM * 3], extra_before=byline))).authors == want, line


def test_field_labels_are_the_documents_labels_in_document_order() -> None:
    """`authors._field_labels` walks the document for what `//strong|//b|//dt|//th|//label|//span` selected
    (a union XPath sorts its node-set; the walk is half its cost): the same elements in the same order, the
    document's whole (from any element of it, beside-the-root documents too) and nested labels each once."""
    import lxml.html
    from lxml import etree

    from newsdedup.clean.authors import _field_labels

    union = etree.XPath("//strong|//b|//dt|//th|//label|//span")
    root = lxml.html.document_fromstring(
        "<html><head><title>t</title></head><body><dl><dt>Author</dt><dd><span><b>Jane</b> Doe</span></dd></dl>"
        "<table><tr><th>Date</th><td><strong>28.04.2023</strong></td></tr></table><!-- c --><label>x</label>"
        "</body></html><html><body><span>second</span><b>document</b></body></html>")
    assert len(union(root)) == 8
    for start in (root, root.find("body"), root.find(".//td")):
        assert list(_field_labels(start)) == union(start)
