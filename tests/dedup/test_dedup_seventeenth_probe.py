"""A seventeenth probe of dedup (session 43): copies and non-copies the dev corpus never shows.

Invented texts only. The two tests of a lone outlet's copy of one item of an automated feed fail on the code
before their fix (`Deduplicator._verify`); every other test is a guard: it passed on the code it was written
against, and holds what a later rule must keep (copies that join, items that stay apart, repeats that are
counted). What the probe found broken and left is measured by `benchmarks/template_kinds.py` and
`benchmarks/copy_kinds.py` (see docs/probes.md, the seventeenth probe).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from newsdedup import warehouse as wh
from newsdedup.dedup import Deduplicator

from .test_incremental_warehouse import _offline, _partition, _pipeline_run
from .textgen import doc

STORY = """Firefighters spent most of Sunday night battling a blaze at a furniture warehouse on the eastern edge of Millbrook, and the fire service said on Monday morning that the building could not be saved.

The alarm was raised shortly after nine in the evening by a lorry driver who saw smoke coming from the roof of the unit, which stores sofas, mattresses and flat-pack cupboards for three local shops.

"Our crews did an outstanding job keeping the flames away from the houses on Cotton Lane," the county's chief fire officer, Helen Marsh, told reporters at the scene. "Nobody was hurt, and that is what matters most tonight."

Residents of about 40 homes were asked to keep their windows and doors closed because of the thick smoke, and a rest centre was opened at the leisure centre for anyone who wanted to leave.

The owner of the warehouse, a family firm that has traded in the town since 1962, said it would work with investigators and hoped to reopen its showroom in the high street by the end of the month.

Police said there was nothing to suggest the fire had been started deliberately, but the cause would not be known until the building was safe enough for a full investigation."""
PARAS = STORY.split("\n\n")

ZH = """周日晚上，消防员在米尔布鲁克东部的一家家具仓库奋战了一整夜，消防部门周一上午表示，这栋建筑已经无法保住。

晚上九点刚过，一名卡车司机看到仓库屋顶冒出浓烟后报警。该仓库为当地三家商店存放沙发、床垫和组装柜。

县消防局局长海伦·马什在现场对记者说：“我们的队员出色地阻止了火势蔓延到棉花巷的住宅。没有人受伤，这才是今晚最重要的。”

大约四十户居民被要求关紧门窗，以免浓烟进入室内。休闲中心临时开设了安置点，供希望离开的居民使用。

警方表示，目前没有迹象表明火灾是人为纵火，但在建筑安全到可以全面调查之前，起火原因仍无法确定。"""

JA = """日曜日の夜、消防隊はミルブルック東部の家具倉庫で発生した火災の消火に一晩中あたり、消防当局は月曜日の朝、建物を救うことはできなかったと発表した。

午後九時過ぎ、倉庫の屋根から煙が上がっているのを見たトラック運転手が通報した。この倉庫には地元の三つの店舗のソファやマットレス、組み立て式の棚が保管されていた。

県の消防局長は現場で記者団に対し「隊員たちはコットン通りの住宅に炎が燃え移らないよう見事に対応した。けが人はおらず、それが何より大切だ」と語った。

約四十世帯の住民に窓や扉を閉めるよう呼びかけがあり、避難を希望する人のためにレジャーセンターに一時避難所が開設された。

警察は放火を示す証拠はないとしているが、建物の安全が確認され本格的な調査ができるまで、出火原因は分からないという。"""

TH = """เมื่อคืนวันอาทิตย์ นักดับเพลิงใช้เวลาเกือบทั้งคืนต่อสู้กับไฟที่ไหม้โกดังเฟอร์นิเจอร์ทางตะวันออกของเมืองมิลล์บรูค และหน่วยดับเพลิงระบุเมื่อเช้าวันจันทร์ว่าไม่สามารถรักษาอาคารไว้ได้

คนขับรถบรรทุกคนหนึ่งแจ้งเหตุหลังเวลาสามทุ่มเล็กน้อย หลังจากเห็นควันลอยออกมาจากหลังคาโกดัง ซึ่งใช้เก็บโซฟา ที่นอน และตู้ประกอบเองของร้านค้าท้องถิ่นสามแห่ง

หัวหน้าหน่วยดับเพลิงประจำจังหวัดกล่าวกับผู้สื่อข่าวที่เกิดเหตุว่า เจ้าหน้าที่ของเราทำงานได้อย่างยอดเยี่ยมในการกันไม่ให้ไฟลุกลามไปยังบ้านเรือนบนถนนคอตตอน ไม่มีผู้ใดได้รับบาดเจ็บ และนั่นคือสิ่งสำคัญที่สุด

ชาวบ้านประมาณสี่สิบครัวเรือนได้รับการขอให้ปิดประตูหน้าต่างเนื่องจากควันหนาทึบ และมีการเปิดศูนย์พักพิงชั่วคราวที่ศูนย์นันทนาการสำหรับผู้ที่ต้องการออกจากพื้นที่

ตำรวจระบุว่ายังไม่มีหลักฐานว่าเป็นการวางเพลิง แต่จะทราบสาเหตุได้ก็ต่อเมื่ออาคารปลอดภัยพอสำหรับการตรวจสอบอย่างละเอียด"""


def _joined(copy: str, original: str = STORY) -> bool:
    res = Deduplicator().add([doc("orig", original, "outlet-a.example", 0), doc("copy", copy, "copier.example", 60)])
    return res[1].cluster_id == "orig"


def _apart(*texts_and_sources: tuple[str, str]) -> list[str]:
    """Cluster ids of the texts, each published an hour after the one before."""
    docs = [doc(f"d{i}", t, s, 60 * i) for i, (t, s) in enumerate(texts_and_sources)]
    return [r.cluster_id for r in Deduplicator().add(docs)]


def _wide(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


_ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]

COPIES = {
    "paragraphs_reordered": "\n\n".join([PARAS[3], PARAS[0], PARAS[5], PARAS[1], PARAS[4], PARAS[2]]),
    "paywall_first_half": "\n\n".join([*PARAS[:3], "Subscribe to continue reading. Already a subscriber? Log in."]),
    "paywall_cut_inside_a_word": STORY[: len(STORY) // 2] + "\u2026\n\nThis article is for subscribers only.",
    "every_paragraph_wrapped": "\n\n".join(f"Here is what we know so far. {p} Stay with us for more on this story."
                                           for p in PARAS),
    "wrapped_by_lines": "\n\n".join(f"WATCH: the latest from our newsroom\n\n{p}\n\nMillbrook Today - local news you can trust"
                                    for p in PARAS),
    "zero_width_inside_words": re.sub(r"(\w{2})(\w)", lambda m: m.group(1) + _ZW[len(m.group()) % 5] + m.group(2), STORY),
    "nbsp_and_narrow_nbsp": STORY.replace(" ", "\u00a0", 40).replace(" ", "\u202f", 40),
    "soft_hyphens": re.sub(r"(\w{3})(\w{3})", "\\1\u00ad\\2", STORY),
    "html_entities": STORY.replace('"', "&quot;").replace("'", "&#039;").replace(" ", "&#160;"),
    "full_width_digits": re.sub(r"\d", lambda m: chr(ord(m.group()) - 48 + 0xFF10), STORY),
    "full_width_ascii": _wide(STORY),
    "smart_quotes_and_dashes": STORY.replace('"', "\u201c").replace(", and", " \u2014 and"),
    "read_more_lines_spliced": "\n\n".join(x for p in PARAS for x in (p, "Read more: Council approves new budget for schools",
                                                                        "ADVERTISEMENT")),
    "read_more_inline": "\n\n".join(f"{p} READ MORE: Council approves new budget for schools." for p in PARAS),
    "markup_left": "\n\n".join(f"<p>{p}</p>" if i % 2 else f"\u2022 **{p}**" for i, p in enumerate(PARAS)),
    "dateline_on_every_paragraph": "\n\n".join(f"MILLBROOK, England \u2014 {p}" for p in PARAS),
    # a developing story: DESIGN's near-duplicate stories are one story, so an update of its figures joins
    "figures_updated": "UPDATED with latest figures\n\n" + STORY.replace("40", "60").replace("nine", "ten"),
}


@pytest.mark.parametrize("kind", sorted(COPIES))
def test_a_copy_of_a_kind_the_dev_set_never_shows_joins_its_story(kind: str) -> None:
    assert _joined(COPIES[kind]), kind


def _no_space_copies(text: str) -> dict[str, str]:
    paras = text.split("\n\n")
    return {
        "reordered": "\n\n".join([paras[2], paras[0], paras[4], paras[1], paras[3]]),
        "first_half": "\n\n".join(paras[:2]) + "\n\n" + paras[2][: len(paras[2]) // 2],
        "half_width_punctuation": text.replace("，", ",").replace("。", ". ").replace("：", ": ").replace("、", ","),
        "a_space_between_characters": "\n\n".join(" ".join(p) for p in paras),
        "line_breaks_inside_sentences": "\n\n".join("\n".join(p[i : i + 17] for i in range(0, len(p), 17))
                                                    for p in paras),
        "zero_width_between_characters": "\u200b".join(text),
        "wrapped_paragraphs": "\n\n".join(f"【本台讯】{p}（完）" for p in paras),
    }


@pytest.mark.parametrize("lang", ["zh", "ja", "th"])
def test_copies_of_a_story_written_without_word_spaces_join_it(lang: str) -> None:
    text = {"zh": ZH, "ja": JA, "th": TH}[lang]
    missed = [k for k, c in _no_space_copies(text).items() if not _joined(c, text)]
    assert missed == []


def test_a_thai_copy_with_its_phrase_spaces_dropped_or_added_joins_it() -> None:
    assert _joined(TH.replace(" ", ""), TH)
    assert _joined(TH.replace("นักดับเพลิง", "นัก ดับ เพลิง").replace("โกดัง", "โก ดัง "), TH)


def _quake(r: random.Random, place: str) -> str:
    return (f"A magnitude {r.uniform(3.0, 4.9):.1f} earthquake was reported at {r.randint(1, 11)}:{r.randint(10, 59)} "
            f"a.m. Tuesday {r.randint(2, 25)} miles from {place}, California, according to the U.S. Geological "
            "Survey.\n\n"
            f"The temblor occurred at a depth of {r.randint(2, 12)} miles. There were no immediate reports of damage "
            "or injuries.\n\n"
            f"In the past 10 days, there have been {r.randint(1, 9)} earthquakes of magnitude 3.0 and greater centered "
            "nearby. An average of 234 earthquakes with magnitudes between 3.0 and 4.0 occur per year in California "
            "and Nevada, according to a recent three-year data sample.\n\n"
            "This story was automatically generated by a computer program that reads data from the U.S. Geological "
            "Survey, and it was reviewed by an editor before publication.")


def _earnings(r: random.Random, name: str) -> str:
    e = r.uniform(0.2, 3)
    return (f"{name} reported third-quarter earnings of ${e:.2f} per share on Tuesday, against the consensus "
            f"estimate of ${e * r.uniform(0.8, 1.2):.2f} per share, according to analysts surveyed by a market data "
            f"firm.\n\nRevenue for the quarter came in at ${r.uniform(1, 9):.1f} billion, compared with "
            f"${r.uniform(1, 9):.1f} billion a year earlier. Shares of {name} have moved about {r.randint(2, 30)}% "
            "since the beginning of the year.\n\n"
            "Investors will be watching management's commentary on the earnings call for guidance on the coming "
            "quarters and the rest of the fiscal year.\n\n"
            "This story was generated automatically using data from a market data firm.")


PLACES = ["Ridgecrest", "Pahrump", "Anza", "Big Pine", "Coalinga", "Parkfield"]
FIRMS = ["Alder Systems", "Brightwater Foods", "Corvane Labs", "Dunmore Freight", "Elmstead Bank", "Fenwick Mining"]


def _feed(template: str) -> list[str]:
    r = random.Random(43)
    return [_quake(r, p) for p in PLACES] if template == "quake" else [_earnings(r, f) for f in FIRMS]


def _lone_copy(item: str) -> str:
    return "LOS ANGELES (AP) - " + item + "\n\nReporting by the Wire newsroom."


@pytest.mark.parametrize("template", ["quake", "earnings"])
def test_items_of_one_outlets_automated_feed_stay_apart_in_one_batch(template: str) -> None:
    # guard: one bot's items share 70-85 % of their words; read in one batch, the template's sentences are
    # the outlet's boilerplate and each item is its slots.
    items = _feed(template)
    res = Deduplicator().add([doc(f"i{k}", t, "bot.example", 360 * k) for k, t in enumerate(items)])
    assert [r.cluster_id for r in res] == [f"i{k}" for k in range(len(items))]


@pytest.mark.parametrize("template", ["quake", "earnings"])
def test_a_lone_outlets_copy_of_one_item_of_an_automated_feed_joins_that_item(template: str) -> None:
    # A local site runs one item of another outlet's automated feed (a dateline, an agency line). In the copy
    # the template's sentences are carried by the feed's other items, so they were counted in the copy's size
    # as text of other stories, and quoted from them, because the item has them only as its source's
    # boilerplate: the copy (Jaccard 1.0 on its story text) joined nothing. The item has them: no evidence,
    # in neither size.
    items = _feed(template)
    docs = [doc(f"i{k}", t, "bot.example", 360 * k) for k, t in enumerate(items)]
    docs.append(doc("copy", _lone_copy(items[2]), "copier.example", 360 * 2 + 30))
    res = {x.id: x.cluster_id for x in Deduplicator().add(docs)}
    assert [res[f"i{k}"] for k in range(len(items))] == [f"i{k}" for k in range(len(items))]
    assert res["copy"] == "i2"


def test_a_lone_copy_of_a_stored_feed_item_joins_it_through_the_warehouse(tmp_path: Path) -> None:
    # The same decided over two pipeline runs (the feed stored by the first, the copy in the second): the
    # stored items are seeded with their shingles and the bot's boilerplate comes from the warehouse.
    items = _feed("quake")
    docs = [{"id": f"i{k}", "source": "bot", "minutes": 360 * k, "text": t} for k, t in enumerate(items)]
    docs.append({"id": "copy", "source": "copier", "minutes": 360 * 2 + 30, "text": _lone_copy(items[2])})
    offline = {x["id"]: x["cluster_id"] for x in _offline(tmp_path, docs)}
    assert offline["copy"] == "i2"
    warehouse = tmp_path / "w.duckdb"
    _pipeline_run(tmp_path, warehouse, "run1", docs[:-1])
    _pipeline_run(tmp_path, warehouse, "run2", docs[-1:])
    _, rows = wh.query_rows(warehouse, "SELECT article_id, cluster_id FROM article_clusters")
    assert _partition(rows) == _partition(list(offline.items()))


CORRECTION = ("Correction: A story published on Monday about a fire at a furniture warehouse in Millbrook misstated "
              "the year the owner's firm began trading. It was 1926, not 1962. The fire service also said the alarm "
              "was raised at ten, not nine, in the evening.")
RETRACTION = ("Editor's note: Millbrook Today has removed a story published on Monday about a fire at a furniture "
              "warehouse on the eastern edge of Millbrook, because it wrongly named the owner of the warehouse. We "
              "apologise for the error.")
GERMAN = """Feuerwehrleute kämpften fast die ganze Sonntagnacht gegen einen Brand in einem Möbellager am östlichen Rand von Millbrook, und die Feuerwehr erklärte am Montagmorgen, dass das Gebäude nicht mehr zu retten war.

Der Alarm wurde kurz nach neun Uhr abends von einem Lkw-Fahrer ausgelöst, der Rauch aus dem Dach der Halle aufsteigen sah, in der Sofas, Matratzen und Schränke für drei örtliche Geschäfte lagern."""


def test_a_correction_notice_a_retraction_and_a_translation_are_not_the_story() -> None:
    assert _apart((STORY, "a.example"), (CORRECTION, "a.example"), (RETRACTION, "a.example"),
                  (GERMAN, "b.example")) == ["d0", "d1", "d2", "d3"]


def test_a_live_blogs_successive_days_stay_apart() -> None:
    head = ("Live: Millbrook warehouse fire latest. Key events and updates from our reporters on the ground, "
            "refreshed throughout the day. Follow our live coverage below.")
    day1 = "\n\n".join([head, "21:10 Smoke is rising from a furniture warehouse on the eastern edge of town, a lorry driver tells us.",
                        "21:40 Four fire engines are at the scene and Cotton Lane has been closed to traffic.",
                        "22:30 Residents of about forty homes have been told to keep windows shut because of the smoke."])
    day2 = "\n\n".join([head, "07:15 The fire service says the warehouse could not be saved and crews will stay all day to damp down.",
                        "09:00 The owner, a family firm trading since 1962, says it will reopen its high street showroom this month.",
                        "11:20 Police say nothing suggests the fire was started deliberately, but the investigation is only beginning."])
    assert _apart((day1, "a.example"), (day2, "a.example")) == ["d0", "d1"]


def test_a_quote_repeated_with_other_punctuation_is_counted_within() -> None:
    text = STORY + "\n\n\u201cNobody was hurt \u2014 and that is what matters most tonight!\u201d Marsh said again."
    rep = Deduplicator().add([doc("x", text)])[0].repeated_sentences()
    assert [(x["scope"], x["count"]) for x in rep] == [("within", 2)]
    assert "Nobody was hurt" in rep[0]["text"]


def test_a_copyright_line_that_changes_its_year_is_boilerplate_under_each_year() -> None:
    # "(c) 2025 Example Media" on one outlet's stories of last year and "(c) 2026" on this year's: each year's
    # line is the outlet's boilerplate once it is on three docs, and no story joins another through it.
    from .textgen import story

    docs = [doc(f"y{i}", story(100 + i, 4) + f"\n\n\u00a9 {2025 if i < 3 else 2026} Example Media Group. All rights "
                "reserved. Reproduction without written permission is prohibited.", "em.example", 60 * i)
            for i in range(6)]
    res = Deduplicator().add(docs)
    assert [r.cluster_id for r in res] == [f"y{i}" for i in range(6)]
    for r in res:
        assert all(s.boilerplate for s in r.sentences if "Example Media" in s.text or "Reproduction" in s.text)
