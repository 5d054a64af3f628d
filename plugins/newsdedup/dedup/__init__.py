"""Dedup step: exact copies, near-duplicate stories (MinHash-LSH, verified) and repeated sentences."""

from newsdedup.dedup.config import DedupConfig
from newsdedup.dedup.core import (
    DedupDoc,
    Deduplicator,
    DocResult,
    SeedCluster,
    SeedDoc,
    SeedStore,
    SentenceResult,
    SentenceStats,
)
from newsdedup.dedup.corpus import dedup_corpus
from newsdedup.dedup.index import DatasketchIndex, LSHIndex, MemoryIndex
from newsdedup.dedup.minhash import make_lsh

__all__ = [
    "DatasketchIndex", "DedupConfig", "DedupDoc", "Deduplicator", "DocResult", "LSHIndex", "MemoryIndex", "SeedCluster",
    "SeedDoc", "SeedStore", "SentenceResult", "SentenceStats", "dedup_corpus", "make_lsh",
]
