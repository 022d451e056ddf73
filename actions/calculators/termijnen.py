"""Deadlines from a start date, per gemeente, entirely from the parameter YAML.

Each ``termijnen`` parameter describes one procedure step: an offset (``value``) in a
unit (dagen, weken, maanden, jaren, werkdagen, ziekteweek), a direction (``richting: na``
or ``voor`` an event), a label and the question for the start date. A value can be a
number, a window ``{van, tot}``, or a list of moments (each with its own unit, optional
row citation and optional quarterly-style repetition). ``duur: true`` means "a period of
n months starting on the start date", whose last day is one day before start + n.

Working days skip weekends and the holidays the user gives; whether the start day
counts is not stated anywhere, so both answers are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from actions.calculators import params as P
from actions.calculators.base import Calculation, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.datums import add, nth_werkdag
from actions.calculators.i18n import in_language, tr
from actions.calculators.tekst import datum, datum_dag, eenheid

UNIT_TEXT = {"dagen": ("dag", "dagen"), "weken": ("week", "weken"), "maanden": ("maand", "maanden"),
             "jaren": ("jaar", "jaar"), "werkdagen": ("werkdag", "werkdagen")}


@dataclass
class Moment:
    label: str
    unit: str
    waarde: int | None = None
    van: int | None = None
    tot: int | None = None
    richting: str = "na"
    duur: bool = False
    herhaal_elke: int | None = None
    herhaal_aantal: int = 0
    herhaal_label: str | None = None
    row: dict | None = None


def _moments(p: P.Param) -> list[Moment]:
    extra = p.extra
    common = dict(richting=extra.get("richting", "na"), duur=bool(extra.get("duur", False)))
    label = in_language(extra, "moment") or in_language(extra, "label") or p.key
    value = p.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [Moment(label=label, unit=p.unit, waarde=int(value), **common)]
    if isinstance(value, dict):
        return [Moment(label=label, unit=p.unit, van=int(value["van"]), tot=int(value["tot"]), **common)]
    out = []
    for item in value:
        out.append(Moment(
            label=in_language(item, "label"), unit=item.get("unit", p.unit), waarde=item.get("waarde"),
            van=item.get("van"), tot=item.get("tot"), richting=item.get("richting", common["richting"]),
            duur=bool(item.get("duur", common["duur"])), herhaal_elke=item.get("herhaal_elke"),
            herhaal_aantal=int(item.get("herhaal_aantal", 0)), herhaal_label=in_language(item, "herhaal_label"),
            row=item if "quote" in item else None))
    return out


def _shift(start: date, n: int, unit: str, richting: str, duur: bool) -> date:
    if unit == "ziekteweek":
        return start + timedelta(days=7 * (n - 1))
    sign = -1 if richting == "voor" else 1
    d = add(start, sign * n, unit)
    return d - timedelta(days=1) if duur else d


def _offset_text(start: date, n: int, unit: str, richting: str) -> str:
    if unit == "ziekteweek":
        return tr("begin van ziekteweek {n} (eerste ziektedag {start} + {days} dagen)",
                  n=n, start=datum(start), days=7 * (n - 1))
    one, many = UNIT_TEXT.get(unit, (unit, unit))
    sign = "−" if richting == "voor" else "+"
    return f"{datum(start)} {sign} {eenheid(n, one, many)}"


class Termijnen(BaseCalculator):
    name = "termijnen"
    title = "Termijnen en deadlines"
    onderwerp = "termijnen"
    inputs = [
        InputSpec("termijn", "choice", True, "Om welke termijn gaat het?", choices=["?"]),
        InputSpec("startdatum", "date", True, "Vanaf welke datum moet ik rekenen?"),
        InputSpec("feestdagen", "dates", False,
                  "Vallen er feestdagen of andere vrije dagen in de periode? Noem de data (anders tel ik alleen "
                  "zaterdagen en zondagen niet mee)."),
    ]

    def __init__(self) -> None:
        names = sorted({p.key for _, calc, p in P.all_params() if calc == self.name})
        self.inputs = [InputSpec("termijn", "choice", True, "Om welke termijn gaat het?", choices=names)] + self.inputs[1:]

    def labels(self, gemeente: str) -> dict[str, str]:
        """The termijnen this gemeente's regeling has, with their Dutch labels (for buttons)."""
        ps = P.params_for(gemeente, self.name)
        return {k: p.extra.get("label", k) for k, p in ps.params.items()} if ps else {}

    def start_question(self, gemeente: str, termijn: str) -> str:
        """The Dutch question for the start date of this termijn."""
        ps = P.params_for(gemeente, self.name)
        p = ps.get(termijn) if ps else None
        return (p.extra.get("start") if p else None) or self.inputs[1].question

    def inputs_for(self, gemeente: str) -> list[InputSpec]:
        choices = list(self.labels(gemeente)) or self.inputs[0].choices
        labels = self.labels(gemeente)
        listed = "; ".join(f"{k}: {v}" for k, v in labels.items())
        return [InputSpec("termijn", "choice", True, "Om welke termijn gaat het? " + listed,
                          choices=choices)] + self.inputs[1:]

    def _compute(self, w: Work, v: dict) -> Calculation:
        key, start = v["termijn"], v["startdatum"]
        p = w.param(key)
        holidays = frozenset(v.get("feestdagen") or [])
        lines: list[str] = []
        moments_out: list[dict] = []
        headline: date | None = None
        for m in _moments(p):
            if m.row is not None:
                w.cite(p.row_citation(m.row))
            if m.unit == "werkdagen":
                d = nth_werkdag(start, int(m.waarde), holidays, count_start=True)
                alt = nth_werkdag(start, int(m.waarde), holidays, count_start=False)
                w.step(tr("{n} werkdagen vanaf {start}, die dag meegeteld: {end}.",
                          n=m.waarde, start=datum_dag(start), end=datum_dag(d)))
                w.caveat(tr("De regeling zegt niet of de begindag ({start}) meetelt; telt die niet mee, dan is het "
                            "{alt}. Regelwijs telt zaterdagen, zondagen en de feestdagen die je opgeeft niet mee.",
                            start=datum(start), alt=datum_dag(alt)))
                lines.append(f"{m.label}: {datum_dag(d)}")
                moments_out.append({"label": m.label, "datum": d.isoformat(), "alternatief": alt.isoformat()})
                headline = headline or d
                continue
            if m.van is not None:
                d1 = _shift(start, int(m.van), m.unit, m.richting, m.duur)
                d2 = _shift(start, int(m.tot), m.unit, m.richting, m.duur)
                w.step(tr("{label}: {from_offset} = {first} tot {to_offset} = {last}.", label=m.label,
                          from_offset=_offset_text(start, int(m.van), m.unit, m.richting), first=datum_dag(d1),
                          to_offset=_offset_text(start, int(m.tot), m.unit, m.richting), last=datum_dag(d2)))
                lines.append(tr("{label}: tussen {first} en {last}", label=m.label, first=datum_dag(d1),
                                last=datum_dag(d2)))
                moments_out.append({"label": m.label, "van": d1.isoformat(), "tot": d2.isoformat()})
                headline = headline or d2
                continue
            d = _shift(start, int(m.waarde), m.unit, m.richting, m.duur)
            suffix = tr(" − 1 dag (laatste dag van de periode)") if m.duur else ""
            w.step(f"{_offset_text(start, int(m.waarde), m.unit, m.richting)}{suffix} = {datum_dag(d)}: {m.label}.")
            lines.append(f"{m.label}: {datum_dag(d)}")
            moments_out.append({"label": m.label, "datum": d.isoformat()})
            headline = headline or d
            if not m.duur:
                self._weekend(w, d)
            for i in range(1, m.herhaal_aantal + 1):
                n = int(m.waarde) + i * int(m.herhaal_elke)
                d_i = _shift(start, n, m.unit, m.richting, m.duur)
                w.step(f"{_offset_text(start, n, m.unit, m.richting)} = {datum_dag(d_i)}: {m.herhaal_label or m.label}.")
                lines.append(f"{m.herhaal_label or m.label}: {datum_dag(d_i)}")
                moments_out.append({"label": m.herhaal_label or m.label, "datum": d_i.isoformat()})
        if p.extra.get("note_extra"):
            w.caveat(in_language(p.extra, "note_extra"))
        w.details["momenten"] = moments_out
        text = "; ".join(lines)
        summary = text[:1].upper() + text[1:] + "."
        w.details["label"] = p.extra.get("label", key)
        return w.result(headline.isoformat() if headline else None, "datum", summary)

    @staticmethod
    def _weekend(w: Work, d: date) -> None:
        if d.weekday() >= 5:
            day = datum_dag(d)
            w.caveat(tr("{day} valt in het weekend; de regeling zegt niet of de termijn dan doorloopt tot de "
                        "eerstvolgende werkdag.", day=day[0].upper() + day[1:]))

