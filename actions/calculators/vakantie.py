"""Vakantieverlof and buying/selling leave hours (Oldebroek Hoofdstuk 4 and the cafetariamodel).

Oldebroek's entitlement = a base (by salary), plus the more favourable of a service-years
or an age supplement (never both), capped at 201,6 hours, then pro rata for part-timers.
The salary threshold ("nummer 38 van de inpassingtabel") is in a bijlage that is not in
the regeling, so when the user cannot say which side of it they are on, both outcomes
are given.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from actions.calculators.base import Calculation, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.i18n import tr
from actions.calculators.tekst import eenheid, euro, getal, uren

TWO = Decimal("0.01")


def _lookup(rows: list[dict], years: int) -> dict | None:
    for row in rows:
        if years >= row["van"] and (row["tot"] is None or years <= row["tot"]):
            return row
    return None


def _jaar(n: int) -> str:
    return eenheid(n, "jaar", "jaar")


def _range_text(row: dict) -> str:
    if row["tot"] is None:
        return tr("{years} en meer", years=_jaar(row["van"]))
    if row["van"] == 0:
        return tr("tot en met {years}", years=_jaar(row["tot"]))
    if row["van"] == row["tot"]:
        return _jaar(row["van"])
    return tr("{start} t/m {years}", start=row["van"], years=_jaar(row["tot"]))


def _deeltijdfactor(w: Work, ad: Decimal) -> Decimal:
    full = w.dec("voltijd_uren")
    if ad >= full:
        if ad > full:
            w.caveat(tr("Je gaf {hours} per week op; de regeling noemt {full} per week als normale werktijd. "
                        "Regelwijs rekent met een volledige betrekking.", hours=uren(ad), full=uren(full)))
        return Decimal(1)
    return ad / full


class Vakantieverlof(BaseCalculator):
    name = "vakantieverlof"
    title = "Vakantieverlof per jaar"
    onderwerp = "het aantal vakantie-uren per jaar"
    inputs = [
        InputSpec("in_dienst_voor_1997", "bool", True, "Ben je vóór 1 januari 1997 in dienst getreden?"),
        InputSpec("leeftijd", "int", True, "Welke leeftijd bereik je in dit kalenderjaar?", min=14, max=80),
        InputSpec("diensttijd_jaren", "int", True,
                  "Hoeveel jaar diensttijd (pensioengevende overheidsdiensttijd bij het ABP) bereik je in dit kalenderjaar?",
                  min=0, max=65),
        InputSpec("salaris_ge_nr38", "bool", False,
                  "Is je salaris op 1 januari (of bij indiensttreding) gelijk aan of hoger dan het bedrag bij nummer 38 "
                  "van de inpassingtabel? (Weet je het niet, dan geef ik beide uitkomsten.)"),
        InputSpec("uren_per_week", "hours", False, "Hoeveel uur per week werk je?", min=1, max=60,
                  default=Decimal(40)),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        pre97: bool = v["in_dienst_voor_1997"]
        age, service = v["leeftijd"], v["diensttijd_jaren"]
        known = v.get("salaris_ge_nr38")
        p_basis = w.param("basis")
        basis_rows = {row["salaris_ge_nr38"]: row for row in p_basis.value}
        w.param("peildatum")

        # supplements: the more favourable of service years or age (art. 4:3 lid 2), not both
        d_key = "diensttijd_voor_1997" if pre97 else "diensttijd_na_1996"
        a_key = "leeftijd_voor_1997" if pre97 else "leeftijd_na_1996"
        p_d, p_a = w.param(d_key), w.param(a_key)
        d_row, a_row = _lookup(p_d.value, service), _lookup(p_a.value, age)
        wie = tr("vóór 1 januari 1997") if pre97 else tr("na 31 december 1996")
        d_hours = Decimal(str(d_row["uren"])) if d_row else Decimal(0)
        a_hours = Decimal(str(a_row["uren"])) if a_row else Decimal(0)
        if d_row:
            w.cite(p_d.row_citation(d_row))
            w.step(tr("Diensttijdverlof (in dienst {when}), {years} diensttijd valt in '{band}': {hours}.",
                      when=wie, years=_jaar(service), band=_range_text(d_row), hours=uren(d_hours)))
        else:
            w.step(tr("Diensttijdverlof (in dienst {when}): bij {years} diensttijd geen verhoging.",
                      when=wie, years=_jaar(service)))
        if a_row:
            w.cite(p_a.row_citation(a_row))
            w.step(tr("Leeftijdsverlof (in dienst {when}), leeftijd {age} valt in '{band}': {hours}.",
                      when=wie, age=age, band=_range_text(a_row), hours=uren(a_hours)))
        else:
            w.step(tr("Leeftijdsverlof (in dienst {when}): bij leeftijd {age} geen verhoging.", when=wie, age=age))
        w.param("voordeligste")
        extra = max(d_hours, a_hours)
        w.step(tr("Niet optellen: de voordeligste regeling geldt, dus de verhoging is {extra}.", extra=uren(extra)))
        w.param("diensttijd_definitie")

        cap = w.dec("maximum")
        ad: Decimal = v.get("uren_per_week", Decimal(40))
        factor = _deeltijdfactor(w, ad)
        full = w.dec("voltijd_uren")
        outcomes: dict[bool, Decimal] = {}
        for ge38 in ([known] if known is not None else [False, True]):
            row = basis_rows[ge38]
            w.cite(p_basis.row_citation(row))
            base = Decimal(str(row["uren"]))
            total = min(base + extra, cap)
            label = tr("gelijk aan of hoger dan") if ge38 else tr("lager dan")
            line = tr("Salaris {label} nummer 38: basis {base} + {extra} = {sum}",
                      label=label, base=uren(base), extra=uren(extra), sum=uren(base + extra))
            line += (tr(", begrensd op {cap}", cap=uren(cap)) if base + extra > cap
                     else tr(" (niet boven het maximum van {cap})", cap=uren(cap)))
            w.step(line + ".")
            if factor != 1:
                part = (total * factor).quantize(TWO)
                w.step(tr("Deeltijd: {total} × {ad}/{full} = {part}.",
                          total=uren(total), ad=getal(ad), full=getal(full), part=uren(part)))
                total = part
            outcomes[ge38] = total
        w.param("deeltijd")
        if factor != 1:
            w.caveat(tr("Regelwijs rekent naar rato van {full} per week, de normale werktijd volgens artikel 3:2; "
                        "de regeling zegt niet hoe een deeltijduitkomst wordt afgerond.", full=uren(full)))
        if known is None:
            w.missing_caveat("bedrag_nr38")
            low, high = outcomes[False], outcomes[True]
            w.details.update(salaris_lager_dan_nr38=float(low), salaris_vanaf_nr38=float(high))
            summary = tr("Je hebt recht op {low} vakantieverlof per jaar als je salaris lager is dan het bedrag bij "
                         "nummer 38 van de inpassingtabel, of {high} als het gelijk of hoger is.",
                         low=uren(low), high=uren(high))
            return w.result(low, "uur per jaar", summary)
        total = outcomes[known]
        summary = tr("Je hebt recht op {total} vakantieverlof per jaar.", total=uren(total))
        if factor != 1:
            summary = tr("Je hebt recht op {total} vakantieverlof per jaar (naar rato van {ad} van {full} per week).",
                         total=uren(total), ad=getal(ad), full=uren(full))
        return w.result(total, "uur per jaar", summary)


class VerlofKopenVerkopen(BaseCalculator):
    name = "verlof_kopen_verkopen"
    title = "Verlofuren kopen of verkopen (cafetariamodel)"
    onderwerp = "het kopen en verkopen van verlofuren"
    inputs = [
        InputSpec("richting", "choice", True, "Wil je verlofuren kopen of verkopen?", choices=["kopen", "verkopen"],
                  aliases={"koop": "kopen", "bijkopen": "kopen", "verkoop": "verkopen", "uitbetalen": "verkopen",
                           "laten uitbetalen": "verkopen"}),
        InputSpec("uren_per_week", "hours", True, "Hoeveel uur per week werk je?", min=1, max=60),
        InputSpec("saldo_uren", "hours", False,
                  "Hoeveel verlofuren heb je dit jaar in totaal (zodat ik de ondergrens kan controleren)?",
                  min=0, max=2000, only_if={"richting": "verkopen"}),
        InputSpec("bruto_uurloon", "money", False,
                  "Wat is je brutosalaris per uur op 1 januari van dit jaar? (Dan reken ik de kosten uit.)",
                  only_if={"richting": "kopen"}),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        ad: Decimal = v["uren_per_week"]
        factor = _deeltijdfactor(w, ad)
        full = w.dec("voltijd_uren")
        w.param("deelname")
        w.caveat(tr("Je kunt meedoen aan het cafetariamodel met een vast dienstverband of een tijdelijk dienstverband "
                    "van minimaal 1 jaar."))
        if factor != 1:
            w.caveat(tr("Het cafetariamodel zegt niet welk aantal uren per week een volledige betrekking is; Regelwijs "
                        "rekent naar rato van {full} per week (de normale werktijd volgens artikel 3:2).",
                        full=uren(full)))
        if v["richting"] == "kopen":
            return self._kopen(w, v, ad, factor, full)
        return self._verkopen(w, v, ad, factor, full)

    def _kopen(self, w: Work, v: dict, ad: Decimal, factor: Decimal, full: Decimal) -> Calculation:
        maximum = w.dec("kopen_max")
        raw = maximum * factor
        w.param("kopen_hele_uren")
        whole = raw.to_integral_value(rounding=ROUND_DOWN)
        if factor != 1:
            w.step(tr("Maximum naar rato: {maximum} × {ad}/{full} = {result}.",
                      maximum=uren(maximum), ad=getal(ad), full=getal(full), result=uren(raw)))
        else:
            w.step(tr("Maximum bij een volledige betrekking: {maximum}.", maximum=uren(maximum)))
        if whole != raw:
            w.step(tr("Alleen hele uren: afgerond naar beneden op {whole}.", whole=uren(whole)))
        w.param("kopen_geldwaarde")
        summary = tr("Je kunt dit kalenderjaar maximaal {whole} verlof kopen (alleen hele uren).", whole=uren(whole))
        loon = v.get("bruto_uurloon")
        if loon is not None:
            cost = whole * loon
            w.step(tr("Kosten: {hours} × {rate} (brutosalaris per uur bij aanvang van het kalenderjaar) = {cost} bruto.",
                      hours=getal(whole), rate=euro(loon), cost=euro(cost)))
            w.details["kosten"] = float(cost)
            summary += " " + tr("Dat kost {cost} bruto.", cost=euro(cost))
        else:
            summary += " " + tr("De kosten zijn het aantal uren maal je brutosalaris per uur bij aanvang van het "
                                "kalenderjaar.")
            w.caveat(tr("De regeling zegt niet hoe het brutosalaris per uur wordt berekend; vraag P&O naar je "
                        "uurbedrag."))
        return w.result(whole, "uur", summary)

    def _verkopen(self, w: Work, v: dict, ad: Decimal, factor: Decimal, full: Decimal) -> Calculation:
        maximum = w.dec("verkopen_max") * factor
        floor = w.dec("basisaanspraak") * factor
        if factor != 1:
            w.step(tr("Maximum naar rato: {maximum} × {ad}/{full} = {result}.",
                      maximum=uren(w.dec("verkopen_max")), ad=getal(ad), full=getal(full), result=uren(maximum)))
            w.step(tr("Basisaanspraak naar rato: {base} × {ad}/{full} = {result}.",
                      base=uren(w.dec("basisaanspraak")), ad=getal(ad), full=getal(full), result=uren(floor)))
        else:
            w.step(tr("Maximum bij een volledige betrekking: {maximum}; basisaanspraak {floor}.",
                      maximum=uren(maximum), floor=uren(floor)))
        w.param("vier_weken")
        saldo = v.get("saldo_uren")
        sellable = maximum
        if saldo is not None:
            room = max(Decimal(0), saldo - floor)
            sellable = min(maximum, room)
            w.step(tr("Je saldo van {balance} mag niet onder {floor} zakken: ruimte {room}; je kunt dus {sellable} "
                      "verkopen.", balance=uren(saldo), floor=uren(floor), room=uren(room), sellable=uren(sellable)))
            summary = tr("Je kunt maximaal {sellable} verlof verkopen.", sellable=uren(sellable))
        else:
            summary = tr("Je kunt maximaal {maximum} verlof verkopen, zolang je resterende verlof niet onder de "
                         "basisaanspraak van {floor} zakt.", maximum=uren(maximum), floor=uren(floor))
        w.caveat(tr("Het recht op vier weken vakantie moet worden opgenomen en mag niet worden uitbetaald."))
        return w.result(sellable.quantize(TWO), "uur", summary)
