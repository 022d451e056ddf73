"""The shared run of a calculator: support check, input validation, collecting the working.

Every calculator subclasses :class:`BaseCalculator` and implements ``_compute(work, v)``.
The base class decides, before asking anything, whether the gemeente's regeling
regulates the subject at all; if not, the result says so and names who to ask, and no
figure from another gemeente is ever used. :class:`Work` collects the Dutch working
lines, the citations of the parameters actually used, and the caveats; texts go through
:func:`actions.calculators.i18n.tr` so a calculation can be written in English too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from actions.calculators import params as P
from actions.calculators.base import Calculation, Citation, InputSpec, validate_inputs
from actions.calculators.i18n import current, speaking, tr
from actions.calculators.tekst import datum

ONBEKENDE_GEMEENTE_CONTACT = "de afdeling P&O van je gemeente"


def contact(info: P.GemeenteInfo | None) -> str:
    """Who to ask, in the calculation's language."""
    if info is None:
        return tr(ONBEKENDE_GEMEENTE_CONTACT)
    return info.contact_en if current() == "en" else info.contact


class Work:
    """Accumulates steps, citations and caveats while a calculator runs."""

    def __init__(self, calc: "BaseCalculator", ps: P.ParamSet, values: dict, today: date):
        self.calc = calc
        self.ps = ps
        self.info = ps.gemeente
        self.values = values
        self.today = today
        self.steps: list[str] = []
        self.citations: list[Citation] = []
        self.caveats: list[str] = []
        self.details: dict[str, Any] = {}

    # -- parameters ---------------------------------------------------------
    def param(self, key: str) -> P.Param:
        """A parameter; its citation is recorded because the result depends on it."""
        p = self.ps[key]
        self.cite(p.citation)
        return p

    def dec(self, key: str) -> Decimal:
        return self.param(key).dec()

    def value(self, key: str) -> Any:
        return self.param(key).value

    def text(self, key: str) -> Any:
        """A parameter whose value is words (a list of relatives, say), in the calculation's language."""
        return self.param(key).localised("value")

    @property
    def contact(self) -> str:
        return contact(self.info)

    def has(self, key: str) -> bool:
        p = self.ps.get(key)
        return p is not None and not p.missing

    def cite(self, citation: Citation) -> None:
        if citation not in self.citations:
            self.citations.append(citation)

    # -- working --------------------------------------------------------------
    def step(self, text: str) -> None:
        self.steps.append(text)

    def caveat(self, text: str) -> None:
        if text not in self.caveats:
            self.caveats.append(text)

    def result(self, value: Any, unit: str, summary: str) -> Calculation:
        if isinstance(value, Decimal):
            value = float(value)
        return Calculation(
            name=self.calc.name,
            gemeente=self.info.name,
            inputs=dict(self.values),
            value=value,
            unit=unit,
            steps=list(self.steps),
            citations=_without_contained(self.citations),
            caveats=list(self.caveats) + validity_caveats(self.info, self.today),
            supported=True,
            summary=summary,
            details=dict(self.details),
        )

    def missing_caveat(self, key: str) -> None:
        """Cite a figure the regeling leaves out and tell the user who has it."""
        p = self.param(key)
        note = p.localised("note") or ""
        self.caveat(tr("Niet in de regeling: {note} Vraag het na bij {contact}.", note=note, contact=self.contact))

    def not_in_regeling(self, key: str, onderwerp: str | None = None) -> Calculation:
        """The regeling mentions this figure but does not give it: say so, cite it, refer to P&O."""
        p = self.ps[key]
        return mentioned_without_figure(self.calc, self.info, p, self.values, self.today, onderwerp)


def _without_contained(citations: list[Citation]) -> list[Citation]:
    """Drop a citation whose quote and lines are wholly inside another one (same passage, shorter quote)."""
    norm = [P.normalise_ws(c.quote) for c in citations]
    keep = []
    for i, c in enumerate(citations):
        inside = any(
            j != i and o.doc == c.doc and o.line_start <= c.line_start and o.line_end >= c.line_end
            and norm[i] in norm[j] and (norm[i] != norm[j] or j < i)
            for j, o in enumerate(citations))
        if not inside:
            keep.append(c)
    return keep


def validity_caveats(info: P.GemeenteInfo, today: date) -> list[str]:
    """A warning when the regeling itself is no longer in force (manifest ``valid_to``)."""
    if info.valid_to and today >= info.valid_to:
        return [tr("Let op: de regeling '{title}' van de gemeente {gemeente} is volgens de publicatiegegevens per "
                   "{date} buiten werking getreden. Vraag {contact} welke regels nu gelden.",
                   title=info.title, gemeente=info.name, date=datum(info.valid_to), contact=contact(info))]
    return []


def not_regulated(calc: "BaseCalculator", gemeente: str, info: P.GemeenteInfo | None,
                  inputs: dict | None) -> Calculation:
    """The gemeente's regeling does not regulate this subject at all."""
    if info is None:
        summary = tr("Regelwijs heeft geen regeling van de gemeente {gemeente}, dus ik kan {subject} niet voor je "
                     "berekenen. Vraag het na bij {contact}.",
                     gemeente=gemeente, subject=tr(calc.onderwerp), contact=contact(None))
        name = gemeente
    else:
        summary = tr("De regeling '{title}' van de gemeente {gemeente} regelt {subject} niet. Ik gebruik geen "
                     "cijfers uit regelingen van andere gemeenten. Vraag het na bij {contact}.",
                     title=info.title, gemeente=info.name, subject=tr(calc.onderwerp), contact=contact(info))
        name = info.name
    return Calculation(name=calc.name, gemeente=name, inputs=dict(inputs or {}), value=None, unit="",
                       steps=[], citations=[], caveats=[summary], supported=False, summary=summary)


def mentioned_without_figure(calc: "BaseCalculator", info: P.GemeenteInfo, p: P.Param, values: dict,
                             today: date, onderwerp: str | None = None) -> Calculation:
    """The regeling mentions the subject but leaves the figure to a bijlage or the cao."""
    subject = tr(onderwerp or calc.onderwerp)
    summary = tr("De regeling '{title}' van de gemeente {gemeente} noemt {subject} wel, maar geeft er zelf geen "
                 "bedrag of aantal voor: {note} Regelwijs vult dat niet zelf in. Vraag het na bij {contact}.",
                 title=info.title, gemeente=info.name, subject=subject, note=p.localised("note"),
                 contact=contact(info))
    return Calculation(name=calc.name, gemeente=info.name, inputs=dict(values or {}), value=None, unit=p.unit,
                       steps=[], citations=[p.citation], caveats=[summary] + validity_caveats(info, today),
                       supported=False, summary=summary)


class BaseCalculator:
    """Common flow of every calculator; subclasses set the class attributes and ``_compute``."""

    name: str = ""
    title: str = ""
    #: Dutch noun phrase for messages, e.g. "het zorgverlof" (passed through ``tr``: English in texts_en.yml)
    onderwerp: str = ""
    inputs: list[InputSpec] = []

    def gemeenten(self) -> list[str]:
        return P.gemeenten_for(self.name)

    def inputs_for(self, gemeente: str) -> list[InputSpec]:
        """The inputs to ask for this gemeente (a subset of ``inputs`` where rules differ)."""
        return self.inputs

    def still_useful(self, name: str, known: dict) -> bool:
        """Whether the optional input ``name`` is worth asking given what is ``known``
        (e.g. no total score once all partial scores are given). Default: always."""
        return True

    def compute(self, gemeente: str, inputs: dict, today: date, language: str = "nl") -> Calculation:
        """The calculation for ``gemeente``, its working written in ``language`` ("nl" or "en")."""
        with speaking(language) as lang:
            result = self._run(gemeente, inputs, today)
        result.language = lang
        return result

    def _run(self, gemeente: str, inputs: dict, today: date) -> Calculation:
        info = P.gemeente_info(gemeente)
        ps = P.params_for(gemeente, self.name) if info else None
        if info is None or ps is None:
            return not_regulated(self, gemeente, info, inputs)
        if ps.all_missing:
            first = next(iter(ps.params.values()))
            return mentioned_without_figure(self, info, first, dict(inputs or {}), today)
        values = validate_inputs(self.inputs_for(info.name), inputs, today)
        work = Work(self, ps, values, today)
        return self._compute(work, values)

    def _compute(self, work: Work, v: dict) -> Calculation:  # pragma: no cover - abstract
        raise NotImplementedError
