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
from actions.calculators.i18n import tr
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
        w.caveat(tr("Een gratificatie is geen recht: de werkgever kan haar toekennen. De regeling zegt niet of "
                    "deeltijders een evenredig deel krijgen of hoe vaak per jaar een gratificatie kan worden gegeven."))
        if v["soort"] == "individueel":
            w.step(tr("Individuele gratificatie: maximaal {amount} bruto.", amount=euro(single)))
            summary = tr("Een gratificatie voor een uitstekende individuele prestatie is maximaal {amount} bruto; de "
                         "werkgever beslist of hij haar toekent.", amount=euro(single))
            return w.result(single, "EUR bruto (maximum)", summary)
        per = w.dec("max_groep_per_werknemer")
        n = v["groepsgrootte"]
        total = per * n
        w.step(tr("Groepsgratificatie: maximaal {per} bruto per werknemer × {n} werknemers = {total} bruto.",
                  per=euro(per), n=n, total=euro(total)))
        summary = tr("Een groepsgratificatie is maximaal {per} bruto per werknemer; voor een groep van {n} is dat samen "
                     "maximaal {total} bruto. (Een individuele gratificatie is maximaal {single} bruto.)",
                     per=euro(per), n=n, total=euro(total), single=euro(single))
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
            w.step(tr("Een jubileumuitkering is er bij {earlier} en {last} jaar overheidsdienst; {years} jaar is geen "
                      "jubileum.", earlier=", ".join(map(str, jubilea[:-1])), last=jubilea[-1], years=years))
            summary = tr("Bij {years} dienstjaren is er geen jubileumuitkering.", years=years)
            if nxt:
                summary += " " + tr("Je volgende jubileum is bij {next} jaar.", next=nxt)
            return w.result(Decimal("0.00"), "EUR bruto", summary)
        salary, allowances = v["maandsalaris"], v.get("salaristoelagen", Decimal(0))
        base = salary + allowances
        w.step(tr("Grondslag: salaris {salary} + salaristoelagen {allowances} = {base} over de maand van het "
                  "jubileum.", salary=euro(salary), allowances=euro(allowances), base=euro(base)))
        factor = w.dec("factor_25") if years == 25 else w.dec("factor_40_50")
        part = base * factor
        share = tr("de helft van de grondslag") if factor != 1 else tr("de volledige grondslag")
        w.step(tr("Bij {years} jaar: {share} = {part}.", years=years, share=share, part=euro(part)))
        opslag = w.dec("opslag")
        amount = part * (1 + opslag)
        w.step(tr("Vermeerderd met {pct}: {part} × {factor} = {amount}.",
                  pct=procent(opslag), part=euro(part), factor=getal(1 + opslag), amount=euro(amount)))
        gap = int(w.dec("max_onderbreking_maanden"))
        double = v["uitsluitend_kerkrade"] and not v.get("onderbreking_langer_dan_6_maanden", False)
        if double:
            factor2 = w.dec("verdubbeling")
            amount = amount * factor2
            w.step(tr("Verdubbeld, omdat de diensttijd uitsluitend bij de gemeente Kerkrade is doorgebracht zonder "
                      "onderbreking van langer dan {gap} maanden: {amount}.", gap=gap, amount=euro(amount)))
        elif v["uitsluitend_kerkrade"]:
            w.param("max_onderbreking_maanden")
            w.step(tr("Geen verdubbeling: er was een onderbreking van langer dan {gap} maanden.", gap=gap))
        else:
            w.step(tr("Geen verdubbeling: niet alle dienstjaren zijn bij de gemeente Kerkrade doorgebracht."))
        amount = cents(amount)
        w.param("cao_verwijzing")
        w.caveat(tr("Artikel 15 van de beloningsregeling verwijst voor de jubileumgratificatie naar artikel 3.17 van de "
                    "cao Gemeenten; Regelwijs rekent met de berekening uit Hoofdstuk 25 van het handboek."))
        w.caveat(tr("Het 'salaris' is volgens de beloningsregeling het maandbedrag naar evenredigheid van je "
                    "arbeidsduur: bij deeltijd telt dus je deeltijdsalaris. Een onderbreking van precies {gap} maanden "
                    "is niet 'langer dan {gap} maanden'.", gap=gap))
        if double:
            summary = tr("Je jubileumuitkering bij {years} jaar is {amount} bruto (verdubbeld omdat je al die jaren bij "
                         "de gemeente Kerkrade werkte).", years=years, amount=euro(amount))
        else:
            summary = tr("Je jubileumuitkering bij {years} jaar is {amount} bruto.", years=years, amount=euro(amount))
        summary += " " + tr("Ze wordt betaald met het salaris over de maand van het jubileum.")
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
            w.step(tr("{years} dienstjaren is minder dan de vereiste {minimum} dienstjaren bij de gemeente Kerkrade.",
                      years=getal(years), minimum=getal(minimum)))
            return w.result(Decimal("0.00"), "EUR",
                            tr("Nee, je krijgt geen ontslaguitkering: daarvoor zijn ten minste {minimum} dienstjaren "
                               "bij de gemeente Kerkrade nodig, en je hebt er {years}.",
                               minimum=getal(minimum), years=getal(years)))
        if v.get("onderbreking_langer_dan_6_maanden"):
            w.step(tr("Er was een onderbreking van langer dan {gap} maanden: de dienstjaren zijn niet 'zonder wezenlijke "
                      "onderbreking' doorgebracht.", gap=gap))
            return w.result(Decimal("0.00"), "EUR",
                            tr("Nee, je krijgt geen ontslaguitkering: de {minimum} dienstjaren moeten zonder "
                               "onderbreking van langer dan {gap} maanden zijn doorgebracht.",
                               minimum=getal(minimum), gap=gap))
        w.step(tr("{years} dienstjaren zonder onderbreking van langer dan {gap} maanden: voldoet aan de eis van ten "
                  "minste {minimum} jaar.", years=getal(years), gap=gap, minimum=getal(minimum)))
        reason = v.get("reden")
        if reason is None:
            raise InputError("reden", "Dit gegeven ontbreekt nog. Eindigt je dienstverband door volledig "
                                      "(vroeg)pensioen, door gedeeltelijk pensioen, of om een andere reden?",
                             "This is still missing. Does your employment end because of full (early) retirement, "
                             "partial retirement, or for another reason?")
        w.param("reden")
        if reason != "volledig pensioen":
            w.step(tr("De ontslaguitkering geldt alleen bij ontslag vanwege volledige (vroeg)pensionering."))
            return w.result(Decimal("0.00"), "EUR",
                            tr("Nee, je krijgt geen ontslaguitkering: die geldt alleen bij ontslag vanwege volledige "
                               "(vroeg)pensionering."))
        opslag = w.dec("opslag")
        salary = v.get("salaris_laatste_maand")
        if salary is None:
            w.step(tr("Bedrag: salaris plus salaristoelagen over de laatste volledige kalendermaand voor de "
                      "ontslagdatum, vermeerderd met {pct}.", pct=procent(opslag)))
            return w.result(None, "EUR",
                            tr("Ja, je komt in aanmerking voor een ontslaguitkering: je salaris plus salaristoelagen "
                               "over de laatste volledige kalendermaand voor de ontslagdatum, vermeerderd met {pct}.",
                               pct=procent(opslag)))
        allowances = v.get("salaristoelagen", Decimal(0))
        base = salary + allowances
        amount = cents(base * (1 + opslag))
        w.step(f"({euro(salary)} + {euro(allowances)}) × {getal(1 + opslag)} = {euro(amount)}.")
        w.caveat(tr("Bij deeltijd telt het salaris dat je werkelijk ontvangt (het handboek definieert salaris naar "
                    "evenredigheid van de arbeidsduur)."))
        return w.result(amount, "EUR bruto",
                        tr("Ja, je ontslaguitkering is {amount} bruto: het salaris en de toelagen over de laatste "
                           "volledige kalendermaand ({base}) plus {pct}.",
                           amount=euro(amount), base=euro(base), pct=procent(opslag)))
