"""Beeldschermbril reimbursement (Kerkrade Hoofdstuk 22).

The text caps the reimbursement at € 75 per glass and € 75 for the frame (€ 225 in all)
per two years, and lets the insurer pay first, but it does not say whether the caps
apply to the invoice before or after the insurer's refund. Both readings are computed:

* reading A — the employer pays the part that remains for the employee's account,
  within the maxima: ``min(invoice − insurer, capped invoice)`` (l. 2659 wording);
* reading B — cap the invoice first, then subtract the insurer: ``capped − insurer``.

When they differ, the result states both and says P&O decides; the headline value is
reading A because it follows the procedure text most literally.
"""

from __future__ import annotations

from decimal import Decimal

from actions.calculators.base import Calculation, InputError, InputSpec
from actions.calculators.common import BaseCalculator, Work
from actions.calculators.datums import add_years
from actions.calculators.i18n import tr
from actions.calculators.tekst import datum, eenheid, euro


class Beeldschermbril(BaseCalculator):
    name = "beeldschermbril"
    title = "Vergoeding beeldschermbril"
    onderwerp = "de vergoeding van een beeldschermbril"
    inputs = [
        InputSpec("prijs_per_glas", "money", False,
                  "Wat kost één glas? (Als de glazen verschillend geprijsd zijn, geef dan de prijs van het linker- "
                  "en het rechterglas apart.)"),
        InputSpec("glas_links", "money", False, "Wat kost het linkerglas?"),
        InputSpec("glas_rechts", "money", False, "Wat kost het rechterglas?"),
        InputSpec("montuur", "money", True, "Wat kost het montuur?"),
        InputSpec("vergoeding_verzekeraar", "money", False,
                  "Hoeveel vergoedt je zorgverzekeraar voor deze bril? (0 als de verzekeraar niets vergoedt)",
                  default=Decimal(0)),
        InputSpec("datum_vorige_vergoeding", "date", False,
                  "Wanneer heb je voor het laatst een beeldschermbril vergoed gekregen van de gemeente? "
                  "(Laat leeg als dat nog nooit is gebeurd.)", not_future=True),
    ]

    def _glasses(self, v: dict) -> tuple[Decimal, Decimal]:
        left, right, each = v.get("glas_links"), v.get("glas_rechts"), v.get("prijs_per_glas")
        if left is None and right is None:
            if each is None:
                raise InputError("prijs_per_glas", "Dit gegeven ontbreekt nog. Wat kosten de glazen (per glas)?",
                                 "This is still missing. What do the lenses cost (per lens)?")
            return each, each
        if left is None or right is None:
            missing = "glas_links" if left is None else "glas_rechts"
            raise InputError(missing, f"Dit gegeven ontbreekt nog. Wat kost het {'linker' if left is None else 'rechter'}glas?",
                             f"This is still missing. What does the {'left' if left is None else 'right'} lens cost?")
        return left, right

    def _compute(self, w: Work, v: dict) -> Calculation:
        left, right = self._glasses(v)
        frame: Decimal = v["montuur"]
        insurer: Decimal = v.get("vergoeding_verzekeraar", Decimal(0))
        invoice = left + right + frame
        if insurer > invoice:
            raise InputError("vergoeding_verzekeraar",
                             "De vergoeding van de zorgverzekeraar kan niet hoger zijn dan de rekening.",
                             "The health insurer's reimbursement cannot be higher than the bill.")
        cap_glass, cap_frame, cap_total = w.dec("max_per_glas"), w.dec("max_montuur"), w.dec("max_totaal")
        years = int(w.dec("periode_jaren"))

        capped_left, capped_right, capped_frame = min(left, cap_glass), min(right, cap_glass), min(frame, cap_frame)
        capped = min(capped_left + capped_right + capped_frame, cap_total)
        w.step(tr("Rekening: linkerglas {left} + rechterglas {right} + montuur {frame} = {invoice}.",
                  left=euro(left), right=euro(right), frame=euro(frame), invoice=euro(invoice)))
        w.step(tr("Binnen de maxima ({cap_glass} per glas, {cap_frame} voor het montuur): {left} + {right} + {frame} "
                  "= {capped} (nooit meer dan {cap_total}).", cap_glass=euro(cap_glass), cap_frame=euro(cap_frame),
                  left=euro(capped_left), right=euro(capped_right), frame=euro(capped_frame), capped=euro(capped),
                  cap_total=euro(cap_total)))

        w.param("verzekeraar_eerst")
        w.param("procedure_maxima")
        reading_a = min(invoice - insurer, capped)
        reading_b = max(Decimal(0), capped - insurer)
        if insurer > 0:
            w.step(tr("Lezing A (eerst de zorgverzekeraar, dan de maxima op wat voor jouw rekening blijft): "
                      "{invoice} − {insurer} = {rest}, begrensd op {capped} → {reading_a}.",
                      invoice=euro(invoice), insurer=euro(insurer), rest=euro(invoice - insurer),
                      capped=euro(capped), reading_a=euro(reading_a)))
            w.step(tr("Lezing B (eerst de maxima, dan de vergoeding van de zorgverzekeraar aftrekken): "
                      "{capped} − {insurer} → {reading_b}.",
                      capped=euro(capped), insurer=euro(insurer), reading_b=euro(reading_b)))
        else:
            w.caveat(tr("Als je bij je zorgverzekeraar aanspraak kunt maken op een vergoeding (zonder dat dit ten koste "
                        "gaat van andere vergoedingen), moet je die eerst gebruiken; de gemeente vergoedt de rest."))
        w.details.update(lezing_a=float(reading_a), lezing_b=float(reading_b), rekening=float(invoice),
                         binnen_maxima=float(capped))

        if reading_a != reading_b:
            w.caveat(tr("De tekst zegt niet of de maxima gelden vóór of na de vergoeding van de zorgverzekeraar. "
                        "Lezing A geeft {reading_a}, lezing B {reading_b}. Ook staat er niet hoe de vergoeding van de "
                        "verzekeraar over glazen en montuur wordt verdeeld. P&O beslist welke lezing geldt.",
                        reading_a=euro(reading_a), reading_b=euro(reading_b)))
            summary = tr("De gemeente vergoedt {reading_a} als de maxima gelden voor het deel dat na je zorgverzekeraar "
                         "voor jouw rekening blijft, of {reading_b} als eerst de maxima worden toegepast en daarna de "
                         "vergoeding van de verzekeraar wordt afgetrokken; de regeling laat beide lezingen toe, dus P&O "
                         "beslist.", reading_a=euro(reading_a), reading_b=euro(reading_b))
        else:
            summary = tr("De gemeente vergoedt {amount} voor je beeldschermbril.", amount=euro(reading_a))

        last = v.get("datum_vorige_vergoeding")
        period = eenheid(years, "jaar", "jaar")
        w.caveat(tr("De regeling zegt 'per twee jaar' maar niet of dat {period} na de vorige vergoeding is of een vast "
                    "tijdvak van {period}; Regelwijs telt {period} vanaf de vorige vergoeding.", period=period))
        if last is not None:
            next_date = add_years(last, years)
            w.step(tr("Vorige vergoeding op {last}; {period} later → een nieuwe vergoeding is mogelijk vanaf {next}.",
                      last=datum(last), period=period, next=datum(next_date)))
            w.details["nieuwe_vergoeding_vanaf"] = next_date.isoformat()
            if w.today < next_date:
                w.details["bedrag_vanaf_datum"] = float(reading_a)
                summary = tr("Je kunt nu nog geen nieuwe vergoeding krijgen: de vorige was op {last} en de vergoeding "
                             "geldt per {period}. Vanaf {next} kan het weer; met deze rekening zou de gemeente dan "
                             "{amount} vergoeden", last=datum(last), period=period, next=datum(next_date),
                             amount=euro(reading_a))
                summary += (tr(" (of {other} in de andere lezing).", other=euro(reading_b)) if reading_a != reading_b
                            else ".")
                return w.result(Decimal(0), "EUR", summary)
        return w.result(reading_a, "EUR", summary)
