"""Deadlines per melding, computed from the rules in ``types.yml``.

Why a stored *state* and not stored dates: anchors move. The misstand standpunt runs from the day the
ontvangstbevestiging is *sent* (H3 art. 6 lid 1), the werkgever's decision on a klacht from the day the advice is
*received* (H6 art. 7 lid 2), and that decision may be extended once. So the database keeps a small JSON state
(received moment, incident moment, which conditional deadlines apply, recorded events, extensions) and the dates
are recomputed from it. The state holds no melding content, so the bot can list overdue deadlines without a
private key; it does reveal the incident moment and whether a conditional deadline (e.g. "ernstig letsel") applies,
which we accept as metadata needed for reminders.

Counting: "binnen N uur" is elapsed time. "binnen N dagen/weken/maanden" is a calendar period that ends at the end of
the last day (23:59:59 Europe/Amsterdam), the usual reading of a Dutch termijn; months are calendar months with the
day clamped to the month's end (31 januari + 1 maand = 28/29 februari).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable, Mapping, Protocol, Sequence
from zoneinfo import ZoneInfo

from .types import Citation, DeadlineSpec, MeldingType, Offset, get_type, parse_clock

TZ = ZoneInfo("Europe/Amsterdam")
STATE_VERSION = 1
CLOSED = "afgesloten"


class DeadlineError(ValueError):
    """An event or extension is not allowed for this melding."""


@dataclass(frozen=True)
class Deadline:
    key: str
    label_nl: str
    due: datetime  # aware, UTC
    citation: Citation
    window_start: datetime | None = None
    provisional: bool = False  # anchored on an estimate until the anchoring event is recorded
    completed_at: datetime | None = None
    extensions: int = 0
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "label_nl": self.label_nl, "due": self.due.isoformat(),
            "window_start": self.window_start.isoformat() if self.window_start else None,
            "provisional": self.provisional,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "extensions": self.extensions, "citation": self.citation.to_dict(), "note": self.note,
        }


class HasDeadlines(Protocol):
    type: str
    status: str
    deadlines: Any  # list[Deadline] (summaries) or the stored state mapping (ORM rows)


# ------------------------------------------------------------------------------------------- date arithmetic

def utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("naive datetime")
    return dt.astimezone(timezone.utc)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _calendar_date(anchor: datetime, off: Offset) -> date:
    d = anchor.astimezone(TZ).date()
    return _add_months(d, off.months) + timedelta(days=off.days + 7 * off.weeks)


def add_offset(anchor: datetime, off: Offset) -> datetime:
    """The due moment ``off`` after ``anchor`` (see module docstring for the counting rules)."""
    if off.is_elapsed_time:
        return utc(anchor) + timedelta(hours=off.hours)
    d = _calendar_date(anchor, off)
    end = datetime.combine(d, time(23, 59, 59), TZ) + timedelta(hours=off.hours)
    return utc(end)


def window_start(anchor: datetime, off: Offset) -> datetime:
    """The earliest moment of a "N tot M dagen na" window: the start of day N."""
    if off.is_elapsed_time:
        return utc(anchor) + timedelta(hours=off.hours)
    return utc(datetime.combine(_calendar_date(anchor, off), time(0, 0), TZ))


# ---------------------------------------------------------------------------------------------------- state

def incident_moment(mtype: MeldingType, fields: Mapping[str, Any], received: datetime) -> datetime | None:
    """The incident moment from the type's date (+ optional time) fields, never later than ``received``.

    Without a time of day the start of the incident day is used: for "binnen 24 uur" that is the strict reading.
    """
    if not mtype.incident_anchor:
        return None
    date_field, time_field = mtype.incident_anchor
    raw = fields.get(date_field)
    if not raw:
        return None
    clock = parse_clock(fields.get(time_field)) if time_field else None
    moment = utc(datetime.combine(date.fromisoformat(raw), clock or time(0, 0), TZ))
    return min(moment, utc(received))


def initial_state(mtype: MeldingType, received: datetime, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON state stored with a new melding; ``fields`` are the validated, normalised content fields."""
    incident = incident_moment(mtype, fields, received)
    return {
        "v": STATE_VERSION,
        "received": utc(received).isoformat(),
        "incident": incident.isoformat() if incident else None,
        "applicable": [d.key for d in mtype.deadlines if d.when is None or d.when.holds(fields)],
        "events": {},
        "extensions": {},
    }


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def compute(mtype: MeldingType, state: Mapping[str, Any]) -> list[Deadline]:
    """All applicable deadlines for a stored state, in the order of ``types.yml``."""
    received = _dt(state["received"])
    assert received is not None
    incident = _dt(state.get("incident")) or received
    events = {k: _dt(v) for k, v in (state.get("events") or {}).items()}
    extensions: Mapping[str, int] = state.get("extensions") or {}
    applicable = set(state.get("applicable") or ())
    out: dict[str, Deadline] = {}
    for spec in mtype.deadlines:
        if spec.key not in applicable:
            continue
        anchor, provisional = _anchor(spec, received, incident, events, out)
        due = add_offset(anchor, spec.offset)
        n_ext = int(extensions.get(spec.key, 0))
        if n_ext and spec.extendable:
            for _ in range(n_ext):
                due = add_offset(due, spec.extendable.offset)
        out[spec.key] = Deadline(
            key=spec.key, label_nl=spec.label_nl, due=due, citation=spec.citation,
            window_start=window_start(anchor, spec.window_start) if spec.window_start else None,
            provisional=provisional, completed_at=events.get(spec.key), extensions=n_ext, note=spec.note,
        )
    return list(out.values())


def _anchor(spec: DeadlineSpec, received: datetime, incident: datetime,
            events: Mapping[str, datetime | None], done: Mapping[str, Deadline]) -> tuple[datetime, bool]:
    if spec.anchor == "received":
        return received, False
    if spec.anchor == "incident":
        return incident, False
    event = events.get(spec.anchor[len("event:"):])
    if event is not None:
        return event, False
    if spec.fallback.startswith("due:") and spec.fallback[4:] in done:
        return done[spec.fallback[4:]].due, True
    return received, True


def record_event(mtype: MeldingType, state: Mapping[str, Any], name: str, at: datetime) -> dict[str, Any]:
    """Record that event ``name`` happened at ``at`` (completing deadline ``name`` if it is one)."""
    if name not in mtype.event_names():
        raise DeadlineError(f"onbekende gebeurtenis voor {mtype.name}: {name}")
    new = dict(state)
    new["events"] = {**(state.get("events") or {}), name: utc(at).isoformat()}
    return new


def extend(mtype: MeldingType, state: Mapping[str, Any], key: str) -> dict[str, Any]:
    """Extend deadline ``key`` once more, if ``types.yml`` allows it."""
    spec = next((d for d in mtype.deadlines if d.key == key), None)
    if spec is None or key not in (state.get("applicable") or ()):
        raise DeadlineError(f"geen termijn {key} bij deze melding")
    if spec.extendable is None:
        raise DeadlineError(f"termijn {key} kan volgens de regeling niet worden verlengd")
    done = int((state.get("extensions") or {}).get(key, 0))
    if done >= spec.extendable.max_times:
        raise DeadlineError(f"termijn {key} is al {done} keer verlengd (maximaal {spec.extendable.max_times})")
    new = dict(state)
    new["extensions"] = {**(state.get("extensions") or {}), key: done + 1}
    return new


def ack_keys(mtype: MeldingType, state: Mapping[str, Any]) -> list[str]:
    """Deadlines that ``meldingen ack`` completes."""
    applicable = set(state.get("applicable") or ())
    return [d.key for d in mtype.deadlines if d.ack and d.key in applicable]


def as_deadlines(melding: HasDeadlines) -> Sequence[Deadline]:
    items = melding.deadlines
    if isinstance(items, Mapping):
        return compute(get_type(melding.type), items)
    return list(items)


def overdue(melding: HasDeadlines, now: datetime) -> list[Deadline]:
    """Deadlines of an open melding that are past due and not completed. Closed meldingen have none."""
    if melding.status == CLOSED:
        return []
    now = utc(now)
    return [d for d in as_deadlines(melding) if d.completed_at is None and d.due < now]


def fmt_local(dt: datetime | None) -> str:
    """``23-11-2026 14:05`` in Europe/Amsterdam, for Dutch output."""
    return dt.astimezone(TZ).strftime("%d-%m-%Y %H:%M") if dt else "-"


def sort_by_due(items: Iterable[Deadline]) -> list[Deadline]:
    return sorted(items, key=lambda d: d.due)


__all__ = [
    "Deadline", "DeadlineError", "ack_keys", "add_offset", "as_deadlines", "compute", "extend", "fmt_local",
    "incident_moment", "initial_state", "overdue", "record_event", "sort_by_due", "window_start",
]
