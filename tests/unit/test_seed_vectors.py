"""The shipped seed vectors cover the bundled corpus exactly (else regenerate them)."""
from __future__ import annotations

from knowledge.library import Library


def test_fresh_index_needs_no_embedding(tmp_path, embedder):
    lib = Library(tmp_path, lambda: embedder)
    from knowledge.index import BuildStats

    stats = BuildStats()
    index = lib.open_index(stats=stats)
    assert stats.chunks == len(index.chunks) > 1000
    assert stats.chunks_embedded == 0, (
        "knowledge/seed_vectors is stale: run `regelwijs index --rebuild` and copy the vectors file there")
