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
from actions.calculators.i18n import tr
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
            w.step(tr("De looptijd van de regeling liep tot en met {end}; wijzigingen gingen uiterlijk op {last_start} "
                      "in. Nieuwe deelname is daarna niet meer mogelijk.", end=datum(end), last_start=datum(last_start)))
            w.param("gevolgen_onbepaald")

        row, age = self._variant(w, v["variant"])
        cut, pay, pension = (Decimal(str(row[k])) for k in ("verlaging", "salaris", "pensioen"))
        hours: Decimal = v["uren_per_week"]
        leave = hours * cut
        work = hours - leave
        minimum = w.dec("min_werken_uren")
        figures = dict(age=age, cut=procent(cut), hours=uren(hours), leave=uren(leave), work=uren(work))
        if closed and participant is not True:
            w.step(tr("Ter informatie (voor wie al deelneemt): variant vanaf {age} jaar: {cut} van {hours} = {leave} "
                      "bijzonder verlof per week; je werkt nog {work}.", **figures))
        else:
            w.step(tr("Variant vanaf {age} jaar: {cut} van {hours} = {leave} bijzonder verlof per week; je werkt nog "
                      "{work}.", **figures))
        salary = v.get("salaris")
        if salary is not None:
            w.step(tr("Doorbetaald salaris: {pay} van {salary} = {paid} per maand; pensioenopbouw {pension} van de "
                      "oorspronkelijke opbouw.", pay=procent(pay), salary=euro(salary), paid=euro(salary * pay),
                      pension=procent(pension)))
        else:
            w.step(tr("Doorbetaald salaris: {pay} van het oorspronkelijke salaris; pensioenopbouw {pension} van de "
                      "oorspronkelijke opbouw.", pay=procent(pay), pension=procent(pension)))
        possible = work >= minimum
        if not possible:
            w.step(tr("{work} is minder dan de {minimum} die je moet blijven werken: deze variant is bij {hours} niet "
                      "mogelijk.", work=uren(work), minimum=uren(minimum), hours=uren(hours)))
        w.details.update(verlof_uren=float(leave), werk_uren=float(work), salaris_fractie=float(pay),
                         gesloten=closed, mogelijk=possible)

        if closed and participant is not True:
            summary = tr("Het generatiepact staat niet meer open voor nieuwe deelnemers: deelnemen kon tot en met "
                         "{end}. Wie al deelneemt, houdt de gevolgen voor onbepaalde tijd.", end=datum(end))
            if participant is None:
                summary += " " + tr("Neem je al deel aan variant {age}+, dan werk je {work} per week met {pay} van je "
                                    "oorspronkelijke salaris.", age=age, work=uren(work), pay=procent(pay))
            return w.result(None, "uur per week", summary)

        cond = w.value("voorwaarden_62" if v["variant"] != "58" else "voorwaarden_58")
        if not closed:
            wait = int(w.dec("wachttijd_maanden"))
            w.caveat(tr("Voorwaarden: je bereikt tijdens de looptijd de leeftijd van {age} jaar, je werkte direct voor "
                        "het verzoek ten minste {years} jaar onafgebroken in overheidsdienst, en na een structurele "
                        "urenuitbreiding moeten eerst {wait} maanden verstreken zijn (de werkgever kan dat verkorten).",
                        age=age, years=cond["dienstjaren"], wait=wait))
            self._ingang(w, v.get("datum_verzoek"), last_start)
        if not possible:
            return w.result(None, "uur per week",
                            tr("Deze variant is bij {hours} niet mogelijk: je moet minstens {minimum} per week blijven "
                               "werken, en je zou {work} werken.",
                               hours=uren(hours), minimum=uren(minimum), work=uren(work)))
        if salary is not None:
            summary = tr("In de variant vanaf {age} jaar werk je {work} per week (een verlaging van {cut}) en krijg je "
                         "{pay} van je oorspronkelijke salaris ({paid} per maand), met {pension} pensioenopbouw.",
                         age=age, work=uren(work), cut=procent(cut), pay=procent(pay), paid=euro(salary * pay),
                         pension=procent(pension))
        else:
            summary = tr("In de variant vanaf {age} jaar werk je {work} per week (een verlaging van {cut}) en krijg je "
                         "{pay} van je oorspronkelijke salaris, met {pension} pensioenopbouw.",
                         age=age, work=uren(work), cut=procent(cut), pay=procent(pay), pension=procent(pension))
        if closed:
            summary += " " + tr("De regeling staat niet meer open voor nieuwe deelnemers; voor jou blijven de gevolgen "
                                "gelden.")
        return w.result(work, "uur per week", summary)

    def _ingang(self, w: Work, request: date | None, last_start: date) -> None:
        if request is None:
            return
        rule = w.value("ingang")
        earliest = first_of_month_on_or_after(add_months(request, int(rule["min_maanden"])))
        latest = min(first_of_month_on_or_before(add_months(request, int(rule["max_maanden"]))), last_start)
        w.step(tr("Ingang op de eerste dag van een maand, niet eerder dan {min_months} en niet later dan {max_months} "
                  "maanden na het verzoek: tussen {earliest} en {latest}.", min_months=getal(rule["min_maanden"]),
                  max_months=getal(rule["max_maanden"]), earliest=datum(earliest), latest=datum(latest)))
        if earliest > latest:
            w.caveat(tr("Met een verzoek op {request} valt de vroegste ingangsdatum na {last_start}; alleen als "
                        "werkgever en werknemer samen van de driemaandentermijn afwijken, kan het nog.",
                        request=datum(request), last_start=datum(last_start)))
