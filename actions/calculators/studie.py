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
from actions.calculators.tekst import cents, datum, euro, getal, uren

REDENEN = ["eigen verzoek", "aan mij te wijten", "andere reden"]


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
                raise InputError("datum_vertrek", "De vertrekdatum ligt voor de einddatum van de opleiding.")
            m, rest = full_months_between(done, leave)
            extra = f" en {rest} {'dag' if rest == 1 else 'dagen'}" if rest else ""
            w.step(f"Van het einde van de opleiding ({datum(done)}) tot je vertrek ({datum(leave)}): "
                   f"{m} volle maanden{extra}.")
            return m, rest
        if months is not None:
            w.step(f"Tussen het einde van de opleiding en je vertrek: {months} volle maanden.")
            return months, 0
        field = "datum_afronding" if done is None else "datum_vertrek"
        raise InputError(field, "Dit gegeven ontbreekt nog. Wanneer heb je de opleiding afgerond en wanneer ga je uit "
                                "dienst? (Of: hoeveel volle maanden zitten daartussen?)")

    def _compute(self, w: Work, v: dict) -> Calculation:
        paid: Decimal = v["vergoeding"]
        reason: str = v["reden"]
        if "drempel" in w.ps:
            threshold = w.dec("drempel")
            if paid <= threshold:
                w.step(f"{euro(paid)} is niet meer dan {euro(threshold)}: de terugbetalingsregeling geldt alleen voor "
                       f"opleidingen die duurder zijn dan {euro(threshold)}.")
                return w.result(Decimal("0.00"), "EUR", f"Je hoeft niets terug te betalen: de terugbetalingsregeling geldt "
                                                        f"alleen voor opleidingen van meer dan {euro(threshold)}.")
            w.step(f"{euro(paid)} is meer dan {euro(threshold)}: de terugbetalingsregeling is van toepassing.")
        reasons = w.value("redenen")
        if reason not in reasons:
            w.step("De terugbetaling naar rato geldt bij vertrek " + " of ".join(
                "op eigen verzoek" if r == "eigen verzoek" else "door feiten of omstandigheden die aan jou te wijten zijn"
                for r in reasons) + "; bij een andere reden niet.")
            w.caveat("Je persoonlijk ontwikkelplan of studieovereenkomst kan aanvullende afspraken bevatten; kijk die na "
                     "of vraag P&O.")
            return w.result(Decimal("0.00"), "EUR",
                            "Op grond van deze regeling hoef je niets terug te betalen, omdat je om een andere reden "
                            "vertrekt dan die waarvoor de terugbetaling geldt.")
        if "parkstad" in w.ps and reason == "eigen verzoek" and v.get("nieuwe_werkgever_parkstad"):
            w.param("parkstad")
            w.step("Je gaat werken bij een gemeente in de gemeenschappelijke regeling Regio Parkstad Limburg: de "
                   "terugbetalingsverplichting vervalt.")
            return w.result(Decimal("0.00"), "EUR",
                            "Je hoeft niets terug te betalen, omdat je overstapt naar een gemeente die deelneemt aan de "
                            "gemeenschappelijke regeling Regio Parkstad Limburg.")

        months, rest = self._months(w, v)
        term = int(w.dec("termijn_maanden"))
        share = Fraction(str(w.value("deel_per_maand")))
        if months >= term:
            w.step(f"{months} maanden is {term} maanden of meer: de termijn is verstreken.")
            return w.result(Decimal("0.00"), "EUR", f"Je hoeft niets terug te betalen: je vertrekt {term} maanden of meer "
                                                    "na het einde van de opleiding.")
        if "min_verstreken_maanden" in w.ps:
            minimum = int(w.dec("min_verstreken_maanden"))
            if months < minimum:
                w.param("pop_afspraken")
                w.step(f"Er zijn nog geen {minimum} maanden verstreken: de beperking tot "
                       f"{share.numerator}/{share.denominator} per ontbrekende maand geldt pas na {minimum} maanden.")
                w.caveat(f"Voor vertrek binnen {minimum} maanden na afronding noemt de regeling geen bedrag. Wat je dan terugbetaalt "
                         "volgt uit de afspraken in je persoonlijk ontwikkelplan en de schriftelijke verklaring die je "
                         f"bij de vergoeding hebt getekend. Vraag het na bij {w.info.contact}.")
                w.details["maanden"] = months
                return w.result(None, "EUR",
                                f"De regeling geeft geen bedrag voor vertrek binnen {minimum} maanden na afronding van de "
                                "opleiding; de terugbetaling volgt dan uit je afspraken in het persoonlijk "
                                "ontwikkelplan. Vraag P&O om het bedrag.")
        missing = term - months - (1 if rest else 0)
        amount = cents(paid * Decimal(share.numerator) * missing / Decimal(share.denominator))
        w.step(f"Ontbrekende volle maanden tot {term}: {term} − {months}"
               + (" − 1 (een gedeeltelijk ontbrekende maand telt niet)" if rest else "") + f" = {missing}.")
        w.step(f"{missing}/{share.denominator} × {euro(paid)} = {euro(amount)}.")
        if "ontheffing" in w.ps:
            w.param("ontheffing")
            w.caveat("De werkgever kan je op je verzoek geheel of gedeeltelijk ontheffen van de terugbetaling.")
        w.details.update(maanden=months, ontbrekende_maanden=missing)
        summary = (f"Je moet {euro(amount)} terugbetalen: {missing}/{share.denominator} van {euro(paid)}, voor de "
                   f"{missing} volle maanden die aan de termijn van {term} maanden ontbreken.")
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
        w.step(f"Benodigde uren: {days} × {uren(per_day)} + {parts} × {uren(per_part)}"
               + (f" + {uren(exams)} tentamens/examens" if exams else "") + f" = {uren(needed)} per jaar.")
        if v.get("verplichte_opleiding"):
            w.param("verplicht_volledig")
            w.step("Bij een noodzakelijke of verplichte opleiding word je volledig in tijd gecompenseerd voor de lessen.")
            return w.result(needed, "uur",
                            f"Voor deze noodzakelijke of verplichte opleiding word je volledig in tijd gecompenseerd: "
                            f"{uren(needed)} per jaar.")
        cap = w.dec("max_uren_per_jaar")
        own = min(needed, cap)
        leave = max(Decimal(0), needed - cap)
        w.param("meerdere_werkgever")
        w.step(f"Tot {uren(cap)} per jaar zet je zelf in: {uren(own)}.")
        w.step(f"Meer dan {uren(cap)}: {uren(needed)} − {uren(cap)} = {uren(leave)} verlof met behoud van salaris "
               "voor rekening van de werkgever.")
        w.param("in_principe_geen_verlof")
        w.caveat(f"De regeling zegt niet of de eerste {uren(cap)} eigen tijd, verlofuren of werktijd zijn, of het om een "
                 f"kalenderjaar of studiejaar gaat, en of de {uren(cap)} voor deeltijders naar rato geldt.")
        w.param("terugbetaling_verlof")
        w.caveat("Word je door je eigen schuld ontslagen voor het einde van de opleiding of binnen twee jaar na het "
                 "diploma, dan moet je het nettosalaris over het verleende studieverlof terugbetalen.")
        if leave:
            summary = (f"Je opleiding vraagt {uren(needed)} per jaar. De eerste {uren(cap)} zet je zelf in; voor de "
                       f"overige {uren(leave)} krijg je verlof met behoud van salaris.")
        else:
            summary = (f"Je opleiding vraagt {uren(needed)} per jaar; dat is niet meer dan {uren(cap)}, dus je zet die uren "
                       "zelf in en er is geen extra studieverlof met behoud van salaris.")
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
        w.caveat("Er is geen vergoeding voor reiskosten woon-werkverkeer.")
        if months < minimum:
            w.step(f"Een stage korter dan {getal(minimum)} maand (snuffelstage) krijgt geen vergoeding.")
            return w.result(Decimal("0.00"), "EUR per maand",
                            f"Je krijgt geen stagevergoeding: voor een stage korter dan {getal(minimum)} maand "
                            "(snuffelstage) wordt geen vergoeding gegeven.")
        p = w.param("niveaus")
        row = next(r for r in p.value if r["niveau"] == v["niveau"])
        w.cite(p.row_citation(row))
        full = Decimal(str(row["bedrag"]))
        basis = w.dec("basis_uren")
        w.step(f"Stagevergoeding {v['niveau']}-niveau: {euro(full)} bruto per maand op basis van {uren(basis)} per week.")
        amount = full
        if hours < basis:
            amount = cents(full * hours / basis)
            w.step(f"Naar rato van {uren(hours)}: {euro(full)} × {getal(hours)}/{getal(basis)} = {euro(amount)}.")
            w.caveat(f"De regeling noemt de bedragen 'op basis van {getal(basis)} uur per week' maar zegt niet uitdrukkelijk "
                     "dat een kortere stageweek naar rato minder krijgt; Regelwijs rekent naar rato. Vraag P&O om "
                     "bevestiging.")
        elif hours > basis:
            w.caveat(f"De bedragen gelden bij {getal(basis)} uur per week; de regeling zegt niets over meer uren.")
        w.param("inhoudingen")
        w.caveat("Het is een brutobedrag: er worden verplichte inhoudingen zoals loonbelasting op ingehouden.")
        summary = f"Je stagevergoeding is {euro(amount)} bruto per maand ({v['niveau']}-niveau"
        summary += f", naar rato van {getal(hours)} uur per week)." if amount != full else ")."
        return w.result(amount, "EUR bruto per maand", summary)

    def _voorwaarden(self, w: Work, v: dict) -> Calculation:
        months: Decimal = v["duur_maanden"]
        hours: Decimal = v["uren_per_week"]
        min_months, min_hours = w.dec("min_duur_maanden"), w.dec("min_uren")
        ok = months >= min_months and hours >= min_hours
        w.step(f"Voorwaarden voor een stagevergoeding: stage van {getal(min_months)} maanden of langer "
               f"({getal(months)}: {'ja' if months >= min_months else 'nee'}) en minstens {uren(min_hours)} per week "
               f"({uren(hours)}: {'ja' if hours >= min_hours else 'nee'}).")
        if ok:
            w.missing_caveat("bedrag")
            w.caveat(f"De regeling eist minstens {uren(min_hours)} per week, maar zegt ook dat de vergoeding bij een "
                     "parttime stageplaats evenredig minder wordt; hoe die twee samengaan staat er niet bij.")
            return w.result(None, "EUR per maand",
                            "Je komt in aanmerking voor een stagevergoeding per maand. Het bedrag staat in een bijlage die "
                            f"niet in de regeling is opgenomen; vraag het na bij {w.info.contact}.")
        note = w.param("onkosten").note or ""
        return w.result(None, "EUR",
                        f"Je komt niet in aanmerking voor een stagevergoeding. Volgens de regeling {note} "
                        f"Vraag het bedrag na bij {w.info.contact}.")
