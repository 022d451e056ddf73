"""Hybrid retrieval: BM25 and dense search, each scoped to one gemeente, fused by RRF.

Reciprocal rank fusion is used rather than a weighted sum of scores because BM25 and
cosine scores live on unrelated scales that shift with every query; ranks do not.
The raw scores are kept on each hit: the answer layer needs them to decide whether
anything answers the question at all.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import faiss
import numpy as np

from knowledge.embedders import Embedder
from knowledge.index import Index, tokenize
from knowledge.model import Chunk
from knowledge.query_expansion import expand_query

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "bm25", "dense"]
MAX_QUERY_CHARS = 2000  # e5 reads 512 tokens at most; longer input only costs time


@dataclass
class Hit:
    chunk: Chunk
    score: float
    bm25: float = 0.0
    dense: float = 0.0
    bm25_rank: int | None = None
    dense_rank: int | None = None


class Searcher:
    """Search one :class:`Index` with one embedder (the one the index was built with)."""

    def __init__(self, index: Index, embedder: Embedder, candidates: int = 40, rrf_k: int = 60,
                 bm25_weight: float = 1.0) -> None:
        self.index = index
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.bm25_weight = bm25_weight  # RRF weight of the BM25 ranking relative to the dense one

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.embed_queries([expand_query(query).dense_query[:MAX_QUERY_CHARS]])[0]

    def bm25_search(self, query: str, gemeente: str | None, k: int) -> list[tuple[int, float]]:
        lo, hi = self.index.chunks_of(gemeente)
        if hi <= lo:
            return []
        tokens = tokenize([query[:MAX_QUERY_CHARS]])
        if not tokens or not tokens[0]:
            return []
        vocab = self.index.bm25.vocab_dict
        known = [t for t in tokens[0] if t in vocab]
        if not known:
            return []
        scores = self.index.bm25.get_scores(known)
        scoped = scores[lo:hi]
        k = min(k, hi - lo)
        top = np.argpartition(-scoped, k - 1)[:k]
        top = top[np.argsort(-scoped[top])]
        return [(int(lo + i), float(scoped[i])) for i in top if scoped[i] > 0]

    def dense_search(self, qvec: np.ndarray, gemeente: str | None, k: int) -> list[tuple[int, float]]:
        lo, hi = self.index.chunks_of(gemeente)
        if hi <= lo:
            return []
        params = faiss.SearchParameters(sel=faiss.IDSelectorRange(lo, hi))
        k = min(k, hi - lo)
        scores, ids = self.index.dense.search(qvec.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def search(self, query: str, gemeente: str | None = None, k: int = 5, mode: Mode = "hybrid",
               qvec: np.ndarray | None = None) -> list[Hit]:
        """Best ``k`` chunks for ``query`` within ``gemeente`` (all gemeenten when None)."""
        query = (query or "").strip()
        if not query:
            return []
        # English questions get the Dutch words of knowledge/glossary_en_nl.yml added for BM25.
        bm = self.bm25_search(expand_query(query).bm25_query, gemeente, self.candidates) \
            if mode in ("hybrid", "bm25") else []
        dn: list[tuple[int, float]] = []
        if mode in ("hybrid", "dense"):
            qvec = self.embed_query(query) if qvec is None else qvec
            dn = self.dense_search(qvec, gemeente, self.candidates)
        hits: dict[int, Hit] = {}
        for rank, (i, s) in enumerate(bm):
            h = hits.setdefault(i, Hit(self.index.chunks[i], 0.0))
            h.bm25, h.bm25_rank = s, rank
            h.score += self.bm25_weight / (self.rrf_k + rank + 1)
        for rank, (i, s) in enumerate(dn):
            h = hits.setdefault(i, Hit(self.index.chunks[i], 0.0))
            h.dense, h.dense_rank = s, rank
            h.score += 1.0 / (self.rrf_k + rank + 1)
        if mode == "hybrid" and dn:
            # Chunks only BM25 found still need a dense score for the answerability check.
            missing = [i for i, h in hits.items() if h.dense_rank is None]
            if missing:
                for i, s in zip(missing, self.index.vectors[missing] @ qvec):
                    hits[i].dense = float(s)
        ranked = sorted(hits.values(), key=lambda h: -h.score)
        return ranked[:k]
