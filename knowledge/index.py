"""The persistent hybrid index: BM25 (Dutch stemming) + dense vectors in faiss.

Layout under ``<data_dir>/index``::

    CURRENT             name of the live generation directory (replaced atomically)
    gen-<stamp>/        meta.json, chunks.jsonl, dense.faiss, bm25/ (bm25s files)
    vectors-<model>.npz vector cache keyed by the hash of each chunk's embedding text

A new generation is written completely and only then made current, so a crash while
indexing never leaves a half-written index behind. Chunks are kept sorted by gemeente
so that a gemeente is one contiguous id range, which scopes both retrievers cheaply
(an ``IDSelectorRange`` in faiss, a weight mask in bm25s).
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import bm25s
import faiss
import numpy as np
import Stemmer

from knowledge.embedders import Embedder, text_hash
from knowledge.model import Chunk, DocumentInfo

log = logging.getLogger(__name__)
# bm25s sets its own logger to DEBUG, so "Building index from tokens" reached the user's
# terminal through the root handler; its messages are progress chatter, not warnings.
logging.getLogger("bm25s").setLevel(logging.WARNING)

# Bump when parsing/chunking changes in a way that moves line spans: forces a re-chunk.
CHUNKER_VERSION = "1"

_STEMMER = Stemmer.Stemmer("dutch")
_TOKEN_PATTERN = r"(?u)\b\w+\b"


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-case, drop Dutch stopwords, stem: the same for passages and queries."""
    return bm25s.tokenize(
        list(texts),
        lower=True,
        token_pattern=_TOKEN_PATTERN,
        stopwords="nl",
        stemmer=_STEMMER.stemWords,
        return_ids=False,
        show_progress=False,
    )


@dataclass
class SourceDoc:
    """A document the index is built from, with where its text lives."""

    info: DocumentInfo
    path: Path
    content_hash: str


@dataclass
class BuildStats:
    """What ``regelwijs index`` reports."""

    documents: int = 0
    documents_reparsed: int = 0
    chunks: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    reused: bool = False
    per_gemeente: dict[str, int] = field(default_factory=dict)


class VectorCache:
    """Vectors by chunk-text hash, per embedder, so an edit re-embeds only what changed."""

    def __init__(self, path: Path, seed: Path | None = None) -> None:
        """``seed``: a read-only cache shipped with the package (vectors of the bundled
        corpus), so a fresh install does not spend minutes embedding texts whose vectors
        are already known; keys include the embedder name, so another model ignores it."""
        self.path = path
        self._vecs: dict[str, np.ndarray] = {}
        for p in (seed, path):
            if p is None or not p.exists():
                continue
            try:
                with np.load(p) as data:
                    for key, vec in zip(data["keys"], data["vectors"]):
                        self._vecs[str(key)] = vec
            except Exception as exc:  # a corrupt cache is only a performance loss
                log.warning("vector cache %s unreadable (%s); ignoring it", p, exc)

    def get(self, key: str) -> np.ndarray | None:
        return self._vecs.get(key)

    def put(self, key: str, vec: np.ndarray) -> None:
        self._vecs[key] = vec

    def save(self, keep: Iterable[str]) -> None:
        keep = [k for k in dict.fromkeys(keep) if k in self._vecs]
        if not keep:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz.tmp")
        os.close(fd)
        with open(tmp, "wb") as fh:
            np.savez(fh, keys=np.array(keep), vectors=np.stack([self._vecs[k] for k in keep]))
        os.replace(tmp, self.path)


def _chunk_to_json(c: Chunk) -> dict:
    d = asdict(c)
    d["section_path"] = list(c.section_path)
    return d


def _chunk_from_json(d: dict) -> Chunk:
    d = dict(d)
    d["section_path"] = tuple(d["section_path"])
    return Chunk(**d)


def _info_to_json(info: DocumentInfo) -> dict:
    d = asdict(info)
    for k in ("valid_from", "valid_to"):
        d[k] = d[k].isoformat() if d[k] else None
    return d


def _info_from_json(d: dict) -> DocumentInfo:
    import datetime as dt

    d = dict(d)
    for k in ("valid_from", "valid_to"):
        d[k] = dt.date.fromisoformat(d[k]) if d.get(k) else None
    return DocumentInfo(**d)


class Index:
    """A loaded index generation: chunks, BM25, faiss, and the documents behind them."""

    def __init__(self, chunks: list[Chunk], docs: dict[str, DocumentInfo], doc_hashes: dict[str, str],
                 bm25: bm25s.BM25, dense: faiss.Index, embedder_name: str) -> None:
        self.chunks = chunks
        self.docs = docs
        self.doc_hashes = doc_hashes
        self.bm25 = bm25
        self.dense = dense
        self.embedder_name = embedder_name
        self._vectors: np.ndarray | None = None  # see :attr:`vectors`
        self.ranges: dict[str, tuple[int, int]] = {}
        for i, c in enumerate(chunks):
            lo, hi = self.ranges.get(c.gemeente, (i, i))
            self.ranges[c.gemeente] = (min(lo, i), max(hi, i + 1))

    @property
    def gemeenten(self) -> list[str]:
        return sorted(self.ranges)

    @property
    def vectors(self) -> np.ndarray:
        """The stored passage vectors as a read-only (n, dim) array.

        A zero-copy view of the flat index's storage: reading the vectors of the chunks
        only BM25 found is then one fancy index instead of one faiss call per chunk.
        """
        cached = self._vectors
        if cached is None or len(cached) != self.dense.ntotal:
            n, d = self.dense.ntotal, self.dense.d
            if hasattr(self.dense, "get_xb") and n:
                cached = faiss.rev_swig_ptr(self.dense.get_xb(), n * d).reshape(n, d)
            else:
                cached = self.dense.reconstruct_n(0, n) if n else np.zeros((0, d), dtype=np.float32)
            cached.flags.writeable = False
            self._vectors = cached
        return cached

    # -- building -------------------------------------------------------------------
    @classmethod
    def build(cls, chunks: list[Chunk], docs: dict[str, DocumentInfo], doc_hashes: dict[str, str],
              embedder: Embedder, cache: VectorCache, progress: Callable[[int], None] | None = None,
              stats: BuildStats | None = None, batch: int = 16) -> "Index":
        chunks = sorted(chunks, key=lambda c: (c.gemeente, c.doc_id, c.line_start))
        texts = [c.embedding_text() for c in chunks]
        keys = [text_hash(embedder.name + "\x00" + t) for t in texts]
        missing = [i for i, k in enumerate(keys) if cache.get(k) is None]
        t0 = time.perf_counter()
        for start in range(0, len(missing), batch):
            idx = missing[start : start + batch]
            vecs = embedder.embed_passages([texts[i] for i in idx])
            for i, v in zip(idx, vecs):
                cache.put(keys[i], v)
            if progress:
                progress(len(idx))
        if stats is not None:
            stats.embed_seconds += time.perf_counter() - t0
            stats.chunks_embedded += len(missing)
        cache.save(keys)
        dim = embedder.dim
        matrix = np.stack([cache.get(k) for k in keys]).astype(np.float32) if keys else np.zeros((0, dim), np.float32)
        dense = faiss.IndexFlatIP(dim)
        if len(matrix):
            dense.add(matrix)
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        bm25.index(tokenize(texts) if texts else [[]], show_progress=False)
        return cls(chunks, docs, doc_hashes, bm25, dense, embedder.name)

    # -- persistence ----------------------------------------------------------------
    def save(self, root: Path) -> Path:
        """Write a complete new generation, then switch ``CURRENT`` to it atomically."""
        root.mkdir(parents=True, exist_ok=True)
        gen = Path(tempfile.mkdtemp(prefix="gen-", dir=root))
        try:
            self._write_generation(gen)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)  # the live generation stays as it was
            raise
        fd, tmp = tempfile.mkstemp(dir=root, prefix="CURRENT.")
        with os.fdopen(fd, "w") as fh:
            fh.write(gen.name)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, root / "CURRENT")
        for old in root.glob("gen-*"):
            if old.name != gen.name:
                shutil.rmtree(old, ignore_errors=True)
        return gen

    def _write_generation(self, gen: Path) -> None:
        meta = {
            "chunker_version": CHUNKER_VERSION,
            "embedder": self.embedder_name,
            "docs": {k: _info_to_json(v) for k, v in self.docs.items()},
            "doc_hashes": self.doc_hashes,
            "created": time.time(),
        }
        with open(gen / "chunks.jsonl", "w", encoding="utf-8") as fh:
            for c in self.chunks:
                fh.write(json.dumps(_chunk_to_json(c), ensure_ascii=False) + "\n")
        faiss.write_index(self.dense, str(gen / "dense.faiss"))
        self.bm25.save(str(gen / "bm25"), show_progress=False)
        (gen / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")

    @staticmethod
    def read_meta(root: Path) -> tuple[Path, dict] | None:
        try:
            gen = root / (root / "CURRENT").read_text().strip()
            return gen, json.loads((gen / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    @classmethod
    def load(cls, root: Path) -> "Index":
        found = cls.read_meta(root)
        if found is None:
            raise FileNotFoundError(f"geen index in {root}")
        gen, meta = found
        with open(gen / "chunks.jsonl", encoding="utf-8") as fh:
            chunks = [_chunk_from_json(json.loads(line)) for line in fh]
        dense = faiss.read_index(str(gen / "dense.faiss"))
        bm25 = bm25s.BM25.load(str(gen / "bm25"), show_progress=False, verbosity=0)
        docs = {k: _info_from_json(v) for k, v in meta["docs"].items()}
        return cls(chunks, docs, meta["doc_hashes"], bm25, dense, meta["embedder"])

    def chunks_of(self, gemeente: str | None) -> tuple[int, int]:
        if gemeente is None:
            return 0, len(self.chunks)
        return self.ranges.get(gemeente, (0, 0))


def slugify(text: str) -> str:
    text = text.lower().replace("&", "en")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"
