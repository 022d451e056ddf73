"""Relatiegeschenken (Kerkrade Hoofdstuk 2 §4.2): may I keep it, and if not, what now?

One gift per relation per year, worth at most € 50 (exactly € 50,00 is allowed, € 50,01
is not). Gifts above € 50 or where influence is plausible are reported to the
leidinggevende and returned with a thank-you note; managers return them via the next
person up the chain. Only Kerkrade's handbook has this rule; other gemeenten get a
"not regulated" answer, never Kerkrade's € 50.
"""

from __future__ import annotations

from decimal import Decimal

from actions.calculators.base import Calculation, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.i18n import tr
from actions.calculators.tekst import euro

ROLLEN = ["medewerker", "leidinggevende", "directeur", "algemeen directeur"]


class Relatiegeschenk(BaseCalculator):
    name = "relatiegeschenk"
    title = "Relatiegeschenk aannemen of retourneren"
    onderwerp = "het aannemen van relatiegeschenken"
    inputs = [
        InputSpec("waarde", "money", True, "Wat is de (winkel)waarde van het geschenk in euro?"),
        InputSpec("eerder_geschenk_dit_jaar", "bool", False,
                  "Heb je van dezelfde relatie dit jaar al eerder een geschenk aangenomen?", default=False),
        InputSpec("beinvloeding", "bool", False,
                  "Is het aannemelijk dat de gever je met het geschenk wil beïnvloeden, bijvoorbeeld rond een "
                  "opdracht of een beslissing?", default=False),
        InputSpec("rol", "choice", False,
                  "Wat is je rol: medewerker, leidinggevende, directeur of algemeen directeur?",
                  choices=ROLLEN, default="medewerker",
                  aliases={"medewerkster": "medewerker", "ambtenaar": "medewerker", "manager": "leidinggevende",
                           "afdelingshoofd": "leidinggevende", "teamleider": "leidinggevende",
                           "clusterleider": "leidinggevende", "ad": "algemeen directeur",
                           "gemeentesecretaris": "algemeen directeur"}),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        value: Decimal = v["waarde"]
        earlier: bool = v.get("eerder_geschenk_dit_jaar", False)
        influence: bool = v.get("beinvloeding", False)
        role: str = v.get("rol", "medewerker")
        limit = w.dec("max_waarde")
        w.param("max_aantal_per_jaar")
        w.param("kerstattenties")

        too_expensive = value > limit
        if too_expensive:
            w.step(tr("{value} is meer dan {limit}: het geschenk mag je niet aannemen.",
                      value=euro(value), limit=euro(limit)))
        else:
            w.step(tr("{value} is niet meer dan {limit}: de waardegrens staat aannemen toe.",
                      value=euro(value), limit=euro(limit)))
        if influence:
            w.step(tr("Het oogmerk van beïnvloeding is aannemelijk: dan mag je het geschenk niet aannemen, "
                      "ongeacht de waarde."))
        if earlier:
            w.step(tr("Je hebt van deze relatie dit jaar al een geschenk aangenomen; de regel staat maximaal één "
                      "geschenk per relatie per jaar toe."))

        w.caveat(tr("De regeling zegt 'per jaar' maar niet of dat een kalenderjaar is of de afgelopen 12 maanden. "
                    "Kerstattenties tellen ook mee als relatiegeschenk."))
        w.caveat(tr("De regeling zegt niet hoe de waarde wordt bepaald; Regelwijs gaat uit van de winkelwaarde. "
                    "Twijfel je, overleg dan met je leidinggevende."))

        if too_expensive or influence:
            w.param("melden_retourneren")
            action = self._route(w, role)
            w.step(action)
            reasons = []
            if too_expensive:
                reasons.append(tr("het meer waard is dan {limit}", limit=euro(limit)))
            if influence:
                reasons.append(tr("beïnvloeding aannemelijk is"))
            reason = reasons[0] if len(reasons) == 1 else tr("{first} en {second}", first=reasons[0],
                                                             second=reasons[1])
            summary = tr("Je mag dit geschenk niet houden omdat {reason}. {action}", reason=reason, action=action)
            return w.result(False, "mag aannemen", summary)

        if earlier:
            summary = tr("Je mag dit geschenk niet aannemen: je mag van dezelfde relatie maximaal één geschenk per jaar "
                         "aannemen, en dit zou het tweede zijn. Overleg met je leidinggevende wat je ermee doet.")
            w.caveat(tr("De regeling schrijft melden en terugsturen met een bedankbriefje alleen uitdrukkelijk voor bij "
                        "geschenken boven {limit} of bij beïnvloeding. Voor een tweede geschenk van maximaal {limit} "
                        "zegt zij niet wat je moet doen; het ligt voor de hand het op dezelfde manier te melden en "
                        "terug te geven.", limit=euro(limit)))
            return w.result(False, "mag aannemen", summary)

        w.param("symbolisch")
        w.step(tr("Geen eerder geschenk van deze relatie dit jaar en geen aanwijzing voor beïnvloeding: je mag het "
                  "aannemen."))
        summary = tr("Je mag dit geschenk van {value} aannemen: het is niet meer waard dan {limit} en het is het enige "
                     "geschenk van deze relatie dit jaar.", value=euro(value), limit=euro(limit))
        return w.result(True, "mag aannemen", summary)

    @staticmethod
    def _route(w: Work, role: str) -> str:
        """Who reports to whom, and via whom the gift goes back (l. 370)."""
        route = w.value("retourroute")
        if role == "medewerker":
            return tr("Meld het aan je leidinggevende en stuur het met een bedankbriefje terug naar de afzender.")
        via = route.get(role)
        via_text = w.text("retourroute").get(role, via)  # the same person, in the calculation's language
        wie = tr("je {via}", via=via_text) if via == "directeur" else tr("de {via}", via=via_text)
        als = {"leidinggevende": tr("als leidinggevende"), "directeur": tr("als directeur"),
               "algemeen directeur": tr("als algemeen directeur")}[role]
        return tr("Meld het en stuur het met een bedankbriefje terug naar de afzender; {as_role} retourneer je het via "
                  "{via}.", as_role=als, via=wie)
