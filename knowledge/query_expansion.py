"""English questions against Dutch regelingen: add the Dutch words to both queries.

BM25 stems Dutch and the corpus is Dutch, so "How much of my week can I work from
home?" matches nothing lexically and the hybrid ranking is left to the dense half
alone, whose cross-lingual cosines are lower than the Dutch ones the refusal
thresholds were calibrated on. When a question reads as English, the terms of
``glossary_en_nl.yml`` found in it contribute their Dutch equivalents ("work from
home" → thuiswerken, thuiswerkplek):

- BM25 gets the question's content words (English function words dropped) plus the
  Dutch terms;
- the dense query is the original question with the Dutch terms appended. Measured on
  the English eval questions this embeds much closer to the right passage than the
  original alone (dense hit@3 0.58 → 0.92 on 24 questions), and it puts English
  questions on the cosine scale of Dutch ones, so the thresholds hold unchanged.

A Dutch question is never changed, so Dutch retrieval is exactly what it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bm25s.stopwords import STOPWORDS_EN_PLUS

from knowledge import yaml_io

GLOSSARY_FILE = Path(__file__).resolve().parent / "glossary_en_nl.yml"

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Function words that only one of the two languages has ("is", "of", "we", "me", "in",
# "over", "had", "was", "want" are Dutch words too and count for neither).
EN_WORDS = frozenset("""
    the a an i my mine you your how what which who whom whose when where why much many can could
    should would will shall must may might do does did am are be been have has get got for from with
    about after before during while if there it its this that these those to at on by any some
    allowed leave take need please our us they their than then and or not no yes
""".split())
NL_WORDS = frozenset("""
    de het een ik hoe wat mag kan zijn mijn voor van en wie krijg krijgen heb hebben moet moeten bij
    welke wanneer er op aan dat dit je jij niet met hoeveel hoelang waar waarom ook nog naar als om te
    wordt worden heeft mij ze hij zij geen wel dan maar uit tot na mn m'n wil kun kunnen mogen
""".split())
# Dropped from an English question's BM25 query: "I", "a", "be", "on" are tokens of the
# Dutch index too (list markers, Roman numerals, abbreviations) and only add noise.
EN_STOPWORDS = frozenset(STOPWORDS_EN_PLUS) | EN_WORDS
_TOKEN = re.compile(r"\w+(?:'\w+)?")


def normalise_word(word: str) -> str:
    """Light English normalisation: plurals and possessives only (keys and text alike).

    A stemmer would conflate "allowed" with "allowance" or "leaving" with "leave"; verb
    forms are tried separately (:func:`verb_bases`) and only match a glossary key.
    """
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def verb_bases(word: str) -> list[str]:
    """Possible base forms of an -ing/-ed word: "disagreeing" → disagree, "logged" → log."""
    w = word.lower()
    out: list[str] = []
    if len(w) > 5 and w.endswith("ing"):
        b = w[:-3]
        out += [b, b + "e"] + ([b[:-1]] if len(b) > 2 and b[-1] == b[-2] else [])
    elif len(w) > 4 and w.endswith("ied"):
        out.append(w[:-3] + "y")
    elif len(w) > 4 and w.endswith("ed"):
        b = w[:-2]
        out += [b, w[:-1]] + ([b[:-1]] if len(b) > 2 and b[-1] == b[-2] else [])
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


@dataclass(frozen=True)
class Glossary:
    """English phrase (as normalised words) → Dutch terms."""

    entries: dict[tuple[str, ...], tuple[str, ...]]
    prefixes: frozenset[tuple[str, ...]]

    @classmethod
    def from_mapping(cls, data: dict) -> "Glossary":
        entries: dict[tuple[str, ...], tuple[str, ...]] = {}
        for en, nl in (data or {}).items():
            key = tuple(normalise_word(w) for w in words(str(en)))
            terms = [nl] if isinstance(nl, str) else list(nl or [])
            if not key or not terms:
                continue
            merged = list(entries.get(key, ()))  # "glasses"/"glass": one key, union of terms
            merged += [str(t) for t in terms if str(t) not in merged]
            entries[key] = tuple(merged)
        prefixes = frozenset(k[:n] for k in entries for n in range(1, len(k) + 1))
        return cls(entries, prefixes)

    def matches(self, text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """Glossary entries in ``text``: left to right, longest phrase first, no overlaps.

        Words are compared as written (plurals normalised); where no phrase matches that
        way, -ing/-ed forms are tried as their base ("keep disagreeing" → disagree), so a
        key written as such ("leaving") always wins over a base form ("leave").
        """
        raw = words(text)
        exact = [[normalise_word(w)] for w in raw]
        forms = [e + verb_bases(w) for e, w in zip(exact, raw)]
        out = []
        i = 0
        while i < len(raw):
            found = self._longest_at(exact, i) or self._longest_at(forms, i)
            if found:
                out.append((found, self.entries[found]))
                i += len(found)
            else:
                i += 1
        return out

    def _longest_at(self, forms: list[list[str]], i: int) -> tuple[str, ...] | None:
        """The longest key starting at word ``i``, each word in one of its forms."""
        best = None
        partial: list[tuple[str, ...]] = [()]
        for j in range(i, len(forms)):
            partial = [p + (f,) for p in partial for f in forms[j] if p + (f,) in self.prefixes]
            if not partial:
                break
            best = next((p for p in partial if p in self.entries), best)
        return best


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    return Glossary.from_mapping(yaml_io.safe_load(Path(path).read_text(encoding="utf-8")) or {})


def detect_language(text: str, glossary: Glossary | None = None) -> str:
    """'en' or 'nl' for retrieval: :func:`language_evidence`, Dutch when there is none."""
    return language_evidence(text, glossary) or "nl"


def language_evidence(text: str, glossary: Glossary | None = None) -> str | None:
    """'en' or 'nl' when the words of ``text`` say which, else None ("1 March 2025", "32").

    English: two or more English function words, more than Dutch ones; or short keyword
    questions ("sick leave rules Kerkrade?"): no Dutch function word at all and at least
    two words of English glossary phrases that are not loanwords the Dutch text also uses.
    Dutch: at least one Dutch function word and not the English case. A conversation
    keeps its language on a message without evidence (a date, a figure, a name).
    """
    ws = words(text)
    en = sum(w in EN_WORDS for w in ws)
    nl = sum(w in NL_WORDS for w in ws)
    if en >= 2 and en > nl:
        return "en"
    if nl == 0:
        g = glossary or load_glossary()
        english = sum(len(key) for key, terms in g.matches(text)
                      if not any(" ".join(key) in t.lower() for t in terms))
        return "en" if english >= 2 else None
    return "nl"


@dataclass
class Expansion:
    language: str
    bm25_query: str
    dense_query: str
    dutch_terms: list[str] = field(default_factory=list)

    @property
    def expanded(self) -> bool:
        return bool(self.dutch_terms)


def expand_query(query: str, glossary: Glossary | None = None) -> Expansion:
    """The BM25 and dense query texts for ``query`` (unchanged unless it is English)."""
    g = glossary or load_glossary()
    if detect_language(query, g) != "en":
        return Expansion("nl", query, query)
    terms: list[str] = []
    for _, nl in g.matches(query):
        terms += [t for t in nl if t not in terms]
    dense = f"{query} {' '.join(terms)}" if terms else query
    # BM25 keeps the question's other words: names, numbers, loanwords (IKB, Oldebroek).
    content = [w for w in _TOKEN.findall(query) if w.lower() not in EN_STOPWORDS]
    bm25 = " ".join(content + terms)
    return Expansion("en", bm25, dense, terms)
