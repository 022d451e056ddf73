"""Melding types, loaded from ``types.yml``, and validation of submitted fields.

The YAML is data (labels, line spans, deadlines) that reviewers check against the regeling; this module only turns it
into frozen dataclasses and validates values. Validation messages name the field but never repeat the value: callers
may log exceptions, and a value is melding content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

import yaml

TYPES_FILE = Path(__file__).with_name("types.yml")
KINDS = ("text", "date", "datetime", "choice", "multichoice", "bool")
DEFAULT_MAX_LENGTH = 10_000
_MISSING = object()


class TypesError(RuntimeError):
    """``types.yml`` is inconsistent."""


class UnknownType(KeyError):
    """No melding type with this name."""


class ValidationError(ValueError):
    """Submitted fields are invalid. ``errors`` maps field name to a Dutch message (without the value)."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class Condition:
    """``{field: X, equals: V}``, ``{field: X, contains: V}`` (a multichoice holds V) or ``{field: X, in: [V, …]}``
    (the value is one of these), evaluated on normalised values."""

    field: str
    equals: Any = _MISSING
    contains: Any = _MISSING
    one_of: tuple[Any, ...] | None = None

    def holds(self, values: Mapping[str, Any]) -> bool:
        value = values.get(self.field)
        if self.equals is not _MISSING:
            return value == self.equals
        if self.one_of is not None:
            return not isinstance(value, (list, tuple, dict)) and value in self.one_of
        return isinstance(value, (list, tuple)) and self.contains in value

    def values(self) -> tuple[Any, ...]:
        """The value(s) the condition compares with."""
        if self.equals is not _MISSING:
            return (self.equals,)
        if self.one_of is not None:
            return self.one_of
        return (self.contains,)

    @classmethod
    def parse(cls, raw: Mapping[str, Any] | None) -> "Condition | None":
        if raw is None:
            return None
        if "equals" in raw:
            return cls(raw["field"], equals=raw["equals"])
        if "contains" in raw:
            return cls(raw["field"], contains=raw["contains"])
        if "in" in raw:
            if isinstance(raw["in"], (str, bytes)) or not raw["in"]:
                raise TypesError(f"conditie 'in' vraagt een niet-lege lijst: {raw}")
            return cls(raw["field"], one_of=tuple(raw["in"]))
        raise TypesError(f"conditie zonder equals/contains/in: {raw}")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str
    required: bool
    source: tuple[int, int]
    choices: tuple[Choice, ...] = ()
    form_label: str | None = None
    pattern: str | None = None
    max_length: int = DEFAULT_MAX_LENGTH
    not_future: bool = False
    required_if: Condition | None = None

    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice_label(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)


@dataclass(frozen=True)
class Citation:
    """A verbatim quote with its line span in the corpus document."""

    doc: str
    line_start: int
    line_end: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "line_start": self.line_start, "line_end": self.line_end, "quote": self.quote}


@dataclass(frozen=True)
class Offset:
    hours: int = 0
    days: int = 0
    weeks: int = 0
    months: int = 0

    @property
    def is_elapsed_time(self) -> bool:
        """Hours are elapsed time; days, weeks and months are calendar periods ending at the end of a day."""
        return bool(self.hours) and not (self.days or self.weeks or self.months)

    @classmethod
    def parse(cls, raw: Mapping[str, int]) -> "Offset":
        unknown = set(raw) - {"hours", "days", "weeks", "months"}
        if unknown:
            raise TypesError(f"onbekende eenheid in offset: {sorted(unknown)}")
        return cls(**{k: int(v) for k, v in raw.items()})


@dataclass(frozen=True)
class Extension:
    offset: Offset
    max_times: int


@dataclass(frozen=True)
class DeadlineSpec:
    key: str
    label_nl: str
    anchor: str
    offset: Offset
    citation: Citation
    fallback: str = "received"
    window_start: Offset | None = None
    when: Condition | None = None
    extendable: Extension | None = None
    ack: bool = False
    note: str | None = None


@dataclass(frozen=True)
class IdentitySpec:
    policy: str  # "optional" | "required"
    fields: tuple[FieldSpec, ...]
    source: tuple[int, int]
    required_if: Condition | None = None
    note: str | None = None

    def is_required(self, values: Mapping[str, Any]) -> bool:
        return self.policy == "required" or bool(self.required_if and self.required_if.holds(values))


@dataclass(frozen=True)
class RetentionSpec:
    days_after_close: int
    source: str  # "regeling" | "default"
    related: tuple[int, int] | None = None
    note: str | None = None


@dataclass(frozen=True)
class EventSpec:
    name: str
    label_nl: str


@dataclass(frozen=True)
class MeldingType:
    name: str
    label_nl: str
    handler_role: str
    fields: tuple[FieldSpec, ...]
    identity: IdentitySpec
    deadlines: tuple[DeadlineSpec, ...]
    retention: RetentionSpec
    events: tuple[EventSpec, ...] = ()
    incident_anchor: tuple[str, str | None] | None = None
    chapters: str = ""
    handler_note: str | None = None
    handler_source: tuple[int, int] | None = None

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def event_names(self) -> tuple[str, ...]:
        """Events a handler may record: every deadline key (= completing it) plus the declared events."""
        return tuple(d.key for d in self.deadlines) + tuple(e.name for e in self.events)


# --------------------------------------------------------------------------------------------------- loading

def _span(raw: Any) -> tuple[int, int]:
    a, b = raw
    return int(a), int(b)


def _parse_field(raw: Mapping[str, Any]) -> FieldSpec:
    kind = raw["kind"]
    if kind not in KINDS:
        raise TypesError(f"veld {raw.get('name')}: onbekende soort {kind}")
    choices = tuple(Choice(str(c["value"]), str(c["label"])) for c in raw.get("choices") or ())
    if kind in ("choice", "multichoice") and not choices:
        raise TypesError(f"veld {raw['name']}: keuzeveld zonder keuzes")
    pattern = raw.get("pattern")
    if pattern:
        re.compile(pattern)
    return FieldSpec(
        name=str(raw["name"]), label=str(raw["label"]), kind=kind, required=bool(raw.get("required", False)),
        source=_span(raw["source"]), choices=choices, form_label=raw.get("form_label"), pattern=pattern,
        max_length=int(raw.get("max_length", DEFAULT_MAX_LENGTH)), not_future=bool(raw.get("not_future", False)),
        required_if=Condition.parse(raw.get("required_if")),
    )


def _parse_deadline(raw: Mapping[str, Any], doc: str) -> DeadlineSpec:
    c = raw["citation"]
    ext = raw.get("extendable")
    return DeadlineSpec(
        key=str(raw["key"]), label_nl=str(raw["label_nl"]), anchor=str(raw["anchor"]),
        offset=Offset.parse(raw["offset"]),
        citation=Citation(doc, int(c["line_start"]), int(c["line_end"]), str(c["quote"])),
        fallback=str(raw.get("fallback", "received")),
        window_start=Offset.parse(raw["window_start"]) if raw.get("window_start") else None,
        when=Condition.parse(raw.get("when")),
        extendable=Extension(Offset.parse(ext["offset"]), int(ext["max_times"])) if ext else None,
        ack=bool(raw.get("ack", False)), note=raw.get("note"),
    )


def _parse_type(name: str, raw: Mapping[str, Any], doc: str) -> MeldingType:
    ident = raw["identity"]
    ret = raw["retention"]
    anchor = raw.get("incident_anchor")
    mtype = MeldingType(
        name=name, label_nl=str(raw["label_nl"]), handler_role=str(raw["handler_role"]),
        fields=tuple(_parse_field(f) for f in raw["fields"]),
        identity=IdentitySpec(
            policy=str(ident["policy"]), fields=tuple(_parse_field(f) for f in ident["fields"]),
            source=_span(ident["source"]), required_if=Condition.parse(ident.get("required_if")),
            note=ident.get("note"),
        ),
        deadlines=tuple(_parse_deadline(d, doc) for d in raw.get("deadlines") or ()),
        retention=RetentionSpec(
            days_after_close=int(ret["days_after_close"]), source=str(ret["source"]),
            related=_span(ret["related"]) if ret.get("related") else None, note=ret.get("note"),
        ),
        events=tuple(EventSpec(str(e["name"]), str(e["label_nl"])) for e in raw.get("events") or ()),
        incident_anchor=(anchor["date"], anchor.get("time")) if anchor else None,
        chapters=str(raw.get("chapters", "")), handler_note=raw.get("handler_note"),
        handler_source=_span(raw["handler_source"]) if raw.get("handler_source") else None,
    )
    _check_type(mtype)
    return mtype


def _check_type(t: MeldingType) -> None:
    """Catch YAML mistakes at load time rather than at the first submission."""
    names = [f.name for f in t.fields]
    if len(set(names)) != len(names):
        raise TypesError(f"{t.name}: dubbele veldnamen")
    if t.identity.policy not in ("optional", "required"):
        raise TypesError(f"{t.name}: identity.policy moet optional of required zijn")
    if t.retention.source not in ("regeling", "default"):
        raise TypesError(f"{t.name}: retention.source moet regeling of default zijn")
    by_name = {f.name: f for f in t.fields}
    for cond in [f.required_if for f in t.fields + t.identity.fields] + [t.identity.required_if]:
        if cond and cond.field not in names:
            raise TypesError(f"{t.name}: conditie op onbekend veld {cond.field}")
        if cond and by_name[cond.field].kind in ("choice", "multichoice"):
            unknown = [v for v in cond.values() if v not in by_name[cond.field].choice_values()]
            if unknown:
                raise TypesError(f"{t.name}: conditie op {cond.field} met onbekende keuze(s) {unknown}")
    if t.incident_anchor and t.incident_anchor[0] not in names:
        raise TypesError(f"{t.name}: incident_anchor verwijst naar onbekend veld")
    seen: set[str] = set()
    events = {e.name for e in t.events}
    for d in t.deadlines:
        if d.when and d.when.field not in names:
            raise TypesError(f"{t.name}.{d.key}: when op onbekend veld")
        if d.anchor.startswith("event:"):
            ev = d.anchor[6:]
            if ev not in seen and ev not in events:
                raise TypesError(f"{t.name}.{d.key}: anker {d.anchor} is geen eerdere termijn of event")
        elif d.anchor not in ("received", "incident"):
            raise TypesError(f"{t.name}.{d.key}: onbekend anker {d.anchor}")
        if d.fallback.startswith("due:") and d.fallback[4:] not in seen:
            raise TypesError(f"{t.name}.{d.key}: fallback {d.fallback} moet naar een eerdere termijn wijzen")
        seen.add(d.key)


@lru_cache(maxsize=4)
def load_types(path: Path = TYPES_FILE) -> dict[str, MeldingType]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    doc = str(raw["corpus"])
    return {name: _parse_type(name, spec, doc) for name, spec in raw["types"].items()}


def get_type(name: str) -> MeldingType:
    try:
        return load_types()[name]
    except KeyError:
        raise UnknownType(name) from None


def type_names() -> tuple[str, ...]:
    return tuple(load_types())


# ------------------------------------------------------------------------------------------------ validation

def _local_today(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def _normalise(spec: FieldSpec, value: Any, today: date, tz: str) -> tuple[Any, str | None]:
    """Return (normalised value, error). Errors never contain the value."""
    if spec.kind == "text":
        if not isinstance(value, str):
            return None, "moet tekst zijn"
        value = value.strip()
        if len(value) > spec.max_length:
            return None, f"te lang (maximaal {spec.max_length} tekens)"
        if spec.pattern and value and not re.fullmatch(spec.pattern, value):
            return None, "heeft niet de verwachte vorm"
        return value, None
    if spec.kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, "moet ja of nee zijn")
    if spec.kind == "date":
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                return None, "is geen geldige datum (JJJJ-MM-DD)"
        if not isinstance(value, date):
            return None, "is geen geldige datum"
        if spec.not_future and value > today:
            return None, "ligt in de toekomst"
        return value.isoformat(), None
    if spec.kind == "datetime":
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.strip())
            except ValueError:
                return None, "is geen geldig tijdstip (JJJJ-MM-DDTuu:mm)"
        if not isinstance(value, datetime):
            return None, "is geen geldig tijdstip"
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(tz))
        return value.isoformat(), None
    if spec.kind == "choice":
        return (value, None) if value in spec.choice_values() else (None, "is geen geldige keuze")
    # multichoice
    if isinstance(value, str) or not isinstance(value, Iterable):
        return None, "moet een lijst van keuzes zijn"
    items = list(dict.fromkeys(value))
    if any(v not in spec.choice_values() for v in items):
        return None, "bevat een ongeldige keuze"
    return items, None


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple)) and not value)


def validate_values(specs: Iterable[FieldSpec], values: Mapping[str, Any], *,
                    context: Mapping[str, Any] | None = None, today: date | None = None,
                    tz: str = "Europe/Amsterdam") -> dict[str, Any]:
    """Validate and normalise ``values`` against ``specs``.

    ``context`` supplies already-validated values for ``required_if`` conditions that refer to another group
    (identity fields depending on the content's ``route``). Dates become ISO strings, so the result is JSON-ready.
    """
    specs = tuple(specs)
    today = today or _local_today(tz)
    known = {s.name for s in specs}
    errors: dict[str, str] = {name: "onbekend veld" for name in values if name not in known}
    out: dict[str, Any] = {}
    for spec in specs:
        raw = values.get(spec.name)
        if _is_empty(raw):
            continue
        norm, err = _normalise(spec, raw, today, tz)
        if err:
            errors[spec.name] = err
        elif not _is_empty(norm):
            out[spec.name] = norm
    scope = {**(context or {}), **out}
    for spec in specs:
        needed = spec.required or bool(spec.required_if and spec.required_if.holds(scope))
        if needed and spec.name not in out and spec.name not in errors:
            errors[spec.name] = "is verplicht"
    if errors:
        raise ValidationError(errors)
    return out


def validate_fields(mtype: MeldingType, values: Mapping[str, Any], *, today: date | None = None,
                    tz: str = "Europe/Amsterdam") -> dict[str, Any]:
    return validate_values(mtype.fields, values, today=today, tz=tz)


def validate_identity(mtype: MeldingType, values: Mapping[str, Any], content: Mapping[str, Any], *,
                      today: date | None = None, tz: str = "Europe/Amsterdam") -> dict[str, Any]:
    return validate_values(mtype.identity.fields, values, context=content, today=today, tz=tz)


def parse_clock(value: str | None) -> time | None:
    """Parse a ``uu:mm`` / ``uu.mm`` time of day as used by the ``tijdstip`` fields."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", value.strip())
    return time(int(m.group(1)), int(m.group(2))) if m else None


__all__ = [
    "Choice", "Citation", "Condition", "DeadlineSpec", "EventSpec", "Extension", "FieldSpec", "IdentitySpec",
    "MeldingType", "Offset", "RetentionSpec", "TypesError", "UnknownType", "ValidationError", "get_type",
    "load_types", "parse_clock", "type_names", "validate_fields", "validate_identity", "validate_values",
]
