"""Deterministic synthetic news texts for dedup tests (no network, no /work/shared)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from newsdedup.dedup import DedupDoc

WORDS = ["government", "minister", "said", "police", "city", "council", "report", "market", "shares", "company", "workers", "union", "strike", "election", "vote", "court", "judge", "ruling", "fire", "crews", "weather", "storm", "flood", "rescue", "hospital", "patients", "doctors", "school", "students", "teachers", "budget", "tax", "plan", "bank", "rates", "inflation", "prices", "oil", "energy", "power", "plant", "river", "bridge", "road", "traffic", "train", "airport", "flight", "border", "talks", "leaders", "summit", "treaty", "army", "troops", "attack", "village", "residents", "families", "children", "homes", "water", "food", "aid", "agency", "official", "spokesman", "statement", "yesterday", "today", "week", "month", "year", "morning", "night", "early", "late", "north", "south", "east", "west", "coast", "island"]

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def sentence(rng: random.Random, n: int | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(9, 18))]
    return " ".join(words).capitalize() + "."


def story(seed: int, paragraphs: int = 6) -> str:
    rng = random.Random(seed)
    return "\n\n".join(" ".join(sentence(rng) for _ in range(rng.randint(2, 3))) for _ in range(paragraphs))


def light_edit(text: str, rate: float, seed: int) -> str:
    """Substitute a share `rate` of the words (words from the same text)."""
    rng = random.Random(seed)
    paras = [p.split(" ") for p in text.split("\n\n")]
    pool = [w for p in paras for w in p]
    for p in paras:
        for i in range(len(p)):
            if rng.random() < rate:
                p[i] = rng.choice(pool)
    return "\n\n".join(" ".join(p) for p in paras)


def truncate(text: str, share: float) -> str:
    paras = text.split("\n\n")
    return "\n\n".join(paras[: max(1, int(len(paras) * share))])


def doc(doc_id: str, text: str, source: str = "outlet-a", minutes: int = 0, title: str = "") -> DedupDoc:
    return DedupDoc(id=doc_id, source=source, published=T0 + timedelta(minutes=minutes), title=title, text=text)
