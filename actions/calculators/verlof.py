"""Bijzonder verlof expressed in multiples of the weekly working hours (Kerkrade Hoofdstuk 14).

All these rules have the same shape — "n maal de arbeidsduur per week" — so the working
always starts from the employee's contractual hours per week. Amounts that the handbook
leaves to the cao (the pay percentage of ouderschapsverlof, the UWV maximum dagloon)
are cited and reported as missing, never filled in.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from actions.calculators.base import Calculation, InputError, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.datums import add_months
from actions.calculators.i18n import tr
from actions.calculators.tekst import datum, eenheid, getal, procent, uren

UREN_PER_WEEK = InputSpec(
    "uren_per_week", "hours", True,
    "Hoeveel uur per week werk je volgens je arbeidsovereenkomst?", min=1, max=60)


def _al_opgenomen(periode: str) -> InputSpec:
    return InputSpec("al_opgenomen_uren", "hours", False,
                     f"Hoeveel uur van dit verlof heb je {periode} al opgenomen? (0 als je nog niets hebt opgenomen)",
                     min=0, max=10000)


def _maal(factor: Decimal, ad: Decimal) -> str:
    return f"{getal(factor)} × {uren(ad)} = {uren(factor * ad)}"  # figures and units only: no words to translate


def _weken_dagen(days: int) -> str:
    weeks, rest = divmod(days, 7)
    parts = []
    if weeks:
        parts.append(eenheid(weeks, "week", "weken"))
    if rest:
        parts.append(eenheid(rest, "dag", "dagen"))
    if len(parts) == 2:
        return tr("{first} en {second}", first=parts[0], second=parts[1])
    return parts[0] if parts else eenheid(0, "dag", "dagen")


class Zorgverlof(BaseCalculator):
    """Kortdurend (2 × AD, 50/50) and langdurend (6 × AD, 50% pay) zorgverlof per 12 months."""

    name = "zorgverlof"
    title = "Zorgverlof (kortdurend en langdurend)"
    onderwerp = "het kortdurend en langdurend zorgverlof"
    inputs = [
        InputSpec("soort", "choice", True,
                  "Gaat het om kortdurend zorgverlof (verzorging bij ziekte) of langdurend zorgverlof "
                  "(verzorging bij levensbedreigende ziekte of langdurige hulpbehoevendheid)?",
                  choices=["kort", "lang"],
                  aliases={"kortdurend": "kort", "kortdurend zorgverlof": "kort", "kort zorgverlof": "kort",
                           "langdurend": "lang", "langdurig": "lang", "langdurend zorgverlof": "lang",
                           "lang zorgverlof": "lang", "langdurig zorgverlof": "lang"}),
        UREN_PER_WEEK,
        _al_opgenomen("in de afgelopen 12 maanden"),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        ad: Decimal = v["uren_per_week"]
        used: Decimal | None = v.get("al_opgenomen_uren")
        if v["soort"] == "kort":
            return self._kort(w, ad, used)
        return self._lang(w, ad, used)

    def _remaining(self, w: Work, maximum: Decimal, used: Decimal | None) -> Decimal:
        if used is None:
            return maximum
        rest = max(Decimal(0), maximum - used)
        w.step(tr("Al opgenomen in deze periode: {used}; {maximum} − {used} = nog {rest} beschikbaar.",
                  used=uren(used), maximum=uren(maximum), rest=uren(rest)))
        if used > maximum:
            w.caveat(tr("Je hebt meer uren opgegeven ({used}) dan het maximum van {maximum}; er is in deze periode "
                        "geen verlof meer over.", used=uren(used), maximum=uren(maximum)))
        return rest

    def _kort(self, w: Work, ad: Decimal, used: Decimal | None) -> Calculation:
        factor = w.dec("kort_factor")
        months = w.dec("kort_periode_maanden")
        share = w.dec("kort_aandeel_werkgever")
        maximum = factor * ad
        w.step(tr("{product} kortdurend zorgverlof per {months} maanden.",
                  product=_maal(factor, ad), months=getal(months)))
        employer = maximum * share
        w.step(tr("Daarvan komt {share} ({employer}) voor rekening van de werkgever en {own_share} ({own}) voor je "
                  "eigen rekening.", share=procent(share), employer=uren(employer), own_share=procent(1 - share),
                  own=uren(maximum - employer)))
        rest = self._remaining(w, maximum, used)
        if used is not None:
            w.step(tr("Van de resterende {rest} komt {employer} voor rekening van de werkgever.",
                      rest=uren(rest), employer=uren(rest * share)))
        w.param("kort_verrekenen")
        w.caveat(tr("Het handboek zegt niet hoe je eigen deel van {own_share} wordt verrekend; het noemt alleen dat je "
                    "daarvoor bovenwettelijke verlofuren kunt inzetten. Vraag P&O hoe het verder gaat.",
                    own_share=procent(1 - share)))
        w.caveat(tr("De tekst spreekt van 'een periode van {months} maanden', niet van een kalenderjaar. Regelwijs telt "
                    "de {months} maanden terug vanaf de opname; laat P&O bevestigen welke periode zij hanteren.",
                    months=getal(months)))
        w.caveat(tr("Kortdurend zorgverlof is bedoeld voor de noodzakelijke verzorging bij ziekte van: {kring}. Voor "
                    "een andere sociale relatie beslist de werkgever na overleg.", kring=w.text("kring")))
        summary = tr("Je hebt recht op maximaal {maximum} kortdurend zorgverlof per {months} maanden ({factor} × {ad}); "
                     "de helft ({employer}) komt voor rekening van de werkgever, de andere helft voor je eigen "
                     "rekening.", maximum=uren(maximum), months=getal(months), factor=getal(factor), ad=uren(ad),
                     employer=uren(employer))
        if used is not None:
            summary += " " + tr("Je hebt al {used} opgenomen, dus je kunt nog {rest} opnemen.",
                                used=uren(used), rest=uren(rest))
        w.details.update(maximum=float(maximum), werkgever=float(employer), resterend=float(rest))
        return w.result(rest, "uur", summary)

    def _lang(self, w: Work, ad: Decimal, used: Decimal | None) -> Calculation:
        factor = w.dec("lang_factor")
        months = w.dec("lang_periode_maanden")
        pay = w.dec("lang_doorbetaling")
        maximum = factor * ad
        w.step(tr("{product} langdurend zorgverlof per {months} maanden.",
                  product=_maal(factor, ad), months=getal(months)))
        w.step(tr("Over de verlofuren wordt {pay} van het salaris doorbetaald: dat is het salaris van {paid} van de "
                  "{maximum}.", pay=procent(pay), paid=uren(maximum * pay), maximum=uren(maximum)))
        w.param("lang_onbetaald_verlof")
        w.step(tr("De andere {unpaid} van de verlofuren geldt als onbetaald verlof (artikel 6.14 cao Gemeenten).",
                  unpaid=procent(1 - pay)))
        w.param("lang_geen_opbouw")
        w.step(tr("Tijdens het langdurend zorgverlof bouw je geen verlofuren op."))
        rest = self._remaining(w, maximum, used)
        pension = w.dec("onbetaald_pensioen_maanden")
        w.caveat(tr("Gevolg van het onbetaalde deel: duurt het verlof langer dan {months} maanden, dan verhaalt de "
                    "werkgever ook het werkgeversdeel van de pensioenpremie op jou (bij gedeeltelijk verlof naar "
                    "rato).", months=getal(pension)))
        w.caveat(tr("De tekst zegt dat je tijdens het hele langdurend zorgverlof geen verlofuren opbouwt, terwijl bij "
                    "onbetaald verlof alleen de onbetaalde uren geen opbouw geven. Regelwijs volgt de tekst over het "
                    "zorgverlof; laat P&O bevestigen hoe zij dit toepassen."))
        summary = tr("Je kunt maximaal {maximum} langdurend zorgverlof per {months} maanden opnemen ({factor} × {ad}); "
                     "je salaris wordt in die periode voor {pay} doorbetaald en je bouwt geen verlofuren op.",
                     maximum=uren(maximum), months=getal(months), factor=getal(factor), ad=uren(ad), pay=procent(pay))
        if used is not None:
            summary += " " + tr("Je hebt al {used} opgenomen, dus je kunt nog {rest} opnemen.",
                                used=uren(used), rest=uren(rest))
        w.details.update(maximum=float(maximum), resterend=float(rest))
        return w.result(rest, "uur", summary)


class Ouderschapsverlof(BaseCalculator):
    """26 × AD in total: 13 × AD paid at a cao percentage, then 13 × AD unpaid."""

    name = "ouderschapsverlof"
    title = "Ouderschapsverlof"
    onderwerp = "het ouderschapsverlof"
    inputs = [UREN_PER_WEEK, _al_opgenomen("voor dit kind")]

    def _compute(self, w: Work, v: dict) -> Calculation:
        ad: Decimal = v["uren_per_week"]
        used: Decimal | None = v.get("al_opgenomen_uren")
        total_f, paid_f, unpaid_f = w.dec("totaal_factor"), w.dec("betaald_factor"), w.dec("onbetaald_factor")
        total, paid, unpaid = total_f * ad, paid_f * ad, unpaid_f * ad
        w.step(tr("Totaal: {product} ouderschapsverlof.", product=_maal(total_f, ad)))
        w.step(tr("Betaald deel: {product}, waarover een percentage van het salaris wordt betaald.",
                  product=_maal(paid_f, ad)))
        w.step(tr("Daarna onbetaald deel: {product}.", product=_maal(unpaid_f, ad)))
        w.missing_caveat("betaald_percentage")
        rest = total
        if used is not None:
            rest = max(Decimal(0), total - used)
            paid_rest = max(Decimal(0), paid - used)
            w.step(tr("Al opgenomen: {used}; nog beschikbaar {rest}, waarvan {paid_rest} betaald (het betaalde deel "
                      "komt eerst).", used=uren(used), rest=uren(rest), paid_rest=uren(paid_rest)))
            w.details["betaald_resterend"] = float(paid_rest)
        pension = w.dec("onbetaald_pensioen_maanden")
        w.caveat(tr("Voor het onbetaalde deel gelden de gevolgen van onbetaald verlof: geen verlofopbouw over die uren, "
                    "en bij een verlof van meer dan {months} maanden verhaalt de werkgever ook het werkgeversdeel van "
                    "de pensioenpremie op jou (naar rato bij gedeeltelijk verlof).", months=getal(pension)))
        w.caveat(tr("Het handboek noemt geen leeftijdsgrens van het kind en zegt niet of het recht per kind geldt; "
                    "vraag dat na bij P&O."))
        summary = tr("Je hebt recht op {total} ouderschapsverlof ({factor} × {ad}): {paid} betaald (tegen een "
                     "percentage van je salaris dat afhangt van je salarisschaal) en daarna {unpaid} onbetaald.",
                     total=uren(total), factor=getal(total_f), ad=uren(ad), paid=uren(paid), unpaid=uren(unpaid))
        if used is not None:
            summary += " " + tr("Na de al opgenomen {used} blijft er {rest} over.", used=uren(used), rest=uren(rest))
        w.details.update(totaal=float(total), betaald=float(paid), onbetaald=float(unpaid))
        return w.result(rest, "uur", summary)


class Geboorteverlof(BaseCalculator):
    """Paid geboorteverlof (1 × AD within 4 weeks) and unpaid aanvullend (5 × AD within 6 months)."""

    name = "geboorteverlof"
    title = "Geboorteverlof en aanvullend geboorteverlof"
    onderwerp = "het geboorteverlof"
    inputs = [
        UREN_PER_WEEK,
        InputSpec("geboortedatum", "date", False,
                  "Op welke datum is het kind geboren (of wordt het verwacht)? Dan reken ik de termijnen uit."),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        ad: Decimal = v["uren_per_week"]
        birth = v.get("geboortedatum")
        f = w.dec("factor")
        weeks = int(w.dec("termijn_weken"))
        paid = f * ad
        w.step(tr("Geboorteverlof met behoud van salaris: {product}.", product=_maal(f, ad)))
        af = w.dec("aanvullend_weken")
        months = int(w.dec("aanvullend_termijn_maanden"))
        extra = af * ad
        w.step(tr("Aanvullend geboorteverlof (onbetaald), na het betaalde geboorteverlof: {product}.",
                  product=_maal(af, ad)))
        uwv = w.dec("aanvullend_uwv")
        w.step(tr("Voor het aanvullende verlof kun je bij het UWV een uitkering aanvragen van {share} van het "
                  "salaris, tot het maximale dagloon.", share=procent(uwv)))
        w.missing_caveat("max_dagloon")
        if birth is not None:
            end_paid = birth + timedelta(weeks=weeks)
            start_extra = birth + timedelta(days=1)
            end_extra = add_months(start_extra, months) - timedelta(days=1)
            w.step(tr("Geboorteverlof opnemen binnen {weeks} weken na de geboorte: tot en met {end}.",
                      weeks=weeks, end=datum(end_paid)))
            w.step(tr("Aanvullend geboorteverlof opnemen binnen {months} maanden vanaf de dag na de geboorte: "
                      "van {start} tot en met {end}.", months=months, start=datum(start_extra), end=datum(end_extra)))
            w.details.update(geboorteverlof_tot=end_paid.isoformat(), aanvullend_van=start_extra.isoformat(),
                             aanvullend_tot=end_extra.isoformat())
        summary = tr("Je hebt recht op {paid} geboorteverlof met behoud van salaris ({factor} × {ad}), op te nemen "
                     "binnen {weeks} weken na de geboorte, en daarna op {extra} onbetaald aanvullend geboorteverlof "
                     "({extra_factor} × {ad}) binnen {months} maanden na de geboorte; daarvoor kun je bij het UWV een "
                     "uitkering van {share} van je salaris aanvragen.",
                     paid=uren(paid), factor=getal(f), ad=uren(ad), weeks=weeks, extra=uren(extra),
                     extra_factor=getal(af), months=months, share=procent(uwv))
        w.details.update(geboorteverlof=float(paid), aanvullend=float(extra))
        return w.result(paid, "uur", summary)


class Adoptieverlof(BaseCalculator):
    """6 × AD paid leave within 26 weeks that start 4 weeks before the child arrives."""

    name = "adoptieverlof"
    title = "Adoptie- en pleegzorgverlof"
    onderwerp = "het adoptie- en pleegzorgverlof"
    inputs = [
        UREN_PER_WEEK,
        InputSpec("datum_opname", "date", False,
                  "Op welke datum wordt het kind (of worden de kinderen) in je gezin opgenomen? "
                  "Dan reken ik uit wanneer je het verlof kunt opnemen."),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        ad: Decimal = v["uren_per_week"]
        f = w.dec("factor")
        hours = f * ad
        w.step(tr("{product} adoptie- of pleegzorgverlof, met doorbetaling van salaris en eventuele toelagen.",
                  product=_maal(f, ad)))
        w.param("doorbetaling")
        weeks = int(w.dec("termijn_weken"))
        before = int(w.dec("start_weken_voor"))
        placed = v.get("datum_opname")
        if placed is not None:
            start = placed - timedelta(weeks=before)
            end = start + timedelta(weeks=weeks) - timedelta(days=1)
            w.step(tr("De {weeks} weken gaan in {before} weken voor de opname: van {start} tot en met {end}.",
                      weeks=weeks, before=before, start=datum(start), end=datum(end)))
            w.details.update(van=start.isoformat(), tot=end.isoformat())
        w.caveat(tr("De tekst zegt '{factor} maal de arbeidsduur' zonder 'per week'; Regelwijs leest dat, net als bij "
                    "de andere verlofsoorten, als {factor} keer je arbeidsduur per week.", factor=getal(f)))
        w.caveat(tr("Het recht geldt per adoptie of pleegzorgplaatsing, ook als het om meerdere kinderen tegelijk "
                    "gaat."))
        summary = tr("Je hebt recht op {hours} adoptie- of pleegzorgverlof ({factor} × {ad}) met behoud van salaris, op "
                     "te nemen binnen {weeks} weken die {before} weken voor de opname van het kind ingaan.",
                     hours=uren(hours), factor=getal(f), ad=uren(ad), weeks=weeks, before=before)
        if placed is not None:
            summary += " " + tr("Dat is van {start} tot en met {end}.", start=datum(start), end=datum(end))
        return w.result(hours, "uur", summary)


class Zwangerschapsverlof(BaseCalculator):
    """Start of zwangerschapsverlof and length of bevallingsverlof, as the handbook words them."""

    name = "zwangerschapsverlof"
    title = "Zwangerschaps- en bevallingsverlof"
    onderwerp = "het zwangerschaps- en bevallingsverlof"
    inputs = [
        InputSpec("vermoedelijke_datum", "date", True, "Wat is de vermoedelijke datum van de bevalling?"),
        InputSpec("meerling", "bool", False, "Ben je zwanger van meer dan één kind?", default=False),
        InputSpec("start_zwangerschapsverlof", "date", False,
                  "Op welke datum ben je met zwangerschapsverlof gegaan (als dat al zo is)?", not_future=True),
        InputSpec("bevallingsdatum", "date", False, "Op welke datum ben je bevallen (als dat al zo is)?",
                  not_future=True),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        expected = v["vermoedelijke_datum"]
        multiple = v.get("meerling", False)
        weeks = int(w.dec("zwanger_weken_meerling" if multiple else "zwanger_weken"))
        earliest = expected + timedelta(days=1) - timedelta(weeks=weeks)
        w.step(tr("Zwangerschapsverlof vanaf {weeks} weken voor de dag na de vermoedelijke bevallingsdatum: "
                  "{day_after} − {weeks} weken = {earliest}.",
                  weeks=weeks, day_after=datum(expected + timedelta(days=1)), earliest=datum(earliest)))
        w.param("salaris")
        start = v.get("start_zwangerschapsverlof") or earliest
        if start < earliest:
            raise InputError("start_zwangerschapsverlof",
                             f"Volgens de regeling bestaat het recht op zwangerschapsverlof pas vanaf {datum(earliest)}.",
                             f"According to the regeling, the right to pregnancy leave only starts on {datum(earliest)}.")
        birth = v.get("bevallingsdatum")
        if birth is None:
            w.details["zwangerschapsverlof_vanaf"] = earliest.isoformat()
            base_weeks = int(w.dec("bevalling_weken"))
            summary = tr("Je zwangerschapsverlof kan ingaan op {earliest} ({weeks} weken voor de dag na de "
                         "vermoedelijke bevallingsdatum) en loopt tot en met de bevalling; daarna volgt een "
                         "bevallingsverlof van {base_weeks} aaneengesloten weken, langer als het zwangerschapsverlof "
                         "korter duurde. Je ontvangt het volledige salaris en bouwt verlofuren op.",
                         earliest=datum(earliest), weeks=weeks, base_weeks=base_weeks)
            w.caveat(tr("De regeling noemt alleen de vroegste ingangsdatum van het zwangerschapsverlof; of en hoe je "
                        "het later kunt laten ingaan staat er niet in. Vraag dat na bij P&O."))
            return w.result(earliest.isoformat(), "datum", summary)
        if not v.get("start_zwangerschapsverlof"):
            w.caveat(tr("Je gaf geen ingangsdatum van het zwangerschapsverlof op; Regelwijs rekent met de vroegste "
                        "datum, {earliest}.", earliest=datum(earliest)))
        zw_days = (birth - start).days + 1 if birth >= start else 0
        norm = weeks * 7
        short = max(0, norm - zw_days)
        w.step(tr("Zwangerschapsverlof van {start} tot en met {birth}: {days} dagen; dat is {short} dagen minder dan "
                  "{weeks} weken ({norm} dagen).", start=datum(start), birth=datum(birth), days=zw_days, short=short,
                  weeks=weeks, norm=norm))
        base = int(w.dec("bevalling_weken")) * 7
        length = base + short
        begin = birth + timedelta(days=1)
        end = begin + timedelta(days=length - 1)
        w.step(tr("Bevallingsverlof vanaf de dag na de bevalling: {base} dagen + {short} dagen = {length} dagen "
                  "({duration}), van {begin} tot en met {end}.", base=base, short=short, length=length,
                  duration=_weken_dagen(length), begin=datum(begin), end=datum(end)))
        if v.get("start_zwangerschapsverlof") and start > earliest:
            w.caveat(tr("Volgens de tekst wordt het bevallingsverlof verlengd met elke dag dat het zwangerschapsverlof "
                        "korter dan {weeks} weken duurde; de tekst maakt geen onderscheid naar de reden waarom het "
                        "korter was. Laat de einddatum bevestigen door P&O.", weeks=weeks))
        w.details.update(bevallingsverlof_van=begin.isoformat(), bevallingsverlof_tot=end.isoformat(),
                         dagen=length)
        summary = tr("Je bevallingsverlof duurt {duration}: van {begin} tot en met {end} ({base} plus {short} dagen die "
                     "je zwangerschapsverlof korter was dan {weeks} weken). Je ontvangt het volledige salaris en bouwt "
                     "verlofuren op.", duration=_weken_dagen(length), begin=datum(begin), end=datum(end),
                     base=_weken_dagen(base), short=short, weeks=weeks)
        return w.result(length, "dagen", summary)
