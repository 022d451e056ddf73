"""The trained intent model as plain arrays: TF-IDF vocabularies, idf weights and the
linear SVM's weights, scored with numpy alone.

Why: scikit-learn is needed to *train* (TfidfVectorizer, LinearSVC, cross-validation),
but importing it (and the scipy it pulls in) costs over a second, more than a third of
the cold-start budget of ``regelwijs ask``. Prediction from a linear model over TF-IDF
features is a dictionary lookup and a small matrix product, so the trained model is
exported to this form and only this form is stored and loaded. A stored ``.npz`` also
holds no pickle, so loading a model file cannot run code.

The feature code mirrors scikit-learn's ``char_wb`` and ``word`` analyzers and its
``TfidfTransformer`` (sublinear tf, idf, l2 norm); a unit test checks that scores equal
``LinearSVC.decision_function`` on the training texts.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["LinearIntentModel", "char_wb_ngrams", "word_ngrams"]

_WHITE = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space (sklearn ``char_wb``)."""
    text = _WHITE.sub(" ", text)
    lo, hi = ngram_range
    out: list[str] = []
    for w in text.split():
        w = " " + w + " "
        n_w = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            out.append(w[offset:offset + n])
            while offset + n < n_w:
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:  # a short word counts once
                break
    return out


def word_ngrams(tokens: list[str], ngram_range: tuple[int, int]) -> list[str]:
    """Word n-grams joined by a space (sklearn ``_word_ngrams`` without stop words)."""
    lo, hi = ngram_range
    out = list(tokens) if lo == 1 else []
    start = max(lo, 2)
    for n in range(start, min(hi + 1, len(tokens) + 1)):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


class _Tfidf:
    """Vocabulary + idf of one fitted TfidfVectorizer (sublinear tf, l2 norm)."""

    def __init__(self, vocab: Sequence[str], idf: np.ndarray, analyze: Callable[[str], list[str]]) -> None:
        self.terms = list(vocab)
        self.index = {t: i for i, t in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.analyze = analyze

    def transform(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the l2-normalised TF-IDF row of ``text``."""
        counts = Counter(self.analyze(text))
        pairs = [(self.index[t], c) for t, c in counts.items() if t in self.index]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        cols = np.fromiter((j for j, _ in pairs), dtype=np.int64, count=len(pairs))
        tf = np.fromiter((c for _, c in pairs), dtype=np.float64, count=len(pairs))
        vals = (np.log(tf) + 1.0) * self.idf[cols]
        norm = float(np.sqrt(np.dot(vals, vals)))
        return cols, (vals / norm if norm > 0 else vals)


class LinearIntentModel:
    """Scores = char TF-IDF · W_char + word TF-IDF · W_word + sentence vector · W_dense + b.

    The block weights of the training features (char/word/dense weight) are folded into
    the stored matrices, so scoring needs no configuration besides the n-gram ranges.
    """

    def __init__(self, labels: Sequence[str], char_terms: Sequence[str], char_idf: np.ndarray,
                 word_terms: Sequence[str], word_idf: np.ndarray, w_char: np.ndarray, w_word: np.ndarray,
                 w_dense: np.ndarray | None, bias: np.ndarray, char_ngram: tuple[int, int],
                 word_ngram: tuple[int, int], preprocess: Callable[[str], str]) -> None:
        self.labels = [str(x) for x in labels]
        self.char_ngram = (int(char_ngram[0]), int(char_ngram[1]))
        self.word_ngram = (int(word_ngram[0]), int(word_ngram[1]))
        self.preprocess = preprocess
        token = re.compile(r"(?u)\b\w+\b")
        self.char = _Tfidf(char_terms, char_idf, lambda t: char_wb_ngrams(t, self.char_ngram))
        self.word = _Tfidf(word_terms, word_idf, lambda t: word_ngrams(token.findall(t), self.word_ngram))
        self.w_char = np.asarray(w_char, dtype=np.float32)
        self.w_word = np.asarray(w_word, dtype=np.float32)
        self.w_dense = None if w_dense is None or w_dense.size == 0 else np.asarray(w_dense, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float64)

    @property
    def uses_dense(self) -> bool:
        return self.w_dense is not None

    # ------------------------------------------------------------------ scoring
    def decision_function(self, texts: Sequence[str], dense: np.ndarray | None = None) -> np.ndarray:
        """SVM scores, shape (len(texts), len(labels)); ``dense`` = sentence vectors when used."""
        out = np.tile(self.bias, (len(texts), 1))
        for r, text in enumerate(texts):
            p = self.preprocess(text)
            for block, weights in ((self.char, self.w_char), (self.word, self.w_word)):
                cols, vals = block.transform(p)
                if cols.size:
                    out[r] += vals @ weights[cols].astype(np.float64)
        if self.w_dense is not None:
            if dense is None:
                raise ValueError("this model needs sentence vectors")
            out += np.asarray(dense, dtype=np.float64) @ self.w_dense.astype(np.float64)
        return out

    # ------------------------------------------------------------------ export / persistence
    @classmethod
    def from_sklearn(cls, char_vec: Any, word_vec: Any, clf: Any, *, char_weight: float, word_weight: float,
                     dense_weight: float, preprocess: Callable[[str], str]) -> "LinearIntentModel":
        """Export fitted TfidfVectorizers and a LinearSVC (trained on their hstack [+ dense])."""
        labels = [str(c) for c in clf.classes_]
        coef = np.asarray(clf.coef_, dtype=np.float64)
        bias = np.atleast_1d(np.asarray(clf.intercept_, dtype=np.float64))
        if coef.shape[0] == 1:  # binary LinearSVC: one score s for classes_[1]; use (-s, s)
            coef = np.vstack([-coef, coef])
            bias = np.array([-bias[0], bias[0]])
        coef = coef.T  # (features, classes)
        char_terms = _terms(char_vec)
        word_terms = _terms(word_vec)
        nc, nw = len(char_terms), len(word_terms)
        w_dense = coef[nc + nw:] * dense_weight if coef.shape[0] > nc + nw else None
        return cls(labels, char_terms, char_vec.idf_, word_terms, word_vec.idf_,
                   coef[:nc] * char_weight, coef[nc:nc + nw] * word_weight, w_dense, bias,
                   tuple(char_vec.ngram_range), tuple(word_vec.ngram_range), preprocess)

    def save(self, path: Path) -> None:
        """Write one ``.npz`` (no pickle), atomically."""
        path = Path(path)
        tmp = path.with_name(path.stem + ".tmp.npz")
        np.savez(tmp, labels=np.array(self.labels), char_terms=np.array(self.char.terms, dtype=str),
                 char_idf=self.char.idf, word_terms=np.array(self.word.terms, dtype=str), word_idf=self.word.idf,
                 w_char=self.w_char, w_word=self.w_word,
                 w_dense=self.w_dense if self.w_dense is not None else np.zeros((0, 0), np.float32),
                 bias=self.bias, char_ngram=np.array(self.char_ngram), word_ngram=np.array(self.word_ngram))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, preprocess: Callable[[str], str]) -> "LinearIntentModel":
        with np.load(Path(path), allow_pickle=False) as z:
            return cls(z["labels"].tolist(), z["char_terms"].tolist(), z["char_idf"], z["word_terms"].tolist(),
                       z["word_idf"], z["w_char"], z["w_word"], z["w_dense"], z["bias"],
                       tuple(z["char_ngram"].tolist()), tuple(z["word_ngram"].tolist()), preprocess)


def _terms(vectorizer: Any) -> list[str]:
    """Vocabulary terms ordered by column index."""
    vocab = vectorizer.vocabulary_
    terms = [""] * len(vocab)
    for t, i in vocab.items():
        terms[i] = t
    return terms
