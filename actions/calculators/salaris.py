"""Salary rules: hourly wage, part of a month, promotion, job-evaluation scale and periodieken.

Kerkrade defines the hourly wage on the *full-time* monthly salary (1/156), so a
part-timer's salary is first scaled up to full time — dividing a part-time salary by
156 would understate the hourly wage. Scale amounts themselves are in the cao and are
never assumed; the user supplies the amounts that matter.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from actions.calculators import params as P
from actions.calculators.base import Calculation, InputError, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.datums import add_months, add_years, days_in_month
from actions.calculators.i18n import tr
from actions.calculators.tekst import cents, datum, eenheid, euro, getal, procent, uren


class SalarisPerUur(BaseCalculator):
    name = "salaris_per_uur"
    title = "Salaris per uur"
    onderwerp = "de berekening van het salaris per uur"
    inputs = [
        InputSpec("maandsalaris", "money", True, "Wat is je bruto maandsalaris?"),
        InputSpec("uren_per_week", "hours", False,
                  "Voor hoeveel uur per week geldt dat maandsalaris? (36 bij een voltijdbaan)",
                  min=1, max=60, default=Decimal(36)),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        salary: Decimal = v["maandsalaris"]
        ad: Decimal = v.get("uren_per_week", Decimal(36))
        deler = w.dec("deler")
        full = w.dec("voltijd_uren")
        if ad != full:
            w.param("deeltijd_evenredig")
            fulltime = salary * full / ad
            w.step(tr("Voltijdsalaris: {salary} × {full}/{ad} = {fulltime} (het salaris bij {hours} is een evenredig "
                      "deel van het voltijdsalaris).", salary=euro(salary), full=getal(full), ad=getal(ad),
                      fulltime=euro(fulltime), hours=uren(ad)))
            if ad > full:
                w.caveat(tr("De formele arbeidsduur is volgens het handboek maximaal {full} per week; je gaf {ad} op.",
                            full=uren(full), ad=uren(ad)))
        else:
            fulltime = salary
            w.step(tr("Voltijdsalaris: {salary}.", salary=euro(salary)))
        hourly = cents(fulltime / deler)
        w.step(tr("Salaris per uur: 1/{deler} van {fulltime} = {hourly}.",
                  deler=getal(deler), fulltime=euro(fulltime), hourly=euro(hourly)))
        summary = tr("Je salaris per uur is {hourly} (1/{deler} van het voltijdmaandsalaris van {fulltime}).",
                     hourly=euro(hourly), deler=getal(deler), fulltime=euro(fulltime))
        return w.result(hourly, "EUR per uur", summary)


class SalarisDeelMaand(BaseCalculator):
    name = "salaris_deel_maand"
    title = "Salaris over een deel van de maand"
    onderwerp = "de berekening van salaris over een deel van de maand"
    inputs = [
        InputSpec("maandbedrag", "money", True, "Om welk maandbedrag gaat het (salaris, toelage of vergoeding)?"),
        InputSpec("begindatum", "date", True, "Vanaf welke datum (bijvoorbeeld de eerste werkdag)?"),
        InputSpec("einddatum", "date", False,
                  "Tot en met welke datum in dezelfde maand? (Laat leeg voor het einde van de maand.)"),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        amount: Decimal = v["maandbedrag"]
        start: date = v["begindatum"]
        dim = days_in_month(start.year, start.month)
        end: date = v.get("einddatum") or date(start.year, start.month, dim)
        if (end.year, end.month) != (start.year, start.month):
            raise InputError("einddatum", "Begin- en einddatum moeten in dezelfde kalendermaand liggen; "
                                          "reken elke maand apart uit.",
                             "The start and end date must be in the same calendar month; work out each month "
                             "separately.")
        if end < start:
            raise InputError("einddatum", "De einddatum ligt voor de begindatum.", "The end date is before the start date.")
        w.param("deling")
        days = (end - start).days + 1
        per_day = amount / dim
        total = cents(per_day * days)
        if cents(per_day) != per_day:
            w.step(tr("Bedrag per dag: {amount} / {dim} kalenderdagen = {per_day} (afgerond).",
                      amount=euro(amount), dim=dim, per_day=euro(per_day)))
        else:
            w.step(tr("Bedrag per dag: {amount} / {dim} kalenderdagen = {per_day}.",
                      amount=euro(amount), dim=dim, per_day=euro(per_day)))
        w.step(tr("{days} kalenderdagen ({start} tot en met {end}): {amount} / {dim} × {days} = {total}.",
                  days=days, start=datum(start), end=datum(end), amount=euro(amount), dim=dim, total=euro(total)))
        w.caveat(tr("De regeling zegt niet of de eerste en de laatste dag allebei meetellen; Regelwijs telt beide mee."))
        summary = tr("Over {days} van de {dim} kalenderdagen is het bedrag {total} ({amount} / {dim} × {days}).",
                     days=days, dim=dim, total=euro(total), amount=euro(amount))
        return w.result(total, "EUR", summary)


class Promotie(BaseCalculator):
    name = "promotie"
    title = "Salaris bij promotie vanuit het maximum van de schaal"
    onderwerp = "de inschaling bij promotie"
    inputs = [
        InputSpec("huidig_salaris", "money", True,
                  "Wat is je huidige salaris (het hoogste bedrag van je oude schaal)?"),
        InputSpec("naast_lager_bedrag", "money", True,
                  "Wat is het bedrag van de trede daaronder in je oude schaal?"),
        InputSpec("nieuw_bedrag", "money", False,
                  "Wat is het eerst hogere bedrag in de nieuwe schaal? (Dan controleer ik de minimale verhoging.)"),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        old, lower = v["huidig_salaris"], v["naast_lager_bedrag"]
        if lower >= old:
            raise InputError("naast_lager_bedrag", "Het naast lagere bedrag moet lager zijn dan je huidige salaris.",
                             "The next lower amount must be lower than your current salary.")
        w.param("eerst_hogere_bedrag")
        pct = w.dec("min_verschil")
        gap = old - lower
        minimum = cents(gap * pct)
        w.step(tr("Verschil met de trede eronder: {old} − {lower} = {gap}.",
                  old=euro(old), lower=euro(lower), gap=euro(gap)))
        w.step(tr("Minimale verhoging: {pct} × {gap} = {minimum}; nieuw salaris minstens {new_minimum}.",
                  pct=procent(pct), gap=euro(gap), minimum=euro(minimum), new_minimum=euro(old + minimum)))
        summary = tr("Bij promotie vanuit het maximum gaat je salaris naar het eerst hogere bedrag in de nieuwe schaal, "
                     "en de verhoging is minstens {minimum} ({pct} van {gap}), dus minstens {new_minimum}.",
                     minimum=euro(minimum), pct=procent(pct), gap=euro(gap), new_minimum=euro(old + minimum))
        new = v.get("nieuw_bedrag")
        if new is not None:
            step = new - old
            if step >= minimum:
                w.step(tr("Het eerst hogere bedrag {new} geeft {step} erbij: dat is genoeg.",
                          new=euro(new), step=euro(step)))
                summary += " " + tr("Met het eerst hogere bedrag van {new} ga je {step} vooruit; dat voldoet.",
                                    new=euro(new), step=euro(step))
            else:
                w.step(tr("Het eerst hogere bedrag {new} geeft maar {step} erbij, minder dan {minimum}.",
                          new=euro(new), step=euro(step), minimum=euro(minimum)))
                summary += " " + tr("Het eerst hogere bedrag van {new} geeft maar {step} erbij; volgens de regel moet "
                                    "het verschil minstens {minimum} zijn.",
                                    new=euro(new), step=euro(step), minimum=euro(minimum))
                w.caveat(tr("De regeling zegt niet hoe het tekort wordt aangevuld als het eerst hogere bedrag minder "
                            "dan {pct} oplevert (een hogere trede of een toelage). Vraag P&O hoe dit wordt opgelost.",
                            pct=procent(pct)))
        w.caveat(tr("De bedragen van de salarisschalen staan in de cao Gemeenten, niet in het handboek; Regelwijs rekent "
                    "met de bedragen die je opgeeft. Word je niet vanuit het maximum bevorderd, dan geldt: het eerst "
                    "hogere schaalbedrag boven het bedrag dat je na je volgende periodiek zou krijgen."))
        w.param("niet_vanuit_maximum")
        return w.result(minimum, "EUR", summary)


GEZICHTSPUNTEN = ["kennis", "zelfstandigheid", "contact", "leidinggeven", "uitdrukkingsvaardigheid", "afbreukrisico"]


class Functieschaal(BaseCalculator):
    name = "functieschaal"
    title = "Functieschaal bij een totaalscore (conversietabel)"
    onderwerp = "de conversie van functiewaarderingspunten naar een salarisschaal"
    inputs = [InputSpec("totaalscore", "int", False, "Wat is de totaalscore (punten) van de functie?", min=0, max=400)] + [
        InputSpec(g, "int", False, f"Hoeveel punten scoort de functie op {g}?", min=0, max=114) for g in GEZICHTSPUNTEN
    ]

    def still_useful(self, name: str, known: dict) -> bool:
        """The total is not asked for once all six partial scores are known (they add up to it)."""
        return not (name == "totaalscore" and all(known.get(g) is not None for g in GEZICHTSPUNTEN))

    def _compute(self, w: Work, v: dict) -> Calculation:
        total = v.get("totaalscore")
        parts = [v.get(g) for g in GEZICHTSPUNTEN]
        if total is None:
            if any(p is None for p in parts):
                missing = next(g for g, p in zip(GEZICHTSPUNTEN, parts) if p is None)
                raise InputError(missing if any(p is not None for p in parts) else "totaalscore",
                                 "Geef de totaalscore van de functie, of de punten voor alle zes gezichtspunten "
                                 "(kennis, zelfstandigheid, contact, leidinggeven, uitdrukkingsvaardigheid, afbreukrisico).",
                                 "Give the job's total score, or the points for all six aspects (kennis, "
                                 "zelfstandigheid, contact, leidinggeven, uitdrukkingsvaardigheid, afbreukrisico).")
            total = sum(parts)
            w.param("optellen")
            w.param("afweegfactoren_verwerkt")
            w.step(tr("{sum} = {total} punten (de afweegfactoren zitten al in de tabellen).",
                      sum=" + ".join(str(p) for p in parts), total=total))
        p = w.param("conversietabel")
        row = next(r for r in p.value if total >= r["van"] and (r["tot"] is None or total <= r["tot"]))
        w.cite(p.row_citation(row))
        band = f"{row['van']}-{row['tot']}" if row["tot"] is not None else tr("{van} e.v.", van=row["van"])
        w.step(tr("Conversietabel: {total} punten valt in {band} → schaal {scale}.",
                  total=total, band=band, scale=row["schaal"]))
        if row["schaal"].endswith("A"):
            w.caveat(tr("Schaal {scale} is een tussenschaal die Kerkrade zelf in de conversietabel heeft opgenomen.",
                        scale=row["schaal"]))
        summary = tr("Een functie met {total} punten valt in schaal {scale} (conversietabel {band} punten).",
                     total=total, scale=row["schaal"], band=band)
        w.details["totaalscore"] = total
        return w.result(row["schaal"], "schaal", summary)


SCORES = ["Onvoldoende", "Voldoende", "Goed", "Zeer goed"]
_SCORE_ALIASES = {"o": "Onvoldoende", "v": "Voldoende", "g": "Goed", "zg": "Zeer goed", "zeergoed": "Zeer goed",
                  "uitstekend": "Zeer goed", "slecht": "Onvoldoende"}


class Periodiek(BaseCalculator):
    """Whether and when the next periodiek (or, at the top of the scale, the uitloopschaal) comes.

    Kerkrade ties it to a date (12 months; uitloopschaal after 2 years at the maximum with
    'goed'); Kaag en Braassem ties it to three scores that must all be at least Voldoende.
    """

    name = "periodiek"
    title = "Periodieke salarisverhoging"
    onderwerp = "de periodieke salarisverhoging"
    _datum = InputSpec("datum", "date", False,
                       "Sinds welke datum telt de termijn: je indiensttreding, je laatste periodiek of promotie, of "
                       "(als je op het maximum zit) de datum waarop je het maximum bereikte?", not_future=True)
    _max = InputSpec("maximum_bereikt", "bool", True, "Zit je op het maximum van je functieschaal?")
    _beoordeling = InputSpec("beoordeling", "choice", False,
                             "Wat was je laatste beoordeling: onvoldoende, voldoende, goed of zeer goed?",
                             choices=[s.lower() for s in SCORES],
                             aliases={k: v.lower() for k, v in _SCORE_ALIASES.items()})
    _scores = [InputSpec(f"score_{o}", "choice", True, f"Welke score kreeg je voor {o}?", choices=SCORES,
                         aliases=_SCORE_ALIASES) for o in ("prestatie", "potentieel", "kernwaarden")]
    # The union of all inputs; the scores are only asked (and required) where the regeling uses them,
    # so a form built from ``inputs`` alone never asks a Kerkrade employee for Kaag en Braassem scores.
    inputs = [InputSpec(s.name, s.kind, False, s.question, choices=s.choices, aliases=s.aliases) for s in _scores] + [
        _max, _datum, _beoordeling]

    def inputs_for(self, gemeente: str) -> list[InputSpec]:
        ps = P.params_for(gemeente, self.name)
        if ps is not None and "scores" in ps:
            return self._scores + [self._max, self._datum]
        return [self._max, self._datum, self._beoordeling]

    def _compute(self, w: Work, v: dict) -> Calculation:
        if "scores" in w.ps:
            return self._scores_rule(w, v)
        return self._date_rule(w, v)

    def _scores_rule(self, w: Work, v: dict) -> Calculation:
        scale = w.value("scores")
        names = w.value("onderdelen")
        # the same lists in the calculation's language (value_en in the parameters), for the text only
        score_label = dict(zip(scale, w.text("scores")))
        part_label = dict(zip(names, w.text("onderdelen")))
        given = {n: v[f"score_{n}"] for n in names}
        lowest = min(given.values(), key=scale.index)
        w.param("alle_voldoende")
        w.step(tr("Scores: {scores}; laagste score: {lowest}.",
                  scores=", ".join(tr("{part} {score}", part=part_label[n], score=score_label[s].lower())
                                   for n, s in given.items()),
                  lowest=score_label[lowest].lower()))
        months = int(w.dec("interval_maanden"))
        since = v.get("datum")
        if v["maximum_bereikt"]:
            w.param("maximum_schaal")
            w.step(tr("Je zit op het maximum van je functieschaal: dan is er geen periodieke verhoging meer."))
            return w.result(False, "periodiek", tr("Je krijgt geen periodieke verhoging, omdat je het maximum van je "
                                                   "functieschaal hebt bereikt."))
        if scale.index(lowest) < scale.index("Voldoende"):
            w.param("gevolg_onvoldoende")
            w.step(tr("Niet alle onderdelen zijn minimaal voldoende: geen standaard periodieke verhoging."))
            summary = tr("Je krijgt geen standaard periodieke verhoging, omdat niet alle drie de onderdelen minimaal "
                         "voldoende zijn; in zo'n situatie wordt altijd overlegd met de gemeentesecretaris.")
            return w.result(False, "periodiek", summary)
        w.param("gevolg_voldoende")
        w.step(tr("Alle onderdelen zijn minimaal voldoende: standaard één periodieke verhoging."))
        summary = tr("Je krijgt standaard één periodieke verhoging: alle drie de onderdelen zijn minimaal voldoende.")
        if since is not None:
            due = add_months(since, months)
            w.step(tr("Minimaal {months} na {since}: vanaf {due}.",
                      months=eenheid(months, "maand", "maanden"), since=datum(since), due=datum(due)))
            summary += " " + tr("Die gaat in {months} na {since}, dus vanaf {due}.",
                                months=eenheid(months, "maand", "maanden"), since=datum(since), due=datum(due))
            w.details["datum"] = due.isoformat()
        return w.result(True, "periodiek", summary)

    def _date_rule(self, w: Work, v: dict) -> Calculation:
        rating = v.get("beoordeling")
        since = v.get("datum")
        if v["maximum_bereikt"]:
            years = int(w.dec("uitloop_jaren"))
            w.param("uitloop_beoordeling")
            w.step(tr("Op het maximum van de functieschaal: bevordering naar de uitloopschaal na minstens {years} op "
                      "het maximum, met een beoordeling 'goed'.", years=eenheid(years, "jaar", "jaar")))
            interval = int(w.dec("uitloop_interval_jaren"))
            short = int(w.dec("uitloop_verkorting_jaren"))
            w.caveat(tr("De werkgever kan de termijn in bijzondere gevallen verkorten tot {short}. Daarna volgen "
                        "uitlooperperiodieken met tussenpozen van {interval}.",
                        short=eenheid(short, "jaar", "jaar"), interval=eenheid(interval, "jaar", "jaar")))
            if rating in ("onvoldoende", "voldoende"):
                summary = tr("Voor de uitloopschaal is een geformaliseerde beoordeling 'goed' nodig; met de beoordeling "
                             "'{rating}' kom je er nog niet voor in aanmerking.", rating=rating)
                return w.result(False, "uitloopschaal", summary)
            if rating is None:
                w.caveat(tr("Je gaf geen beoordeling op; de bevordering vraagt een geformaliseerde beoordeling 'goed'."))
            elif rating == "zeer goed":
                w.caveat(tr("De tekst noemt een beoordeling 'goed'; Regelwijs neemt aan dat 'zeer goed' daar ook aan "
                            "voldoet."))
            if since is None:
                return w.result(True, "uitloopschaal",
                                tr("Je kunt naar de uitloopschaal zodra je {years} het maximumsalaris hebt ontvangen "
                                   "en je beoordeling 'goed' is.", years=eenheid(years, "jaar", "jaar")))
            due = add_years(since, years)
            w.step(f"{datum(since)} + {eenheid(years, 'jaar', 'jaar')} = {datum(due)}.")
            w.details["datum"] = due.isoformat()
            return w.result(due.isoformat(), "datum",
                            tr("Je kunt naar de uitloopschaal vanaf {due} ({years} na {since}), bij een beoordeling "
                               "'goed'; daarna volgen uitlooperperiodieken elke {interval}.",
                               due=datum(due), years=eenheid(years, "jaar", "jaar"), since=datum(since),
                               interval=eenheid(interval, "jaar", "jaar")))
        months = int(w.dec("interval_maanden"))
        w.param("voorwaarde")
        w.step(tr("Onder het maximum: elk jaar een periodiek, {months} na indiensttreding, de laatste periodiek of "
                  "promotie, als je voldoende functioneert.", months=eenheid(months, "maand", "maanden")))
        if rating == "onvoldoende":
            w.param("onvoldoende")
            w.caveat(tr("Bij een geformaliseerde beoordeling 'onvoldoende' kan de werkgever de periodiek niet toekennen; "
                        "hij moet je dat vóór de ingangsdatum schriftelijk en met redenen laten weten."))
        if since is None:
            return w.result(True, "periodiek",
                            tr("Je krijgt jaarlijks een periodiek, {months} na je indiensttreding, laatste periodiek of "
                               "promotie, zolang je voldoende functioneert.", months=eenheid(months, "maand", "maanden")))
        due = add_months(since, months)
        w.step(f"{datum(since)} + {eenheid(months, 'maand', 'maanden')} = {datum(due)}.")
        w.details["datum"] = due.isoformat()
        if rating == "onvoldoende":
            summary = tr("Je volgende periodiek gaat in op {due} ({months} na {since}), tenzij de werkgever hem vanwege "
                         "de beoordeling 'onvoldoende' niet toekent.",
                         due=datum(due), months=eenheid(months, "maand", "maanden"), since=datum(since))
        else:
            summary = tr("Je volgende periodiek gaat in op {due} ({months} na {since}), als je voldoende functioneert.",
                         due=datum(due), months=eenheid(months, "maand", "maanden"), since=datum(since))
        return w.result(due.isoformat(), "datum", summary)
