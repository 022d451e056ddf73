"""Cleaning what a user types before anything else sees it.

Every channel passes user text through :func:`clean`: control characters go, length is
capped (the rest of the pipeline never sees 100 kB), and we learn whether anything
word-like is left so that emoji-only or empty turns get a helpful reply instead of a
retrieval over noise.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
@dataclass
class CleanText:
    text: str
    original_length: int
    truncated: bool
    has_words: bool

    @property
    def empty(self) -> bool:
        return not self.text


def clean(raw: object, limit: int = MAX_CHARS) -> CleanText:
    """Normalise any input (even a non-string) into bounded, printable text."""
    s = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    original = len(s)
    s = unicodedata.normalize("NFC", s[: limit * 4])
    s = _CONTROL.sub(" ", s).replace("\t", " ")
    s = re.sub(r"\s+", " ", s).strip()
    truncated = len(s) > limit
    if truncated:
        s = s[:limit].rsplit(" ", 1)[0] or s[:limit]
    has_words = any(ch.isalnum() for ch in s)
    return CleanText(s, original, truncated or original > limit * 4, has_words)


def guess_language(text: str) -> str:
    """'en' when a message reads as English, else 'nl' (the default of every user).

    The same detector retrieval uses to expand English questions
    (:func:`knowledge.query_expansion.detect_language`), so an answer found through
    the English glossary is also worded in English.
    """
    from knowledge.query_expansion import detect_language

    return detect_language(text)


def language_signal(text: str) -> str | None:
    """'en' or 'nl' when the message's words say which, else None: a date or a figure
    ("1 March 2025") must not switch an English conversation to Dutch."""
    from knowledge.query_expansion import language_evidence

    return language_evidence(text)
