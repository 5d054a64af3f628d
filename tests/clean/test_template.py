"""A source's template (lines repeated on its pages) is learnt through the warehouse and dropped from
the next batch's bodies: a real local server, two `newsdedup run` pipeline runs, a real DuckDB warehouse."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from newsdedup import warehouse as wh
from newsdedup.clean import extract
from newsdedup.clean.template import drop_template, sentence_key
from newsdedup.pipeline import run_pipeline

from .pages import article, page

sys.path.insert(0, str(Path(__file__).parents[1] / "fetch"))
from local_server import TestServer  # noqa: E402

FOOTER = ("The Harbour Gazette has served the towns of the northern coast since 1904 and is owned by "
          "its readers.")
STORIES = [
    ("Ferry timetable changes", "The island ferry will leave twice as often in summer, the operator said on "
     "Monday after months of complaints from commuters about crowded morning crossings."),
    ("Library reopens", "After two years of repairs to its leaking roof, the old library on Quay Street "
     "opened its doors again with a new reading room for children and a small cafe."),
    ("Fishing quota dispute", "Trawler owners walked out of talks with regulators over cod quotas, saying "
     "the proposed limits would force half the fleet to stay in port through the winter."),
    ("School choir wins prize", "Forty pupils from the primary school in Westhaven won the national choir "
     "competition with a programme of sea shanties arranged by their music teacher."),
    ("Storm damages pier", "High winds on Thursday night tore planks from the Victorian pier, and engineers "
     "closed it to walkers until the supporting beams have been inspected."),
    ("New bus route", "A direct bus between the hospital and the railway station starts in March, funded "
     "by the county for a trial year after a petition signed by three thousand residents."),
    ("Lighthouse for sale", "The decommissioned lighthouse on Gull Point is on the market for the first "
     "time, with planning permission to turn the keeper's cottage into a holiday let."),
]


def _story(i: int) -> str:
    title, lead = STORIES[i]
    words = title.lower().split()
    paras = [lead,
             f"Residents interviewed about the {words[0]} {words[-1]} plans were divided, and several said "
             f"they had learnt of them only from posters at the harbour office number {i + 11}.",
             f"A public meeting on the {title.lower()} question is planned for the last week of the month "
             f"in hall {i + 3} of the town centre.",
             FOOTER]
    return page(f"<title>{title} | Harbour Gazette</title>", article(paras, h1=title))


def test_paragraphs_made_of_template_sentences_go_mixed_ones_stay() -> None:
    template = {sentence_key(FOOTER), sentence_key("Latest News")}
    paras = ["Latest News", STORIES[0][1], FOOTER, f"{STORIES[1][1]} {FOOTER}"]
    assert drop_template(paras, template) == [STORIES[0][1], f"{STORIES[1][1]} {FOOTER}"]
    # A body that is mostly "template" is another copy of a story, not a template: unchanged.
    assert drop_template([FOOTER, "Latest News", "Short."], template) == [FOOTER, "Latest News", "Short."]
    assert drop_template(paras, frozenset()) == paras


def test_extract_drops_the_template_it_is_given() -> None:
    html = _story(0)
    assert FOOTER in extract(html).text
    ex = extract(html, template={sentence_key(FOOTER)})
    assert FOOTER not in ex.text and STORIES[0][1] in ex.text


def test_second_batch_of_a_source_is_cleaner_than_its_first(tmp_path: Path) -> None:
    with TestServer() as srv:
        def publish(n: int) -> None:
            items = "".join(f"<item><title>{STORIES[i][0]}</title><link>{srv.url(f'/story/{i}')}</link></item>"
                            for i in range(n))
            srv.static("/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
                                    f"{items}</channel></rss>", content_type="application/rss+xml")

        for i in range(len(STORIES)):
            srv.static(f"/story/{i}", _story(i))
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(yaml.safe_dump({"settings": {"allow_private_networks": True},
                                       "sources": [{"name": "gazette", "url": srv.url("/feed.xml"), "kind": "rss"}]}))
        warehouse = tmp_path / "w.duckdb"
        publish(4)
        run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"), run_id="first")
        publish(len(STORIES))
        run_pipeline(sources_file=str(cfg), warehouse=str(warehouse), staging=str(tmp_path / "st"), run_id="second")

    rows = wh.query_rows(warehouse, "SELECT run_id, title, text FROM articles ORDER BY run_id, title")[1]
    first = [(t, x) for r, t, x in rows if r == "first"]
    second = [(t, x) for r, t, x in rows if r == "second"]
    assert len(first) == 4 and len(second) == 3
    # The first batch could not know the footer; the warehouse then counted it on all four pages.
    assert all(FOOTER in text for _, text in first)
    learnt = wh.query_rows(warehouse, "SELECT text FROM boilerplate_by_domain WHERE source = 'gazette'")[1]
    assert (FOOTER,) in learnt
    # The second batch is cleaned with it: no footer, every story sentence still there.
    for title, text in second:
        lead = dict(STORIES)[title]
        assert FOOTER not in text and lead in text and "public meeting" in text
