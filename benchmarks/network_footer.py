"""Short items of different outlets of one network that share a long footer: docs falsely merged, per fold.

The class the ninth probe left (docs/probes.md, "Ninth probe, dedup"): one-paragraph items from the outlets of one
network, each outlet publishing one item, all ending in the network's long footer. Per-source boilerplate
needs the footer on `boilerplate_min_docs` docs of one source, so here it is evidence of sameness and the
items merge. No rule fixes this yet; this measures it (the session-37 probe: see its report; session 38
measured its prototype against --mirror and refused it: docs/probes.md, "Ninth probe, dedup").

    .venv/bin/python benchmarks/network_footer.py                 # networks of 2, 3 and 10 outlets
    .venv/bin/python benchmarks/network_footer.py --sizes 10 --online

Items: the first paragraph (40-140 words, English) of the copy-kinds base texts (the gold bodies of the
extraction sets, one per distinct story, `copy_kinds.distinct`), grouped by publisher fold (`copy_kinds.
fold_of`); every item is a different story, so every merged doc is a false merge. The footer is invented.
Each network is deduplicated alone with the package's API (`Deduplicator.add`): all its items in one
batch, or with --online one item a batch in publication order (a run per item).

--mirror measures what a network rule must keep, the same shape with the roles swapped: a wire story (another
base text's first paragraph, 40-140 words, with `--mirror paragraph`; its whole text with `--mirror text`)
carried by every outlet of the group, each putting its own paragraph (the items above) before it, and no
original in the corpus. Every doc of a group is the one story: printed is how many docs are apart from
the largest cluster of their group. Short items over a shared block are a network footer or a syndicated
story with each outlet's own intro: one batch without history cannot tell them apart by their shape.

    .venv/bin/python benchmarks/network_footer.py --mirror text
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

import copy_kinds as ck  # noqa: E402

from newsdedup.dedup import DedupDoc, Deduplicator  # noqa: E402

FOOTER = (
    "This story was produced by the Valley Local News Network, a group of community newspapers serving towns "
    "across the region. Our newsrooms share reporting so that readers in every town get the news that matters "
    "to them. To support local journalism, subscribe to your hometown paper or make a gift to the network's "
    "reporting fund today. Have a news tip or a correction? Write to the newsroom of your local edition or call "
    "the tip line at any hour. Follow your local edition on social media for breaking news, weather alerts and "
    "school closings."
)


def networks(bases: list[ck.Base], size: int, limit: int, seed: int = 7, mirror: str = ""
             ) -> list[list[DedupDoc]]:
    items = [b for b in bases if b.lang_en and b.paras and 40 <= len(b.paras[0].split()) <= 140]
    random.Random(seed).shuffle(items)
    step = size + 1 if mirror else size  # with --mirror, each group's last text is the wire story
    groups = [items[i : i + step] for i in range(0, len(items) - step + 1, step)][:limit]
    out = []
    for g, group in enumerate(groups):
        wire = group.pop() if mirror else None
        block = FOOTER if wire is None else wire.paras[0] if mirror == "paragraph" else "\n\n".join(wire.paras)
        out.append([DedupDoc(f"n{g}-{j}", f"edition{j:02d}.network{g}.example", ck.T0 + timedelta(minutes=17 * j),
                             "", b.paras[0] + "\n\n" + block) for j, b in enumerate(group)])
    return out


def cluster_sizes(docs: list[DedupDoc], online: bool) -> list[int]:
    dd = Deduplicator()
    res = [r for d in docs for r in dd.add([d])] if online else dd.add(docs)
    sizes: dict[str, int] = {}
    for r in res:
        sizes[r.cluster_id] = sizes.get(r.cluster_id, 0) + 1
    return list(sizes.values())


def falsely_merged(docs: list[DedupDoc], online: bool) -> int:
    return sum(n for n in cluster_sizes(docs, online) if n > 1)


def apart(docs: list[DedupDoc], online: bool) -> int:
    """Docs of one story outside its largest cluster (--mirror)."""
    return len(docs) - max(cluster_sizes(docs, online))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2,3,10", help="outlets per network, comma-separated")
    ap.add_argument("--networks", type=int, default=8, help="at most this many networks per fold and size")
    ap.add_argument("--online", action="store_true", help="one item a batch, in publication order")
    ap.add_argument("--mirror", choices=["paragraph", "text"], default="",
                    help="a wire story (its first paragraph, or its whole text) under each outlet's own paragraph")
    args = ap.parse_args(argv)
    bases = ck.distinct(ck.load_bases())
    for size in (int(s) for s in args.sizes.split(",") if s):
        for fold in ("A", "B"):
            nets = networks([b for b in bases if ck.fold_of(b.domain) == fold], size, args.networks,
                            mirror=args.mirror)
            docs = sum(len(n) for n in nets)
            how = "online" if args.online else "one batch"
            if args.mirror:
                n_apart = sum(apart(n, args.online) for n in nets)
                print(f"outlets {size:>3}  fold {fold}: {len(nets)} wire stories, {docs} copies, apart {n_apart} ({how})")
            else:
                fm = sum(falsely_merged(n, args.online) for n in nets)
                print(f"outlets {size:>3}  fold {fold}: {len(nets)} networks, {docs} items, falsely merged {fm} ({how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
