"""Copy kinds the dev set never shows (benchmarks/copy_kinds.py measures them on real texts).

Each test fails on the code before its fix, except the ones named as guards (what a fix must keep).
Texts are built here (tests do not read ../shared).
"""

from __future__ import annotations

import textwrap

from newsdedup.dedup import DedupDoc, Deduplicator

from .textgen import doc, story

HEADLINES = [
    "Storm closes coastal road as crews clear fallen trees near the harbour",
    "Council approves new budget after a long night of debate over school funding",
    "Hospital opens a second emergency ward to cope with the winter rise in patients",
]


def _clusters(docs: list[DedupDoc]) -> dict[str, str]:
    return {r.id: r.cluster_id for r in Deduplicator().add(docs)}


def _paras(text: str) -> list[str]:
    return text.split("\n\n")


def test_a_roundup_quoting_three_ledes_merges_with_none_of_the_stories() -> None:
    # A morning roundup: a line, then each story's first paragraphs. When it was checked
    # against story A, the ledes of B and C (sentences "of other stories") were dropped from the roundup
    # before measuring, so what was left (A's lede) was contained in A: the roundup joined A's cluster.
    stories = {name: story(seed, 6) for name, seed in (("a", 11), ("b", 12), ("c", 13))}
    docs = [doc(name, text, f"outlet-{name}", i * 30) for i, (name, text) in enumerate(stories.items())]
    roundup = ["Here is what you need to know this morning."]
    for text in stories.values():
        roundup += _paras(text)[:2]
    docs.append(doc("roundup", "\n\n".join(roundup), "outlet-roundup", 240))
    clusters = _clusters(docs)
    assert len(set(clusters.values())) == 4, clusters


def test_a_wrapped_copy_of_a_story_a_roundup_quoted_still_joins_it() -> None:
    # Once a roundup quoted a story's first paragraphs, those sentences are "of another story" for the
    # story too. A copy of it hard-wrapped at 66 columns (a plain-text feed) keeps its own lines of that
    # text, and the copy's editor's note is on other stories' copies: counted as the copy's own unshared
    # text, the two left it at containment 0.62 and it was missed (and the roundup joined a story).
    # Shared text one side drops as another story's is now in neither size: 0.73.
    note = "Editor's note: This story was updated with comment from officials and the latest figures from the agency."
    o, b, c = (_paras(story(seed, 6)) for seed in (61, 62, 63))
    docs = [doc("o", "\n\n".join(o), "outlet-o", 0), doc("b", "\n\n".join(b), "outlet-b", 5),
            doc("c", "\n\n".join(c), "outlet-c", 10),
            doc("roundup", "\n\n".join(["Here is what you need to know this morning.", *o[:2], *b[:2], *c[:2]]),
                "outlet-r", 60),
            doc("b-copy", "\n\n".join([note, *b]), "outlet-x", 70), doc("c-copy", "\n\n".join([note, *c]), "outlet-y", 80),
            doc("o-copy", "\n\n".join([note] + ["\n".join(textwrap.wrap(p, 66)) for p in o]), "outlet-z", 90)]
    clusters = _clusters(docs)
    assert clusters["roundup"] == "roundup"
    assert clusters["o-copy"] == clusters["o"] == "o"
    assert clusters["b-copy"] == "b" and clusters["c-copy"] == "c"


AD_LINES = ["Advertisement", "Read more: " + HEADLINES[0], "Story continues below advertisement",
            "Read more: " + HEADLINES[1], "Read more: " + HEADLINES[2], "Sign up for our morning briefing newsletter"]


def _with_ad_lines(text: str) -> str:
    out: list[str] = []
    for p, ad in zip(_paras(text), AD_LINES, strict=False):
        out += [p, ad]
    return "\n\n".join(out)


def test_a_copy_with_ad_lines_joins_its_own_story_not_another_copy_with_the_same_ad_lines() -> None:
    # Two stories, each copied by a site that puts an ad or a "Read more" line after every paragraph
    # (the same lines on both copies, two outlets, so not yet any source's boilerplate). Checked against
    # the other story's copy, a copy's own story (carried by its original, "another story") was dropped,
    # leaving its ad lines, all found in the other copy: containment 1.0 beat its own original's 0.95,
    # and the copy joined the wrong story.
    x, a = story(21, 6), story(22, 6)
    docs = [doc("x", x, "outlet-x", 0), doc("a", a, "outlet-a", 10),
            doc("a-copy", _with_ad_lines(a), "aggregator-1", 60), doc("x-copy", _with_ad_lines(x), "aggregator-2", 90)]
    clusters = _clusters(docs)
    assert clusters["x-copy"] == clusters["x"]
    assert clusters["a-copy"] == clusters["a"]
    assert clusters["x"] != clusters["a"]


def test_guard_a_copy_still_joins_its_story_when_it_quotes_a_line_another_story_carries() -> None:
    # The rule the fix keeps: a sentence both docs carry that other stories carry too (a syndicated
    # quote, a stock line) is still no evidence, and a truncated copy that adds such a line still joins.
    quote = '"We will rebuild every home that was lost, and we will do it this year," the minister said.'
    base = _paras(story(31, 6))
    other = _paras(story(32, 6))
    docs = [doc("orig", "\n\n".join(base[:2] + [quote] + base[2:]), "outlet-a", 0),
            doc("other", "\n\n".join(other[:1] + [quote] + other[1:]), "outlet-b", 10),
            doc("copy", "\n\n".join(base[:3] + [quote, "The ministry did not immediately respond to a request for comment."]),
                "outlet-c", 60)]
    clusters = _clusters(docs)
    assert clusters["copy"] == clusters["orig"] != clusters["other"]


FOOTER = ("The Harbour Gazette is published by Harbour Media. Letters to the editor may be edited for length and "
          "clarity. Advertising enquiries are answered by our sales team on weekdays between nine and five. Subscribe "
          "to our weekly newsletter for the best of local news every Friday morning.")


def test_an_outlet_that_publishes_one_story_three_times_has_it_clustered() -> None:
    # The same text three times from one outlet (an update under a new URL, a section page's copy):
    # each sentence was on three docs of the outlet, so all of them were the outlet's boilerplate, every
    # copy was skipped as boilerplate only, and none was clustered, not even another outlet's exact copy.
    text = story(41, 6)
    docs = [doc(f"v{i}", text, "outlet-a", i * 60) for i in range(3)] + [doc("wire", text, "outlet-b", 300)]
    results = {r.id: r for r in Deduplicator().add(docs)}
    assert {r.cluster_id for r in results.values()} == {"v0"}
    assert [results[i].kind for i in ("v1", "v2", "wire")] == ["exact", "exact", "exact"]
    # decided over two runs, the second seeded with what the first stored, the same way
    first = Deduplicator().add(docs[:3])
    second = Deduplicator()
    second.seed([r.to_seed(d.source, d.published) for d, r in zip(docs[:3], first, strict=True)])
    assert [r.cluster_id for r in first + second.add(docs[3:])] == ["v0"] * 4


def test_guard_items_of_one_outlet_sharing_its_footer_stay_apart() -> None:
    # What the exact-twin rule must keep: short distinct items followed by the outlet's footer (the dev
    # set's boilerplate trap) are not clustered, and each is still compared (not skipped).
    docs = [doc(f"item{i}", " ".join(_paras(story(50 + i, 2))) + "\n\n" + FOOTER, "outlet-c", i * 30) for i in range(4)]
    results = Deduplicator().add(docs)
    assert len({r.cluster_id for r in results}) == 4
    assert all(r.skipped is None for r in results)
