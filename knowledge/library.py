"""The set of regelingen Regelwijs knows, and keeping the index in step with them.

Sources are the bundled corpus (``knowledge/corpus/manifest.yml``) plus regelingen
added with ``regelwijs ingest`` (stored as text under ``<data_dir>/ingested`` so that
their citations refer to a file that exists). On start the content hash of every
source is compared with the live index: unchanged documents keep their chunks and
vectors, changed or new ones are parsed and embedded, and the rest is not touched.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Callable

import yaml

from knowledge import yaml_io
from knowledge.chunks import chunk_document
from knowledge.corpus_loader import load_manifest, read_lines
from knowledge.embedders import Embedder
from knowledge.index import CHUNKER_VERSION, BuildStats, Index, SourceDoc, VectorCache, _chunk_from_json, slugify
from knowledge.model import Chunk, Document, DocumentInfo
from knowledge.parsing import parse

log = logging.getLogger(__name__)

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
SEED_DIR = Path(__file__).resolve().parent / "seed_vectors"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Library:
    """Sources + index for one data directory."""

    def __init__(self, data_dir: Path, embedder_factory: Callable[[], Embedder],
                 corpus_dir: Path = CORPUS_DIR, use_seed_vectors: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.corpus_dir = Path(corpus_dir)
        self.index_dir = self.data_dir / "index"
        self.ingested_dir = self.data_dir / "ingested"
        self._embedder_factory = embedder_factory
        self._embedder: Embedder | None = None
        self.use_seed_vectors = use_seed_vectors

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._embedder_factory()
        return self._embedder

    # -- sources ------------------------------------------------------------------
    def _ingested_manifest(self) -> list[DocumentInfo]:
        path = self.ingested_dir / "manifest.yml"
        if not path.exists():
            return []
        data = yaml_io.safe_load(path.read_text(encoding="utf-8")) or {}
        return [DocumentInfo(**{k: v for k, v in d.items() if k in DocumentInfo.__dataclass_fields__})
                for d in data.get("documents", [])]

    def sources(self) -> list[SourceDoc]:
        out = [SourceDoc(info, self.corpus_dir / info.file, file_hash(self.corpus_dir / info.file))
               for info in load_manifest(self.corpus_dir)]
        for info in self._ingested_manifest():
            path = self.ingested_dir / info.file
            if path.exists():
                out.append(SourceDoc(info, path, file_hash(path)))
        return out

    def document(self, doc_id: str) -> Document:
        """Parse one source (for tests, answers that need full text, and debugging)."""
        for src in self.sources():
            if src.info.doc_id == doc_id:
                return self._parse(src)
        raise KeyError(doc_id)

    @staticmethod
    def _parse(src: SourceDoc) -> Document:
        lines = read_lines(src.path)
        return Document(src.info, lines, parse(src.info, lines), src.content_hash)

    # -- index --------------------------------------------------------------------
    def _embedder_name(self) -> str:
        return self.embedder.name

    def open_index(self, rebuild: bool = False, progress: Callable[[int, int], None] | None = None,
                   stats: BuildStats | None = None) -> Index:
        """Load the live index, updating it first for sources that changed.

        ``progress(done, total)`` is called while chunks are embedded (for a progress bar).
        """
        stats = stats if stats is not None else BuildStats()
        t0 = time.perf_counter()
        sources = self.sources()
        hashes = {s.info.doc_id: s.content_hash for s in sources}
        found = Index.read_meta(self.index_dir)
        if not rebuild and found is not None:
            _, meta = found
            if (meta.get("doc_hashes") == hashes and meta.get("chunker_version") == CHUNKER_VERSION
                    and self._meta_embedder_ok(meta)):
                index = Index.load(self.index_dir)
                stats.reused = True
                self._fill_stats(stats, index, t0)
                return index
        old_chunks: dict[str, list[Chunk]] = {}
        if not rebuild and found is not None and found[1].get("chunker_version") == CHUNKER_VERSION:
            gen, meta = found
            try:
                import json

                with open(gen / "chunks.jsonl", encoding="utf-8") as fh:
                    for line in fh:
                        c = _chunk_from_json(json.loads(line))
                        if meta["doc_hashes"].get(c.doc_id) == hashes.get(c.doc_id):
                            old_chunks.setdefault(c.doc_id, []).append(c)
            except (OSError, ValueError, KeyError):
                old_chunks = {}
        chunks: list[Chunk] = []
        for src in sources:
            if src.info.doc_id in old_chunks:
                chunks.extend(old_chunks[src.info.doc_id])
            else:
                chunks.extend(chunk_document(self._parse(src)))
                stats.documents_reparsed += 1
        embedder = self.embedder
        name = f"vectors-{slugify(embedder.name)}.npz"
        cache = VectorCache(self.index_dir / name, SEED_DIR / name if self.use_seed_vectors else None)
        total = sum(1 for c in chunks if cache.get(_cache_key(embedder, c)) is None)
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], total)

        index = Index.build(chunks, {s.info.doc_id: s.info for s in sources}, hashes, embedder, cache,
                            progress=tick, stats=stats)
        index.save(self.index_dir)
        self._fill_stats(stats, index, t0)
        return index

    def _meta_embedder_ok(self, meta: dict) -> bool:
        # Avoid constructing the embedder just to compare names when the config names it.
        return meta.get("embedder") == self._embedder_name()

    @staticmethod
    def _fill_stats(stats: BuildStats, index: Index, t0: float) -> None:
        stats.documents = len(index.docs)
        stats.chunks = len(index.chunks)
        stats.per_gemeente = {g: hi - lo for g, (lo, hi) in index.ranges.items()}
        stats.seconds = time.perf_counter() - t0

    # -- ingest -------------------------------------------------------------------
    def ingest(self, path: Path, gemeente: str, title: str | None = None) -> DocumentInfo:
        """Add a regeling from .txt/.pdf/.docx/.html; it is stored as text and indexed alone.

        Raises ``knowledge.convert.ConversionError`` for an unreadable file; nothing is
        written in that case.
        """
        from knowledge.convert import to_lines  # pypdf/docx/bs4 are only needed here

        lines = to_lines(Path(path))
        title = (title or Path(path).stem.replace("_", " ").replace("-", " ")).strip()
        doc_id = f"{slugify(gemeente)}_{slugify(title)}"
        self.ingested_dir.mkdir(parents=True, exist_ok=True)
        info = DocumentInfo(doc_id=doc_id, file=f"{doc_id}.txt", gemeente=gemeente, title=title, kind="plain",
                            valid_from=None, valid_to=None)
        _atomic_write(self.ingested_dir / info.file, "\n".join(lines) + "\n")
        entries = [i for i in self._ingested_manifest() if i.doc_id != doc_id] + [info]
        manifest = {"documents": [{**i.__dict__, "valid_from": _iso(i.valid_from), "valid_to": _iso(i.valid_to)}
                                  for i in entries]}
        _atomic_write(self.ingested_dir / "manifest.yml", yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False))
        return info

    def source_path(self, doc_id: str) -> Path | None:
        for src in self.sources():
            if src.info.doc_id == doc_id:
                return src.path
        return None


def _cache_key(embedder: Embedder, chunk: Chunk) -> str:
    from knowledge.embedders import text_hash

    return text_hash(embedder.name + "\x00" + chunk.embedding_text())


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
