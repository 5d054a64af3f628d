"""Title and canonical URL from JSON-LD (@graph), OpenGraph, h1 and <title>."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdedup.clean import extract

from .pages import LOREM, article, page


def ld(obj: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(obj)}</script>"


def test_headline_from_json_ld_graph_not_seo_title() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Example Times"},
        {"@type": "NewsArticle", "headline": "Council approves budget after long debate"},
    ]}
    head = "<title>Council approves budget after long debate | Example Times</title>" + ld(graph)
    ex = extract(page(head, article([LOREM * 3], h1="Council approves budget after long debate")))
    assert ex.title == "Council approves budget after long debate"


def test_og_title_site_suffix_is_stripped() -> None:
    head = ("<meta property='og:site_name' content='Example Times'>"
            "<meta property='og:title' content='Bridge reopens after repairs | Example Times'>")
    ex = extract(page(head, article([LOREM * 3], h1="Bridge reopens after repairs")))
    assert ex.title == "Bridge reopens after repairs"


def test_title_tag_suffix_without_site_name() -> None:
    head = "<title>Bridge reopens after repairs - Example Times</title>"
    ex = extract(page(head, "<div>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div>"))
    assert ex.title == "Bridge reopens after repairs"


def test_broken_json_ld_is_tolerated() -> None:
    head = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": \"Line\nbreak\"}"
            "</script><script type='application/ld+json'>{not json</script>")
    ex = extract(page(head, article([LOREM * 3], h1="Something else")))
    assert ex.title == "Line break" and ex.error is None


def test_canonical_url_resolved_against_page_url() -> None:
    head = "<link rel='canonical' href='/news/budget-approved'>"
    ex = extract(page(head, article([LOREM * 3])), url="https://example.org/news/budget-approved?utm=rss")
    assert ex.canonical_url == "https://example.org/news/budget-approved"


def test_canonical_falls_back_to_og_url_then_page_url() -> None:
    head = "<meta property='og:url' content='https://example.org/a'>"
    assert extract(page(head, article([LOREM * 3])), url="https://x.org/b").canonical_url == "https://example.org/a"
    assert extract(page("", article([LOREM * 3])), url="https://x.org/b").canonical_url == "https://x.org/b"


def test_og_title_without_kicker_wins_over_kicker_headline() -> None:
    # The page shows "Topline: Headline"; the publisher's own og:title is the bare headline.
    head = (ld({"@type": "NewsArticle", "headline": "Old Town: Library reopens after three years"})
            + "<meta property='og:title' content='Library reopens after three years'>")
    body = article([LOREM * 3], h1="Old Town: Library reopens after three years")
    ex = extract(page(head, body))
    assert ex.title == "Library reopens after three years"
    # The visible h1 repeated as the first line of the body is still dropped.
    assert not ex.text.startswith("Old Town")


def test_only_a_tail_naming_the_site_is_cut() -> None:
    # " - und doch wieder nicht" is part of the headline; " | Example Zeitung" names the site.
    head = ("<meta property='og:site_name' content='Example Zeitung'>"
            "<meta property='og:title' content='Bahn fährt wieder - und doch nicht ganz | Example Zeitung'>")
    ex = extract(page(head, "<div>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div>"))
    assert ex.title == "Bahn fährt wieder - und doch nicht ganz"


def test_site_tail_recognised_from_the_host_and_byline_tail() -> None:
    head = "<meta property='og:title' content='Bridge reopens after repairs | Example Post | by Carla Example'>"
    ex = extract(page(head, "<div>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div>"),
                 url="https://www.examplepost.org/2024/bridge")
    assert ex.title == "Bridge reopens after repairs"


def test_visible_h1_decides_between_seo_and_social_headline() -> None:
    # JSON-LD carries an SEO headline the page never shows; og:title is the article's h1.
    head = (ld({"@type": "NewsArticle", "headline": "100 years at the city stadium: more than a venue"})
            + "<meta property='og:title' content='One hundred years at the stadium: much more than sport'>")
    crumbs = "<nav class='breadcrumb'><h1>Sports</h1></nav>"
    ex = extract(page(head, crumbs + article([LOREM * 3], h1="One hundred years at the stadium: much\u200b more than sport")))
    assert ex.title == "One hundred years at the stadium: much more than sport"


def test_shown_json_ld_headline_stays() -> None:
    # The JSON-LD headline is on the page (h1); a different og:title is a social-media variant.
    head = (ld({"@type": "NewsArticle", "headline": "Bridge reopens after two years of repairs"})
            + "<meta property='og:title' content='You will not believe what happened to the bridge'>")
    ex = extract(page(head, article([LOREM * 3], h1="Bridge reopens after two years of repairs")))
    assert ex.title == "Bridge reopens after two years of repairs"
    # Same words, other quote style: not a different headline, so the JSON-LD choice stands...
    head = (ld({"@type": "NewsArticle", "headline": "Mayor calls budget ‘a fair deal’"})
            + "<meta property='og:title' content=\"Mayor calls budget 'a fair deal'\">")
    ex = extract(page(head, article([LOREM * 3], h1="Mayor calls budget ‘a fair deal’")))
    assert ex.title == "Mayor calls budget ‘a fair deal’"


def test_headline_shown_only_in_breadcrumbs_is_not_the_visible_one() -> None:
    # The JSON-LD headline appears only as the last breadcrumb; the story's headline block shows og:title.
    head = (ld({"@type": "NewsArticle", "headline": "Olympics: basketball star impresses as France struggles"})
            + "<meta property='og:title' content='Star impresses, France falters'>")
    body = ("<div class='breadcrumbs'><span>Sport</span><h1>Olympics: basketball star impresses as France "
            "struggles</h1></div><main><article><span class='article__headline'>Star impresses, France falters"
            "</span>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</article></main>")
    assert extract(page(head, body)).title == "Star impresses, France falters"


def test_quote_style_most_headline_fields_carry() -> None:
    # ...but its quote style is the one most of the page's headline fields carry: og:title, <title>
    # and the JSON-LD name write straight quotes, only the JSON-LD headline and the h1 curly ones.
    head = (ld({"@type": "NewsArticle", "headline": "Mayor calls budget ‘a fair deal’",
                "name": "Mayor calls budget 'a fair deal' | Example Times"})
            + "<meta property='og:title' content=\"Mayor calls budget 'a fair deal' | Example Times\">"
            + "<title>Mayor calls budget 'a fair deal' | Example Times</title>"
            + "<meta property='og:site_name' content='Example Times'>")
    ex = extract(page(head, article([LOREM * 3], h1="Mayor calls budget ‘a fair deal’")))
    assert ex.title == "Mayor calls budget 'a fair deal'"
    # A tie (JSON-LD headline and h1 against og:title alone) keeps the JSON-LD form.
    head = (ld({"@type": "NewsArticle", "headline": "Mayor calls budget ‘a fair deal’"})
            + "<meta property='og:title' content=\"Mayor calls budget 'a fair deal'\">")
    ex = extract(page(head, article([LOREM * 3], h1="Mayor calls budget ‘a fair deal’")))
    assert ex.title == "Mayor calls budget ‘a fair deal’"


def test_h1_in_a_crumb_container_is_navigation() -> None:
    # The SEO headline sits as the last item of a "crumb" trail; the story shows og:title in an h2.
    head = (ld({"@type": "NewsArticle", "headline": "City coach Miller: 'Nothing left to lose'"})
            + "<meta property='og:title' content=\"Coach Miller: 'Nothing left to lose'\">")
    body = ("<header class='story__header'><div class='story__header__crumb'><a href='/league'>League</a>"
            "<h1>City coach Miller: 'Nothing left to lose'</h1></div>"
            "<h2>Coach Miller: 'Nothing left to lose'</h2></header>"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)))
    assert extract(page(head, body)).title == "Coach Miller: 'Nothing left to lose'"


def test_og_title_shown_after_a_kicker_in_the_same_heading() -> None:
    # The JSON-LD headline is only an h1 in the navigation; the story's heading shows a kicker and
    # og:title in two spans ("Harbour works – Ferry service ..."), so og:title is the shown headline.
    head = (ld({"@type": "NewsArticle", "headline": "Ferry service suspended at the harbour"})
            + "<meta property='og:title' content='Ferry service suspended \u2013 while the new pier waits'>")
    body = ("<nav><a href='/local'>Local</a><h1>Ferry service suspended at the harbour</h1></nav>"
            "<main><h2 class='title'><span class='titleheader'>Harbour works</span><span> \u2013 </span>"
            "<span class='text'>Ferry service suspended \u2013 while the new pier waits</span></h2>"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</main>")
    assert extract(page(head, body)).title == "Ferry service suspended \u2013 while the new pier waits"


def test_meta_headline_shows_the_section_tail_of_og_title() -> None:
    # No JSON-LD; og:title glues a section and the site to the headline without spaces
    # ("-Politics|Example Daily"); <meta name="headline"> gives the bare headline.
    head = ("<meta name='headline' content='Party leader expelled, reform burden grows'>"
            "<meta property='og:title' content='Party leader expelled, reform burden grows-Politics\u3163Example Daily'>")
    ex = extract(page(head, "<main><article>" + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</article></main>"))
    assert ex.title == "Party leader expelled, reform burden grows"


def test_meta_headline_with_a_site_tail_is_not_the_title() -> None:
    # Some sites fill <meta name="headline"> with their SEO title; the shown og:title/h1 stays.
    head = ("<meta name='headline' content='Trade war leaves investors with mixed feelings - Example News'>"
            "<meta property='og:title' content=\"Investors don't know what to make of the trade war\">")
    ex = extract(page(head, article([LOREM * 3], h1="Investors don't know what to make of the trade war")))
    assert ex.title == "Investors don't know what to make of the trade war"


def _table_page(title_tag: str, above: str) -> str:
    nav = "".join(f"<tr><td><a href='/s{i}'>Section {i}</a></td></tr>" for i in range(8))
    story = "".join(f"<p>{t}</p>" for t in (
        "The council approved the new budget on Tuesday after a long debate about road repairs.",
        "The mayor said the library would stay open on Sundays. " + LOREM, LOREM * 2))
    return (f"<html><head><title>{title_tag}</title></head><body><table><tr><td>"
            f"<h1>Top Classifieds</h1><table>{nav}</table></td><td>{above}{story}"
            f"<h3>Save &amp; Share this Article</h3></td></tr></table></body></html>")


def test_headline_without_structured_data_is_the_block_the_title_repeats() -> None:
    html = _table_page("Budget approved after nine-hour debate - Example Gazette",
                       "<div class='headline'>Budget approved after nine-hour debate</div>"
                       "<span class='byline'>By Jane Doe</span>")
    assert extract(html).title == "Budget approved after nine-hour debate"


def test_headline_in_a_block_no_class_names_is_the_block_the_title_repeats() -> None:
    # A site whose class names say nothing ("c1a2b3c", CSS modules): the headline is a plain <div> of
    # text and inline markup, and the <title> adds the site's name to it.
    html = _table_page("Budget Approved After Nine-Hour Debate (from The Example Gazette)",
                       "<div class='c1a2b3c'>Budget approved after <b>nine-hour</b> debate</div>"
                       "<div class='c9f8e7d'>By Jane Doe</div>")
    assert extract(html).title == "Budget approved after nine-hour debate"
    # A section name the <title> repeats is too small a part of it to be the headline.
    html = _table_page("Budget approved after nine-hour debate 28/12/2007 11:27: Sport: Rugby: Example24",
                       "<div class='c1a2b3c'>Sport : Rugby</div>")
    assert extract(html).title != "Sport : Rugby"
    # A block holding other blocks is no headline block (its text is a whole region's).
    html = _table_page("Budget approved after debate - Example Gazette",
                       "<div><div>Budget approved</div><div>after debate</div></div>")
    assert extract(html).title != "Budget approved after debate"


def test_headline_without_structured_data_is_the_heading_above_the_story() -> None:
    # The <title> names only the site and section; the headline is the last heading above the story.
    html = _table_page("Example Gazette - Top Classifieds", "<h2>Budget approved after nine-hour debate</h2>")
    ex = extract(html)
    assert ex.title == "Budget approved after nine-hour debate"
    assert not ex.paragraphs[0].startswith("Budget approved after")


def test_the_heading_above_the_story_counts_from_its_first_sentence() -> None:
    # cbs4denver.com, seattlepi.com (2008): the text taken starts with a time stamp and the headline
    # itself; the story starts at its first sentence, and the headline is the last heading above it.
    html = _table_page("Example Gazette - Sports Wire",
                       "<p>Tue, 15 Jan 2008 14:50:06 GMT</p><p>E-mail | Print</p>"
                       "<h2>Congress asks Justice Department to investigate Tejada</h2>")
    ex = extract(html)
    assert ex.title == "Congress asks Justice Department to investigate Tejada"
    assert "Congress asks Justice Department to investigate Tejada" not in ex.paragraphs


def test_headline_set_in_bold_above_the_story_when_the_title_is_the_section_name() -> None:
    # clubcall.com, ny1.com, 940news.com (2008): the <title> and no heading name the story; the headline is
    # the emphasized line nearest above it, a date or agency line between.
    url = "http://gazette.example/index.jsp?storyID=331739"
    for above in ("<b><span class='headerText'>Budget approved after nine-hour debate</span></b><br>"
                  "<span class='dateText'>20080109 15:24</span>",
                  "<font size='4'><b>Budget approved after nine-hour debate</b></font><br><p>THE CANADIAN PRESS</p>",
                  "<span style='color:#069; font-size:14px'>Budget approved after nine-hour debate</span><br>"
                  "<span class='small'>at 12:19 on January 7, 2008, EST.</span>",
                  # a headline may link to its own page
                  "<h4><a href='/index.jsp?storyID=331739'>Budget approved after nine-hour debate</a></h4>"):
        html = _table_page("Example Gazette - Latest news, sport, reports", above)
        ex = extract(html, url)
        assert ex.title == "Budget approved after nine-hour debate", above
        assert "Budget approved after nine-hour debate" not in ex.paragraphs


def test_no_emphasized_line_above_the_story_leaves_the_title() -> None:
    # What is no headline: a line set in plain text, a link to another page, a time stamp, a byline, a
    # two-word label; the <title> stays.
    url = "http://gazette.example/index.jsp?storyID=331739"
    for above in ("<p>Budget approved after nine-hour debate</p>",
                  "<h4><a href='/index.jsp?storyID=2'>Library to open on Sundays from March</a></h4>",
                  # a link no URL parser takes is no page of this site either (it failed the page: ValueError)
                  "<h4><a href='http://[::1'>Library to open on Sundays from March</a></h4>",
                  "<b>January 08, 2008 12:00am</b>", "<b>By Jane Doe and John Roe</b>", "<b>Top Stories</b>"):
        html = _table_page("Council passes the budget", above).replace("<h1>Top Classifieds</h1>", "")
        assert extract(html, url).title == "Council passes the budget", above


def test_a_plain_line_above_the_story_is_the_headline_when_the_title_names_no_story() -> None:
    # A headline set in markup no rule knows (its class hashed, "<span class=c9f>"), under a <title> that
    # is only the site's and section's names ("SuperSoccer", "News Talk Radio"): the nearest line above the
    # story of 3+ words that is no sentence, date, byline, label, credit or crumb.
    for above in ("<span class='c1a2b3c'>Budget approved after nine-hour debate</span><br>"
                  "<span class='c4d5'>Tue, 15 Jan 2008</span>",
                  "<div class='c1a2b3c'>Budget approved after nine-hour debate</div><div>By Jane Doe</div>"
                  "<div>Residents filled the gallery at every meeting.</div><div>\u00a9 2008 AFP</div>"):
        html = _table_page("Example Gazette - Top Classifieds", above).replace("<h1>Top Classifieds</h1>", "")
        ex = extract(html, "http://gazette.example/index.jsp?storyID=331739")
        assert ex.title == "Budget approved after nine-hour debate", above
        assert "Budget approved after nine-hour debate" not in ex.paragraphs


def test_no_plain_line_is_the_headline_when_it_is_furniture_or_the_title_tells_the_story() -> None:
    # A deck's sentence, a credit, a dateline in capitals, a label, a crumb, a link away are no headline;
    # nor is any plain line when the <title> shares the story's words (it may be the headline, worded
    # otherwise than the page's lines).
    url = "http://gazette.example/index.jsp?storyID=331739"
    for above in ("<div>Residents filled the gallery at every meeting.</div>", "<div>\u00a9 2008 AFP Photo</div>",
                  "<div>NEW YORK (AFP)</div>", "<div>Adjust font size:</div>", "<div>Home > News > Local</div>",
                  "<div><a href='/index.jsp?storyID=2'>Library to open on Sundays</a></div>"):
        html = _table_page("Example Gazette - Top Classifieds", above).replace("<h1>Top Classifieds</h1>", "")
        assert extract(html, url).title != "Budget approved after nine-hour debate"
        assert extract(html, url).title not in above, above
    html = _table_page("Council passes the budget", "<div>Photos courtesy of the Camera Club</div>")
    assert extract(html.replace("<h1>Top Classifieds</h1>", ""), url).title == "Council passes the budget"


def test_a_heading_naming_the_site_is_not_the_headline_the_title_also_holds() -> None:
    # starpulse.com, broadcastingcable.com (2008): "<title>Headline - Site</title>" with both shown in
    # headings; the longer one was the site's name.
    html = _table_page("Budget vote delayed - 1/21/2008 - Example Gazette Entertainment News",
                       "<h1>Example Gazette Entertainment News</h1><h2>Budget vote delayed</h2>")
    assert extract(html, "http://www.examplegazette.com/article/CA6524010.html").title == "Budget vote delayed"


def test_a_date_or_byline_inside_the_headline_element_is_not_part_of_it() -> None:
    # news24.com, gulf-times.com, setantasports.com (2008): the heading's element holds the date or byline
    # in a child element, and its text ran them together ("...theoryby Chris Stanton, 30 December 2007").
    for inner in ("<br><span class='secondarystorycopy'>28/12/2007 11:27 - (SA)</span>",
                  "<table><tr><td class='dates'>Published: Wednesday, 2 January, 2008, 02:42 AM Doha Time</td>"
                  "</tr></table>",
                  "<span>by Jane Doe, 30 December 2007</span>"):
        html = _table_page("Example Gazette - Sport", f"<div class='storyTitle'>Budget approved after debate{inner}</div>")
        assert extract(html).title == "Budget approved after debate", inner


def test_a_form_around_the_whole_page_hides_no_headline() -> None:
    # ASP.NET wraps the whole page in <form id="aspnetForm">: its headline is no search box's label.
    html = _table_page("Example Gazette - Sports Wire", "<h2>Congress asks Justice Department to investigate Tejada</h2>")
    html = html.replace("<body>", "<body><form id='aspnetForm'>").replace("</body>", "</form></body>")
    assert extract(html).title == "Congress asks Justice Department to investigate Tejada"
    # A search box's heading stays no candidate.
    html = _table_page("Example Gazette - Sports Wire", "<form><h2>Search the Example Gazette</h2><input></form>")
    assert extract(html).title != "Search the Example Gazette"


def test_a_form_around_the_whole_page_hides_no_line_above_the_story() -> None:
    # ndtv.com, covers.co.uk, wirelessweek.com (2008): ASP.NET's form wraps the page and the headline is a
    # bold line above the story; the form was taken for a search box and hid every line above the story
    # (and with the story set in <div>s, no <p> said the form was the page's).
    url = "http://gazette.example/story.aspx?id=331739"
    nav = "".join(f"<tr><td><a href='/s{i}'>Section {i}</a></td></tr>" for i in range(8))
    story = "".join(f"<div>{t}</div>" for t in (
        "The council approved the new budget on Tuesday after a long debate about road repairs.",
        "The mayor said the library would stay open on Sundays. " + LOREM, LOREM * 2))
    for title, above in (("Example Gazette - Latest news", "<b>Budget approved after nine-hour debate</b>"),
                         ("", "<font class='header2'><b>Budget approved after nine-hour debate</b></font>")):
        html = (f"<html><head><title>{title}</title></head><body><form id='aspnetForm'><table><tr><td>"
                f"<h1>Top Classifieds</h1><table>{nav}</table></td><td>{above}{story}</td></tr></table>"
                "</form></body></html>")
        for blocks in (html, html.replace("<div>", "<p>").replace("</div>", "</p>")):
            assert extract(blocks, url).title == "Budget approved after nine-hour debate", (above, blocks[-60:])


def test_the_story_starts_where_its_first_words_run_over_inline_markup() -> None:
    # wirelessweek.com, palgn.com.au (2008): no <title>; the story's first words are split by inline markup
    # ("According to a report on <em>USA Today's</em> Website"), so no one text held them, the story's
    # start was not found and the page had no title.
    url = "http://gazette.example/article.aspx?id=156436"
    nav = "".join(f"<tr><td><a href='/s{i}'>Section {i}</a></td></tr>" for i in range(8))
    for first in ("According to a report on <em>the Example Times</em> website, the council approved the budget.",
                  "<b>SPRINGFIELD</b>, Ill. -- According to the mayor, the council approved the budget on Tuesday."):
        html = (f"<html><head></head><body><table><tr><td><h2>Top Classifieds</h2><table>{nav}</table></td><td>"
                f"<span style='font-weight:bold'>Budget approved after nine-hour debate</span>"
                f"<p>{first} {LOREM}</p><p>{LOREM * 2}</p></td></tr></table></body></html>")
        assert extract(html, url).title == "Budget approved after nine-hour debate", first


def test_a_heading_that_is_only_a_day_is_no_headline() -> None:
    # citizen.co.za (2008): "Tuesday January 15" was the last heading above the story.
    html = _table_page("", "<h3>Tuesday January 15</h3>")
    assert extract(html).title != "Tuesday January 15"


def _shared_page(share_bar: str) -> str:
    # No <title>, no structured data; the headline is a plain block ("div.sh") between the site's
    # navigation heading and the story; the share bar below the story names it for Digg and reddit.
    return _table_page("", "<h2>gazette.example Navigation</h2>"
                           "<div class='sh'>Budget approved after nine-hour debate</div>"
                           "<div class='dateline'>Tuesday, 8 January 2008</div>").replace(
        "<h3>Save &amp; Share this Article</h3>", share_bar)


PAGE_URL = "http://gazette.example/news/hi/local/7177191.stm"


def test_headline_without_structured_data_from_the_pages_own_share_links() -> None:
    own = "http%3A%2F%2Fgazette.example%2F%2Fnews%2Fhi%2Flocal%2F7177191.stm"  # loosely written, as sites do
    bar = (f"<ul class='share'><li><a href='http://digg.com/submit?url={own}&amp;title=Budget approved after "
           f"nine-hour debate'>Digg</a></li><li><a href='http://reddit.com/submit?url={own}&amp;title=Budget"
           " approved after nine-hour debate'>reddit</a></li></ul>")
    ex = extract(_shared_page(bar), PAGE_URL)
    assert ex.title == "Budget approved after nine-hour debate"
    assert all(not p.startswith("Budget approved after") for p in ex.paragraphs)


def test_share_links_of_other_pages_and_share_labels_name_no_headline() -> None:
    # a promo's share link (another page) and a share label the page never shows as a block
    bar = ("<a href='mailto:?subject=Put your paper on pause!&amp;body=http://gazette.example/subscribe'>Pause</a>"
           "<a href='http://digg.com/submit?url=http://gazette.example/news/hi/local/7177191.stm"
           "&amp;title=You should read this article'>Digg</a>")
    ex = extract(_shared_page(bar), PAGE_URL)
    assert ex.title not in ("Put your paper on pause!", "You should read this article")


def test_a_logo_h1_before_the_headline_h1_is_not_the_title() -> None:
    # The site's logo is an h1 too; the publisher's twitter:title and <title> name the second one.
    head = ("<title>DNA test confirms the body found in the river | Prachatai</title>"
            "<meta name='twitter:title' content='DNA test confirms the body found in the river'>")
    logo = "<h1 id='website-logo'><a href='/node'>Prachatai</a></h1>"
    ex = extract(page(head, logo + article([LOREM * 3], h1="DNA test confirms the body found in the river")))
    assert ex.title == "DNA test confirms the body found in the river"


def test_a_site_link_inside_the_headline_h1_is_not_glued_to_it() -> None:
    h1 = "<span class='define'>Prosecutors decide in Madrid on the appeal</span><a href='/mallorca.html'>Ultima Hora</a>"
    head = ("<title>Prosecutors decide in Madrid on the appeal » Local » Ultima Hora</title>"
            "<meta name='twitter:title' content='Prosecutors decide in Madrid on the appeal'>")
    ex = extract(page(head, article([LOREM * 3], h1=h1)))
    assert ex.title == "Prosecutors decide in Madrid on the appeal"
    # A section link before the headline's own text goes too.
    head = "<meta name='twitter:title' content='Prosecutors decide in Madrid on the appeal'>"
    ex = extract(page(head, article([LOREM * 3], h1="<a href='/local'>Local</a> Prosecutors decide in Madrid on the appeal")))
    assert ex.title == "Prosecutors decide in Madrid on the appeal"
    # A headline that is all link (linked to itself) keeps its text.
    ex = extract(page("", article([LOREM * 3], h1="<a href='/story/1'>Budget approved after long debate</a>")))
    assert ex.title == "Budget approved after long debate"


def test_the_social_titles_shorter_form_of_the_headline_is_the_headline() -> None:
    # dailymail.co.uk, standard.co.uk: JSON-LD, h1 and <title> carry the headline with a last clause that
    # og:title and twitter:title both leave off; the headline is as short as it goes (fundus' guidelines).
    long = "Council approves the budget after a long debate over the library's future"
    short = "Council approves the budget after a long debate"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": long})
    head = (f"<title>{long} | Example Gazette</title><script type='application/ld+json'>{ld}</script>"
            f"<meta property='og:title' content='{short}'><meta name='twitter:title' content='{short}'>")
    assert extract(page(head, article([LOREM * 3], h1=long))).title == short
    # One field cut at a length limit is no headline: twitter:title alone, or og:title alone.
    for tags in (f"<meta property='og:title' content='{long}'><meta name='twitter:title' content='{short}'>",
                 f"<meta property='og:title' content='{short}'>"):
        head = f"<title>{long} | Example Gazette</title><script type='application/ld+json'>{ld}</script>{tags}"
        assert extract(page(head, article([LOREM * 3], h1=long))).title == long, tags


def test_a_day_stamped_on_the_end_of_a_title_is_no_part_of_the_headline() -> None:
    from newsdedup.clean.metadata import strip_date_tail

    assert strip_date_tail("Laura Linney Thankful She Isn't Lindsay Lohan | January 15, 2008") == \
        "Laura Linney Thankful She Isn't Lindsay Lohan"
    assert strip_date_tail("10,000 trusted domains infected by crimeware Trojan (14/01/2008)") == \
        "10,000 trusted domains infected by crimeware Trojan"
    assert strip_date_tail("Council passes the budget - Tuesday, 2 January 2008") == "Council passes the budget"
    # A year or an event's name is part of the headline; so is a date when too little is left without it.
    for title in ("Magellan Comes Out in Force at CES 2008", "Election (2008)", "Budget vote - 2 January 2008"):
        assert strip_date_tail(title) == title
    html = ("<html><head><title>Laura Linney Thankful She Isn't Lindsay Lohan | January 15, 2008</title></head>"
            "<body><p>" + "The actress said she was grateful for her quiet life. " * 6 + "</p></body></html>")
    assert extract(html).title == "Laura Linney Thankful She Isn't Lindsay Lohan"


_TAGS = ("div", "p", "b", "span", "ul", "li", "nav", "td", "h2", "font", "form")


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> str:
    children = draw(st.lists(_trees(depth + 1), max_size=0 if depth >= 4 else 3)) if depth < 4 else []
    tag = draw(st.sampled_from(_TAGS))
    return f"<{tag}>t{draw(st.integers(0, 9))}{''.join(children)}</{tag}>"


@settings(max_examples=150, deadline=None)
@given(st.lists(_trees(), min_size=1, max_size=4), st.integers(0, 10_000))
def test_the_elements_before_the_story_are_the_page_order_reversed(parts: list[str], pick: int) -> None:
    # _line_above_story reads the page backwards from the story; it must see what a walk from the top sees
    from lxml.html import document_fromstring

    from newsdedup.clean.metadata import _NOT_HEADLINE_TAGS, _outside_furniture, _preceding

    body = document_fromstring(f"<html><body>{''.join(parts)}</body></html>").find("body")
    order = list(body.iter())
    story = order[pick % len(order)]

    holders = {id(a) for a in story.iterancestors()}

    def excluded(el: object) -> bool:
        # a form holding the story wraps the page: it is no furniture
        return any(a.tag in _NOT_HEADLINE_TAGS and not (a.tag == "form" and id(a) in holders and a is not el)
                   for a in (el, *el.iterancestors()) if a is not body)

    # the walk starts at the story, or at the outermost list holding it, whose lines are no one's
    forward = [el for el in order[: order.index(story)] if not excluded(el)]
    assert list(_preceding(_outside_furniture(story, body), body)) == forward[::-1]


def test_the_sites_name_before_the_headline_goes_when_the_page_shows_the_bare_headline() -> None:
    # "Site: Headline" (or "Site | Headline") in og:title and <title>, the <h1> the headline alone: the
    # site's name is no part of the headline, whatever the separator.
    for sep in (": ", " | ", " - "):
        field = f"Example Times{sep}Bridge reopens after repairs"
        head = (f"<title>{field}</title><meta property='og:site_name' content='Example Times'>"
                f"<meta property='og:title' content='{field}'>")
        assert extract(page(head, article([LOREM * 3], h1="Bridge reopens after repairs"))).title \
            == "Bridge reopens after repairs", sep
    # A kicker before the headline names no site: the publisher's own title keeps it.
    head = ("<meta property='og:site_name' content='Example Times'>"
            "<meta property='og:title' content='Exclusive: Bridge reopens after repairs'>")
    assert extract(page(head, article([LOREM * 3], h1="Bridge reopens after repairs"))).title \
        == "Exclusive: Bridge reopens after repairs"


def test_a_headline_field_holding_only_the_sites_name_is_no_headline() -> None:
    # A theme's default og:title (or JSON-LD headline) is the site's name on every page; the <h1> shows the
    # story's headline.
    for head in ("<meta property='og:site_name' content='Example Times'><meta property='og:title' content='Example Times'>",
                 "<meta property='og:site_name' content='Example Times'>"
                 + ld({"@type": "NewsArticle", "headline": "Example Times"})):
        assert extract(page(head, article([LOREM * 3], h1="Bridge reopens after repairs"))).title \
            == "Bridge reopens after repairs", head
    # A page whose every field is the site's name keeps it (nothing else is offered).
    head = "<meta property='og:site_name' content='Example Times'><meta property='og:title' content='Example Times'>"
    assert extract(page(head, "<div>" + f"<p>{LOREM}</p>" * 3 + "</div>")).title == "Example Times"


def test_the_part_of_an_seo_title_the_page_shows_as_its_heading_is_the_headline() -> None:
    # "Headline | Site" where nothing spells the site's name (no og:site_name, a host unlike it) and no field
    # gives the bare headline: the page's heading shows it without the site.
    head = "<title>Bridge reopens after repairs | Lakeside Ledger</title>" \
           "<meta property='og:title' content='Bridge reopens after repairs | Lakeside Ledger'>"
    body = f"<main><h2 class='story-title'>Bridge reopens after repairs</h2>{''.join(f'<p>{LOREM}</p>' for _ in range(3))}</main>"
    ex = extract(page(head, body), "https://www.lsl-online.example/news/bridge")
    assert ex.title == "Bridge reopens after repairs"
    # A clause of the headline shown in a heading of its own is not the headline: the whole stays.
    head = "<meta property='og:title' content='Bridge reopens after repairs - and traffic returns to the old town'>"
    body = ("<main><h1><span class='title'>Bridge reopens after repairs</span> - <span class='title'>and traffic "
            f"returns to the old town</span></h1>{''.join(f'<p>{LOREM}</p>' for _ in range(3))}</main>")
    assert extract(page(head, body)).title == "Bridge reopens after repairs - and traffic returns to the old town"


def test_a_sections_name_as_the_only_h1_loses_to_the_titles_headline_shown_as_a_heading() -> None:
    # No structured title; the page's only <h1> is its section, the headline an <h2> the <title> repeats: the
    # byline under the headline is found only from the headline, so the class-blind page credited no one.
    head = "<title>Bridge reopens after months of repairs | Lakeside Ledger</title>"
    body = ("<div><h1>Transport</h1><div><h2>Bridge reopens after months of repairs</h2><p>By Jane Doe</p>"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div></div>")
    ex = extract(page(head, body), "https://www.lakesideledger.example/transport/bridge")
    assert (ex.title, ex.authors) == ("Bridge reopens after months of repairs", ["Jane Doe"])
    # An <h1> of four words or more is a headline: the structured choice keeps it beside a longer heading the
    # <title> repeats.
    from newsdedup.clean import metadata
    from newsdedup.clean.html import parse

    head = "<title>Transport news and traffic updates for the region | Lakeside Ledger</title>"
    body = ("<div><h1>Bridge reopens after repairs</h1><h2>Transport news and traffic updates for the region</h2>"
            + "".join(f"<p>{LOREM}</p>" for _ in range(3)) + "</div>")
    pm = metadata.read(parse(page(head, body).encode()))
    assert metadata.choose_title(pm, "https://www.lakesideledger.example/t/1") == "Bridge reopens after repairs"
