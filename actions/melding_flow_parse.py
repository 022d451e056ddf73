"""Reading typed answers in the melding flows: dates, times, yes/no, choices, "overslaan".

Pure functions without I/O, so they are easy to test. Nothing here logs: every value is melding content.
Results carry an error *code* (not a message); the dialogue turns the code into a response from the domain.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

SKIPPED = "__overgeslagen__"  # an optional question the user chose not to answer

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "february": 2, "maart": 3, "mrt": 3, "march": 3,
    "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
SKIP_WORDS = {
    "overslaan", "sla over", "sla maar over", "skip", "weet ik niet", "weet niet", "geen idee", "onbekend", "nvt",
    "n.v.t.", "niet van toepassing", "geen", "niks", "niets", "nee", "neen", "no", "none", "-", "--", "n/a",
    "dat weet ik niet", "weet ik niet precies", "liever niet", "wil ik niet zeggen", "zeg ik liever niet",
}
YES = {"ja", "jawel", "jazeker", "yes", "yep", "klopt", "zeker", "wel", "j", "y", "true", "waar", "ja hoor", "ja graag"}
NO = {"nee", "neen", "no", "nope", "niet", "geen", "n", "false", "nee hoor", "onwaar", "neuh"}
DONE_WORDS = {"klaar", "dat was het", "dat is alles", "verder niets", "verder niks", "done", "ready", "gereed", "ok",
              "oké", "oke", "dat is het"}
QUESTION_WORDS = {
    "hoe", "wat", "wie", "waar", "wanneer", "waarom", "welke", "welk", "hoeveel", "mag", "kan", "kun", "kunnen",
    "moet", "moeten", "heb", "hebben", "krijg", "krijgen", "wordt", "worden", "blijft", "blijf", "zijn", "ben",
    "weet", "weten", "zal", "zou", "how", "what", "who", "where", "when", "why", "which", "can", "are", "do",
    "does", "will", "would", "should", "could", "may",
}

_PUNCT = re.compile(r"[^\w\s/:+-]")


def norm(text: Any) -> str:
    """Lower case, no accents, no punctuation, single spaces ("Iets anders!" → "iets anders")."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    s = _PUNCT.sub(" ", s.replace("_", " "))
    return re.sub(r"\s+", " ", s).strip()


def is_skip(value: Any) -> bool:
    return isinstance(value, str) and (value == SKIPPED or norm(value) in {norm(w) for w in SKIP_WORDS})


def is_done(value: Any) -> bool:
    return isinstance(value, str) and norm(value) in {norm(w) for w in DONE_WORDS}


def looks_like_question(text: str) -> bool:
    """A question rather than an answer: ends with '?' or starts with an interrogative or inverted verb."""
    t = (text or "").strip()
    if not t:
        return False
    if t.endswith("?"):
        return True
    words = norm(t).split()
    return bool(words) and words[0] in QUESTION_WORDS and len(words) <= 25


def is_payload(text: str) -> bool:
    return (text or "").startswith("/")


# ---------------------------------------------------------------------------------------------------- yes/no

def parse_bool(value: Any) -> bool | None:
    """True/False for yes/no answers (also "ja, namelijk …"); None when it is neither."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    n = norm(value)
    if not n:
        return None
    if n in YES:
        return True
    if n in NO:
        return False
    first = n.split()[0]
    if first in {"ja", "jawel", "jazeker", "yes", "klopt", "zeker"}:
        return True
    if first in {"nee", "neen", "no", "nope", "geen"}:
        return False
    return None


# ------------------------------------------------------------------------------------------------------- dates

@dataclass(frozen=True)
class DateResult:
    value: dt.date | None
    error: str | None = None  # "invalid" (does not exist), "unknown" (not recognised), "future"


def _year(raw: str | None, day: int, month: int, today: dt.date) -> int:
    if raw is None:
        # No year: the most recent such date (incidents are in the past).
        try:
            cand = dt.date(today.year, month, day)
        except ValueError:
            return today.year
        return today.year if cand <= today else today.year - 1
    y = int(raw)
    return y + 2000 if y < 100 else y


def _make(y: int, m: int, d: int) -> DateResult:
    try:
        return DateResult(dt.date(y, m, d))
    except ValueError:
        return DateResult(None, "invalid")


def parse_date(value: Any, today: dt.date, *, not_future: bool = True) -> DateResult:
    """A calendar date from "2024-03-05", "5-3-2024", "5 maart", "gisteren", "vorige week dinsdag" …

    An impossible date ("31 februari", "30-02-2024") gives ``error="invalid"`` rather than a silently shifted one.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        res = DateResult(value)
    else:
        res = _parse_date_text(str(value or ""), today)
    if res.value is not None and not_future and res.value > today:
        return DateResult(None, "future")
    return res


def _parse_date_text(text: str, today: dt.date) -> DateResult:
    t = text.strip().lower()
    if not t:
        return DateResult(None, "unknown")
    m = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", t)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\b", t)
    if m:
        d, mo = int(m.group(1)), int(m.group(2))
        return _make(_year(m.group(3), d, mo, today), mo, d)
    month_names = "|".join(sorted(MONTHS, key=len, reverse=True))
    m = re.search(rf"\b(\d{{1,2}})(?:e|ste|de)?\s+({month_names})\.?(?:\s+(\d{{4}}))?\b", t)
    if m:
        d, mo = int(m.group(1)), MONTHS[m.group(2)]
        return _make(_year(m.group(3), d, mo, today), mo, d)
    m = re.search(rf"\b({month_names})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", t)
    if m:
        mo, d = MONTHS[m.group(1)], int(m.group(2))
        return _make(_year(m.group(3), d, mo, today), mo, d)
    m = re.search(r"\b(\d{1,2})[-/](\d{1,2})\b", t)  # "5-3" / "5/3"; not "14.30", which is a time
    if m:
        d, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return _make(_year(None, d, mo, today), mo, d)
    simple = {"vandaag": 0, "today": 0, "vanochtend": 0, "vanmiddag": 0, "vanavond": 0, "vannacht": 0,
              "gisteren": 1, "yesterday": 1, "gisteravond": 1, "gistermiddag": 1, "gisterochtend": 1,
              "eergisteren": 2}
    for word, back in simple.items():
        if re.search(rf"\b{word}\b", t):
            return DateResult(today - dt.timedelta(days=back))
    try:  # relative expressions ("vorige week dinsdag", "3 dagen geleden") from the NLU's extractor
        from nlu.entities import EntityExtractor

        dates = [e["value"] for e in EntityExtractor().extract(text, today) if e.get("entity") == "date"]
    except Exception:  # noqa: BLE001 - the extractor is optional here; never fail a turn on it
        dates = []
    for d in dates:
        try:
            return DateResult(dt.date.fromisoformat(str(d)[:10]))
        except ValueError:
            continue
    return DateResult(None, "unknown")


# ------------------------------------------------------------------------------------------------------- times

def parse_time(value: Any) -> str | None:
    """"14:30", "14.30", "14u30", "14 uur", "2 uur 's middags" → "14:30"/"14:00"; None if not a clock time."""
    if not isinstance(value, str):
        return None
    t = value.strip().lower()
    m = re.search(r"\b([01]?\d|2[0-3])\s*[:.uh]\s*([0-5]\d)\b", t)
    if m:
        return f"{int(m.group(1)):02d}:{m.group(2)}"
    m = re.search(r"\b([01]?\d|2[0-3])\s*(?:uur|u|h)\b", t)
    if m:
        h = int(m.group(1))
        if h < 12 and re.search(r"'?s middags|'?s avonds|\bpm\b|middag|avond", t):
            h += 12
        return f"{h:02d}:00"
    return None


def parse_datetime(value: Any, today: dt.date) -> tuple[str | None, str | None]:
    """(ISO "YYYY-MM-DDTHH:MM", error) from a date with an optional time ("gisteren 14:00")."""
    if isinstance(value, str):
        clock = parse_time(re.sub(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b", " ", value))
    else:
        clock = None
    res = parse_date(value, today, not_future=True)
    if res.value is None:
        return None, res.error
    return f"{res.value.isoformat()}T{clock or '00:00'}", None


# ----------------------------------------------------------------------------------------------------- choices

def _keys(value: str, label: str, extra: Iterable[str] = ()) -> list[str]:
    main = re.split(r"[(:]", label)[0]
    keys = {norm(value), norm(label), norm(main)} | {norm(e) for e in extra}
    return [k for k in keys if k]


_YES_NO = {"yes": "ja", "y": "ja", "yeah": "ja", "yep": "ja", "sure": "ja", "ja": "ja", "jawel": "ja",
           "no": "nee", "n": "nee", "nope": "nee", "nee": "nee", "neen": "nee"}


def match_choice(text: Any, choices: Sequence[tuple[str, str]], synonyms: dict[str, Sequence[str]] | None = None,
                 ) -> str | None:
    """The one choice value a typed answer means, or None (no match or ambiguous)."""
    if text is None:
        return None
    n = norm(text)
    if not n:
        return None
    values = [v for v, _ in choices]
    if text in values:
        return str(text)
    if n.isdigit() and 1 <= int(n) <= len(choices):
        return choices[int(n) - 1][0]
    yes_no = _YES_NO.get(n)
    if yes_no in values:  # "yes" to "Ja, met mijn naam / Nee, zonder naam"
        return yes_no
    syn = synonyms or {}
    scored: list[tuple[float, str]] = []
    for value, label in choices:
        best = 0.0
        for key in _keys(value, label, syn.get(value, ())):
            if n == key:
                best = max(best, 1.0)
            elif len(key) >= 3 and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", n):
                best = max(best, 0.8 + min(len(key), 40) / 1000)
            elif len(n) >= 4 and key.startswith(n):
                best = max(best, 0.6)
            elif len(n) >= 4 and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", key):
                best = max(best, 0.55)  # "first time" for "The first time"; ties ("time") stay unmatched
        if best:
            scored.append((best, value))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


def match_choices(text: Any, choices: Sequence[tuple[str, str]], synonyms: dict[str, Sequence[str]] | None = None,
                  ) -> list[str]:
    """All choice values a typed answer names ("schelden en schreeuwen" → both), in the order of ``choices``."""
    if isinstance(text, (list, tuple)):
        out: list[str] = []
        for item in text:
            out += [v for v in match_choices(item, choices, synonyms) if v not in out]
        return out
    n = norm(text)
    if not n:
        return []
    single = match_choice(text, choices, synonyms)
    found: dict[str, str] = {}
    syn = synonyms or {}
    for value, label in choices:
        for key in sorted(_keys(value, label, syn.get(value, ())), key=len, reverse=True):
            if len(key) >= 3 and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", n):
                found[value] = key
                break
    # "fysieke seksuele intimidatie" also contains "intimidatie": keep only the longest overlapping names.
    keep = [v for v, k in found.items() if not any(k != k2 and k in k2 for k2 in found.values())]
    if not keep and single:
        keep = [single]
    return [v for v, _ in choices if v in keep]


def code_digits(text: Any) -> str | None:
    """The 16 digits of a receipt code typed with or without spaces/dashes, or None."""
    if not isinstance(text, str):
        return None
    m = re.search(r"(?<!\d)(\d(?:[\s.\-]?\d){15})(?!\d)", text)
    return re.sub(r"\D", "", m.group(1)) if m else None


__all__ = [
    "DateResult", "SKIPPED", "code_digits", "is_done", "is_payload", "is_skip", "looks_like_question",
    "match_choice", "match_choices", "norm", "parse_bool", "parse_date", "parse_datetime", "parse_time",
]
