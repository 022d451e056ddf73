"""Output and input types shared by every calculator.

A calculator never prints or formats for a channel: it returns a :class:`Calculation`,
whose ``steps`` are the working in plain Dutch and whose ``citations`` point at the
exact lines of the regeling each parameter came from. The rasa_sdk actions around the
calculators collect inputs (one :class:`InputSpec` per question) and render the result.

Money is handled as :class:`decimal.Decimal` inside the calculators; a ``Calculation``
holds plain floats/ints/bools/strings so that it serialises to JSON without surprises.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "Citation",
    "Calculation",
    "InputSpec",
    "InputError",
    "Calculator",
    "KINDS",
    "validate_inputs",
    "coerce_input",
    "jsonable",
]

#: The kinds of input a calculator can ask for. ``dates`` (a list of dates, e.g. public
#: holidays) and ``number`` (a plain non-negative number such as kilometres) extend the
#: list in the design brief.
KINDS = ("hours", "money", "date", "dates", "choice", "int", "bool", "percent", "number")

MONEY_MAX = Decimal("1000000")  # euros must be below one million
HOURS_MIN_DEFAULT = Decimal("1")
HOURS_MAX_DEFAULT = Decimal("60")


@dataclass
class Citation:
    """Where a figure comes from: a line span in one corpus document."""

    doc: str
    gemeente: str
    title: str
    section: str
    line_start: int
    line_end: int
    quote: str
    score: float = 1.0

    def to_json(self) -> dict:
        return {
            "doc": self.doc,
            "gemeente": self.gemeente,
            "title": self.title,
            "section": self.section,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "quote": self.quote,
            "score": self.score,
        }


@dataclass
class Calculation:
    """The result of one calculator run.

    ``value`` is the headline answer (the number the summary is about); everything the
    user needs to check it is in ``steps`` (the working, in Dutch), ``citations`` and
    ``caveats`` (where the text is ambiguous or silent). ``supported`` is False when the
    gemeente's regeling does not regulate the subject: then ``value`` is None and the
    summary says who to ask. ``details`` carries machine-readable extras (for example
    both readings of an ambiguous rule); it is not part of :meth:`to_json`.
    """

    name: str
    gemeente: str
    inputs: dict
    value: float | int | bool | str | None
    unit: str
    steps: list[str]
    citations: list[Citation]
    caveats: list[str]
    supported: bool = True
    summary: str = ""
    details: dict = field(default_factory=dict)
    language: str = "nl"  # the language summary, steps and caveats are written in

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "inputs": jsonable(self.inputs),
            "result": {"value": jsonable(self.value), "unit": self.unit},
            "steps": list(self.steps),
            "citations": [c.to_json() for c in self.citations],
            "caveats": list(self.caveats),
        }


class InputError(ValueError):
    """An input is missing or out of range. ``message_nl`` is shown to the user as is;
    ``message_en`` is the English text for English users (the Dutch one when a
    calculator gives none). :meth:`message` picks by the conversation's language."""

    def __init__(self, field: str, message_nl: str, message_en: str | None = None):
        super().__init__(f"{field}: {message_nl}")
        self.field = field
        self.message_nl = message_nl
        self.message_en = message_en or message_nl

    def message(self, language: str | None) -> str:
        return self.message_en if language == "en" else self.message_nl


@dataclass
class InputSpec:
    """One thing a calculator needs to know, and the Dutch question that asks for it.

    ``only_if`` makes an input conditional on an earlier choice, e.g.
    ``{"onderdeel": "terugbetaling"}``: it is only asked (and only required) when that
    choice was made. ``aliases`` maps user words to a canonical choice ("kortdurend" →
    "kort"). ``not_future`` rejects dates after *today* where a past date is meant.
    """

    name: str
    kind: str
    required: bool
    question: str
    choices: list[str] | None = None
    min: float | None = None
    max: float | None = None
    not_future: bool = False
    default: Any = None
    only_if: dict[str, str] | None = None
    aliases: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown input kind {self.kind!r} for {self.name}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"choice input {self.name} needs choices")

    def applies(self, values: dict[str, Any]) -> bool:
        """True when this input is relevant given the values already known."""
        if not self.only_if:
            return True
        return all(values.get(k) == v for k, v in self.only_if.items())


@runtime_checkable
class Calculator(Protocol):
    name: str
    title: str
    inputs: list[InputSpec]

    def gemeenten(self) -> list[str]: ...

    def compute(self, gemeente: str, inputs: dict, today: date) -> Calculation: ...


# ---------------------------------------------------------------------------
# Input coercion and validation
# ---------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_TRUE = {"true", "ja", "j", "yes", "y", "1", "wel", "klopt", "yeah", "yep", "correct"}
_FALSE = {"false", "nee", "n", "no", "0", "niet", "geen", "nope"}

#: English answers to choice questions -> the Dutch choice values they mean, tried in
#: order (the first one the question offers wins: "pension" is "volledig pensioen" when
#: asked why the employment ends, "aow" when asked why working from home ends). Only
#: used when the answer is not a Dutch choice or alias, so Dutch answers read as before.
#: The first key naming a choice is also its English hint in "Choose one of …".
_EN_CHOICES: dict[str, tuple[str, ...]] = {
    # zorgverlof
    "short-term": ("kort",), "short term": ("kort",), "short": ("kort",),
    "short-term care leave": ("kort",), "short term care leave": ("kort",), "short-term leave": ("kort",),
    "long-term": ("lang",), "long term": ("lang",), "long": ("lang",),
    "long-term care leave": ("lang",), "long term care leave": ("lang",), "long-term leave": ("lang",),
    # reiskosten
    "business trip": ("dienstreis",), "business trips": ("dienstreis",), "business travel": ("dienstreis",),
    "work trip": ("dienstreis",),
    "commute": ("woon-werk",), "commuting": ("woon-werk",), "commuting to work": ("woon-werk",),
    "home-work": ("woon-werk",), "home to work": ("woon-werk",), "travel to work": ("woon-werk",),
    "car": ("auto",), "my car": ("auto",), "own car": ("auto",),
    "motorbike or scooter": ("motor of scooter",), "motorbike": ("motor of scooter",),
    "motorcycle": ("motor of scooter",),
    "moped": ("rijwiel met hulpmotor",), "light moped": ("rijwiel met hulpmotor",),
    "bicycle": ("fiets",), "bike": ("fiets",), "cycle": ("fiets",),
    # gratificatie
    "individual": ("individueel",), "one employee": ("individueel",), "single employee": ("individueel",),
    "individual bonus": ("individueel",),
    "group": ("groep",), "group bonus": ("groep",),
    # thuiswerken
    "working from home": ("thuiswerkuren",), "work from home": ("thuiswerkuren",),
    "hours working from home": ("thuiswerkuren",), "home working hours": ("thuiswerkuren",),
    "hours": ("thuiswerkuren",),
    "repayment": ("terugbetaling",), "pay back": ("terugbetaling",), "paying back": ("terugbetaling",),
    "desk": ("terugbetaling",), "desk chair": ("terugbetaling",), "office chair": ("terugbetaling",),
    "chair": ("terugbetaling",),
    "resignation": ("ontslag", "eigen verzoek"), "resigned": ("ontslag", "eigen verzoek"),
    "i resigned": ("ontslag", "eigen verzoek"),
    "state pension": ("aow",), "aow age": ("aow",),
    "early retirement": ("keuzepensioen", "volledig pensioen"),
    "economic reasons": ("bedrijfseconomisch",), "redundancy": ("bedrijfseconomisch", "andere reden"),
    "reorganisation": ("bedrijfseconomisch", "andere reden"), "reorganization": ("bedrijfseconomisch", "andere reden"),
    "incapacity for work": ("arbeidsongeschiktheid",), "disability": ("arbeidsongeschiktheid",),
    "pension": ("volledig pensioen", "aow"), "retirement": ("volledig pensioen", "aow"),
    # studiekosten, ontslaguitkering
    "own request": ("eigen verzoek",), "at my own request": ("eigen verzoek",), "my own request": ("eigen verzoek",),
    "new job": ("eigen verzoek",),
    "my fault": ("aan mij te wijten",), "my own fault": ("aan mij te wijten",), "own fault": ("aan mij te wijten",),
    "attributable to me": ("aan mij te wijten",),
    "other reason": ("andere reden", "anders"), "another reason": ("andere reden", "anders"),
    "other": ("andere reden", "anders"), "something else": ("andere reden", "anders"),
    "end of contract": ("andere reden",),
    "full pension": ("volledig pensioen",), "full retirement": ("volledig pensioen",),
    "part-time pension": ("deeltijdpensioen",), "partial pension": ("deeltijdpensioen",),
    "partial retirement": ("deeltijdpensioen",),
    # verlof kopen of verkopen
    "buy": ("kopen",), "buying": ("kopen",), "buy leave": ("kopen",), "buy hours": ("kopen",),
    "sell": ("verkopen",), "selling": ("verkopen",), "sell leave": ("verkopen",), "sell hours": ("verkopen",),
    "cash out": ("verkopen",),
    # stagevergoeding
    "university": ("wo",), "research university": ("wo",),
    "university of applied sciences": ("hbo",), "higher professional education": ("hbo",), "applied sciences": ("hbo",),
    "vocational": ("mbo",), "vocational education": ("mbo",), "secondary vocational education": ("mbo",),
    # periodiek
    "insufficient": ("onvoldoende",), "unsatisfactory": ("onvoldoende",), "poor": ("onvoldoende",),
    "sufficient": ("voldoende",), "satisfactory": ("voldoende",),
    "good": ("goed",), "very good": ("zeer goed",), "excellent": ("zeer goed",),
    # relatiegeschenk
    "employee": ("medewerker",), "staff member": ("medewerker",), "team leader": ("leidinggevende",),
    "director": ("directeur",), "general director": ("algemeen directeur",),
    "managing director": ("algemeen directeur",), "municipal secretary": ("algemeen directeur",),
}
_EN_ARTICLE = re.compile(r"^(?:a|an|the)\s+")


def _english_choice(text: str, choices: list[str]) -> str | None:
    """The choice an English answer means ("short-term" -> "kort"), or None."""
    key = _EN_ARTICLE.sub("", re.sub(r"\s+", " ", text.strip(" .!?")))
    by_lower = {c.lower(): c for c in choices}
    for candidate in _EN_CHOICES.get(key, ()):
        if candidate in by_lower:
            return by_lower[candidate]
    return None


def _english_options(choices: list[str]) -> str:
    """ "kort (short-term), lang (long-term)": each choice with its first English name."""
    out = []
    for choice in choices:
        name = next((k for k, v in _EN_CHOICES.items() if v[0] == choice.lower()), None)
        out.append(f"{choice} ({name})" if name and name != choice.lower() else choice)
    return ", ".join(out)


def _number_en(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _to_decimal(field_name: str, raw: Any, what: tuple[str, str]) -> Decimal:
    """Parse numbers the way Dutch users and NLU entities give them.

    Accepts ints, finite floats, Decimals and strings like "1.234,56", "€ 75", "32 uur",
    "1234.5". A dot followed by exactly three digits is read as a thousands separator
    (Dutch usage), a comma as the decimal sign. ``what``: the Dutch and English name of
    the expected value, for the message.
    """
    nl, en = what
    if isinstance(raw, bool):
        raise InputError(field_name, f"Vul een getal in voor {nl}.", f"Please give a number for {en}.")
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise InputError(field_name, f"Vul een geldig getal in voor {nl}.", f"Please give a valid number for {en}.")
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise InputError(field_name, f"Vul een geldig getal in voor {nl}.", f"Please give a valid number for {en}.")
        return Decimal(str(raw))
    if isinstance(raw, str):
        text = raw.strip().lower()
        text = re.sub(r"(€|eur(o)?|uur|u\b|km|kilometer|%|procent|per\s+\w+)", " ", text)
        text = text.replace("\u00a0", " ").replace(" ", "")
        text = text.rstrip(",-").rstrip(".")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):
            text = text.replace(".", "")
        elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")
        if _NUMBER_RE.match(text):
            try:
                return Decimal(text.replace(",", "."))
            except InvalidOperation:
                pass
    raise InputError(field_name, f"Ik kan '{raw}' niet lezen als {nl}.", f"I can't read '{raw}' as {en}.")


def _to_date(field_name: str, raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
        else:
            m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
            if not m:
                raise InputError(field_name, f"Ik kan '{raw}' niet lezen als datum (bijvoorbeeld 15-03-2025).",
                                 f"I can't read '{raw}' as a date (for example 15-03-2025 or 15 March 2025).")
            d, mo, y = (int(g) for g in m.groups())
        try:
            return date(y, mo, d)
        except ValueError:
            raise InputError(field_name, f"'{raw}' is geen bestaande datum.",
                             f"'{raw}' is not an existing date.") from None
    raise InputError(field_name, f"Ik kan '{raw}' niet lezen als datum.", f"I can't read '{raw}' as a date.")


def _coerce(spec: InputSpec, raw: Any, today: date) -> Any:
    kind = spec.kind
    if kind in ("hours", "money", "percent", "number"):
        what = {"hours": ("een aantal uren", "a number of hours"),
                "money": ("een bedrag in euro", "an amount in euros"),
                "percent": ("een percentage", "a percentage"), "number": ("een getal", "a number")}[kind]
        value = _to_decimal(spec.name, raw, what)
        _check_number_bounds(spec, value)
        return value
    if kind == "int":
        value = _to_decimal(spec.name, raw, ("een heel getal", "a whole number"))
        if value != value.to_integral_value():
            # English: the question itself follows (the form asks it again, in English).
            raise InputError(spec.name, f"Vul een heel getal in ({spec.question})", "Please give a whole number.")
        _check_number_bounds(spec, value)
        return int(value)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise InputError(spec.name, f"Antwoord met ja of nee: {spec.question}", "Please answer yes or no.")
    if kind == "choice":
        text = str(raw).strip().lower()
        aliases = {k.lower(): v for k, v in (spec.aliases or {}).items()}
        text = aliases.get(text, text).lower()  # an alias may name a capitalised choice ("zg" -> "Zeer goed")
        for choice in spec.choices or []:
            if text == choice.lower():
                return choice
        english = _english_choice(text, spec.choices or [])
        if english is not None:
            return english
        options = ", ".join(spec.choices or [])
        raise InputError(spec.name, f"Kies een van deze mogelijkheden: {options}.",
                         f"Please choose one of these options: {_english_options(spec.choices or [])}.")
    if kind == "date":
        value = _to_date(spec.name, raw)
        if spec.not_future and value > today:
            raise InputError(spec.name, "Deze datum ligt in de toekomst; hier is een datum in het verleden bedoeld.",
                             "This date is in the future; a date in the past is meant here.")
        return value
    if kind == "dates":
        if raw in ("", None):
            return []
        items = raw if isinstance(raw, (list, tuple, set)) else str(raw).replace(";", ",").split(",")
        return sorted({_to_date(spec.name, item) for item in items if str(item).strip()})
    raise AssertionError(kind)  # pragma: no cover - guarded in InputSpec


def coerce_input(spec: InputSpec, raw: Any, today: date) -> Any:
    """Check and convert one answer (for form validation slot by slot); raises :class:`InputError`."""
    return _coerce(spec, raw, today)


def _check_number_bounds(spec: InputSpec, value: Decimal) -> None:
    if spec.kind == "money":
        low = Decimal(str(spec.min)) if spec.min is not None else Decimal(0)
        if value < low:
            raise InputError(spec.name, "Een bedrag kan niet negatief zijn." if low == 0
                             else f"Het bedrag moet minstens € {low} zijn.",
                             "An amount cannot be negative." if low == 0 else f"The amount must be at least € {low}.")
        high = Decimal(str(spec.max)) if spec.max is not None else None
        if value >= MONEY_MAX or (high is not None and value > high):
            raise InputError(spec.name, "Dit bedrag is onwaarschijnlijk hoog; controleer het bedrag.",
                             "This amount is improbably high; please check it.")
        return
    if spec.kind == "hours":
        low = Decimal(str(spec.min)) if spec.min is not None else HOURS_MIN_DEFAULT
        high = Decimal(str(spec.max)) if spec.max is not None else HOURS_MAX_DEFAULT
        if value < low or value > high:
            raise InputError(spec.name, f"Vul een aantal uren tussen {_plain(low)} en {_plain(high)} in.",
                             f"Please give a number of hours between {_number_en(low)} and {_number_en(high)}.")
        return
    if spec.kind == "percent":
        low = Decimal(str(spec.min)) if spec.min is not None else Decimal(0)
        high = Decimal(str(spec.max)) if spec.max is not None else Decimal(100)
        if value < low or value > high:
            raise InputError(spec.name, f"Vul een percentage tussen {_plain(low)} en {_plain(high)} in.",
                             f"Please give a percentage between {_number_en(low)} and {_number_en(high)}.")
        return
    low = Decimal(str(spec.min)) if spec.min is not None else Decimal(0)
    if value < low:
        raise InputError(spec.name, f"Vul een getal van minstens {_plain(low)} in.",
                         f"Please give a number of at least {_number_en(low)}.")
    if spec.max is not None and value > Decimal(str(spec.max)):
        raise InputError(spec.name, f"Vul een getal van hoogstens {_plain(Decimal(str(spec.max)))} in.",
                         f"Please give a number of at most {_number_en(Decimal(str(spec.max)))}.")


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def validate_inputs(specs: list[InputSpec], raw: dict | None, today: date) -> dict[str, Any]:
    """Coerce and check raw inputs against the specs; raise :class:`InputError` on the first problem.

    Inputs are processed in spec order so that ``only_if`` conditions can look at
    earlier choices. Missing optional inputs get their ``default``; inputs that do not
    apply are dropped. Unknown keys are ignored (the NLU may fill slots this calculator
    does not use).
    """
    raw = dict(raw or {})
    values: dict[str, Any] = {}
    for spec in specs:
        if not spec.applies(values):
            continue
        given = raw.get(spec.name)
        if given is None or (isinstance(given, str) and not given.strip()):
            if spec.required:
                raise InputError(spec.name, f"Dit gegeven ontbreekt nog. {spec.question}",
                                 "This information is still missing.")
            if spec.default is not None:
                values[spec.name] = spec.default
            continue
        values[spec.name] = _coerce(spec, given, today)
    return values


def jsonable(value: Any) -> Any:
    """Convert Decimals, dates and containers to JSON-friendly values."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return value
