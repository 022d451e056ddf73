"""Thuiswerken (Kerkrade Hoofdstuk 12–13): the 50% ceiling and repaying a desk or chair.

The repayment table is stepwise on whole months since purchase: leaving within 12
months → everything, within 24 → 2/3, within 36 → 1/3, after three years → nothing.
Leaving exactly on an anniversary counts as the next band (12 full months have passed)
and is flagged, because "binnen 12 maanden" does not settle that day.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from actions.calculators.base import Calculation, InputError, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.datums import full_months_between
from actions.calculators.i18n import tr
from actions.calculators.tekst import cents, datum, eenheid, euro, procent, uren

REDENEN = ["ontslag", "aow", "keuzepensioen", "bedrijfseconomisch", "arbeidsongeschiktheid"]


def _reden_tekst(reason: str) -> str:
    """The reason the employment ends, as named in a working line, in the calculation's language."""
    return {
        "ontslag": tr("ontslag (op eigen verzoek of door de werkgever)"),
        "aow": tr("ontslag wegens het bereiken van de AOW-gerechtigde leeftijd"),
        "keuzepensioen": tr("ontslag wegens ABP-keuzepensioen"),
        "bedrijfseconomisch": tr("beëindiging wegens bedrijfseconomische omstandigheden"),
        "arbeidsongeschiktheid": tr("ontslag wegens arbeidsongeschiktheid"),
    }[reason]


def _fraction(text: str) -> Fraction:
    return Fraction(str(text))


def _dec(fr: Fraction) -> Decimal:
    return Decimal(fr.numerator) / Decimal(fr.denominator)


class Thuiswerken(BaseCalculator):
    name = "thuiswerken"
    title = "Thuiswerken: maximum aantal uren en terugbetaling bureau/bureaustoel"
    onderwerp = "het thuiswerken en de thuiswerkfaciliteiten"
    inputs = [
        InputSpec("onderdeel", "choice", True,
                  "Wil je weten hoeveel uur je thuis mag werken, of hoeveel je moet terugbetalen voor een bureau of "
                  "bureaustoel als je uit dienst gaat?",
                  choices=["thuiswerkuren", "terugbetaling"],
                  aliases={"uren": "thuiswerkuren", "thuiswerken": "thuiswerkuren", "maximum": "thuiswerkuren",
                           "bureau": "terugbetaling", "bureaustoel": "terugbetaling", "stoel": "terugbetaling",
                           "terugbetalen": "terugbetaling"}),
        InputSpec("uren_per_week", "hours", True,
                  "Hoeveel uur per week werk je (de arbeidsduur die je met je leidinggevende hebt afgesproken)?",
                  min=1, max=60, only_if={"onderdeel": "thuiswerkuren"}),
        InputSpec("aankoopbedrag", "money", True,
                  "Wat was het aankoopbedrag van het bureau en/of de bureaustoel?",
                  only_if={"onderdeel": "terugbetaling"}),
        InputSpec("datum_aanschaf", "date", False, "Op welke datum is het bureau of de stoel aangeschaft?",
                  not_future=True, only_if={"onderdeel": "terugbetaling"}),
        InputSpec("datum_einde", "date", False, "Op welke datum eindigt je dienstverband?",
                  only_if={"onderdeel": "terugbetaling"}),
        InputSpec("maanden_na_aanschaf", "int", False,
                  "Hoeveel volle maanden na de aanschaf eindigt je dienstverband?", min=0, max=600,
                  only_if={"onderdeel": "terugbetaling"}),
        InputSpec("reden_einde", "choice", False,
                  "Waarom eindigt je dienstverband: ontslag (op eigen verzoek of door de werkgever), AOW-leeftijd, "
                  "ABP-keuzepensioen, bedrijfseconomische omstandigheden of arbeidsongeschiktheid?",
                  choices=REDENEN, default="ontslag", only_if={"onderdeel": "terugbetaling"},
                  aliases={"eigen ontslag": "ontslag", "ontslag genomen": "ontslag", "eigen verzoek": "ontslag",
                           "pensioen": "aow", "aow-leeftijd": "aow", "abp-keuzepensioen": "keuzepensioen",
                           "vroegpensioen": "keuzepensioen", "reorganisatie": "bedrijfseconomisch",
                           "arbeidsongeschikt": "arbeidsongeschiktheid"}),
    ]

    def _compute(self, w: Work, v: dict) -> Calculation:
        if v["onderdeel"] == "thuiswerkuren":
            return self._uren(w, v["uren_per_week"])
        return self._terugbetaling(w, v)

    def _uren(self, w: Work, ad: Decimal) -> Calculation:
        frac = w.dec("max_thuis_fractie")
        hours = ad * frac
        w.step(tr("{pct} van {ad} = {hours} thuiswerken per week.", pct=procent(frac), ad=uren(ad), hours=uren(hours)))
        w.param("feitelijke_arbeidsduur")
        w.caveat(tr("De grens geldt voor je feitelijke arbeidsduur, 'de vooraf overeengekomen arbeidsduur voor een "
                    "bepaalde periode'; de regeling zegt niet of de {pct} per week of gemiddeld over een langere periode "
                    "geldt.", pct=procent(frac)))
        w.caveat(tr("Thuiswerken is geen recht: je maakt de afspraken in een thuiswerkovereenkomst met je "
                    "leidinggevende, die ook een andere verdeling kan afspreken."))
        summary = tr("Je mag maximaal {hours} per week thuiswerken ({pct} van {ad}), tenzij je met je leidinggevende "
                     "andere afspraken maakt.", hours=uren(hours), pct=procent(frac), ad=uren(ad))
        return w.result(hours, "uur per week", summary)

    def _months(self, v: dict) -> tuple[int, int, str]:
        bought, end, months = v.get("datum_aanschaf"), v.get("datum_einde"), v.get("maanden_na_aanschaf")
        if bought is not None and end is not None:
            if end < bought:
                raise InputError("datum_einde", "De einddatum ligt voor de datum van aanschaf.",
                                 "The end date is before the date of purchase.")
            m, rest = full_months_between(bought, end)
            if rest:
                return m, rest, tr("Van {start} tot {end}: {months} en {days}.", start=datum(bought),
                                   end=datum(end), months=eenheid(m, "volle maand", "volle maanden"),
                                   days=eenheid(rest, "dag", "dagen"))
            return m, rest, tr("Van {start} tot {end}: {months}.", start=datum(bought), end=datum(end),
                               months=eenheid(m, "volle maand", "volle maanden"))
        if months is not None:
            return months, 0, tr("Einde dienstverband {months} maanden na de aanschaf.", months=months)
        field = "datum_aanschaf" if bought is None else "datum_einde"
        raise InputError(field, "Dit gegeven ontbreekt nog. Op welke datum is het bureau of de stoel aangeschaft, en "
                                "op welke datum eindigt je dienstverband? (Of: hoeveel maanden na de aanschaf?)",
                         "This is still missing. On what date was the desk or chair bought, and on what date does your "
                         "employment end? (Or: how many months after the purchase?)")

    def _terugbetaling(self, w: Work, v: dict) -> Calculation:
        price: Decimal = v["aankoopbedrag"]
        reason: str = v.get("reden_einde", "ontslag")
        m, rest, line = self._months(v)
        w.step(line)
        w.param("alleen_onbepaalde_tijd")
        w.caveat(tr("Een bureau en bureaustoel op kosten van de gemeente zijn er alleen voor werknemers met een "
                    "arbeidsovereenkomst voor onbepaalde tijd; ze worden jouw eigendom."))

        p_exc = w.param("uitzonderingen")
        exception = next((r for r in p_exc.value if r["reden"] == reason), None)
        if exception is not None:
            w.cite(p_exc.row_citation(exception))
            limit = exception.get("tenzij_aanschaf_binnen_maanden")
            if limit is not None and m == limit and rest == 0:
                self._boundary(w, limit)
            if limit is not None and m < limit:
                w.step(tr("Uitzondering voor {reason} geldt niet: de aanschaf ligt binnen {limit} maanden voor dit "
                          "ontslag, dus de gewone afbouwregeling geldt.", reason=_reden_tekst(reason), limit=limit))
                if reason == "aow":
                    w.caveat(tr("Regelwijs neemt aan dat je dienstverband eindigt op de datum waarop je de "
                                "AOW-gerechtigde leeftijd bereikt."))
            else:
                w.step(tr("Bij {reason} is er geen terugbetalingsverplichting.", reason=_reden_tekst(reason)))
                summary = tr("Je hoeft niets terug te betalen: bij {reason} vervalt de terugbetalingsverplichting.",
                             reason=_reden_tekst(reason))
                return w.result(Decimal("0.00"), "EUR", summary)

        p_tab = w.param("terugbetaling_tabel")
        verval = int(w.dec("verval_maanden"))
        row = next((r for r in sorted(p_tab.value, key=lambda r: r["binnen_maanden"]) if m < r["binnen_maanden"]), None)
        if row is None:
            w.step(tr("{months} maanden is {verval} maanden of meer: daarna vervalt de terugbetalingsverplichting.",
                      months=m, verval=verval))
            if m == verval and rest == 0:
                self._boundary(w, verval)
            return w.result(Decimal("0.00"), "EUR",
                            tr("Je hoeft niets terug te betalen: na {verval} maanden vervalt de "
                               "terugbetalingsverplichting.", verval=verval))
        w.cite(p_tab.row_citation(row))
        share = _fraction(row["deel"])
        amount = cents(price * _dec(share))
        share_text = tr("het volledige bedrag") if share == 1 else f"{share.numerator}/{share.denominator}"
        w.step(tr("Beëindiging binnen {months} maanden na aanschaf: {share} terugbetalen.",
                  months=row["binnen_maanden"], share=share_text))
        if share != 1:  # a fraction such as 2/3: nothing to capitalise
            w.step(tr("{share} van {price} = {amount}.", share=share_text, price=euro(price), amount=euro(amount)))
        else:
            w.step(tr("Terugbetalen: {amount}.", amount=euro(amount)))
        if rest == 0 and m in {r["binnen_maanden"] for r in p_tab.value}:
            self._boundary(w, m)
        summary = tr("Je moet {amount} terugbetalen ({share} van het aankoopbedrag van {price}), omdat je "
                     "dienstverband {months} maanden na de aanschaf eindigt.",
                     amount=euro(amount), share=share_text, price=euro(price), months=m)
        w.details.update(maanden=m, deel=str(share))
        return w.result(amount, "EUR", summary)

    @staticmethod
    def _boundary(w: Work, months: int) -> None:
        w.caveat(tr("Je dienstverband eindigt precies {months} maanden na de aanschaf. De regeling zegt niet of die "
                    "dag nog 'binnen {months} maanden' valt; Regelwijs telt hem bij de volgende stap. Laat P&O dit "
                    "bevestigen.", months=months))

