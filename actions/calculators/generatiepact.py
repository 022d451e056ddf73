"""Generatiepact (Kerkrade Hoofdstuk 18): work less with part of the salary kept.

The scheme only admitted new participants until 1 October 2025 (looptijd "tot en met 1
oktober 2025"; changes "uiterlijk op 1 oktober 2025"). After that date every answer
starts by saying it is closed; the numbers are still worked out for people who already
take part, because for them the consequences last indefinitely.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from actions.calculators.base import Calculation, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.datums import add_months, first_of_month_on_or_after, first_of_month_on_or_before
from actions.calculators.tekst import datum, euro, getal, procent, uren

VARIANTEN = ["58", "62-40", "62-50"]


class Generatiepact(BaseCalculator):
    name = "generatiepact"
    title = "Generatiepact (minder werken vanaf 58 of 62 jaar)"
    onderwerp = "het generatiepact"
    inputs = [
        InputSpec("variant", "choice", True,
                  "Welke variant: vanaf 58 jaar (20% minder werken, 90% salaris), of vanaf 62 jaar (40% minder werken "
                  "met 80% salaris, of 50% minder werken met 75% salaris)?",
                  choices=VARIANTEN,
                  aliases={"58+": "58", "80-90-100": "58", "58 jaar": "58", "62 40%": "62-40", "62-40%": "62-40",
                           "60-80-100": "62-40", "62 50%": "62-50", "62-50%": "62-50", "50-75-100": "62-50"}),
        InputSpec("uren_per_week", "hours", True,
                  "Wat was je formele arbeidsduur per week vóór deelname (de oorspronkelijke arbeidsduur)?", min=1, max=60),
        InputSpec("salaris", "money", False, "Wat was je bruto maandsalaris vóór deelname (het oorspronkelijke salaris)?"),
        InputSpec("al_deelnemer", "bool", False, "Neem je al deel aan het generatiepact?"),
        InputSpec("datum_verzoek", "date", False, "Op welke datum heb je het verzoek ingediend, of wil je het indienen?"),
    ]

    def _variant(self, w: Work, variant: str) -> tuple[dict, int]:
        if variant == "58":
            cond = w.value("voorwaarden_58")
            return w.value("regeling_58"), cond["leeftijd"]
        cond = w.value("voorwaarden_62")
        options = w.value("regeling_62")
        wanted = Decimal("0.40") if variant == "62-40" else Decimal("0.50")
        row = next(o for o in options if Decimal(str(o["verlaging"])) == wanted)
        return row, cond["leeftijd"]

    def _compute(self, w: Work, v: dict) -> Calculation:
        end: date = w.value("looptijd")
        last_start: date = w.value("uiterlijke_ingang")
        closed = w.today > end
        participant = v.get("al_deelnemer")
        if closed:
            w.step(f"De looptijd van de regeling liep tot en met {datum(end)}; wijzigingen gingen uiterlijk op "
                   f"{datum(last_start)} in. Nieuwe deelname is daarna niet meer mogelijk.")
            w.param("gevolgen_onbepaald")

        row, age = self._variant(w, v["variant"])
        cut, pay, pension = (Decimal(str(row[k])) for k in ("verlaging", "salaris", "pensioen"))
        hours: Decimal = v["uren_per_week"]
        leave = hours * cut
        work = hours - leave
        minimum = w.dec("min_werken_uren")
        prefix = "Ter informatie (voor wie al deelneemt): variant" if closed and participant is not True else "Variant"
        w.step(f"{prefix} vanaf {age} jaar: {procent(cut)} van {uren(hours)} = {uren(leave)} bijzonder verlof per "
               f"week; je werkt nog {uren(work)}.")
        salary = v.get("salaris")
        if salary is not None:
            w.step(f"Doorbetaald salaris: {procent(pay)} van {euro(salary)} = {euro(salary * pay)} per maand; pensioenopbouw "
                   f"{procent(pension)} van de oorspronkelijke opbouw.")
        else:
            w.step(f"Doorbetaald salaris: {procent(pay)} van het oorspronkelijke salaris; pensioenopbouw {procent(pension)} "
                   "van de oorspronkelijke opbouw.")
        possible = work >= minimum
        if not possible:
            w.step(f"{uren(work)} is minder dan de {uren(minimum)} die je moet blijven werken: deze variant is bij "
                   f"{uren(hours)} niet mogelijk.")
        w.details.update(verlof_uren=float(leave), werk_uren=float(work), salaris_fractie=float(pay),
                         gesloten=closed, mogelijk=possible)

        if closed and participant is not True:
            summary = (f"Het generatiepact staat niet meer open voor nieuwe deelnemers: deelnemen kon tot en met "
                       f"{datum(end)}. Wie al deelneemt, houdt de gevolgen voor onbepaalde tijd.")
            if participant is None:
                summary += (f" Neem je al deel aan variant {age}+, dan werk je {uren(work)} per week met "
                            f"{procent(pay)} van je oorspronkelijke salaris.")
            return w.result(None, "uur per week", summary)

        cond = w.value("voorwaarden_62" if v["variant"] != "58" else "voorwaarden_58")
        if not closed:
            wait = int(w.dec("wachttijd_maanden"))
            w.caveat(f"Voorwaarden: je bereikt tijdens de looptijd de leeftijd van {age} jaar, je werkte direct voor het "
                     f"verzoek ten minste {cond['dienstjaren']} jaar onafgebroken in overheidsdienst, en na een structurele "
                     f"urenuitbreiding moeten eerst {wait} maanden verstreken zijn (de werkgever kan dat verkorten).")
            self._ingang(w, v.get("datum_verzoek"), last_start)
        if not possible:
            return w.result(None, "uur per week",
                            f"Deze variant is bij {uren(hours)} niet mogelijk: je moet minstens {uren(minimum)} per week "
                            f"blijven werken, en je zou {uren(work)} werken.")
        summary = (f"In de variant vanaf {age} jaar werk je {uren(work)} per week (een verlaging van {procent(cut)}) en "
                   f"krijg je {procent(pay)} van je oorspronkelijke salaris"
                   + (f" ({euro(salary * pay)} per maand)" if salary is not None else "")
                   + f", met {procent(pension)} pensioenopbouw.")
        if closed:
            summary += " De regeling staat niet meer open voor nieuwe deelnemers; voor jou blijven de gevolgen gelden."
        return w.result(work, "uur per week", summary)

    def _ingang(self, w: Work, request: date | None, last_start: date) -> None:
        if request is None:
            return
        rule = w.value("ingang")
        earliest = first_of_month_on_or_after(add_months(request, int(rule["min_maanden"])))
        latest = min(first_of_month_on_or_before(add_months(request, int(rule["max_maanden"]))), last_start)
        w.step(f"Ingang op de eerste dag van een maand, niet eerder dan {getal(rule['min_maanden'])} en niet later dan "
               f"{getal(rule['max_maanden'])} maanden na het verzoek: tussen {datum(earliest)} en {datum(latest)}.")
        if earliest > latest:
            w.caveat(f"Met een verzoek op {datum(request)} valt de vroegste ingangsdatum na {datum(last_start)}; alleen "
                     "als werkgever en werknemer samen van de driemaandentermijn afwijken, kan het nog.")
