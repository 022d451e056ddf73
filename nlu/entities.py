"""Dutch entity extraction for Regelwijs: hours, money, dates, durations and lookup entities.

Why our own extractor: the calculators and melding forms need exact numbers from Dutch
text ("tweeëndertig uur", "€ 1.250,00", "vorige week dinsdag"), which a statistical CRF
trained on a few hundred examples would get wrong. Everything here is rules, so results
are predictable and testable.

How it works: Dutch number words are first rewritten to digits (``text_to_num``) in a
*normalised* copy of the text that keeps an offset map back to the original, so every
regex can work on digits only while reported ``start``/``end``/``text`` still point into
what the user typed. Dates use our own parser for the frequent forms (fast and exact) and
``dateparser`` (imported lazily: its import costs ~0.2 s) for whatever candidate is left.

Robustness: only the first :data:`MAX_CHARS` characters are scanned, control characters
are blanked, and every failure inside a sub-extractor is logged and skipped.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
import unicodedata
from typing import Any, Mapping, Sequence

log = logging.getLogger(__name__)

__all__ = [
    "extract_entities",
    "EntityExtractor",
    "parse_number",
    "parse_money",
    "parse_hours",
    "MAX_CHARS",
]

MAX_CHARS = 2000
EXTRACTOR = "regelwijs"

# --------------------------------------------------------------------------- numbers

# A number as typed: Dutch thousands dots (1.250 / 1.250,00), English 1,250.00, decimals
# with comma or dot (32,5 / 32.5). Order matters: the most specific form first.
NUM = (
    r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 1.250 | 1.250,00
    r"|\d{1,3}(?:,\d{3})+\.\d{1,2}"  # 1,250.00
    r"|\d+(?:[.,]\d+)?)"  # 32 | 32,5 | 32.5
)
_NUM_ONLY = re.compile(rf"^\s*[-+]?\s*({NUM})\s*$")

# Words text2num does not know but users type.
_EXTRA_WORDS = {"anderhalf": 1.5, "anderhalve": 1.5, "één": 1.0, "eén": 1.0, "ééntje": 1.0}
# "een" is the article far more often than the number; it is only a number in the
# unit-aware patterns below (een week, een maand).
_NOT_NUMBERS = {"een", "en", "ene"}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _to_float(num: str, money: bool = False) -> float | None:
    """Convert one token matched by NUM to a float, reading it the Dutch way.

    ``money``: a comma before exactly three digits ("€3,200") is an English thousands
    separator, since amounts have two decimals; elsewhere "3,200" stays 3.2.
    """
    s = num.strip()
    if money and re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        return float(s.replace(",", ""))
    try:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
            return float(s.replace(".", "").replace(",", "."))
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d{1,2}", s):
            return float(s.replace(",", ""))
        return float(s.replace(",", "."))
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _word_value(word: str) -> float | None:
    """Value of one Dutch number word ("tweeëndertig" -> 32) or None."""
    w = word.lower()
    if w in _EXTRA_WORDS:
        return _EXTRA_WORDS[w]
    if w in _NOT_NUMBERS or len(w) < 3:
        return None
    from text_to_num import text2num  # cheap import, kept local so the module loads fast

    for cand in (w, re.sub(r"(twee|drie)en", r"\1ën", w)):
        try:
            return float(text2num(cand, "nl"))
        except (ValueError, TypeError, IndexError, KeyError, AssertionError):
            continue
        except Exception:  # noqa: BLE001 - text2num raises odd types on odd input
            continue
    return None


@functools.lru_cache(maxsize=2048)
def _words_value(words: str) -> float | None:
    from text_to_num import text2num

    try:
        return float(text2num(words.lower(), "nl"))
    except Exception:  # noqa: BLE001
        return None


def parse_number(text: str | None) -> float | None:
    """Parse a bare number answer: "32", "32,5", "32.5", "1.250", "tweeëndertig", "vijftig".

    Used by forms to validate a slot answer; trailing units ("32 uur", "€ 50") are accepted
    too. Returns None when the text is not one number.
    """
    if not text:
        return None
    s = _clean(text[:200]).strip().lower()
    s = re.sub(r"^(?:€|eur(?:o)?\b)\s*", "", s)
    s = re.sub(r"\s*(?:,-+|uur|uren|u|euro|eur|€|hours?)\s*[.!?]?$", "", s).strip()
    m = _NUM_ONLY.match(s)
    if m:
        return _to_float(m.group(1))
    s = s.strip(" .!?")
    if not s or not _WORD.fullmatch(s.replace(" ", "").replace("-", "")):
        return None
    val = _word_value(s.replace(" ", "")) if " " not in s else _words_value(s)
    if val is None and s in ("een", "één"):
        return 1.0
    return val


# ------------------------------------------------------------------ normalisation


class _Normalised:
    """Lower-cased text with number words replaced by digits and a map back to the original."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, original: str) -> None:
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for s, e, value in _number_word_spans(original):
            seg = original[pos:s]
            pieces.append(seg.lower())
            starts.extend(range(pos, s))
            ends.extend(range(pos + 1, s + 1))
            rep = _fmt(value)
            pieces.append(rep)
            starts.extend([s] * len(rep))
            ends.extend([e] * len(rep))
            pos = e
        seg = original[pos:]
        pieces.append(seg.lower())
        starts.extend(range(pos, len(original)))
        ends.extend(range(pos + 1, len(original) + 1))
        self.text = "".join(pieces)
        # str.lower() can change length for a few exotic characters (e.g. "İ"); keep
        # the map consistent by padding/truncating: offsets may then be approximate.
        if len(self.text) != len(starts):
            n = len(self.text)
            starts = (starts + [len(original)] * n)[:n]
            ends = (ends + [len(original)] * n)[:n]
        self.starts = starts
        self.ends = ends

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original (start, end) of normalised span [a, b)."""
        if b <= a:
            return (self.starts[a] if a < len(self.starts) else a, self.starts[a] if a < len(self.starts) else a)
        return self.starts[a], self.ends[b - 1]


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _number_word_spans(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of number words; adjacent ones are combined ("duizend tweehonderd")."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    out: list[tuple[int, int, float]] = []
    i = 0
    while i < len(words):
        s, e, w = words[i]
        v = _word_value(w)
        if v is None:
            i += 1
            continue
        j = i
        # extend over following number words separated by a single space
        while j + 1 < len(words) and text[words[j][1] : words[j + 1][0]] == " " and _word_value(words[j + 1][2]) is not None:
            j += 1
        if j > i:
            combined = _words_value(text[s : words[j][1]])
            if combined is not None:
                out.append((s, words[j][1], combined))
                i = j + 1
                continue
        out.append((s, e, v))
        i += 1
    return out


def _clean(text: str) -> str:
    """Replace control/format characters by spaces (same length, so offsets stay valid)."""
    return "".join(" " if (unicodedata.category(c)[0] == "C" and c not in "\n\t") else c for c in text)


# ------------------------------------------------------------------ patterns

_MONEY_PRE = re.compile(rf"(?:€|\beur(?:o|os)?\b)\s*(?P<num>{NUM})(?:,-+)?")
_MONEY_POST = re.compile(rf"(?<![\d.,])(?P<num>{NUM})(?:,-+)?\s*(?:€|euro(?:'s|s)?\b|eur\b)")
_MONEY_THOUSANDS = re.compile(r"(?<![\d.,€])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?)(?![\d.,])(?!\s*(?:uur|km|kilometer|dagen|jaar|m\b))")
_MONEY_CONTEXT = re.compile(
    rf"\b(?:kost|kostte|kosten|kostprijs|prijs|bedrag|waarde|waard|salaris|brutosalaris|maandsalaris|"
    rf"loon|betaald|betaalde|betaal|vergoed|vergoedt|vergoeding|declaratie|aankoopbedrag|bonus)\b"
    rf"(?:\s+(?:is|was|van|bedraagt|bedroeg|ongeveer|circa|ca\.?|rond|zo'n|mij|me|ik|wel|al|€))*\s+(?P<num>{NUM})(?![\d.,]*\s*(?:%|procent|uur|u\b|km|dag|we+k|maand|jaar|x\b|keer))"
)

_HOURS_UNIT = re.compile(
    rf"(?<![\d.,:])(?P<num>{NUM})\s*(?:-\s*)?"
    r"(?:uur|uren|urig(?:e)?|uurs|u(?=\b|/)|hours?|hrs?\b|h\b|hour\b)"
    r"(?P<tail>\s*(?:per\s+week|p\s*/\s*w\b|pw\b|p\.w\.|/\s*w(?:ee)?k\b|/\s*w\b|in\s+de\s+week|a\s+week|per\s+wk\b))?"
)
_HOURS_BARE_TAIL = re.compile(rf"(?<![\d.,:])(?P<num>{NUM})\s*(?:per\s+week|p\s*/\s*w\b|pw\b|p\.w\.|/\s*w(?:ee)?k\b)")
_HOURS_CONTEXT = re.compile(
    rf"\b(?:ik\s+werk|werk\s+ik|werk|werken|werkweek\s+van|contract\s+(?:van|voor|is)|contracturen(?:\s+zijn)?|"
    rf"aanstelling\s+van|arbeidsduur(?:\s+is|\s+van)?|dienstverband\s+van|i\s+work|working)"
    rf"(?:\s+(?:nu|momenteel|gewoon|al|maar|zo'n|ongeveer|circa|parttime|deeltijd))*\s+(?P<num>{NUM})(?![\d.,]*\s*(?:%|procent|euro|eur|€|km|kilometer|dagen|dag|weken|week|maanden|maand|jaar|jaren|years?|days?|weeks?|months?|minuten|keer|x\b))"
)
_TIME_BEFORE = re.compile(r"(?:\bom|\bvanaf|\btegen|\brond|\bomstreeks|\btot|\btussen|\bbegint|\bstart)\s*$")

_UNITS = {
    "dag": "dag", "dagen": "dag", "day": "dag", "days": "dag",
    "werkdag": "werkdag", "werkdagen": "werkdag", "kalenderdag": "dag", "kalenderdagen": "dag",
    "week": "week", "weken": "week", "wk": "week", "weeks": "week",
    "maand": "maand", "maanden": "maand", "mnd": "maand", "month": "maand", "months": "maand",
    "jaar": "jaar", "jaren": "jaar", "jr": "jaar", "year": "jaar", "years": "jaar",
}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_DURATION = re.compile(
    rf"(?<![\w.,])(?P<num>{NUM}|een|één|anderhalve|anderhalf|half|a|an|one)\s*(?:-\s*)?(?P<half>en\s+een\s+half\s+|half\s+)?(?P<unit>{_UNIT_RE})\b"
)

# --- dates
_MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "febr": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7, "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
_WD_RE = "|".join(_WEEKDAYS)
_RELATIVE_DAYS = {
    "vandaag": 0, "vanochtend": 0, "vanmorgen": 0, "vanmiddag": 0, "vanavond": 0, "vannacht": 0,
    "zojuist": 0, "net": None, "gisteren": -1, "gisteravond": -1, "gistermiddag": -1, "gisterochtend": -1,
    "eergisteren": -2, "morgen": 1, "overmorgen": 2, "today": 0, "yesterday": -1, "tomorrow": 1,
}
_REL_RE = "|".join(k for k in sorted(_RELATIVE_DAYS, key=len, reverse=True) if _RELATIVE_DAYS[k] is not None)
_YEAR = r"(?:19|20)\d{2}"

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # Forms only dateparser resolves for us; first, so "yesterday" inside them is not taken alone.
    ("dp", re.compile(r"\b(?:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|a\s+fortnight\s+ago)\b")),
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})\b")),
    ("dmy", re.compile(rf"(?<![\d.,/-])(?P<d>\d{{1,2}})[-/.](?P<m>\d{{1,2}})[-/.](?P<y>{_YEAR}|\d{{2}})(?![\d/-])")),
    (
        "dmonth",
        re.compile(
            rf"(?:\b(?:{_WD_RE})\s+)?\b(?P<d>\d{{1,2}})(?:e|ste|de|st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE})\.?(?:,?\s+(?P<y>{_YEAR}|'\d{{2}}))?(?![\w])"
        ),
    ),
    (
        "monthd",
        re.compile(rf"\b(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|"
                   rf"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>{_YEAR}))?\b"),
    ),
    ("monthyear", re.compile(rf"\b(?:begin\s+|eind\s+|half\s+)?(?P<mon>{_MONTH_RE})\.?\s+(?P<y>{_YEAR})\b")),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<pre>vorige|afgelopen|verleden|jongstleden|volgende|komende|aanstaande|last|next|this|deze)\s+(?P<wk1>week\s+)?)?"
            rf"(?P<wd>{_WD_RE})(?P<wk2>\s+(?:vorige|volgende)\s+week)?\b"
        ),
    ),
    ("reldays", re.compile(rf"\b(?P<rel>{_REL_RE})\b")),
    ("ago", re.compile(r"(?<![\d.,])(?P<num>\d{1,3}|een|één)\s+(?P<unit>dagen|dag|weken|week|maanden|maand|jaar)\s+(?:geleden|terug)\b")),
    ("ago_en", re.compile(r"(?<![\d.,])(?P<num>\d{1,3}|a|one)\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b")),
    ("in", re.compile(r"\bover\s+(?P<num>\d{1,3}|een|één)\s+(?P<unit>dagen|dag|weken|week|maanden|maand)\b")),
    # Leftovers that only dateparser understands ("last friday", "the day before yesterday").
    ("dm", re.compile(r"\b(?:op|per|sinds|vanaf|on|since)\s+(?P<d>\d{1,2})[-/](?P<m>\d{1,2})(?![\d/-])")),
]


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    import calendar

    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _resolve_year(d: int, m: int, today: dt.date, prefer: str) -> dt.date | None:
    try:
        cand = dt.date(today.year, m, d)
    except ValueError:
        # 29 February in a non-leap year: try the nearest leap year in the preferred direction
        step = -1 if prefer == "past" else 1
        for k in range(1, 8):
            try:
                return dt.date(today.year + step * k, m, d)
            except ValueError:
                continue
        return None
    if prefer == "past" and cand > today:
        return _safe_date(today.year - 1, m, d)
    if prefer == "future" and cand < today:
        return _safe_date(today.year + 1, m, d)
    return cand


def _resolve_date_or_none(d: int, m: int, today: dt.date, prefer: str) -> dt.date | None:
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return _resolve_year(d, m, today, prefer)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _num_or_one(s: str) -> int:
    return 1 if s in ("een", "één", "a", "one") else int(s)


def _date_from_match(kind: str, m: re.Match[str], today: dt.date, prefer: str) -> dt.date | None:
    """Our own resolution of the common forms; None means 'ask dateparser'."""
    g = m.groupdict()
    if kind == "iso":
        return _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    if kind == "dmy":
        y = int(g["y"])
        if y < 100:
            y += 2000
        return _safe_date(y, int(g["m"]), int(g["d"]))
    if kind in ("dmonth", "monthd"):
        mon = _MONTHS[g["mon"]]
        day = int(g["d"])
        if g.get("y"):
            y = g["y"]
            return _safe_date(2000 + int(y[1:]) if y.startswith("'") else int(y), mon, day)
        return _resolve_year(day, mon, today, prefer)
    if kind == "dm":
        return _resolve_date_or_none(int(g["d"]), int(g["m"]), today, prefer)
    if kind == "monthyear":
        return _safe_date(int(g["y"]), _MONTHS[g["mon"]], 1)
    if kind == "weekday":
        return _weekday_date(g, today, prefer)
    if kind == "reldays":
        return today + dt.timedelta(days=_RELATIVE_DAYS[g["rel"]])
    if kind in ("ago", "ago_en", "in"):
        n = _num_or_one(g["num"])
        unit = g["unit"].rstrip("s")
        sign = 1 if kind == "in" else -1
        if unit.startswith("dag") or unit == "day":
            return today + dt.timedelta(days=sign * n)
        if unit.startswith("we"):
            return today + dt.timedelta(weeks=sign * n)
        if unit.startswith("maand") or unit == "month":
            return _add_months(today, sign * n)
        if unit in ("jaar", "year"):
            return _add_months(today, sign * 12 * n)
    return None


def _weekday_date(g: dict[str, Any], today: dt.date, prefer: str) -> dt.date | None:
    wd = _WEEKDAYS[g["wd"]]
    pre = g.get("pre") or ""
    week_rel = None
    if g.get("wk1") and pre in ("vorige", "afgelopen", "verleden", "last"):
        week_rel = -1
    elif g.get("wk1") and pre in ("volgende", "komende", "next"):
        week_rel = 1
    elif g.get("wk2"):
        week_rel = -1 if "vorige" in g["wk2"] else 1
    if week_rel is not None:
        monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=week_rel)
        return monday + dt.timedelta(days=wd)
    delta_back = (today.weekday() - wd) % 7
    delta_fwd = (wd - today.weekday()) % 7
    if pre in ("vorige", "afgelopen", "verleden", "jongstleden", "last"):
        return today - dt.timedelta(days=delta_back or 7)
    if pre in ("volgende", "komende", "aanstaande", "next"):
        return today + dt.timedelta(days=delta_fwd or 7)
    if pre in ("deze", "this"):
        return today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=wd)
    if prefer == "future":
        return today + dt.timedelta(days=delta_fwd)
    return today - dt.timedelta(days=delta_back)


_dateparser_lock = threading.Lock()
_dateparser_mod: Any = None


def _dateparser() -> Any:
    """Import dateparser once, on first need (the import alone takes ~0.2 s)."""
    global _dateparser_mod
    if _dateparser_mod is None:
        with _dateparser_lock:
            if _dateparser_mod is None:
                import dateparser  # noqa: PLC0415

                _dateparser_mod = dateparser
    return _dateparser_mod


@functools.lru_cache(maxsize=1024)
def _dateparser_parse(candidate: str, today: dt.date, prefer: str) -> dt.date | None:
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "PREFER_DATES_FROM": prefer if prefer in ("past", "future") else "current_period",
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        res = _dateparser().parse(candidate, languages=["nl", "en"], settings=settings)
    except Exception:  # noqa: BLE001 - dateparser can raise on odd input; a miss is fine
        log.debug("dateparser failed on %r", candidate, exc_info=True)
        return None
    return res.date() if res else None


# ------------------------------------------------------------------ lookups


def _canonical(term: str, synonyms: Mapping[str, str]) -> str:
    return synonyms.get(term.lower(), term)


class _LookupMatcher:
    """Longest-match-first, word-bounded, case-insensitive matcher for one entity type.

    Only the lookup table's own terms are searched for inside a sentence; synonyms map a
    match to its canonical value. A message that *is* one synonym variant or canonical
    value ("kort", "langdurig", "mijn vader") also matches: that is a bare form answer,
    where short ambiguous words are safe.
    """

    def __init__(self, entity: str, terms: Sequence[str], synonyms: Mapping[str, str]) -> None:
        self.entity = entity
        canon = {_canonical(t, synonyms) for t in terms}
        canon_lower = {c.lower(): c for c in canon}
        self.variants = {t.lower(): _canonical(t, synonyms) for t in terms if t.strip()}
        self.whole: dict[str, str] = dict(canon_lower)
        self.whole.update(self.variants)
        for variant, value in synonyms.items():
            if value.lower() in canon_lower:
                self.whole.setdefault(variant.lower(), canon_lower[value.lower()])
        alts = sorted(self.variants, key=len, reverse=True)
        body = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in alts)
        self.pattern = re.compile(rf"(?<![\w&])(?:{body})(?![\w&])", re.IGNORECASE) if alts else None

    def find(self, text: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        whole = re.sub(r"\s+", " ", text.strip().strip(".!?").strip().lower())
        if whole in self.whole and whole in text.lower():
            s = text.lower().index(whole)
            return [_ent(self.entity, self.whole[whole], s, s + len(whole), text)]
        if self.pattern is None:
            return out
        for m in self.pattern.finditer(text):
            value = self.variants.get(re.sub(r"\s+", " ", m.group().lower()))
            if value is not None:
                out.append(_ent(self.entity, value, m.start(), m.end(), text))
        return out


def _ent(entity: str, value: Any, start: int, end: int, text: str) -> dict[str, Any]:
    return {"entity": entity, "value": value, "start": start, "end": end, "text": text[start:end], "extractor": EXTRACTOR}


# ------------------------------------------------------------------ extractor


class EntityExtractor:
    """Precompiled extractor; build once per training data, call :meth:`extract` per turn."""

    LOOKUP_ENTITIES = ("gemeente", "relation", "verlof_type", "soort_zorgverlof")

    def __init__(self, lookups: Mapping[str, Sequence[str]] | None = None, synonyms: Mapping[str, str] | None = None) -> None:
        lookups = lookups or {}
        synonyms = {k.lower(): v for k, v in (synonyms or {}).items()}
        self.matchers = [
            _LookupMatcher(name, list(lookups.get(name, [])), synonyms)
            for name in self.LOOKUP_ENTITIES
            if lookups.get(name)
        ]
        for name in lookups:
            if name not in self.LOOKUP_ENTITIES:
                self.matchers.append(_LookupMatcher(name, list(lookups[name]), synonyms))

    def extract(self, text: str, today: dt.date | None = None, *, prefer_dates_from: str = "past") -> list[dict[str, Any]]:
        """All entities in ``text`` (first :data:`MAX_CHARS` characters), sorted by position."""
        if not isinstance(text, str) or not text.strip():
            return []
        today = today or dt.date.today()
        text = _clean(text[:MAX_CHARS])
        try:
            norm = _Normalised(text)
        except Exception:  # noqa: BLE001 - never let one odd input break a turn
            log.warning("normalisation failed; numeric entities skipped", exc_info=True)
            norm = None
        ents: list[dict[str, Any]] = []
        if norm is not None:
            for fn in (_money, _hours, _dates, _durations):
                try:
                    ents.extend(fn(text, norm, today, prefer_dates_from))
                except Exception:  # noqa: BLE001
                    log.warning("%s extraction failed", fn.__name__, exc_info=True)
        ents = _drop_contained(ents)
        for matcher in self.matchers:
            try:
                ents.extend(matcher.find(text))
            except Exception:  # noqa: BLE001
                log.warning("lookup %s failed", matcher.entity, exc_info=True)
        ents.sort(key=lambda e: (e["start"], -e["end"], e["entity"]))
        return ents


def _drop_contained(ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Among numeric/date entities keep the longest of overlapping spans (date beats duration)."""
    prio = {"date": 0, "money": 1, "hours": 2, "duration": 3}
    ents = sorted(ents, key=lambda e: (-(e["end"] - e["start"]), prio.get(e["entity"], 9)))
    kept: list[dict[str, Any]] = []
    for e in ents:
        if any(e["start"] < k["end"] and k["start"] < e["end"] for k in kept):
            continue
        kept.append(e)
    return kept


def _emit(entity: str, value: Any, norm: _Normalised, a: int, b: int, text: str) -> dict[str, Any]:
    s, e = norm.span(a, b)
    return _ent(entity, value, s, e, text)


def _money(text: str, norm: _Normalised, today: dt.date, prefer: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for pat in (_MONEY_PRE, _MONEY_POST, _MONEY_CONTEXT, _MONEY_THOUSANDS):
        for m in pat.finditer(norm.text):
            a, b = (m.start(), m.end()) if pat in (_MONEY_PRE, _MONEY_POST) else m.span("num")
            if any(a < y and x < b for x, y in taken):
                continue
            value = _to_float(m.group("num"), money=True)
            if value is None:
                continue
            taken.append((a, b))
            out.append(_emit("money", value, norm, a, b, text))
    return out


def _hours(text: str, norm: _Normalised, today: dt.date, prefer: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    t = norm.text
    for m in _HOURS_UNIT.finditer(t):
        num = m.group("num")
        if not m.group("tail"):
            if _TIME_BEFORE.search(t[max(0, m.start() - 12) : m.start()]):
                continue  # "om 9 uur" is a time of day
            if re.fullmatch(r"\d{1,2}[.:]\d{2}", num):
                continue  # "17.00 uur"
        value = _to_float(num)
        if value is None or value <= 0:
            continue
        taken.append(m.span())
        out.append(_emit("hours", value, norm, m.start(), m.end(), text))
    for pat in (_HOURS_BARE_TAIL, _HOURS_CONTEXT):
        for m in pat.finditer(t):
            a, b = m.span() if pat is _HOURS_BARE_TAIL else m.span("num")
            if any(a < y and x < b for x, y in taken):
                continue
            value = _to_float(m.group("num"))
            if value is None or not 0 < value <= 80:
                continue
            taken.append((a, b))
            out.append(_emit("hours", value, norm, a, b, text))
    return out


def _durations(text: str, norm: _Normalised, today: dt.date, prefer: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for m in _DURATION.finditer(norm.text):
        raw = m.group("num")
        unit = _UNITS[m.group("unit")]
        if raw in ("een", "één", "a", "an", "one"):
            amount = 1.0
        elif raw in ("anderhalf", "anderhalve"):
            amount = 1.5
        elif raw == "half":
            amount = 0.5
        else:
            value = _to_float(raw)
            if value is None:
                continue
            amount = value
        if m.group("half"):
            amount = amount + 0.5 if "en" in m.group("half") else (0.5 if raw in ("een", "één") else amount + 0.5)
        out.append(_emit("duration", {"amount": amount, "unit": unit}, norm, m.start(), m.end(), text))
    return out


def _dates(text: str, norm: _Normalised, today: dt.date, prefer: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    t = norm.text
    for kind, pat in _DATE_PATTERNS:
        for m in pat.finditer(t):
            a, b = (m.start("d"), m.end()) if kind == "dm" else m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            if kind == "reldays" and m.group("rel") == "morgen" and re.search(r"(?:goede|goedemorgen|goeie)\s*$", t[max(0, a - 8) : a]):
                continue  # "goede morgen" is a greeting
            try:
                d = _date_from_match(kind, m, today, prefer)
            except (ValueError, OverflowError):
                d = None
            if d is None and kind not in ("iso", "dmy"):
                d = _dateparser_parse(m.group(), today, prefer)
            if d is None:
                continue
            taken.append((a, b))
            out.append(_emit("date", d.isoformat(), norm, a, b, text))
    return out


# ------------------------------------------------------------------ functional API

_cache_lock = threading.Lock()
_extractors: dict[tuple[int, int], tuple[Any, Any, EntityExtractor]] = {}


def extract_entities(
    text: str,
    today: dt.date | None = None,
    lookups: Mapping[str, Sequence[str]] | None = None,
    synonyms: Mapping[str, str] | None = None,
    *,
    prefer_dates_from: str = "past",
) -> list[dict[str, Any]]:
    """Extract entities from one user turn.

    Returns dicts ``{"entity", "value", "start", "end", "text", "extractor"}`` sorted by
    ``start``. ``value`` is a float for ``hours``/``money``, an ISO date string for
    ``date``, ``{"amount": float, "unit": "dag|werkdag|week|maand|jaar"}`` for
    ``duration`` and the canonical string for lookup entities. The compiled lookup
    patterns are cached per (lookups, synonyms) object pair, so pass the same objects
    each turn (or use :class:`EntityExtractor`).
    """
    key = (id(lookups), id(synonyms))
    with _cache_lock:
        hit = _extractors.get(key)
        if hit is None or hit[0] is not lookups or hit[1] is not synonyms:
            if len(_extractors) >= 8:
                _extractors.clear()
            hit = (lookups, synonyms, EntityExtractor(lookups, synonyms))
            _extractors[key] = hit
    return hit[2].extract(text, today, prefer_dates_from=prefer_dates_from)


def parse_money(text: str | None) -> float | None:
    """Parse a money answer ("€ 49,95", "1.250", "vijftig euro", "49,95"); None if not one amount."""
    if not text:
        return None
    ents = [e for e in EntityExtractor().extract(text) if e["entity"] == "money"]
    if len(ents) == 1:
        return float(ents[0]["value"])
    return parse_number(text) if not ents else None


def parse_hours(text: str | None) -> float | None:
    """Parse a weekly-hours answer ("32", "32 uur", "zestien uur per week"); None if not one value."""
    if not text:
        return None
    ents = [e for e in EntityExtractor().extract(text) if e["entity"] == "hours"]
    if len(ents) == 1:
        return float(ents[0]["value"])
    return parse_number(text) if not ents else None
