"""Number, money and date formatting for the working lines, in the calculation's language.

Kept independent of the process locale (a server's locale must not change what the
assistant says): Dutch "€ 1.234,56", "155,52 uur", "vrijdag 14 maart 2025"; English
"€1,234.56", "155.52 hours", "Friday 14 March 2025" (:mod:`actions.calculators.i18n`
says which).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from actions.calculators.i18n import current
from knowledge.dates import format_date

DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: English words for the Dutch units :func:`eenheid` is called with (singular, plural).
UNITS_EN = {"uur": ("hour", "hours"), "dag": ("day", "days"), "dagen": ("day", "days"),
            "week": ("week", "weeks"), "weken": ("week", "weeks"), "maand": ("month", "months"),
            "maanden": ("month", "months"), "jaar": ("year", "years"), "jaren": ("year", "years"),
            "kalenderjaar": ("calendar year", "calendar years"), "volle maand": ("full month", "full months"),
            "werkdag": ("working day", "working days"),
            "werkdagen": ("working day", "working days"), "kilometer": ("kilometre", "kilometres"),
            "km": ("km", "km"), "keer": ("time", "times"), "punt": ("point", "points"),
            "punten": ("point", "points"), "periodiek": ("increment", "increments"),
            "periodieken": ("increment", "increments"), "uren": ("hour", "hours")}

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round money to whole cents, half up (the usual rule for payslips)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _english() -> bool:
    return current() == "en"


def _group(int_part: str) -> str:
    sign = "-" if int_part.startswith("-") else ""
    digits = int_part.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ("," if _english() else ".").join(groups)


def euro(value: Decimal | int | float) -> str:
    """'€ 1.234,56' (English '€1,234.56') — always two decimals."""
    amount = cents(Decimal(str(value)))
    int_part, _, frac = f"{amount:.2f}".partition(".")
    if _english():
        return f"€{_group(int_part)}.{frac}"
    return f"€ {_group(int_part)},{frac}"


def getal(value: Decimal | int | float, decimals: int = 2) -> str:
    """A number with at most ``decimals`` decimals and no trailing zeros: '7,2', '155,52', '72'
    (English '7.2', '155.52')."""
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    int_part, _, frac = text.partition(".")
    return _group(int_part) + (("." if _english() else ",") + frac if frac else "")


def uren(value: Decimal | int | float) -> str:
    """'72 uur', '155,52 uur' (English '72 hours', '1 hour')."""
    if _english():
        return f"{getal(value)} {'hour' if Decimal(str(value)) == 1 else 'hours'}"
    return f"{getal(value)} uur"


def procent(fraction: Decimal) -> str:
    """Fraction 0.5 → '50%'."""
    return f"{getal(Decimal(str(fraction)) * 100)}%"


def datum(d: date) -> str:
    """'10 augustus 2025' (English '10 August 2025')."""
    return format_date(d, current())


def datum_dag(d: date) -> str:
    """'vrijdag 14 maart 2025' (English 'Friday 14 March 2025')."""
    return f"{(DAYS if _english() else DAGEN)[d.weekday()]} {datum(d)}"


def eenheid(n: int | Decimal, enkelvoud: str, meervoud: str) -> str:
    """'1 maand', '3 maanden' (English '1 month', '3 months' for the units in ``UNITS_EN``)."""
    one = Decimal(str(n)) == 1
    if _english() and enkelvoud in UNITS_EN:
        singular, plural = UNITS_EN[enkelvoud]
        return f"{getal(n)} {singular if one else plural}"
    return f"{getal(n)} {enkelvoud if one else meervoud}"
