"""The NLU facade the dialogue layer calls: text in, Rasa parse dict out.

Why a facade: the bot was designed around Rasa's parse format and its behaviours
(FallbackClassifier's ``nlu_fallback``, ``/intent{"slot": "value"}`` button payloads),
so keeping exactly that contract lets the dialogue code, tests and tools stay Rasa-shaped
while we run our own classifier and entity extractor in-process.

The model is (re)trained on first use when it is missing, was built from other training
data (SHA-256 of the NLU files, stored in the model meta), another scikit-learn, another
embedder or other feature code.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from nlu.entities import EntityExtractor
from nlu.intents import CACHE_FILE, Embedder, EmbeddingCache, IntentClassifier, ModelMismatch
from nlu.training_data import TrainingData, data_hash, load_nlu

log = logging.getLogger(__name__)

__all__ = ["Interpreter", "FALLBACK_INTENT"]

FALLBACK_INTENT = "nlu_fallback"
RANKING_LENGTH = 5
MAX_TEXT = 5000  # longer turns are cut before classification (entities scan less, see entities.MAX_CHARS)

# Rasa's payload syntax: /intent, /intent{"entity": "value"}, optionally /intent@0.7{...}
_PAYLOAD = re.compile(r"^/(?P<intent>[^{@\s/]+)(?:@(?P<conf>[0-9.]+))?(?P<json>\{.*\})?\s*$", re.DOTALL)


class Interpreter:
    """``parse(text)`` -> ``{"text", "intent", "intent_ranking", "entities"}`` (Rasa format)."""

    def __init__(self, model_dir: Path, nlu_paths: Sequence[Path], embedder: Embedder | None = None, threshold: float = 0.45) -> None:
        self.model_dir = Path(model_dir)
        self.nlu_paths = [Path(p) for p in nlu_paths]
        self.embedder = embedder
        self.threshold = float(threshold)
        self._lock = threading.RLock()
        self._classifier: IntentClassifier | None = None
        self._data: TrainingData | None = None
        self._extractor: EntityExtractor | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def training_data(self) -> TrainingData:
        """The parsed NLU files (loaded once)."""
        with self._lock:
            if self._data is None:
                self._data = load_nlu(self.nlu_paths)
                self._extractor = EntityExtractor(self._data.lookups, self._data.synonyms)
            return self._data

    @property
    def extractor(self) -> EntityExtractor:
        """Entity extractor built from the NLU files' lookups and synonyms."""
        self.training_data  # noqa: B018 - loads data and extractor
        assert self._extractor is not None
        return self._extractor

    @property
    def intents(self) -> list[str]:
        """Intents the stored model knows (training on first access if needed)."""
        return list(self._model().labels)

    def train(self) -> IntentClassifier:
        """Train from the NLU files now and store the model in ``model_dir``."""
        with self._lock:
            self._data = None  # re-read the files: they may have changed
            data = self.training_data
            t0 = time.perf_counter()
            cache = EmbeddingCache(self.embedder, self.model_dir / CACHE_FILE)
            clf = IntentClassifier(self.embedder, cache=cache).fit(data.examples)
            clf.save(self.model_dir, data_hash=data_hash(self.nlu_paths), nlu_files=[str(p) for p in self.nlu_paths])
            log.info("trained intent model in %.1f s (%d examples)", time.perf_counter() - t0, len(data.examples))
            self._classifier = clf
            return clf

    def is_stale(self) -> bool:
        """True when no stored model matches the current training files."""
        meta = IntentClassifier.read_meta(self.model_dir)
        return meta is None or meta.get("data_hash") != data_hash(self.nlu_paths)

    def _model(self) -> IntentClassifier:
        with self._lock:
            if self._classifier is not None:
                return self._classifier
            if not self.is_stale():
                try:
                    self._classifier = IntentClassifier.load(self.model_dir, self.embedder)
                    return self._classifier
                except (ModelMismatch, FileNotFoundError, OSError, EOFError, ValueError, KeyError) as exc:
                    log.info("stored intent model unusable (%s); retraining", exc)
                except Exception:  # noqa: BLE001 - e.g. an unpicklable file from another version
                    log.warning("stored intent model failed to load; retraining", exc_info=True)
            else:
                log.info("intent model missing or older than the training data; training")
            return self.train()

    # ------------------------------------------------------------------ parsing
    def parse(self, text: str, today: dt.date | None = None) -> dict[str, Any]:
        """Parse one user message into Rasa's format (see module docstring)."""
        text = "" if text is None else str(text)
        stripped = text.strip()
        if stripped.startswith("/"):
            return self._parse_payload(text, stripped)
        if not stripped:
            return _result(text, FALLBACK_INTENT, 0.0, [], [])
        clipped = text[:MAX_TEXT]
        ranking = self._model().predict(clipped)
        entities = self.extractor.extract(text, today)
        top = [{"name": n, "confidence": round(c, 4)} for n, c in ranking[:RANKING_LENGTH]]
        name, conf = ranking[0]
        if conf < self.threshold:
            # As Rasa's FallbackClassifier: fallback first, with the threshold as confidence.
            fallback = {"name": FALLBACK_INTENT, "confidence": self.threshold}
            return {"text": text, "intent": fallback, "intent_ranking": [fallback, *top], "entities": entities}
        return _result(text, name, conf, top, entities)

    def _parse_payload(self, text: str, stripped: str) -> dict[str, Any]:
        """``/intent`` or ``/intent{"slot": "value"}`` from buttons: trusted, confidence 1.0."""
        m = _PAYLOAD.match(stripped)
        if not m:
            return _invalid(text, "malformed payload")
        intent = m.group("intent")
        if intent not in self.training_data.intents:  # no model needed to validate a button
            return _invalid(text, f"unknown intent {intent!r}")
        entities: list[dict[str, Any]] = []
        raw = m.group("json")
        if raw:
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError:
                return _invalid(text, "invalid JSON in payload")
            if not isinstance(obj, dict):
                return _invalid(text, "payload JSON is not an object")
            start = text.index(raw)
            for key, value in obj.items():
                entities.append({"entity": str(key), "value": value, "start": start, "end": start + len(raw), "extractor": "payload"})
        conf = 1.0
        if m.group("conf"):
            try:
                conf = min(1.0, max(0.0, float(m.group("conf"))))
            except ValueError:
                return _invalid(text, "invalid confidence in payload")
        ranking = [{"name": intent, "confidence": conf}]
        return _result(text, intent, conf, ranking, entities)


def _result(text: str, name: str, conf: float, ranking: list[dict[str, Any]], entities: list[dict[str, Any]]) -> dict[str, Any]:
    return {"text": text, "intent": {"name": name, "confidence": round(float(conf), 4)}, "intent_ranking": ranking, "entities": entities}


def _invalid(text: str, reason: str) -> dict[str, Any]:
    log.info("invalid payload %r: %s", text[:80], reason)
    out = _result(text, FALLBACK_INTENT, 0.0, [], [])
    out["invalid_payload"] = True
    return out
