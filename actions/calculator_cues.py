"""Figures and choices in a whole sentence, matched to calculator inputs by the words
next to them.

Why: people ask in one breath — "Ik fiets 300 km per jaar voor dienstreizen", "kennis 42,
zelfstandigheid 27", "maximum van mijn schaal (€ 4.000; de trede daaronder is € 3.850)".
The entity extractor finds *amounts*, but when a calculator has several inputs of one
kind (two amounts, six scores) or an input with no entity type (kilometres, points,
years of service), only the words around a figure say which input it is. The cue words
live in ``calculator_forms.yml`` (``cues:``), next to the forms they serve:

* a list of phrases for a figure: the nearest figure in the same clause (no ``.``,
  ``;``, ``,``, ``?`` in between) within a few words is that input's value; a phrase
  written ``"… km per jaar"`` only takes a figure before it, ``"glazen van …"`` only one
  after it;
* for a date input, a list of phrases works the same way on the dates the NLU finds
  ("op 21 april 2025 met zwangerschapsverlof");
* a list of phrases for a choice: the choice word right after the phrase ("prestatie
  goed");
* a mapping ``choice value → phrases`` for a choice (``ja``/``nee`` for a yes/no input):
  a phrase anywhere in the text picks it;
* ``{before_year: 1997, cues: [...]}`` answers a yes/no input from the year after a cue
  ("in dienst sinds 1995").

Each figure is given to one input at most, closest pairs first. The values are raw
text; the calculator's own coercion (``pre_parse`` + ``coerce_input``) checks them, as
for typed answers.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from knowledge import yaml_io

FORMS_FILE = Path(__file__).resolve().parent / "calculator_forms.yml"
MAX_GAP = 28  # characters between a figure and its cue (a few words)
_FIGURE = re.compile(r"€\s?[-−]?\d+(?:[.,]\d+)*|[-−]?\d+(?:[.,]\d+)*(?:\s?(?:euro|eur)\b)?", re.IGNORECASE)
_BOUNDARY = re.compile(r"[.;,?!]")


@functools.lru_cache(maxsize=1)
def load_cues(path: Path = FORMS_FILE) -> dict[str, dict[str, Any]]:
    """``{calculator: {input: [phrases] | {choice: [phrases]}}}`` from calculator_forms.yml."""
    data = yaml_io.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return data.get("cues") or {}


def _phrase_spans(low: str, phrase: str) -> list[tuple[int, int]]:
    pat = r"(?<!\w)" + re.escape(phrase.lower()) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pat, low)]


def _gap(low: str, a: tuple[int, int], b: tuple[int, int]) -> int | None:
    """Characters between two spans, or None when they overlap or a clause boundary lies between."""
    left, right = (a, b) if a[0] <= b[0] else (b, a)
    if right[0] < left[1]:
        return None
    between = low[left[1]:right[0]]
    if _BOUNDARY.search(between):
        return None
    return len(between.strip())


@functools.lru_cache(maxsize=1)
def _extractor() -> Any:
    from nlu.entities import EntityExtractor

    return EntityExtractor()


def _date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the dates in ``text`` ("1 juni 2025", "gisteren"), by the NLU's date extractor."""
    return [(e["start"], e["end"]) for e in _extractor().extract(text) if e.get("entity") == "date"]


def _choice_after(low: str, span: tuple[int, int], choices: list[str]) -> str | None:
    """The choice word right after a cue ("prestatie goed" → Goed), longest first."""
    rest = low[span[1]:span[1] + MAX_GAP]
    m = re.match(r"[\s:=-]*(?:is\s+|was\s+)?['‘“\"]?", rest)  # also quoted: beoordeling 'goed'
    rest = rest[m.end():] if m else rest
    for choice in sorted(choices, key=len, reverse=True):
        if re.match(re.escape(choice.lower()) + r"(?!\w)", rest):
            return choice
    return None


def _year_after(low: str, phrases: list[str]) -> int | None:
    """The four-digit year right after one of ``phrases`` ("in dienst sinds 1995" → 1995)."""
    for phrase in phrases:
        for _, end in _phrase_spans(low, phrase.strip("… ")):
            m = re.match(r"\s*(?:(?:\d{1,2}\s+)?[a-z]+\s+)?((?:19|20)\d\d)(?!\d)", low[end:end + MAX_GAP])
            if m:
                return int(m.group(1))
    return None


def cue_values(calc_name: str, text: str, input_names: list[str], specs: list[Any] | None = None) -> dict[str, str]:
    """Raw values for the inputs named in ``input_names`` whose cue words occur in ``text``.

    ``specs``: the inputs as the user's gemeente has them (a choice mapping then skips
    values that gemeente does not offer: "beoordelingsgesprek" is another termijn in Kaag
    en Braassem than "op proef" in Oldebroek); the calculator's own inputs by default.
    """
    cues = load_cues().get(calc_name) or {}
    if not cues or not text:
        return {}
    from actions.calculators import registry

    specs = {s.name: s for s in (specs if specs is not None else registry.get(calc_name).inputs)}
    low = text.lower()
    out: dict[str, str] = {}
    wanted = [n for n in input_names if n in cues]
    dates = _date_spans(text) if any(specs[n].kind == "date" for n in wanted if n in specs) else []
    # Figures inside a date ("1 juni 2025") are not amounts or counts.
    numbers = [(m.start(), m.end()) for m in _FIGURE.finditer(low)
               if not any(a <= m.start() < b for a, b in dates)]
    pairs: list[tuple[int, int, str, tuple[int, int]]] = []  # (gap, -len(phrase), input, figure)
    for name in wanted:
        spec, cue = specs.get(name), cues[name]
        if spec is None:
            continue
        if isinstance(cue, dict) and "before_year" in cue:  # yes/no from a year ("in dienst sinds 1995")
            year = _year_after(low, cue.get("cues") or [])
            if year is not None:
                out[name] = "ja" if year < int(cue["before_year"]) else "nee"
            continue
        if isinstance(cue, dict):  # a choice: the first value (this gemeente offers) whose phrase occurs
            offered = set(spec.choices or []) if spec.kind == "choice" else None
            for value, phrases in cue.items():
                if offered and str(value) not in offered:
                    continue
                if any(_phrase_spans(low, p) for p in phrases or []):
                    out[name] = str(value)
                    break
            continue
        for phrase in cue or []:
            before, after = phrase.startswith("…"), phrase.endswith("…")
            for span in _phrase_spans(low, phrase.strip("… ")):
                if spec.kind == "choice":  # a cue followed by one of the choices
                    found = _choice_after(low, span, list(spec.choices or []))
                    if found and name not in out:
                        out[name] = found
                    continue
                for fig in dates if spec.kind == "date" else numbers:
                    if (before and fig[0] > span[0]) or (after and fig[0] < span[1]):
                        continue
                    gap = _gap(low, span, fig)
                    if gap is not None and gap <= MAX_GAP:
                        pairs.append((gap, -len(phrase), name, fig))
    used: set[tuple[int, int]] = set()
    for _gap_len, _longer, name, fig in sorted(pairs):  # closest first; on a tie the longer cue
        if name in out or fig in used:
            continue
        out[name] = text[fig[0]:fig[1]].strip()
        used.add(fig)
    return out


def _calculator_of(form: str) -> str | None:
    """``calc_reiskosten_form`` → ``reiskosten`` when that calculator has cues, else None."""
    if not (form.startswith("calc_") and form.endswith("_form")):
        return None
    calc = form.removeprefix("calc_").removesuffix("_form")
    return calc if calc in load_cues() else None


def cue_slots(form: str, text: str, slots: list[str]) -> dict[str, str]:
    """Cue matches of ``text`` as ``{slot: raw value}`` for a calculator form, limited to ``slots``.

    The dialogue runtime uses it for corrections ("nee, 30 km"): only slots already
    answered are candidates, which also tells apart inputs that share a unit.
    """
    from actions.calculator_io import slot_name

    calc = _calculator_of(form)
    if calc is None:
        return {}
    by_slot = {slot_name(calc, name): name for name in load_cues()[calc]}
    wanted = [by_slot[s] for s in slots if s in by_slot]
    return {slot_name(calc, k): v for k, v in cue_values(calc, text, wanted).items()}


def cues_in(form: str, text: str) -> bool:
    """Whether ``text`` holds any figure or choice for this calculator form by its cue words."""
    calc = _calculator_of(form)
    return calc is not None and bool(cue_values(calc, text, list(load_cues()[calc])))


def coerced_cue_values(calc_name: str, text: str, specs: list[Any], today: Any,
                       skip: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """:func:`cue_values` checked by each input's own coercion; values it refuses are left out
    (the form then asks for them, with the calculator's message)."""
    from actions.calculator_io import coerce_answers

    wanted = [s for s in specs if s.name not in skip]
    return coerce_answers(wanted, cue_values(calc_name, text, [s.name for s in wanted], specs=list(specs)), today)
