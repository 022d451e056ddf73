"""Dutch number, money and date formatting for the working lines.

Kept independent of the process locale (a server's locale must not change what the
assistant says): "€ 1.234,56", "155,52 uur", "vrijdag 14 maart 2025".
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli",
           "augustus", "september", "oktober", "november", "december")
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round money to whole cents, half up (the usual rule for payslips)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _group(int_part: str) -> str:
    sign = "-" if int_part.startswith("-") else ""
    digits = int_part.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ".".join(groups)


def euro(value: Decimal | int | float) -> str:
    """'€ 1.234,56' — always two decimals."""
    amount = cents(Decimal(str(value)))
    int_part, _, frac = f"{amount:.2f}".partition(".")
    return f"€ {_group(int_part)},{frac}"


def getal(value: Decimal | int | float, decimals: int = 2) -> str:
    """A number with at most ``decimals`` decimals and no trailing zeros: '7,2', '155,52', '72'."""
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    int_part, _, frac = text.partition(".")
    return _group(int_part) + ("," + frac if frac else "")


def uren(value: Decimal | int | float) -> str:
    """'72 uur', '155,52 uur'."""
    return f"{getal(value)} uur"


def procent(fraction: Decimal) -> str:
    """Fraction 0.5 → '50%'."""
    return f"{getal(Decimal(str(fraction)) * 100)}%"


def datum(d: date) -> str:
    """'10 augustus 2025'."""
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def datum_dag(d: date) -> str:
    """'vrijdag 14 maart 2025'."""
    return f"{DAGEN[d.weekday()]} {datum(d)}"


def eenheid(n: int | Decimal, enkelvoud: str, meervoud: str) -> str:
    """'1 maand', '3 maanden'."""
    return f"{getal(n)} {enkelvoud if Decimal(str(n)) == 1 else meervoud}"
