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
from actions.calculators.tekst import datum, euro


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
                raise InputError("prijs_per_glas", "Dit gegeven ontbreekt nog. Wat kosten de glazen (per glas)?")
            return each, each
        if left is None or right is None:
            missing = "glas_links" if left is None else "glas_rechts"
            raise InputError(missing, f"Dit gegeven ontbreekt nog. Wat kost het {'linker' if left is None else 'rechter'}glas?")
        return left, right

    def _compute(self, w: Work, v: dict) -> Calculation:
        left, right = self._glasses(v)
        frame: Decimal = v["montuur"]
        insurer: Decimal = v.get("vergoeding_verzekeraar", Decimal(0))
        invoice = left + right + frame
        if insurer > invoice:
            raise InputError("vergoeding_verzekeraar",
                             "De vergoeding van de zorgverzekeraar kan niet hoger zijn dan de rekening.")
        cap_glass, cap_frame, cap_total = w.dec("max_per_glas"), w.dec("max_montuur"), w.dec("max_totaal")
        years = int(w.dec("periode_jaren"))

        capped_left, capped_right, capped_frame = min(left, cap_glass), min(right, cap_glass), min(frame, cap_frame)
        capped = min(capped_left + capped_right + capped_frame, cap_total)
        w.step(f"Rekening: linkerglas {euro(left)} + rechterglas {euro(right)} + montuur {euro(frame)} = {euro(invoice)}.")
        w.step(f"Binnen de maxima ({euro(cap_glass)} per glas, {euro(cap_frame)} voor het montuur): "
               f"{euro(capped_left)} + {euro(capped_right)} "
               f"+ {euro(capped_frame)} = {euro(capped)} (nooit meer dan {euro(cap_total)}).")

        w.param("verzekeraar_eerst")
        w.param("procedure_maxima")
        reading_a = min(invoice - insurer, capped)
        reading_b = max(Decimal(0), capped - insurer)
        if insurer > 0:
            w.step(f"Lezing A (eerst de zorgverzekeraar, dan de maxima op wat voor jouw rekening blijft): "
                   f"{euro(invoice)} − {euro(insurer)} = {euro(invoice - insurer)}, begrensd op {euro(capped)} "
                   f"→ {euro(reading_a)}.")
            w.step(f"Lezing B (eerst de maxima, dan de vergoeding van de zorgverzekeraar aftrekken): "
                   f"{euro(capped)} − {euro(insurer)} → {euro(reading_b)}.")
        else:
            w.caveat("Als je bij je zorgverzekeraar aanspraak kunt maken op een vergoeding (zonder dat dit ten koste "
                     "gaat van andere vergoedingen), moet je die eerst gebruiken; de gemeente vergoedt de rest.")
        w.details.update(lezing_a=float(reading_a), lezing_b=float(reading_b), rekening=float(invoice),
                         binnen_maxima=float(capped))

        if reading_a != reading_b:
            w.caveat(f"De tekst zegt niet of de maxima gelden vóór of na de vergoeding van de zorgverzekeraar. "
                     f"Lezing A geeft {euro(reading_a)}, lezing B {euro(reading_b)}. Ook staat er niet hoe de vergoeding "
                     "van de verzekeraar over glazen en montuur wordt verdeeld. P&O beslist welke lezing geldt.")
            summary = (f"De gemeente vergoedt {euro(reading_a)} als de maxima gelden voor het deel dat na je "
                       f"zorgverzekeraar voor jouw rekening blijft, of {euro(reading_b)} als eerst de maxima worden "
                       "toegepast en daarna de vergoeding van de verzekeraar wordt afgetrokken; de regeling laat beide "
                       "lezingen toe, dus P&O beslist.")
        else:
            summary = f"De gemeente vergoedt {euro(reading_a)} voor je beeldschermbril."

        last = v.get("datum_vorige_vergoeding")
        w.caveat(f"De regeling zegt 'per twee jaar' maar niet of dat {years} jaar na de vorige vergoeding is of een vast "
                 f"tijdvak van {years} jaar; Regelwijs telt {years} jaar vanaf de vorige vergoeding.")
        if last is not None:
            next_date = add_years(last, years)
            w.step(f"Vorige vergoeding op {datum(last)}; {years} jaar later → een nieuwe vergoeding is mogelijk vanaf "
                   f"{datum(next_date)}.")
            w.details["nieuwe_vergoeding_vanaf"] = next_date.isoformat()
            if w.today < next_date:
                w.details["bedrag_vanaf_datum"] = float(reading_a)
                summary = (f"Je kunt nu nog geen nieuwe vergoeding krijgen: de vorige was op {datum(last)} en de "
                           f"vergoeding geldt per {years} jaar. Vanaf {datum(next_date)} kan het weer; met deze rekening "
                           f"zou de gemeente dan {euro(reading_a)} vergoeden"
                           + (f" (of {euro(reading_b)} in de andere lezing)." if reading_a != reading_b else "."))
                return w.result(Decimal(0), "EUR", summary)
        return w.result(reading_a, "EUR", summary)
