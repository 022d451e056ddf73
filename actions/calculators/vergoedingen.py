"""Expense allowances with a published rate: telephone costs and travel costs.

Oldebroek's km table for non-car vehicles can be read as bands applied stepwise (like
income tax brackets) or as one rate for the whole yearly distance; the text does not
say, so both are computed. Its woon-werk allowance does not say whether the 75 km are
counted once or twice a day; both are given. Kerkrade's IKB sentence multiplies
"kilometers op jaarbasis" by a weekly frequency, which is garbled; the Belastingdienst
method it names (214 days a year for five days a week) is used and flagged.
"""

from __future__ import annotations

from decimal import Decimal

from actions.calculators.base import Calculation, InputError, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.i18n import tr
from actions.calculators.tekst import cents, euro, getal

VOERTUIGEN = {"motor of scooter": "motor", "rijwiel met hulpmotor": "hulpmotor", "fiets": "rijwiel", "auto": "auto"}


def _voertuig(choice: str) -> str:
    """The vehicle as it is named in a working line, in the calculation's language."""
    return {"motor of scooter": tr("motor of scooter"), "rijwiel met hulpmotor": tr("rijwiel met hulpmotor"),
            "fiets": tr("fiets"), "auto": tr("auto")}.get(choice, choice)


class Telefoonvergoeding(BaseCalculator):
    name = "telefoonvergoeding"
    title = "Vergoeding telefoonkosten (dienstgesprekken via de huisaansluiting)"
    onderwerp = "een vergoeding voor telefoonkosten"
    inputs = [
        InputSpec("werkelijke_kosten", "money", True,
                  "Hoeveel kosten de dienstgesprekken via je huisaansluiting je per jaar?"),
        InputSpec("gespecificeerde_declaratie", "bool", False,
                  "Kun je de werkelijke kosten aantonen met een gespecificeerde declaratie?", default=False),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        cost: Decimal = v["werkelijke_kosten"]
        w.param("voorwaarde")
        w.caveat(tr("De vaste vergoeding is voor wie regelmatig dienstgesprekken voert via de huisaansluiting."))
        p = w.param("schijven")
        rows = sorted(p.value, key=lambda r: r["van"])
        row = None
        for r in rows:
            if cost >= Decimal(str(r["van"])) and (r["tot"] is None or cost < Decimal(str(r["tot"]))):
                row = r
        fixed = Decimal(0)
        if row is None:
            w.step(tr("Kosten van {cost} per jaar liggen onder de laagste schijf (vanaf {lowest}): geen vaste vergoeding.",
                      cost=euro(cost), lowest=euro(Decimal(str(rows[0]['van'])))))
        else:
            w.cite(p.row_citation(row))
            fixed = Decimal(str(row["bedrag"]))
            band = (tr("tussen {low} en {high}", low=euro(Decimal(str(row['van']))), high=euro(Decimal(str(row['tot']))))
                    if row["tot"] is not None else tr("{low} of meer", low=euro(Decimal(str(row['van'])))))
            w.step(tr("Kosten van {cost} per jaar vallen in de schijf {band}: vaste vergoeding {fixed} per jaar.",
                      cost=euro(cost), band=band, fixed=euro(fixed)))
            if cost in {Decimal(str(r["tot"])) for r in rows if r["tot"] is not None}:
                w.caveat(tr("Het bedrag van {cost} ligt precies op de grens van twee schijven; de regeling noemt het in "
                            "beide ('tussen … en …'). Regelwijs rekent het tot de hogere schijf.", cost=euro(cost)))
        value = fixed
        if v.get("gespecificeerde_declaratie") and cost > fixed:
            w.param("werkelijke_kosten")
            w.step(tr("Met een gespecificeerde declaratie worden de werkelijke kosten vergoed als die hoger zijn: {cost}.",
                      cost=euro(cost)))
            value = cost
        w.param("abonnement")
        w.caveat(tr("Moet je voor je functie thuis bereikbaar zijn en word je bezoldigd naar niveau V of lager, dan "
                    "worden ook de abonnementskosten netto vergoed."))
        if value == 0:
            summary = tr("Bij {cost} aan kosten per jaar is er geen vaste telefoonkostenvergoeding.", cost=euro(cost))
        elif value == cost and value != fixed:
            summary = tr("Je krijgt de werkelijke kosten van {cost} per jaar vergoed, omdat je die met een declaratie "
                         "aantoont.", cost=euro(cost))
        else:
            summary = tr("Je krijgt een vaste telefoonkostenvergoeding van {amount} per jaar.", amount=euro(value))
        return w.result(value, "EUR per jaar", summary)


class Reiskosten(BaseCalculator):
    name = "reiskosten"
    title = "Reiskosten (dienstreizen en woon-werkverkeer)"
    onderwerp = "de vergoeding van reiskosten"
    inputs = [
        InputSpec("soort", "choice", True, "Gaat het om een dienstreis of om woon-werkverkeer?",
                  choices=["dienstreis", "woon-werk"],
                  aliases={"dienstreizen": "dienstreis", "zakelijk": "dienstreis", "woonwerk": "woon-werk",
                           "woon-werkverkeer": "woon-werk", "woon werk": "woon-werk", "naar het werk": "woon-werk",
                           "woon-werkvergoeding": "woon-werk"}),
        InputSpec("voertuig", "choice", True,
                  "Met welk vervoermiddel maak je de dienstreizen: auto, motor of scooter, rijwiel met hulpmotor of fiets?",
                  choices=list(VOERTUIGEN), only_if={"soort": "dienstreis"},
                  aliases={"scooter": "motor of scooter", "motor": "motor of scooter", "motorrijwiel": "motor of scooter",
                           "motorfiets": "motor of scooter", "snorfiets": "rijwiel met hulpmotor",
                           "rijwiel": "fiets", "eigen auto": "auto", "personenauto": "auto"}),
        InputSpec("km_per_jaar", "number", True,
                  "Hoeveel kilometer leg je dit kalenderjaar in totaal af voor dienstreizen met dit vervoermiddel?",
                  max=200000, only_if={"soort": "dienstreis"}),
        InputSpec("enkele_afstand_km", "number", True,
                  "Hoeveel kilometer is de enkele reis van je woning naar je werk (kortste route)?",
                  max=1000, only_if={"soort": "woon-werk"}),
        InputSpec("dagen_per_week", "number", True, "Op hoeveel dagen per week reis je gewoonlijk naar je werk?",
                  min=0.5, max=7, only_if={"soort": "woon-werk"}),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        if v["soort"] == "dienstreis":
            if "dienstreis_tabel" not in w.ps:
                key = "dienstreis" if "dienstreis" in w.ps else None
                if key:
                    return w.not_in_regeling(key, tr("de vergoeding van dienstreizen"))
                return self._no_rule(w, tr("dienstreizen"))
            if v["voertuig"] == "auto":
                return w.not_in_regeling("dienstreis_auto",
                                         tr("de kilometervergoeding voor dienstreizen met een eigen auto"))
            return self._dienstreis(w, v)
        if "woonwerk_tarief" not in w.ps:
            return self._no_rule(w, tr("woon-werkverkeer"))
        if "woonwerk_max_km" in w.ps:
            return self._woonwerk_cafetaria(w, v)
        return self._woonwerk_ikb(w, v)

    def _no_rule(self, w: Work, wat: str) -> Calculation:
        summary = tr("De regeling '{title}' van de gemeente {gemeente} geeft geen vergoeding voor {wat}. Vraag het na "
                     "bij {contact}.", title=w.info.title, gemeente=w.info.name, wat=wat, contact=w.contact)
        return Calculation(name=self.name, gemeente=w.info.name, inputs=dict(w.values), value=None, unit="",
                           steps=[], citations=[], caveats=[summary], supported=False, summary=summary)

    def _dienstreis(self, w: Work, v: dict) -> Calculation:
        km: Decimal = v["km_per_jaar"]
        col = VOERTUIGEN[v["voertuig"]]
        p = w.param("dienstreis_tabel")
        rows = sorted(p.value, key=lambda r: r["van"])
        stepwise = Decimal(0)
        parts = []
        for r in rows:
            low = Decimal(str(max(r["van"] - 1, 0)))
            high = Decimal(str(r["tot"])) if r["tot"] is not None else None
            if km <= low:
                break
            portion = (min(km, high) if high is not None else km) - low
            rate = Decimal(str(r[col]))
            stepwise += portion * rate
            parts.append(f"{getal(portion)} km × {euro(rate)}")
            w.cite(p.row_citation(r))
        stepwise = cents(stepwise)
        flat_row = next(r for r in rows if r["tot"] is None or km <= r["tot"])
        flat_rate = Decimal(str(flat_row[col]))
        flat = cents(km * flat_rate)
        w.cite(p.row_citation(flat_row))
        w.step(tr("Per schijf: {parts} = {total}.", parts=" + ".join(parts) if parts else "0 km", total=euro(stepwise)))
        w.step(tr("Eén tarief voor het hele jaartotaal: {km} km × {rate} = {total}.",
                  km=getal(km), rate=euro(flat_rate), total=euro(flat)))
        w.param("dienstreis_bijkomend")
        w.caveat(tr("Daarbovenop worden kosten vergoed voor parkeren, garage of stalling, bruggelden, overvaartgelden, "
                    "tunnelgelden en dergelijke. Dienstreizen gaan in de regel per openbaar vervoer."))
        w.details.update(per_schijf=float(stepwise), een_tarief=float(flat))
        for lower, upper in zip(rows, rows[1:]):
            if km > lower["tot"] and Decimal(str(upper[col])) > Decimal(str(lower[col])):
                w.caveat(tr("Opvallend: voor een {vehicle} is het tarief boven {km} km ({upper}) hoger dan eronder "
                            "({lower}). Zo staat het in de tabel; mogelijk is dat een fout in de regeling.",
                            vehicle=_voertuig(v["voertuig"]), km=getal(lower["tot"]),
                            upper=euro(Decimal(str(upper[col]))), lower=euro(Decimal(str(lower[col])))))
        if stepwise != flat:
            w.caveat(tr("De tabel zegt niet of de tarieven per schijf gelden (de eerste {km} km tegen het eerste tarief, "
                        "de volgende tegen het tweede) of dat één tarief geldt voor het hele jaartotaal. Per schijf: "
                        "{stepwise}; één tarief: {flat}. P&O beslist.",
                        km=getal(rows[0]["tot"]), stepwise=euro(stepwise), flat=euro(flat)))
            summary = tr("Voor {km} km per jaar met je {vehicle} krijg je {stepwise} als de tarieven per schijf gelden, "
                         "of {flat} als één tarief geldt voor het hele jaartotaal; de regeling zegt niet welke lezing "
                         "juist is.", km=getal(km), vehicle=_voertuig(v["voertuig"]), stepwise=euro(stepwise),
                         flat=euro(flat))
        else:
            summary = tr("Voor {km} km per jaar met je {vehicle} krijg je {amount} kilometervergoeding.",
                         km=getal(km), vehicle=_voertuig(v["voertuig"]), amount=euro(stepwise))
        return w.result(stepwise, "EUR per jaar", summary)

    def _woonwerk_cafetaria(self, w: Work, v: dict) -> Calculation:
        dist: Decimal = v["enkele_afstand_km"]
        per_week: Decimal = v["dagen_per_week"]
        rate, max_km, max_days = w.dec("woonwerk_tarief"), w.dec("woonwerk_max_km"), w.dec("woonwerk_max_dagen")
        used = min(dist, max_km)
        if dist > max_km:
            w.step(tr("Enkele reisafstand {dist} km, gemaximeerd op {max_km} km.", dist=getal(dist), max_km=getal(max_km)))
        else:
            w.step(tr("Enkele reisafstand: {dist} km.", dist=getal(dist)))
        days = min(max_days, max_days * per_week / 5)
        w.step(tr("Reisdagen per jaar: {max_days} × {per_week}/5 = {days} (maximaal {max_days}).",
                  max_days=getal(max_days), per_week=getal(per_week), days=getal(days)))
        both = cents(rate * used * 2 * days)
        single = cents(rate * used * days)
        w.step(tr("Heen en terug: {rate} × {km} km × 2 × {days} dagen = {amount} per jaar.",
                  rate=euro(rate), km=getal(used), days=getal(days), amount=euro(both)))
        w.step(tr("Alleen de enkele reis: {rate} × {km} km × {days} dagen = {amount} per jaar.",
                  rate=euro(rate), km=getal(used), days=getal(days), amount=euro(single)))
        w.caveat(tr("De regeling zegt niet of de vergoeding per reisdag over de heen- en terugreis of alleen over de "
                    "enkele reis gaat; heen en terug geeft {both}, alleen de enkele reis {single}. Ook staat er niet "
                    "hoe dagen per week worden omgerekend; Regelwijs rekent {max_days} dagen bij vijf reisdagen per "
                    "week en naar rato bij minder.", both=euro(both), single=euro(single), max_days=getal(max_days)))
        sick = w.dec("woonwerk_ziekte")
        w.caveat(tr("Dit is een keuze in het cafetariamodel: je ruilt er een bron voor in (bijvoorbeeld brutosalaris of "
                    "verlofuren). Bij ziekte langer dan {weeks} weken stopt de vergoeding en moet je haar na herstel "
                    "opnieuw aanvragen.", weeks=getal(sick)))
        w.details.update(heen_en_terug=float(both), enkele_reis=float(single))
        summary = tr("Via het cafetariamodel kun je {both} per jaar aan woon-werkvergoeding krijgen als heen en terug "
                     "telt, of {single} als alleen de enkele reis telt ({rate} per km, maximaal {max_km} km enkele "
                     "reis, maximaal {max_days} reisdagen).", both=euro(both), single=euro(single), rate=euro(rate),
                     max_km=getal(max_km), max_days=getal(max_days))
        return w.result(both, "EUR per jaar", summary)

    def _woonwerk_ikb(self, w: Work, v: dict) -> Calculation:
        dist: Decimal = v["enkele_afstand_km"]
        per_week: Decimal = v["dagen_per_week"]
        if per_week > 7:
            raise InputError("dagen_per_week", "Vul een aantal dagen per week van hoogstens 7 in.",
                             "Enter a number of days per week of at most 7.")
        rate, max_days = w.dec("woonwerk_tarief"), w.dec("woonwerk_max_dagen")
        days = min(max_days, max_days * per_week / 5)
        amount = cents(dist * 2 * rate * days)
        w.step(tr("Reisdagen per jaar: {max_days} × {per_week}/5 = {days} (maximaal {max_days}).",
                  max_days=getal(max_days), per_week=getal(per_week), days=getal(days)))
        w.step(tr("Fiscale ruimte: {dist} km × 2 (heen en terug) × {rate} × {days} dagen = {amount} per jaar, in te "
                  "zetten uit je IKB.", dist=getal(dist), rate=euro(rate), days=getal(days), amount=euro(amount)))
        admin = w.dec("woonwerk_administratie_km")
        if dist > admin:
            w.param("woonwerk_administratie_km")
            w.step(tr("Je enkele reisafstand is meer dan {km} km: je moet een administratie van je reisdagen "
                      "bijhouden.", km=getal(admin)))
        w.caveat(tr("De zin over de fiscale ruimte in de IKB-regeling is onduidelijk ('kilometers op jaarbasis' maal een "
                    "reisfrequentie per week). Regelwijs volgt de Belastingdienst-methode die de regeling noemt: "
                    "{max_days} dagen per jaar bij vijf reisdagen per week, heen en terug. Laat P&O het bedrag "
                    "bevestigen.", max_days=getal(max_days)))
        w.param("woonwerk_wetswijziging")
        w.caveat(tr("Volgens de IKB-regeling werken wijzigingen in wet- en regelgeving direct door; het bedrag van "
                    "{rate} per km kan dus achterhaald zijn.", rate=euro(rate)))
        summary = tr("Je kunt uit je IKB maximaal {amount} per jaar onbelast inzetten voor woon-werkverkeer met een "
                     "privévervoermiddel ({dist} km enkele reis, {per_week} dagen per week, {rate} per km).",
                     amount=euro(amount), dist=getal(dist), per_week=getal(per_week), rate=euro(rate))
        return w.result(amount, "EUR per jaar", summary)
