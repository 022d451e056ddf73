"""One-off payments: gratificatie, jubileumuitkering and ontslaguitkering (Kerkrade).

Kerkrade's handbook gives these as fractions of the month's salary plus 8%; for the
gratificatie it gives maxima. Other gemeenten only refer to the cao (Kaag en Braassem)
or list criteria without an amount (Oldebroek): those answers cite the passage and say
the amount is not in the regeling.
"""

from __future__ import annotations

from decimal import Decimal

from actions.calculators.base import Calculation, InputError, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.tekst import cents, euro, getal, procent


class Gratificatie(BaseCalculator):
    name = "gratificatie"
    title = "Gratificatie voor uitstekend functioneren"
    onderwerp = "de gratificatie"
    inputs = [
        InputSpec("soort", "choice", True,
                  "Gaat het om een gratificatie voor één werknemer of om een groepsgratificatie?",
                  choices=["individueel", "groep"],
                  aliases={"individuele": "individueel", "persoonlijk": "individueel", "team": "groep",
                           "groepsgratificatie": "groep", "collectief": "groep"}),
        InputSpec("groepsgrootte", "int", True, "Uit hoeveel werknemers bestaat de groep?", min=1, max=1000,
                  only_if={"soort": "groep"}),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        w.param("grondslag")
        single = w.dec("max_individueel")
        w.caveat("Een gratificatie is geen recht: de werkgever kan haar toekennen. De regeling zegt niet of deeltijders "
                 "een evenredig deel krijgen of hoe vaak per jaar een gratificatie kan worden gegeven.")
        if v["soort"] == "individueel":
            w.step(f"Individuele gratificatie: maximaal {euro(single)} bruto.")
            summary = (f"Een gratificatie voor een uitstekende individuele prestatie is maximaal {euro(single)} bruto; "
                       "de werkgever beslist of hij haar toekent.")
            return w.result(single, "EUR bruto (maximum)", summary)
        per = w.dec("max_groep_per_werknemer")
        n = v["groepsgrootte"]
        total = per * n
        w.step(f"Groepsgratificatie: maximaal {euro(per)} bruto per werknemer × {n} werknemers = {euro(total)} bruto.")
        summary = (f"Een groepsgratificatie is maximaal {euro(per)} bruto per werknemer; voor een groep van {n} is dat "
                   f"samen maximaal {euro(total)} bruto. (Een individuele gratificatie is maximaal {euro(single)} bruto.)")
        w.details["per_werknemer"] = float(per)
        return w.result(total, "EUR bruto (maximum)", summary)


class Jubileum(BaseCalculator):
    name = "jubileum"
    title = "Jubileumuitkering (ambtsjubileumgratificatie)"
    onderwerp = "de jubileumuitkering"
    inputs = [
        InputSpec("dienstjaren", "int", True,
                  "Hoeveel jaar ben je in de maand van het jubileum in overheidsdienst (bij werkgevers aangesloten bij het ABP)?",
                  min=1, max=60),
        InputSpec("maandsalaris", "money", True, "Wat is je bruto maandsalaris in de maand van het jubileum?"),
        InputSpec("salaristoelagen", "money", False,
                  "Hoeveel ontvang je die maand aan salaristoelagen (bijvoorbeeld functionerings-, arbeidsmarkt- of "
                  "garantietoelage)? 0 als je geen toelagen hebt.", default=Decimal(0)),
        InputSpec("uitsluitend_kerkrade", "bool", True,
                  "Heb je al die dienstjaren uitsluitend bij de gemeente Kerkrade gewerkt?"),
        InputSpec("onderbreking_langer_dan_6_maanden", "bool", False,
                  "Is er bij de gemeente Kerkrade een onderbreking van langer dan zes maanden geweest?", default=False),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        years = v["dienstjaren"]
        jubilea = [int(j) for j in w.value("jubileumjaren")]
        w.param("diensttijd_abp")
        if years not in jubilea:
            nxt = next((j for j in jubilea if j > years), None)
            w.step(f"Een jubileumuitkering is er bij {', '.join(map(str, jubilea[:-1]))} en {jubilea[-1]} jaar "
                   f"overheidsdienst; {years} jaar is geen jubileum.")
            summary = f"Bij {years} dienstjaren is er geen jubileumuitkering."
            if nxt:
                summary += f" Je volgende jubileum is bij {nxt} jaar."
            return w.result(Decimal("0.00"), "EUR bruto", summary)
        salary, allowances = v["maandsalaris"], v.get("salaristoelagen", Decimal(0))
        base = salary + allowances
        w.step(f"Grondslag: salaris {euro(salary)} + salaristoelagen {euro(allowances)} = {euro(base)} over de maand "
               "van het jubileum.")
        factor = w.dec("factor_25") if years == 25 else w.dec("factor_40_50")
        part = base * factor
        w.step(f"Bij {years} jaar: {'de helft van de grondslag' if factor != 1 else 'de volledige grondslag'} = {euro(part)}.")
        opslag = w.dec("opslag")
        amount = part * (1 + opslag)
        w.step(f"Vermeerderd met {procent(opslag)}: {euro(part)} × {getal(1 + opslag)} = {euro(amount)}.")
        gap = int(w.dec("max_onderbreking_maanden"))
        double = v["uitsluitend_kerkrade"] and not v.get("onderbreking_langer_dan_6_maanden", False)
        if double:
            factor2 = w.dec("verdubbeling")
            amount = amount * factor2
            w.step(f"Verdubbeld, omdat de diensttijd uitsluitend bij de gemeente Kerkrade is doorgebracht zonder "
                   f"onderbreking van langer dan {gap} maanden: {euro(amount)}.")
        elif v["uitsluitend_kerkrade"]:
            w.param("max_onderbreking_maanden")
            w.step(f"Geen verdubbeling: er was een onderbreking van langer dan {gap} maanden.")
        else:
            w.step("Geen verdubbeling: niet alle dienstjaren zijn bij de gemeente Kerkrade doorgebracht.")
        amount = cents(amount)
        w.param("cao_verwijzing")
        w.caveat("Artikel 15 van de beloningsregeling verwijst voor de jubileumgratificatie naar artikel 3.17 van de "
                 "cao Gemeenten; Regelwijs rekent met de berekening uit Hoofdstuk 25 van het handboek.")
        w.caveat("Het 'salaris' is volgens de beloningsregeling het maandbedrag naar evenredigheid van je arbeidsduur: "
                 f"bij deeltijd telt dus je deeltijdsalaris. Een onderbreking van precies {gap} maanden is niet 'langer "
                 f"dan {gap} maanden'.")
        summary = f"Je jubileumuitkering bij {years} jaar is {euro(amount)} bruto"
        summary += " (verdubbeld omdat je al die jaren bij de gemeente Kerkrade werkte)." if double else "."
        summary += " Ze wordt betaald met het salaris over de maand van het jubileum."
        return w.result(amount, "EUR bruto", summary)


class Ontslaguitkering(BaseCalculator):
    name = "ontslaguitkering"
    title = "Ontslaguitkering bij (vroeg)pensionering"
    onderwerp = "de ontslaguitkering"
    inputs = [
        InputSpec("dienstjaren_kerkrade", "number", True,
                  "Hoeveel dienstjaren heb je bij de gemeente Kerkrade op de ontslagdatum?", max=60),
        InputSpec("onderbreking_langer_dan_6_maanden", "bool", False,
                  "Is er in die jaren een onderbreking van langer dan zes maanden geweest?", default=False),
        InputSpec("reden", "choice", False,
                  "Eindigt je dienstverband door volledig (vroeg)pensioen, door gedeeltelijk pensioen, of om een "
                  "andere reden?",
                  choices=["volledig pensioen", "deeltijdpensioen", "anders"],
                  aliases={"vroegpensioen": "volledig pensioen", "pensioen": "volledig pensioen",
                           "volledig vroegpensioen": "volledig pensioen", "aow": "volledig pensioen",
                           "gedeeltelijk pensioen": "deeltijdpensioen", "deeltijd pensioen": "deeltijdpensioen",
                           "ontslag": "anders", "andere reden": "anders"}),
        InputSpec("salaris_laatste_maand", "money", False,
                  "Wat is je bruto salaris over de laatste volledige kalendermaand voor de ontslagdatum?"),
        InputSpec("salaristoelagen", "money", False, "En de salaristoelagen over die maand? (0 als je die niet hebt)",
                  default=Decimal(0)),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        years: Decimal = v["dienstjaren_kerkrade"]
        minimum = w.dec("min_dienstjaren")
        gap = int(w.dec("max_onderbreking_maanden"))
        if years < minimum:
            w.step(f"{getal(years)} dienstjaren is minder dan de vereiste {getal(minimum)} dienstjaren bij de gemeente "
                   "Kerkrade.")
            return w.result(Decimal("0.00"), "EUR",
                            f"Nee, je krijgt geen ontslaguitkering: daarvoor zijn ten minste {getal(minimum)} dienstjaren "
                            f"bij de gemeente Kerkrade nodig, en je hebt er {getal(years)}.")
        if v.get("onderbreking_langer_dan_6_maanden"):
            w.step(f"Er was een onderbreking van langer dan {gap} maanden: de dienstjaren zijn niet 'zonder wezenlijke "
                   "onderbreking' doorgebracht.")
            return w.result(Decimal("0.00"), "EUR",
                            f"Nee, je krijgt geen ontslaguitkering: de {getal(minimum)} dienstjaren moeten zonder "
                            f"onderbreking van langer dan {gap} maanden zijn doorgebracht.")
        w.step(f"{getal(years)} dienstjaren zonder onderbreking van langer dan {gap} maanden: voldoet aan de "
               f"eis van ten minste {getal(minimum)} jaar.")
        reason = v.get("reden")
        if reason is None:
            raise InputError("reden", "Dit gegeven ontbreekt nog. Eindigt je dienstverband door volledig "
                                      "(vroeg)pensioen, door gedeeltelijk pensioen, of om een andere reden?")
        w.param("reden")
        if reason != "volledig pensioen":
            w.step("De ontslaguitkering geldt alleen bij ontslag vanwege volledige (vroeg)pensionering.")
            return w.result(Decimal("0.00"), "EUR",
                            "Nee, je krijgt geen ontslaguitkering: die geldt alleen bij ontslag vanwege volledige "
                            "(vroeg)pensionering.")
        opslag = w.dec("opslag")
        salary = v.get("salaris_laatste_maand")
        if salary is None:
            w.step(f"Bedrag: salaris plus salaristoelagen over de laatste volledige kalendermaand voor de ontslagdatum, "
                   f"vermeerderd met {procent(opslag)}.")
            return w.result(None, "EUR",
                            f"Ja, je komt in aanmerking voor een ontslaguitkering: je salaris plus salaristoelagen over de "
                            f"laatste volledige kalendermaand voor de ontslagdatum, vermeerderd met {procent(opslag)}.")
        allowances = v.get("salaristoelagen", Decimal(0))
        base = salary + allowances
        amount = cents(base * (1 + opslag))
        w.step(f"({euro(salary)} + {euro(allowances)}) × {getal(1 + opslag)} = {euro(amount)}.")
        w.caveat("Bij deeltijd telt het salaris dat je werkelijk ontvangt (het handboek definieert salaris naar "
                 "evenredigheid van de arbeidsduur).")
        return w.result(amount, "EUR bruto",
                        f"Ja, je ontslaguitkering is {euro(amount)} bruto: het salaris en de toelagen over de laatste "
                        f"volledige kalendermaand ({euro(base)}) plus {procent(opslag)}.")
