"""Studiekosten repayment, study hours and internship allowances.

Repayment (Kerkrade art. 9 lid 3, Kaag en Braassem "Terugbetalingsregeling") is 1/24 of
the amount for every *full* month missing from the 24-month term: a partly missing
month is not charged. Kerkrade only applies that limitation once a year has passed;
for leaving within the first year its text gives no amount, so none is invented.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from actions.calculators import params as P
from actions.calculators.base import Calculation, InputError, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.datums import full_months_between
from actions.calculators.i18n import tr
from actions.calculators.tekst import cents, datum, eenheid, euro, getal, uren

REDENEN = ["eigen verzoek", "aan mij te wijten", "andere reden"]


def _volle_maanden(n: int) -> str:
    """'1 volle maand', '5 volle maanden' (English '1 full month')."""
    return eenheid(n, "volle maand", "volle maanden")


class Studiekosten(BaseCalculator):
    name = "studiekosten"
    title = "Terugbetaling van studiekosten bij vertrek"
    onderwerp = "de terugbetaling van studiekosten"
    _parkstad = InputSpec("nieuwe_werkgever_parkstad", "bool", False,
                          "Ga je werken bij een gemeente die deelneemt aan de gemeenschappelijke regeling Regio "
                          "Parkstad Limburg?", default=False)
    inputs = [
        InputSpec("vergoeding", "money", True, "Hoeveel heeft de werkgever voor de opleiding betaald?"),
        InputSpec("reden", "choice", True,
                  "Waarom ga je weg: op eigen verzoek (je neemt zelf ontslag), ontslag door feiten of omstandigheden "
                  "die aan jou te wijten zijn, of om een andere reden (bijvoorbeeld reorganisatie of einde contract)?",
                  choices=REDENEN,
                  aliases={"eigen initiatief": "eigen verzoek", "ontslag genomen": "eigen verzoek", "zelf": "eigen verzoek",
                           "eigen ontslag": "eigen verzoek", "nieuwe baan": "eigen verzoek",
                           "te wijten": "aan mij te wijten", "eigen schuld": "aan mij te wijten",
                           "anders": "andere reden", "reorganisatie": "andere reden", "einde contract": "andere reden"}),
        InputSpec("datum_afronding", "date", False, "Op welke datum heb je de opleiding afgerond (de einddatum)?"),
        InputSpec("datum_vertrek", "date", False, "Op welke datum ga je uit dienst?"),
        InputSpec("volle_maanden_verstreken", "int", False,
                  "Hoeveel volle maanden liggen er tussen het einde van de opleiding en je vertrek?", min=0, max=600),
        _parkstad,
    ]

    def inputs_for(self, gemeente: str) -> list[InputSpec]:
        ps = P.params_for(gemeente, self.name)
        if ps is not None and "parkstad" in ps:
            return self.inputs
        return [s for s in self.inputs if s is not self._parkstad]

    def _months(self, w: Work, v: dict) -> tuple[int, int]:
        done, leave, months = v.get("datum_afronding"), v.get("datum_vertrek"), v.get("volle_maanden_verstreken")
        if done is not None and leave is not None:
            if leave < done:
                raise InputError("datum_vertrek", "De vertrekdatum ligt voor de einddatum van de opleiding.",
                                 "The leaving date is before the end date of the course.")
            m, rest = full_months_between(done, leave)
            if rest:
                w.step(tr("Van het einde van de opleiding ({done}) tot je vertrek ({leave}): {months} en {days}.",
                          done=datum(done), leave=datum(leave), months=_volle_maanden(m), days=eenheid(rest, "dag", "dagen")))
            else:
                w.step(tr("Van het einde van de opleiding ({done}) tot je vertrek ({leave}): {months}.",
                          done=datum(done), leave=datum(leave), months=_volle_maanden(m)))
            return m, rest
        if months is not None:
            w.step(tr("Tussen het einde van de opleiding en je vertrek: {months}.", months=_volle_maanden(months)))
            return months, 0
        field = "datum_afronding" if done is None else "datum_vertrek"
        raise InputError(field, "Dit gegeven ontbreekt nog. Wanneer heb je de opleiding afgerond en wanneer ga je uit "
                                "dienst? (Of: hoeveel volle maanden zitten daartussen?)",
                         "This is still missing. When did you finish the course and when do you leave? (Or: how many "
                         "full months are there in between?)")

    def _compute(self, w: Work, v: dict) -> Calculation:
        paid: Decimal = v["vergoeding"]
        reason: str = v["reden"]
        if "drempel" in w.ps:
            threshold = w.dec("drempel")
            if paid <= threshold:
                w.step(tr("{paid} is niet meer dan {threshold}: de terugbetalingsregeling geldt alleen voor "
                          "opleidingen die duurder zijn dan {threshold}.", paid=euro(paid), threshold=euro(threshold)))
                return w.result(Decimal("0.00"), "EUR",
                                tr("Je hoeft niets terug te betalen: de terugbetalingsregeling geldt alleen voor "
                                   "opleidingen van meer dan {threshold}.", threshold=euro(threshold)))
            w.step(tr("{paid} is meer dan {threshold}: de terugbetalingsregeling is van toepassing.",
                      paid=euro(paid), threshold=euro(threshold)))
        reasons = w.value("redenen")
        if reason not in reasons:
            ways = [tr("op eigen verzoek") if r == "eigen verzoek"
                    else tr("door feiten of omstandigheden die aan jou te wijten zijn") for r in reasons]
            joined = ways[0]
            for way in ways[1:]:
                joined = tr("{first} of {second}", first=joined, second=way)
            w.step(tr("De terugbetaling naar rato geldt bij vertrek {ways}; bij een andere reden niet.", ways=joined))
            w.caveat(tr("Je persoonlijk ontwikkelplan of studieovereenkomst kan aanvullende afspraken bevatten; kijk die "
                        "na of vraag P&O."))
            return w.result(Decimal("0.00"), "EUR",
                            tr("Op grond van deze regeling hoef je niets terug te betalen, omdat je om een andere reden "
                               "vertrekt dan die waarvoor de terugbetaling geldt."))
        if "parkstad" in w.ps and reason == "eigen verzoek" and v.get("nieuwe_werkgever_parkstad"):
            w.param("parkstad")
            w.step(tr("Je gaat werken bij een gemeente in de gemeenschappelijke regeling Regio Parkstad Limburg: de "
                      "terugbetalingsverplichting vervalt."))
            return w.result(Decimal("0.00"), "EUR",
                            tr("Je hoeft niets terug te betalen, omdat je overstapt naar een gemeente die deelneemt aan "
                               "de gemeenschappelijke regeling Regio Parkstad Limburg."))

        months, rest = self._months(w, v)
        term = int(w.dec("termijn_maanden"))
        share = Fraction(str(w.value("deel_per_maand")))
        if months >= term:
            w.step(tr("{months} maanden is {term} maanden of meer: de termijn is verstreken.", months=months, term=term))
            return w.result(Decimal("0.00"), "EUR",
                            tr("Je hoeft niets terug te betalen: je vertrekt {term} maanden of meer na het einde van de "
                               "opleiding.", term=term))
        if "min_verstreken_maanden" in w.ps:
            minimum = int(w.dec("min_verstreken_maanden"))
            if months < minimum:
                w.param("pop_afspraken")
                w.step(tr("Er zijn nog geen {minimum} maanden verstreken: de beperking tot {share} per ontbrekende maand "
                          "geldt pas na {minimum} maanden.",
                          minimum=minimum, share=f"{share.numerator}/{share.denominator}"))
                w.caveat(tr("Voor vertrek binnen {minimum} maanden na afronding noemt de regeling geen bedrag. Wat je dan "
                            "terugbetaalt volgt uit de afspraken in je persoonlijk ontwikkelplan en de schriftelijke "
                            "verklaring die je bij de vergoeding hebt getekend. Vraag het na bij {contact}.",
                            minimum=minimum, contact=w.contact))
                w.details["maanden"] = months
                return w.result(None, "EUR",
                                tr("De regeling geeft geen bedrag voor vertrek binnen {minimum} maanden na afronding van "
                                   "de opleiding; de terugbetaling volgt dan uit je afspraken in het persoonlijk "
                                   "ontwikkelplan. Vraag P&O om het bedrag.", minimum=minimum))
        missing = term - months - (1 if rest else 0)
        amount = cents(paid * Decimal(share.numerator) * missing / Decimal(share.denominator))
        if rest:
            w.step(tr("Ontbrekende volle maanden tot {term}: {term} − {months} − 1 (een gedeeltelijk ontbrekende maand "
                      "telt niet) = {missing}.", term=term, months=months, missing=missing))
        else:
            w.step(tr("Ontbrekende volle maanden tot {term}: {term} − {months} = {missing}.",
                      term=term, months=months, missing=missing))
        w.step(f"{missing}/{share.denominator} × {euro(paid)} = {euro(amount)}.")
        if "ontheffing" in w.ps:
            w.param("ontheffing")
            w.caveat(tr("De werkgever kan je op je verzoek geheel of gedeeltelijk ontheffen van de terugbetaling."))
        w.details.update(maanden=months, ontbrekende_maanden=missing)
        summary = tr("Je moet {amount} terugbetalen: {missing}/{denominator} van {paid}, voor de {missing_months} "
                     "die aan de termijn van {term} maanden ontbreken.",
                     amount=euro(amount), missing=missing, denominator=share.denominator, paid=euro(paid), term=term,
                     missing_months=_volle_maanden(missing))
        return w.result(amount, "EUR", summary)


class Studieverlof(BaseCalculator):
    name = "studieverlof"
    title = "Studie-uren en studieverlof"
    onderwerp = "het studieverlof"
    inputs = [
        InputSpec("hele_dagen", "int", True, "Hoeveel hele lesdagen per jaar heeft de opleiding?", min=0, max=366),
        InputSpec("dagdelen", "int", False, "Hoeveel losse dagdelen les per jaar komen daar nog bij?", min=0, max=732,
                  default=0),
        InputSpec("examenuren", "hours", False,
                  "Hoeveel uur per jaar kosten tentamens en examens (buiten de lesdagen)?", min=0, max=2000,
                  default=Decimal(0)),
        InputSpec("verplichte_opleiding", "bool", False,
                  "Is het een noodzakelijke of verplichte opleiding (zo vastgelegd in je persoonlijk ontwikkelplan)?",
                  default=False),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        days, parts, exams = v["hele_dagen"], v.get("dagdelen", 0), v.get("examenuren", Decimal(0))
        per_day, per_part = w.dec("uren_per_dag"), w.dec("uren_per_dagdeel")
        needed = days * per_day + parts * per_part + exams
        if exams:
            w.step(tr("Benodigde uren: {days} × {per_day} + {parts} × {per_part} + {exams} tentamens/examens = {needed} "
                      "per jaar.", days=days, per_day=uren(per_day), parts=parts, per_part=uren(per_part),
                      exams=uren(exams), needed=uren(needed)))
        else:
            w.step(tr("Benodigde uren: {days} × {per_day} + {parts} × {per_part} = {needed} per jaar.",
                      days=days, per_day=uren(per_day), parts=parts, per_part=uren(per_part), needed=uren(needed)))
        if v.get("verplichte_opleiding"):
            w.param("verplicht_volledig")
            w.step(tr("Bij een noodzakelijke of verplichte opleiding word je volledig in tijd gecompenseerd voor de "
                      "lessen."))
            return w.result(needed, "uur",
                            tr("Voor deze noodzakelijke of verplichte opleiding word je volledig in tijd gecompenseerd: "
                               "{needed} per jaar.", needed=uren(needed)))
        cap = w.dec("max_uren_per_jaar")
        own = min(needed, cap)
        leave = max(Decimal(0), needed - cap)
        w.param("meerdere_werkgever")
        w.step(tr("Tot {cap} per jaar zet je zelf in: {own}.", cap=uren(cap), own=uren(own)))
        w.step(tr("Meer dan {cap}: {needed} − {cap} = {leave} verlof met behoud van salaris voor rekening van de "
                  "werkgever.", cap=uren(cap), needed=uren(needed), leave=uren(leave)))
        w.param("in_principe_geen_verlof")
        w.caveat(tr("De regeling zegt niet of de eerste {cap} eigen tijd, verlofuren of werktijd zijn, of het om een "
                    "kalenderjaar of studiejaar gaat, en of de {cap} voor deeltijders naar rato geldt.", cap=uren(cap)))
        w.param("terugbetaling_verlof")
        w.caveat(tr("Word je door je eigen schuld ontslagen voor het einde van de opleiding of binnen twee jaar na het "
                    "diploma, dan moet je het nettosalaris over het verleende studieverlof terugbetalen."))
        if leave:
            summary = tr("Je opleiding vraagt {needed} per jaar. De eerste {cap} zet je zelf in; voor de overige {leave} "
                         "krijg je verlof met behoud van salaris.", needed=uren(needed), cap=uren(cap), leave=uren(leave))
        else:
            summary = tr("Je opleiding vraagt {needed} per jaar; dat is niet meer dan {cap}, dus je zet die uren zelf in "
                         "en er is geen extra studieverlof met behoud van salaris.", needed=uren(needed), cap=uren(cap))
        w.details.update(benodigd=float(needed), eigen_uren=float(own))
        return w.result(leave, "uur verlof met behoud van salaris", summary)


class Stagevergoeding(BaseCalculator):
    name = "stagevergoeding"
    title = "Stagevergoeding"
    onderwerp = "de stagevergoeding"
    _niveau = InputSpec("niveau", "choice", True, "Op welk niveau is de opleiding: mbo, hbo of wo (universiteit)?",
                        choices=["mbo", "hbo", "wo"],
                        aliases={"academisch": "wo", "universiteit": "wo", "universitair": "wo", "wetenschappelijk": "wo",
                                 "vmbo": "mbo", "t/m mbo": "mbo", "hogeschool": "hbo"})
    inputs = [
        _niveau,
        InputSpec("uren_per_week", "hours", True, "Hoeveel uur per week loop je stage?", min=1, max=60),
        InputSpec("duur_maanden", "number", True, "Hoeveel maanden duurt de stage?", max=60),
    ]

    def inputs_for(self, gemeente: str) -> list[InputSpec]:
        ps = P.params_for(gemeente, self.name)
        if ps is not None and "niveaus" in ps:
            return self.inputs
        return [s for s in self.inputs if s is not self._niveau]

    def _compute(self, w: Work, v: dict) -> Calculation:
        if "niveaus" in w.ps:
            return self._per_niveau(w, v)
        return self._voorwaarden(w, v)

    def _per_niveau(self, w: Work, v: dict) -> Calculation:
        months: Decimal = v["duur_maanden"]
        hours: Decimal = v["uren_per_week"]
        minimum = w.dec("min_duur_maanden")
        w.param("geen_reiskosten")
        w.caveat(tr("Er is geen vergoeding voor reiskosten woon-werkverkeer."))
        if months < minimum:
            w.step(tr("Een stage korter dan {minimum} (snuffelstage) krijgt geen vergoeding.",
                      minimum=eenheid(minimum, "maand", "maanden")))
            return w.result(Decimal("0.00"), "EUR per maand",
                            tr("Je krijgt geen stagevergoeding: voor een stage korter dan {minimum} (snuffelstage) wordt "
                               "geen vergoeding gegeven.", minimum=eenheid(minimum, "maand", "maanden")))
        p = w.param("niveaus")
        row = next(r for r in p.value if r["niveau"] == v["niveau"])
        w.cite(p.row_citation(row))
        full = Decimal(str(row["bedrag"]))
        basis = w.dec("basis_uren")
        w.step(tr("Stagevergoeding {niveau}-niveau: {full} bruto per maand op basis van {basis} per week.",
                  niveau=v["niveau"], full=euro(full), basis=uren(basis)))
        amount = full
        if hours < basis:
            amount = cents(full * hours / basis)
            w.step(tr("Naar rato van {hours}: {full} × {hours_number}/{basis} = {amount}.",
                      hours=uren(hours), full=euro(full), hours_number=getal(hours), basis=getal(basis),
                      amount=euro(amount)))
            w.caveat(tr("De regeling noemt de bedragen 'op basis van {basis} uur per week' maar zegt niet uitdrukkelijk "
                        "dat een kortere stageweek naar rato minder krijgt; Regelwijs rekent naar rato. Vraag P&O om "
                        "bevestiging.", basis=getal(basis)))
        elif hours > basis:
            w.caveat(tr("De bedragen gelden bij {basis} per week; de regeling zegt niets over meer uren.",
                        basis=uren(basis)))
        w.param("inhoudingen")
        w.caveat(tr("Het is een brutobedrag: er worden verplichte inhoudingen zoals loonbelasting op ingehouden."))
        if amount != full:
            summary = tr("Je stagevergoeding is {amount} bruto per maand ({niveau}-niveau, naar rato van {hours} per "
                         "week).", amount=euro(amount), niveau=v["niveau"], hours=uren(hours))
        else:
            summary = tr("Je stagevergoeding is {amount} bruto per maand ({niveau}-niveau).",
                         amount=euro(amount), niveau=v["niveau"])
        return w.result(amount, "EUR bruto per maand", summary)

    def _voorwaarden(self, w: Work, v: dict) -> Calculation:
        months: Decimal = v["duur_maanden"]
        hours: Decimal = v["uren_per_week"]
        min_months, min_hours = w.dec("min_duur_maanden"), w.dec("min_uren")
        ok = months >= min_months and hours >= min_hours
        w.step(tr("Voorwaarden voor een stagevergoeding: stage van {min_months} maanden of langer ({months}: "
                  "{long_enough}) en minstens {min_hours} per week ({hours}: {enough_hours}).",
                  min_months=getal(min_months), months=getal(months),
                  long_enough=tr("ja") if months >= min_months else tr("nee"),
                  min_hours=uren(min_hours), hours=uren(hours),
                  enough_hours=tr("ja") if hours >= min_hours else tr("nee")))
        if ok:
            w.missing_caveat("bedrag")
            w.caveat(tr("De regeling eist minstens {min_hours} per week, maar zegt ook dat de vergoeding bij een "
                        "parttime stageplaats evenredig minder wordt; hoe die twee samengaan staat er niet bij.",
                        min_hours=uren(min_hours)))
            return w.result(None, "EUR per maand",
                            tr("Je komt in aanmerking voor een stagevergoeding per maand. Het bedrag staat in een bijlage "
                               "die niet in de regeling is opgenomen; vraag het na bij {contact}.", contact=w.contact))
        note = w.param("onkosten").localised("note") or ""
        return w.result(None, "EUR",
                        tr("Je komt niet in aanmerking voor een stagevergoeding. Volgens de regeling {note} Vraag het "
                           "bedrag na bij {contact}.", note=note, contact=w.contact))
