"""All calculators by name, so the actions layer can look them up from an intent or slot.

``CALCULATORS[name].compute(gemeente, inputs, today)`` returns a Calculation; when the
gemeente's regeling does not regulate the subject the Calculation has ``supported=False``.
"""

from __future__ import annotations

from actions.calculators.base import Calculator
from actions.calculators.beeldschermbril import Beeldschermbril
from actions.calculators.generatiepact import Generatiepact
from actions.calculators.geschenken import Relatiegeschenk
from actions.calculators.salaris import Functieschaal, Periodiek, Promotie, SalarisDeelMaand, SalarisPerUur
from actions.calculators.studie import Stagevergoeding, Studiekosten, Studieverlof
from actions.calculators.termijnen import Termijnen
from actions.calculators.thuiswerken import Thuiswerken
from actions.calculators.uitkeringen import Gratificatie, Jubileum, Ontslaguitkering
from actions.calculators.vakantie import Vakantieverlof, VerlofKopenVerkopen
from actions.calculators.verlof import Adoptieverlof, Geboorteverlof, Ouderschapsverlof, Zorgverlof, Zwangerschapsverlof
from actions.calculators.vergoedingen import Reiskosten, Telefoonvergoeding

_ALL = [
    Zorgverlof(), Beeldschermbril(), Relatiegeschenk(), Ouderschapsverlof(), Geboorteverlof(), Adoptieverlof(),
    Zwangerschapsverlof(), Thuiswerken(), SalarisPerUur(), SalarisDeelMaand(), Gratificatie(), Jubileum(),
    Studiekosten(), Studieverlof(), Generatiepact(), Vakantieverlof(), VerlofKopenVerkopen(), Telefoonvergoeding(),
    Reiskosten(), Termijnen(), Ontslaguitkering(), Stagevergoeding(), Functieschaal(), Promotie(), Periodiek(),
]

CALCULATORS: dict[str, Calculator] = {c.name: c for c in _ALL}


def get(name: str) -> Calculator:
    """The calculator called ``name``; KeyError (listing the known names) when there is none."""
    try:
        return CALCULATORS[name]
    except KeyError:
        raise KeyError(f"unknown calculator {name!r}; known: {', '.join(sorted(CALCULATORS))}") from None


def for_gemeente(gemeente: str) -> list[str]:
    """Names of the calculators that have figures in this gemeente's regeling."""
    return [name for name, calc in CALCULATORS.items() if gemeente in calc.gemeenten()]
